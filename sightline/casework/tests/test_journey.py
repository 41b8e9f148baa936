"""The journey the issue describes, ending differently: a disclosure is not closed before a
strategy discussion; a practitioner's proposal waits in the sign-off queue; a challenge's
"decision to be changed" leads to a new decision; the steps keep their order; the submitter
learns nothing of other agencies' records."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from sightline.accounts.models import Team
from sightline.accounts.roles import Role
from sightline.accounts.tests.clients import signed_in, token_client
from sightline.accounts.tests.factories import UserFactory
from sightline.casework import services
from sightline.casework.models import Allocation, ClosureOverride, Plan, SignOff
from sightline.core.errors import Conflict, Invalid
from sightline.core.models import OutboxMessage
from sightline.escalation import services as escalation
from sightline.escalation.models import Clock, InboxItem
from sightline.people.models import Child
from sightline.referrals.models import Decision, Referral
from sightline.referrals.services import DecisionBlocked
from sightline.referrals.tests.factories import referral_input, submit
from sightline.workflows import (
    conference_record,
    decision_record,
    enquiry_outcome,
    enquiry_start,
    plan_close,
    plan_record,
    referral_screen,
    strategy_discussion_record,
)

pytestmark = pytest.mark.django_db

DISCLOSURE = (
    "She told her tutor that a man called Daz and his friends made her have sex with them. "
    "She was very frightened and asked the tutor not to tell her mum."
)
A1 = [{"code": "A1", "status": "present", "basis": "evidence"}]
HIGH = [
    {"code": "B1", "status": "present", "basis": "evidence"},
    {"code": "C2", "status": "present", "basis": "evidence"},
]
LONG = "Synthetic rationale. " * 12  # over 200 characters


def post(client: Client, path: str, body: dict[str, Any], method: str = "post") -> Any:
    send = getattr(client, method)
    return send(path, data=json.dumps(body), content_type="application/json")


def screened(referrer: Any, worker: Any, marks: list[dict[str, str]], **kw: Any) -> Referral:
    referral = submit(referrer, narrative=DISCLOSURE, **kw).referral
    referral_screen(
        acting_user=worker, referral=referral, referral_child=referral.children.get(), marks=marks
    )
    return Referral.objects.get(pk=referral.pk)


@pytest.fixture
def head(agencies: dict[str, Any]) -> Any:
    return UserFactory(
        username="head-of-service", agency=agencies["csc"], role=Role.HEAD_OF_SERVICE
    )


def test_a_disclosure_is_not_closed_before_a_strategy_discussion(
    teacher: Any, front_door: Any, manager: Any, head: Any, safeguarding_lead: Any
) -> None:
    referral = screened(teacher, front_door, A1)
    for user in (front_door, manager):
        with pytest.raises(DecisionBlocked, match="until a strategy discussion has been recorded"):
            decision_record(
                acting_user=user, referral=referral, outcome="no_further_action",
                reason="Family will supervise.",
            )  # fmt: skip
    with pytest.raises(DecisionBlocked, match="200 characters"):
        decision_record(
            acting_user=head, referral=referral, outcome="early_help", reason="x",
            override_rationale="Too short.",
        )  # fmt: skip
    assert not Decision.objects.exists()
    decision = decision_record(
        acting_user=head, referral=referral, outcome="early_help", reason="Synthetic.",
        override_rationale=LONG,
    )  # fmt: skip
    override = ClosureOverride.objects.get()
    assert override.decision == decision and override.indicators == ["A1"]
    assert InboxItem.objects.filter(user=safeguarding_lead, kind="closure_override").exists()
    assert OutboxMessage.objects.filter(recipient=safeguarding_lead).exists()


def test_after_a_strategy_discussion_the_manager_may_close_it(
    teacher: Any, front_door: Any, manager: Any
) -> None:
    referral = screened(teacher, front_door, A1)
    strategy_discussion_record(
        acting_user=front_door, child=referral.children.get().child, referral=referral,
        held_at=timezone.now(), police_present=True, csc_present=True, health_present=False,
        absence_reason="Health could not attend at short notice.",
        outcome="no_further_action", outcome_reason="Synthetic reasons.",
    )  # fmt: skip
    decision = decision_record(
        acting_user=manager, referral=referral, outcome="no_further_action", reason="Synthetic."
    )
    assert decision.signed_off_by == manager


def test_a_proposal_waits_for_sign_off_and_becomes_the_decision(
    teacher: Any, front_door: Any, manager: Any
) -> None:
    referral = screened(teacher, front_door, HIGH)
    nfa = {"outcome": "no_further_action", "reason": "Family will supervise."}
    path = f"/api/v1/referrals/{referral.reference}/decision"
    # The practitioner may not close it alone: the decision is kept as a proposal.
    proposed = post(token_client(front_door), path, nfa)
    assert proposed.status_code == 201, proposed.content
    assert proposed.json()["status"] == "awaiting_sign_off"
    assert InboxItem.objects.filter(user=manager, kind="sign_off").exists()
    # The practitioner is told where it waits, with no link to a queue only managers open.
    waiting = signed_in(front_door).get(f"/referrals/{referral.reference}/").content.decode()
    assert (
        "team managers' sign-off queue" in waiting and 'href="/casework/sign-offs/"' not in waiting
    )
    queue = token_client(manager).get("/api/v1/sign-offs?status=pending").json()
    assert [i["reasoning"] for i in queue["items"]] == ["Family will supervise."]
    sign_off_id = queue["items"][0]["id"]
    approved = post(token_client(manager), f"/api/v1/sign-offs/{sign_off_id}/approve", {})
    assert approved.status_code == 200, approved.content
    decision = Decision.objects.get(referral=referral)
    assert (decision.decided_by, decision.signed_off_by) == (front_door, manager)
    assert SignOff.objects.get().decision == decision
    assert InboxItem.objects.filter(user=teacher, kind="decision_notice").exists()
    page = signed_in(front_door).get(f"/referrals/{referral.reference}/").content.decode()
    assert "Proposals and sign-off" in page and "Approved" in page


def test_a_returned_proposal_tells_the_practitioner_why_and_none_signs_their_own(
    teacher: Any, front_door: Any, manager: Any
) -> None:
    referral = screened(teacher, front_door, HIGH)
    proposal = SignOff.objects.create(
        referral=referral, outcome="no_further_action", reasoning="Synthetic.",
        proposed_by=manager, proposed_at=timezone.now(),
    )  # fmt: skip
    refused = post(token_client(manager), f"/api/v1/sign-offs/{proposal.pk}/approve", {})
    assert refused.status_code == 403
    assert "another manager" in refused.json()["detail"]
    proposal.delete()
    post(
        token_client(front_door), f"/api/v1/referrals/{referral.reference}/decision",
        {"outcome": "no_further_action", "reason": "Synthetic.", "propose": True},
    )  # fmt: skip
    sign_off = SignOff.objects.get()
    returned = post(
        token_client(manager), f"/api/v1/sign-offs/{sign_off.pk}/return",
        {"reason": "Hold a strategy discussion first."},
    )  # fmt: skip
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    item = InboxItem.objects.get(user=front_door, kind="sign_off")
    assert "Hold a strategy discussion first." in item.body
    assert not Decision.objects.exists()


def test_decision_to_change_reopens_the_referral_and_the_new_decision_supersedes(
    teacher: Any, front_door: Any, manager: Any
) -> None:
    referral = screened(teacher, front_door, HIGH)
    first = decision_record(
        acting_user=manager, referral=referral, outcome="no_further_action", reason="Synthetic."
    )
    challenge = escalation.challenge_raise(
        acting_user=teacher, referral=referral, reason="She is at risk; please think again."
    )
    answered = post(
        token_client(front_door), f"/api/v1/challenges/{challenge.pk}/respond",
        {"stage_outcome": "decision_to_change", "reason": "The screening is high."},
    )  # fmt: skip
    assert answered.status_code == 200, answered.content
    assert answered.json()["referral_status"] == "reopened"
    new = post(
        token_client(manager), f"/api/v1/referrals/{referral.reference}/decision",
        {"outcome": "strategy_discussion", "reason": "Strategy discussion today."},
    )  # fmt: skip
    assert new.status_code == 200, new.content
    first.refresh_from_db()
    current = Decision.objects.get(referral=referral)
    assert first.superseded_by == current and not first.is_current
    assert Decision.objects.filter(for_referral=referral).count() == 2
    assert Clock.objects.filter(referral=referral, kind="strategy_discussion").exists()
    notices = InboxItem.objects.filter(user=teacher, kind="decision_notice")
    assert any("The screening is high." in n.body for n in notices)
    page = signed_in(teacher).get(f"/referrals/{referral.reference}/").content.decode()
    assert "Earlier decisions" in page and "Superseded" in page


def test_the_steps_keep_their_order_and_dates(teacher: Any, front_door: Any, manager: Any) -> None:
    referral = screened(teacher, front_door, HIGH)
    decision_record(
        acting_user=manager, referral=referral, outcome="strategy_discussion", reason="Synthetic."
    )
    child = referral.children.get().child
    today = timezone.localdate()
    with pytest.raises(Invalid, match="future"):
        strategy_discussion_record(
            acting_user=front_door, child=child, referral=referral,
            held_at=timezone.now() + dt.timedelta(days=2), police_present=True,
            csc_present=True, health_present=True,
        )  # fmt: skip
    with pytest.raises(Conflict, match="section 47 enquiry"):
        conference_record(
            acting_user=front_door, child=child, referral=referral, kind="initial",
            held_on=today, enquiry=None, outcome="no_plan",
        )  # fmt: skip
    discussion = strategy_discussion_record(
        acting_user=front_door, child=child, referral=referral, held_at=timezone.now(),
        police_present=True, csc_present=True, health_present=True, outcome="section_47",
        outcome_reason="Synthetic reasons.",
    )  # fmt: skip
    assert Clock.objects.get(referral=referral, kind="strategy_discussion").status == "met"
    assert Clock.objects.filter(referral=referral, kind="icpc", status="running").exists()
    enquiry = enquiry_start(acting_user=front_door, discussion=discussion, started_on=today)
    enquiry_outcome(
        acting_user=front_door, enquiry=enquiry, outcome="substantiated_conference",
        completed_on=today,
    )  # fmt: skip
    conference_record(
        acting_user=front_door, child=child, referral=referral, kind="initial", held_on=today,
        enquiry=enquiry, outcome="cp_plan", plan_category="SAB",
    )  # fmt: skip
    assert Clock.objects.get(referral=referral, kind="icpc").status == "met"
    assert Plan.objects.get(child=child).category == "SAB"
    review = Clock.objects.get(referral=referral, kind="review_conference", status="running")
    assert review.detail == "first" and 89 <= (review.due_at.date() - today).days <= 92
    for kind in ("cp", "cin"):
        with pytest.raises(Conflict):
            plan_record(
                acting_user=front_door, child=child, referral=referral, kind=kind,
                category="SAB", started_on=today,
            )  # fmt: skip
    with pytest.raises(Conflict, match="end before it starts"):
        _end_plan_before_start(front_door)
    assert Plan.objects.count() == 1
    # A review conference meets the first review clock and starts the next (six months) while
    # the plan goes on; the plan ending stops it.
    conference_record(
        acting_user=front_door, child=child, referral=referral, kind="review", held_on=today,
        enquiry=None, outcome="cp_plan_continues", plan_category="SAB",
    )  # fmt: skip
    first = Clock.objects.get(referral=referral, kind="review_conference", detail="first")
    assert first.status == "met"
    later = Clock.objects.get(referral=referral, kind="review_conference", status="running")
    assert later.detail == "next" and 180 <= (later.due_at.date() - today).days <= 185
    plan_close(
        acting_user=front_door, plan=Plan.objects.get(), ended_on=today, end_reason="Safe now."
    )
    later.refresh_from_db()
    assert later.status == "stopped"


def _end_plan_before_start(user: Any) -> None:
    plan = Plan.objects.get()
    with transaction.atomic():
        services.plan_end(
            acting_user=user, plan=plan, ended_on=plan.started_on - dt.timedelta(days=1),
            end_reason="Synthetic.",
        )  # fmt: skip


def test_steps_api_refuses_bad_input_and_stores_nothing(
    teacher: Any, front_door: Any, manager: Any
) -> None:
    referral = screened(teacher, front_door, HIGH)
    child = referral.children.get().child
    client = token_client(front_door)
    path = f"/api/v1/children/{child.pk}/strategy-discussions"
    before = {"held_at": "2001-01-01T10:00:00Z", "police_present": True, "csc_present": True,
              "health_present": True}  # fmt: skip
    assert post(client, path, before).status_code == 422
    absent = {**before, "held_at": timezone.now().isoformat(), "health_present": False}
    refused = post(client, path, absent)
    assert refused.status_code == 422 and "absence" in refused.json()["detail"]
    made = post(client, path, {**absent, "absence_reason": "On leave; no cover."})
    assert made.status_code == 201, made.content
    assert post(token_client(teacher), path, before).status_code == 404


def test_allocation_refuses_an_inactive_or_outside_worker_and_keeps_history(
    teacher: Any, front_door: Any, manager: Any, agencies: dict[str, Any], police_officer: Any
) -> None:
    team = Team.objects.create(agency=agencies["csc"], name="Exploitation (CSE) team")
    manager.team = team
    manager.save()
    referral = screened(teacher, front_door, HIGH)
    child = referral.children.get().child
    decision_record(
        acting_user=manager, referral=referral, outcome="specialist_cse_team", reason="Synthetic."
    )
    queued = Allocation.objects.get(child=child, ended_at__isnull=True)
    assert queued.kind == "team_queue" and queued.team == team
    client = token_client(manager)
    path = f"/api/v1/children/{child.pk}/allocation"
    gone = UserFactory(username="left-worker", agency=agencies["csc"], is_active=False)
    for worker in (gone.username, police_officer.username):
        body = {"team": str(team.pk), "worker": worker, "reason": "Synthetic."}
        assert post(client, path, body).status_code == 422
    assert post(client, path, {"team": str(team.pk), "worker": "fd-worker"}).status_code == 422
    done = post(client, path, {"team": str(team.pk), "worker": "fd-worker", "reason": "Capacity."})
    assert done.status_code == 201, done.content
    assert Allocation.objects.filter(child=child).count() == 2
    loads = client.get("/api/v1/caseloads").json()
    assert loads["workers"][0]["name"] == "fd-worker" and loads["workers"][0]["high_risk"] == 1


def test_the_submitter_never_learns_of_another_agencys_record(
    agencies: dict[str, Any], front_door: Any
) -> None:
    nurse = UserFactory(username="nurse", agency=agencies["health"], role=Role.REFERRER)
    analyst = UserFactory(username="analyst", agency=agencies["police"], role=Role.POLICE_ANALYST)
    known = submit(nurse).children[0].referral_child.child
    payload = json.loads(json.dumps(referral_input().__dict__, default=str))
    body = {
        "narrative": payload["narrative"],
        "children": [{"given_name": "Ellie", "family_name": "Marston",
                      "date_of_birth": "2011-05-14", "sex": "female", "postcode": "NB4 7QX"}],
    }  # fmt: skip
    answer = post(token_client(analyst), "/api/v1/referrals", body).json()
    child = answer["children"][0]
    assert child["matched_existing"] is False
    assert child["id"] != str(known.pk) and known.reference not in json.dumps(answer)
    assert Child.objects.count() == 1  # it was matched, but the analyst is not told
    assert signed_in(analyst).get(f"/children/{known.pk}/").status_code == 404
    assert signed_in(front_door).get(f"/children/{known.pk}/").status_code == 200


def test_a_referrer_is_never_given_an_id_that_answers_404_nor_the_match_status(
    agencies: dict[str, Any], front_door: Any
) -> None:
    nurse = UserFactory(username="nurse2", agency=agencies["health"], role=Role.REFERRER)
    analyst = UserFactory(username="analyst2", agency=agencies["police"], role=Role.POLICE_ANALYST)
    # The nurse's answer: every id it gives either opens or is the referral-child's own.
    mine = post(token_client(nurse), "/api/v1/referrals", _ellie_body()).json()
    given = mine["children"][0]["id"]
    known = Child.objects.get()
    if given == str(known.pk):
        assert signed_in(nurse).get(f"/children/{given}/").status_code == 200
    else:  # the referral-child's own id, which names no child record
        assert not Child.objects.filter(pk=given).exists()
    # The analyst's referral matches the nurse's child; reading it back tells nothing of that.
    theirs = post(token_client(analyst), "/api/v1/referrals", _ellie_body()).json()
    back = token_client(analyst).get(f"/api/v1/referrals/{theirs['reference']}").json()
    assert back["children"][0]["match_status"] is None
    assert back["children"][0]["id"] != str(known.pk)
    assert known.reference not in json.dumps(back)
    # The front door, which matches children, reads the match and the child's own id.
    full = token_client(front_door).get(f"/api/v1/referrals/{theirs['reference']}").json()
    assert full["children"][0]["match_status"] == "matched"
    assert full["children"][0]["id"] == str(known.pk)


def _ellie_body() -> dict[str, Any]:
    payload = json.loads(json.dumps(referral_input().__dict__, default=str))
    return {
        "narrative": payload["narrative"],
        "children": [{"given_name": "Ellie", "family_name": "Marston",
                      "date_of_birth": "2011-05-14", "sex": "female", "postcode": "NB4 7QX"}],
    }  # fmt: skip


def test_a_superseded_decision_stops_the_clocks_only_it_started(
    teacher: Any, front_door: Any, manager: Any
) -> None:
    referral = screened(teacher, front_door, HIGH)
    decision_record(
        acting_user=manager, referral=referral, outcome="assessment", reason="Synthetic."
    )
    assessment = Clock.objects.get(referral=referral, kind="assessment")
    assert assessment.status == "running"
    challenge = escalation.challenge_raise(
        acting_user=teacher, referral=referral, reason="Another agency holds this; please rethink."
    )
    answered = post(
        token_client(front_door), f"/api/v1/challenges/{challenge.pk}/respond",
        {"stage_outcome": "decision_to_change", "reason": "Police lead this enquiry."},
    )  # fmt: skip
    assert answered.status_code == 200, answered.content
    new = post(
        token_client(manager), f"/api/v1/referrals/{referral.reference}/decision",
        {"outcome": "other_agency", "reason": "Police lead; referred on."},
    )  # fmt: skip
    assert new.status_code == 200, new.content
    assessment.refresh_from_db()
    assert assessment.status == "stopped" and "superseded" in assessment.stopped_reason
    # The strategy discussion clock a high screening started is the child's, not the decision's.
    assert Clock.objects.get(referral=referral, kind="strategy_discussion").status == "running"

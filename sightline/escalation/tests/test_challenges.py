from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sightline.accounts.roles import Role
from sightline.accounts.tests.factories import UserFactory
from sightline.audit.models import AuditEvent
from sightline.escalation import services
from sightline.escalation.choices import ChallengeOutcome, ChallengeStatus
from sightline.escalation.models import ClockPolicy, InboxItem
from sightline.escalation.tests.factories import decided, ladder_users, received

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(police_officer: Any, front_door: Any) -> Any:
    referral = received(police_officer)
    decided(referral, front_door, "no_further_action")
    return referral


def test_referrer_challenges_their_own_decision(
    closed: Any, police_officer: Any, front_door: Any
) -> None:
    challenge = services.challenge_raise(
        acting_user=police_officer, referral=closed, reason="She went missing again last night."
    )
    assert challenge.stage == 1
    assert challenge.stage_due_at > challenge.raised_at
    # Stage 1 goes to the practitioner who decided.
    assert InboxItem.objects.filter(user=front_door, challenge=challenge).exists()
    assert AuditEvent.objects.filter(object_type="challenge", actor=police_officer).exists()


def test_only_the_referrer_can_challenge(closed: Any, teacher: Any) -> None:
    with pytest.raises(services.NotPermitted):
        services.challenge_raise(acting_user=teacher, referral=closed, reason="Not mine.")


def test_challenge_needs_a_reason_and_a_decision(police_officer: Any) -> None:
    open_referral = received(police_officer)
    with pytest.raises(services.Conflict):
        services.challenge_raise(acting_user=police_officer, referral=open_referral, reason="x")
    with pytest.raises(services.EscalationError):
        services.challenge_raise(acting_user=police_officer, referral=open_referral, reason=" ")


def test_one_open_challenge_per_referral(closed: Any, police_officer: Any) -> None:
    services.challenge_raise(acting_user=police_officer, referral=closed, reason="First.")
    with pytest.raises(services.Conflict):
        services.challenge_raise(acting_user=police_officer, referral=closed, reason="Again.")


def test_immediate_risk_goes_straight_to_the_partnership(
    agencies: Any, closed: Any, police_officer: Any
) -> None:
    people = ladder_users(agencies["csc"])
    challenge = services.challenge_raise(
        acting_user=police_officer, referral=closed, reason="In danger now.", immediate_risk=True
    )
    assert challenge.stage == 4
    assert challenge.stage_due_at - challenge.raised_at == dt.timedelta(hours=24)
    assert InboxItem.objects.filter(user=people["lead"], challenge=challenge).exists()


def test_stage_that_passes_its_timescale_escalates_itself(
    agencies: Any, closed: Any, police_officer: Any
) -> None:
    people = ladder_users(agencies["csc"])
    ClockPolicy.objects.create(key="challenge_stage_1", amount=1, unit="hours")
    challenge = services.challenge_raise(
        acting_user=police_officer, referral=closed, reason="Still worried."
    )
    report = services.sweep(at=timezone.now() + dt.timedelta(hours=2))
    challenge.refresh_from_db()
    assert report.challenge_stages_passed == 1
    assert challenge.stage == 2
    first = challenge.stages.get(stage=1)
    assert first.outcome == ChallengeOutcome.TIMESCALE_PASSED
    assert InboxItem.objects.filter(user=people["team_manager"], challenge=challenge).exists()
    # A sweep far in the future climbs to the top and reminds the partnership once.
    services.sweep(at=timezone.now() + dt.timedelta(days=90))
    services.sweep(at=timezone.now() + dt.timedelta(days=91))
    challenge.refresh_from_db()
    assert challenge.stage == 4
    assert challenge.next_check_at is None
    assert InboxItem.objects.filter(user=people["lead"], challenge=challenge).count() == 2


def test_manager_upholds_then_referrer_escalates(
    closed: Any, police_officer: Any, front_door: Any, manager: Any
) -> None:
    challenge = services.challenge_raise(
        acting_user=police_officer, referral=closed, reason="Still worried."
    )
    with pytest.raises(services.EscalationError):
        services.challenge_respond(
            acting_user=front_door, challenge=challenge, outcome="decision_upheld", notes=""
        )
    services.challenge_respond(
        acting_user=front_door,
        challenge=challenge,
        outcome="decision_upheld",
        notes="Discussed by phone; no new information.",
    )
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.RESOLVED
    assert InboxItem.objects.filter(user=police_officer, challenge=challenge).exists()
    services.challenge_escalate(
        acting_user=police_officer, challenge=challenge, reason="I do not agree."
    )
    challenge.refresh_from_db()
    assert (challenge.status, challenge.stage) == (ChallengeStatus.OPEN, 2)
    # Stage 2 is for line managers: the practitioner may not answer it.
    with pytest.raises(services.NotPermitted):
        services.challenge_respond(
            acting_user=front_door, challenge=challenge, outcome="decision_changed", notes="ok"
        )
    services.challenge_respond(
        acting_user=manager, challenge=challenge, outcome="decision_changed", notes="Reopened."
    )
    challenge.refresh_from_db()
    assert challenge.outcome == ChallengeOutcome.DECISION_CHANGED
    assert list(challenge.stages.values_list("stage", "outcome")) == [
        (1, "decision_upheld"),
        (2, "decision_changed"),
    ]


def test_responder_can_escalate_but_not_past_the_top(
    closed: Any, police_officer: Any, agencies: Any
) -> None:
    lead = UserFactory(agency=agencies["csc"], role=Role.SAFEGUARDING_LEAD)
    challenge = services.challenge_raise(
        acting_user=police_officer, referral=closed, reason="Now.", immediate_risk=True
    )
    with pytest.raises(services.Conflict):
        services.challenge_respond(
            acting_user=lead, challenge=challenge, outcome="escalated", notes="Up."
        )

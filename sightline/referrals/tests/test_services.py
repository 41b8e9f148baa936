"""Writes at the front door (referrals.services): intake, screening, decision and child
matching, each one transaction with its audit rows."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from sightline.accounts.tests.factories import AgencyFactory, UserFactory
from sightline.audit.models import AuditEvent
from sightline.audit.verify import verify_chain
from sightline.core.errors import TransitionNotAllowed
from sightline.core.models import OutboxMessage
from sightline.escalation.choices import TimescaleKey, Unit
from sightline.escalation.models import ClockPolicy
from sightline.people.models import Child
from sightline.referrals import services
from sightline.referrals.choices import CandidateStatus, MatchStatus, Status
from sightline.referrals.inputs import ChildInput, ReferralInvalid
from sightline.referrals.models import (
    ChildMatchCandidate,
    Decision,
    PersonNamed,
    PlaceNamed,
    Referral,
    ReferralChild,
)
from sightline.referrals.tests.factories import submit
from sightline.screening.models import Screening
from sightline.workflows import decision_record, referral_screen

pytestmark = pytest.mark.django_db

UTC = dt.UTC
HIGH = [
    {"code": "B1", "status": "present", "basis": "evidence"},
    {"code": "C2", "status": "present", "basis": "evidence"},
]
MEDIUM = [{"code": "B1", "status": "present", "basis": "evidence"}]
LOW = [{"code": "B4", "status": "present", "basis": "professional_judgement"}]
NONE: list[dict[str, str]] = []
# Monday 11 May 2026, 10:00 in London (BST): a working day, well in the past.
RECEIVED = dt.datetime(2026, 5, 11, 9, 0, tzinfo=UTC)


def child(**overrides: Any) -> ChildInput:
    data: dict[str, Any] = {
        "given_name": "Ellie",
        "family_name": "Marston",
        "date_of_birth": dt.date(2011, 5, 14),
        "sex": "female",
        "postcode": "NB4 7QX",
    }
    data.update(overrides)
    return ChildInput(**data)


def referred_children(referral: Referral) -> list[ReferralChild]:
    return list(
        ReferralChild.objects.filter(referral=referral).select_related("child").order_by("position")
    )


def screen(user: Any, referral: Referral, marks: list[dict[str, str]], index: int = 0) -> Any:
    return referral_screen(
        acting_user=user,
        referral=referral,
        referral_child=referred_children(referral)[index],
        marks=marks,
    )


def decide(user: Any, referral: Referral, outcome: str = "early_help", reason: str = "x") -> Any:
    return decision_record(acting_user=user, referral=referral, outcome=outcome, reason=reason)


def fresh(referral: Referral) -> Referral:
    return Referral.objects.get(pk=referral.pk)


def audit_count(referral: Referral, action: str, **filters: Any) -> int:
    return AuditEvent.objects.filter(referral_id=referral.pk, action=action, **filters).count()


# --------------------------------------------------------------------------------------------
# Intake
# --------------------------------------------------------------------------------------------


def test_submit_stores_the_referral_its_child_and_what_was_named(police_officer: Any) -> None:
    result = submit(police_officer)
    referral = fresh(result.referral)
    assert re.fullmatch(r"SL-\d{4}-\d{6}", referral.reference)
    assert referral.source_agency == police_officer.agency
    assert referral.referred_by == police_officer
    assert referral.concern_categories == ["missing", "sexual_exploitation"]
    (link,) = referred_children(referral)
    assert link.child.reference.startswith("CH-")
    assert link.match_status == MatchStatus.CONFIRMED_NEW
    assert PersonNamed.objects.get(referral=referral).vehicle_registration == "NB19 XYZ"
    assert PlaceNamed.objects.get(referral=referral).postcode == "NB4 2AB"
    assert OutboxMessage.objects.filter(kind="referral_received", recipient=police_officer).exists()


def test_consecutive_referrals_get_consecutive_references(police_officer: Any) -> None:
    first = submit(police_officer, received_at=RECEIVED).referral.reference
    second = submit(police_officer, received_at=RECEIVED).referral.reference
    assert first == "SL-2026-000001"
    assert second == "SL-2026-000002"


def test_second_referral_of_the_same_child_links_the_existing_record(
    police_officer: Any,
) -> None:
    first = referred_children(submit(police_officer).referral)[0]
    result = submit(police_officer)
    second = referred_children(result.referral)[0]
    assert result.children[0].matched_existing
    assert second.child == first.child
    assert second.match_status == MatchStatus.MATCHED
    assert Child.objects.count() == 1


@pytest.mark.parametrize(
    ("born", "age", "required"),
    [
        (dt.date(2016, 5, 12), 9, False),  # tenth birthday is the day after receipt
        (dt.date(2016, 5, 11), 10, True),  # tenth birthday on the day of receipt
        (dt.date(2009, 1, 1), 17, True),
    ],
)
def test_age_on_the_day_of_receipt_decides_whether_screening_is_required(
    police_officer: Any, born: dt.date, age: int, required: bool
) -> None:
    referral = submit(
        police_officer, received_at=RECEIVED, children=[child(date_of_birth=born)]
    ).referral
    (link,) = referred_children(referral)
    assert link.age_on_day == age
    assert link.screening_required is required
    expected = Status.AWAITING_SCREENING if required else Status.AWAITING_DECISION
    assert fresh(referral).status == expected


def test_age_is_taken_on_the_day_of_receipt_not_today(police_officer: Any) -> None:
    # Ten today, but nine on the day the referral was received.
    received = dt.datetime(2025, 11, 3, 10, 0, tzinfo=UTC)
    referral = submit(
        police_officer, received_at=received, children=[child(date_of_birth=dt.date(2015, 11, 4))]
    ).referral
    (link,) = referred_children(referral)
    assert link.age_on_day == 9
    assert not link.screening_required


@pytest.mark.parametrize(("approximate_age", "required"), [(9, False), (10, True), (14, True)])
def test_approximate_age_is_used_when_the_date_of_birth_is_not_known(
    police_officer: Any, approximate_age: int, required: bool
) -> None:
    referral = submit(
        police_officer, children=[child(date_of_birth=None, approximate_age=approximate_age)]
    ).referral
    (link,) = referred_children(referral)
    assert link.age_on_day == approximate_age
    assert link.screening_required is required


def test_unknown_age_requires_a_screening(police_officer: Any) -> None:
    referral = submit(police_officer, children=[child(date_of_birth=None)]).referral
    (link,) = referred_children(referral)
    assert link.age_on_day is None
    assert link.screening_required
    assert fresh(referral).status == Status.AWAITING_SCREENING


@pytest.mark.parametrize(("approximate_age", "required"), [(11, False), (12, True)])
def test_screening_age_threshold_follows_the_setting(
    police_officer: Any, settings: Any, approximate_age: int, required: bool
) -> None:
    settings.SIGHTLINE_SCREENING_MIN_AGE = 12
    referral = submit(
        police_officer, children=[child(date_of_birth=None, approximate_age=approximate_age)]
    ).referral
    assert referred_children(referral)[0].screening_required is required


def test_one_child_needing_screening_holds_the_whole_referral(police_officer: Any) -> None:
    referral = submit(
        police_officer,
        received_at=RECEIVED,
        children=[
            child(given_name="Tia", date_of_birth=dt.date(2018, 2, 2)),
            child(given_name="Ellie"),
        ],
    ).referral
    assert [rc.screening_required for rc in referred_children(referral)] == [False, True]
    assert fresh(referral).status == Status.AWAITING_SCREENING


# The partnership's timescales are clock policy rows (escalation), the one source of the
# referral's due times; these are the defaults.
RAG_HOURS = {"red": 2, "amber": 6, "green": 24}


def decision_working_days(days: int) -> None:
    ClockPolicy.objects.update_or_create(
        key=TimescaleKey.DECISION, defaults={"amount": days, "unit": Unit.WORKING_DAYS}
    )


def test_decision_is_due_one_working_day_after_receipt(police_officer: Any, settings: Any) -> None:
    decision_working_days(1)
    friday_four_pm = dt.datetime(2026, 3, 13, 16, 0, tzinfo=UTC)  # GMT: London time too
    referral = submit(police_officer, received_at=friday_four_pm).referral
    assert fresh(referral).decision_due_at == dt.datetime(2026, 3, 16, 16, 0, tzinfo=UTC)


def test_decision_on_a_saturday_referral_is_due_tuesday_at_nine(
    police_officer: Any, settings: Any
) -> None:
    decision_working_days(1)
    saturday = dt.datetime(2026, 3, 14, 11, 0, tzinfo=UTC)
    referral = submit(police_officer, received_at=saturday).referral
    assert fresh(referral).decision_due_at == dt.datetime(2026, 3, 17, 9, 0, tzinfo=UTC)


def test_decision_due_time_skips_bank_holidays_and_follows_the_setting(
    police_officer: Any, settings: Any
) -> None:
    decision_working_days(2)
    maundy_thursday = dt.datetime(2026, 4, 2, 14, 0, tzinfo=UTC)  # 15:00 BST
    referral = submit(police_officer, received_at=maundy_thursday).referral
    # Good Friday, the weekend and Easter Monday are skipped: Tue 7th, then Wed 8th.
    assert fresh(referral).decision_due_at == dt.datetime(2026, 4, 8, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("urgency", "rag", "hours"),
    [("immediate", "red", 2), ("urgent", "amber", 6), ("routine", "green", 24)],
)
def test_rag_rating_and_its_clock_come_from_the_urgency(
    police_officer: Any, urgency: str, rag: str, hours: int
) -> None:
    referral = fresh(submit(police_officer, received_at=RECEIVED, urgency=urgency).referral)
    assert referral.rag == rag
    assert referral.rag_due_at == RECEIVED + dt.timedelta(hours=hours)


def test_invalid_referral_is_refused_and_nothing_is_stored(police_officer: Any) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(ReferralInvalid) as caught:
        submit(police_officer, narrative="   ", children=[child(postcode="not a postcode")])
    assert set(caught.value.errors) == {"narrative", "children[0].postcode"}
    assert Referral.objects.count() == 0
    assert Child.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_user_without_an_active_agency_cannot_refer(db: Any) -> None:
    closed = AgencyFactory(kind="other", name="Closed service", is_active=False)
    user = UserFactory(agency=closed)
    with pytest.raises(services.DecisionInvalid, match="active agency"):
        submit(user)
    assert Referral.objects.count() == 0
    assert not AuditEvent.objects.filter(action="record.create").exists()


def test_failure_late_in_intake_rolls_back_every_row_and_audit_event(
    police_officer: Any, monkeypatch: Any
) -> None:
    before = AuditEvent.objects.count()

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(services.intake, "outbox_enqueue", broken)
    with pytest.raises(RuntimeError, match="outbox unavailable"):
        submit(police_officer)
    assert Referral.objects.count() == 0
    assert ReferralChild.objects.count() == 0
    assert Child.objects.count() == 0
    assert PersonNamed.objects.count() == 0
    assert AuditEvent.objects.count() == before
    assert verify_chain().ok


def test_intake_writes_create_and_link_audit_rows(police_officer: Any) -> None:
    referral = submit(police_officer).referral
    (link,) = referred_children(referral)
    assert audit_count(referral, "record.create", object_type="referral") == 1
    assert audit_count(referral, "record.create", object_type="child", child_id=link.child_id) == 1
    assert audit_count(referral, "record.link", object_type="referral_child") == 1
    assert AuditEvent.objects.get(referral_id=referral.pk, object_type="referral").actor == (
        police_officer
    )


def test_intake_of_a_known_child_writes_no_child_create_row(police_officer: Any) -> None:
    submit(police_officer)
    referral = submit(police_officer).referral
    assert audit_count(referral, "record.create", object_type="child") == 0
    assert audit_count(referral, "record.link", object_type="referral_child") == 1


# --------------------------------------------------------------------------------------------
# Screening
# --------------------------------------------------------------------------------------------


def test_screening_moves_the_referral_on_to_awaiting_decision(
    police_officer: Any, front_door: Any
) -> None:
    referral = submit(police_officer).referral
    assert fresh(referral).status == Status.AWAITING_SCREENING
    screening = screen(front_door, referral, LOW)
    assert screening.level == "low"
    assert screening.is_current
    assert fresh(referral).status == Status.AWAITING_DECISION
    assert audit_count(referral, "referral.screen") == 1


def test_referral_waits_until_every_child_needing_screening_is_screened(
    police_officer: Any, front_door: Any
) -> None:
    referral = submit(
        police_officer,
        children=[child(given_name="Ellie"), child(given_name="Keira", postcode="")],
    ).referral
    screen(front_door, referral, LOW, index=0)
    assert fresh(referral).status == Status.AWAITING_SCREENING
    screen(front_door, referral, LOW, index=1)
    assert fresh(referral).status == Status.AWAITING_DECISION


@pytest.mark.parametrize(
    ("marks", "rag", "rank"), [(HIGH, "red", 3), (MEDIUM, "amber", 2), (LOW, "green", 1)]
)
def test_screening_level_re_rates_a_routine_referral(
    police_officer: Any,
    front_door: Any,
    marks: list[dict[str, str]],
    rag: str,
    rank: int,
    settings: Any,
) -> None:
    referral = submit(police_officer, received_at=RECEIVED, urgency="routine").referral
    screen(front_door, referral, marks)
    referral = fresh(referral)
    assert referral.rag == rag
    assert referral.risk_rank == rank
    assert referral.rag_due_at == RECEIVED + dt.timedelta(hours=RAG_HOURS[rag])


def test_a_low_screening_never_lowers_the_rag_rating(police_officer: Any, front_door: Any) -> None:
    referral = submit(police_officer, received_at=RECEIVED, urgency="immediate").referral
    screen(front_door, referral, NONE)
    referral = fresh(referral)
    assert referral.rag == "red"
    assert referral.rag_due_at == RECEIVED + dt.timedelta(hours=2)


def test_re_screening_replaces_the_current_screening(police_officer: Any, front_door: Any) -> None:
    referral = submit(police_officer).referral
    first = screen(front_door, referral, LOW)
    second = screen(front_door, referral, HIGH)
    first.refresh_from_db()
    assert not first.is_current
    assert second.is_current
    assert fresh(referral).risk_rank == 3


def test_screening_is_refused_after_the_decision(police_officer: Any, front_door: Any) -> None:
    referral = submit(police_officer).referral
    screen(front_door, referral, LOW)
    decide(front_door, referral)
    with pytest.raises(TransitionNotAllowed):
        screen(front_door, referral, HIGH)
    assert Screening.objects.count() == 1
    assert audit_count(referral, "referral.screen") == 1
    assert fresh(referral).status == Status.DECIDED


# --------------------------------------------------------------------------------------------
# Decision
# --------------------------------------------------------------------------------------------


def test_decision_is_recorded_and_closes_the_referral(police_officer: Any, front_door: Any) -> None:
    referral = submit(police_officer).referral
    screen(front_door, referral, LOW)
    decision = decide(front_door, referral, "early_help", "  Support through school.  ")
    assert decision.reason == "Support through school."
    assert decision.decided_by == front_door
    assert decision.signed_off_by is None
    assert decision.risk_level_at_decision == "low"
    assert fresh(referral).status == Status.DECIDED
    event = AuditEvent.objects.get(referral_id=referral.pk, action="referral.decide")
    assert event.details["outcome"] == "early_help"
    assert event.reason == "Support through school."


@pytest.mark.parametrize("reason", ["", "   "])
def test_decision_needs_a_reason(police_officer: Any, front_door: Any, reason: str) -> None:
    referral = submit(police_officer).referral
    screen(front_door, referral, LOW)
    with pytest.raises(services.DecisionInvalid, match="reason"):
        decide(front_door, referral, reason=reason)
    assert not Decision.objects.exists()
    assert audit_count(referral, "referral.decide") == 0


def test_decision_with_an_unknown_outcome_is_refused(police_officer: Any, front_door: Any) -> None:
    referral = submit(police_officer).referral
    screen(front_door, referral, LOW)
    with pytest.raises(services.DecisionInvalid, match="Outcome must be one of"):
        decide(front_door, referral, outcome="close_quietly")
    assert not Decision.objects.exists()


def test_decision_is_blocked_until_the_screening_is_done(
    police_officer: Any, front_door: Any
) -> None:
    referral = submit(police_officer).referral
    with pytest.raises(services.DecisionBlocked, match="CSE screening is needed"):
        decide(front_door, referral)
    assert not Decision.objects.exists()
    assert fresh(referral).status == Status.AWAITING_SCREENING
    assert audit_count(referral, "referral.decide") == 0


def test_referral_for_a_young_child_can_be_decided_without_screening(
    police_officer: Any, front_door: Any
) -> None:
    referral = submit(
        police_officer, received_at=RECEIVED, children=[child(date_of_birth=dt.date(2018, 1, 9))]
    ).referral
    decision = decide(front_door, referral, "information_and_advice")
    assert decision.risk_level_at_decision == ""
    assert fresh(referral).status == Status.DECIDED


@pytest.mark.parametrize("marks", [MEDIUM, HIGH], ids=["medium", "high"])
def test_closing_medium_or_high_risk_referral_needs_a_manager(
    police_officer: Any, front_door: Any, marks: list[dict[str, str]]
) -> None:
    referral = submit(police_officer).referral
    screen(front_door, referral, marks)
    with pytest.raises(services.DecisionBlocked, match="team manager's sign-off"):
        decide(front_door, referral, "no_further_action")
    assert not Decision.objects.exists()
    assert fresh(referral).status == Status.AWAITING_DECISION


def test_manager_may_close_a_high_risk_referral_and_is_recorded_as_signing_off(
    police_officer: Any, front_door: Any, manager: Any
) -> None:
    referral = submit(police_officer).referral
    screen(front_door, referral, HIGH)
    decision = decide(manager, referral, "no_further_action", "Already known and safe.")
    assert decision.signed_off_by == manager
    assert decision.risk_level_at_decision == "high"
    event = AuditEvent.objects.get(referral_id=referral.pk, action="referral.decide")
    assert event.details["manager_sign_off"] is True
    assert event.actor == manager


def test_practitioner_may_take_other_action_on_a_high_risk_referral(
    police_officer: Any, front_door: Any
) -> None:
    referral = submit(police_officer).referral
    screen(front_door, referral, HIGH)
    decision = decide(front_door, referral, "strategy_discussion")
    assert decision.signed_off_by is None


def test_practitioner_may_close_a_low_risk_referral(police_officer: Any, front_door: Any) -> None:
    referral = submit(police_officer).referral
    screen(front_door, referral, LOW)
    decision = decide(front_door, referral, "no_further_action")
    assert decision.signed_off_by is None


def test_second_decision_is_refused(police_officer: Any, front_door: Any, manager: Any) -> None:
    referral = submit(police_officer).referral
    screen(front_door, referral, LOW)
    decide(front_door, referral, "early_help")
    with pytest.raises(services.DecisionBlocked, match="already been recorded"):
        decide(manager, referral, "assessment")
    assert Decision.objects.get(referral=referral).outcome == "early_help"
    assert audit_count(referral, "referral.decide") == 1


# --------------------------------------------------------------------------------------------
# Child matching
# --------------------------------------------------------------------------------------------


@pytest.fixture
def proposed(police_officer: Any) -> ChildMatchCandidate:
    """A second referral naming 'Elie Marston': a provisional child and one candidate."""
    submit(police_officer)
    result = submit(police_officer, children=[child(given_name="Elie")])
    (intake,) = result.children
    assert not intake.matched_existing
    assert intake.referral_child.match_status == MatchStatus.NEW_CHILD
    (candidate,) = intake.candidates
    return candidate


def test_confirming_a_match_relinks_the_referral_and_supersedes_the_provisional_child(
    proposed: ChildMatchCandidate, front_door: Any
) -> None:
    link = ReferralChild.objects.get(pk=proposed.referral_child_id)
    provisional = link.child
    existing = proposed.candidate
    services.child_match_confirm(acting_user=front_door, candidate=proposed, reason="Same school")
    link.refresh_from_db()
    provisional.refresh_from_db()
    proposed.refresh_from_db()
    assert link.child == existing
    assert link.match_status == MatchStatus.MATCHED
    assert provisional.superseded_by == existing
    assert proposed.status == CandidateStatus.CONFIRMED
    event = AuditEvent.objects.get(
        referral_id=link.referral_id, action="record.link", actor=front_door
    )
    assert event.child_id == existing.pk
    assert event.reason == "Same school"
    assert event.details["provisional_child"] == provisional.reference


def test_a_match_cannot_be_confirmed_twice(proposed: ChildMatchCandidate, front_door: Any) -> None:
    services.child_match_confirm(acting_user=front_door, candidate=proposed)
    proposed.refresh_from_db()
    with pytest.raises(services.DecisionInvalid, match="already been dealt with"):
        services.child_match_confirm(acting_user=front_door, candidate=proposed)
    with pytest.raises(services.DecisionInvalid):
        services.child_match_reject(acting_user=front_door, candidate=proposed)


def test_rejecting_a_match_keeps_the_new_child_and_is_audited(
    proposed: ChildMatchCandidate, front_door: Any
) -> None:
    link = ReferralChild.objects.get(pk=proposed.referral_child_id)
    provisional = link.child
    services.child_match_reject(acting_user=front_door, candidate=proposed, reason="Other school")
    link.refresh_from_db()
    provisional.refresh_from_db()
    proposed.refresh_from_db()
    assert proposed.status == CandidateStatus.REJECTED
    assert link.child == provisional
    assert link.match_status == MatchStatus.CONFIRMED_NEW
    assert provisional.superseded_by is None
    event = AuditEvent.objects.get(referral_id=link.referral_id, action="record.unlink")
    assert event.child_id == proposed.candidate_id
    assert event.reason == "Other school"

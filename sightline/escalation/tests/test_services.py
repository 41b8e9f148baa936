from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from sightline.audit.models import AuditEvent
from sightline.core.models import OutboxMessage
from sightline.core.outbox import outbox_relay
from sightline.escalation import services
from sightline.escalation.choices import (
    ClockKind,
    ClockStatus,
    EscalationStatus,
    StrategyOutcome,
    Unit,
)
from sightline.escalation.models import (
    ClockPolicy,
    ClosureDay,
    Escalation,
    EscalationEvent,
    InboxItem,
    LadderRung,
)
from sightline.escalation.tests.factories import decided, ladder_users, received

pytestmark = pytest.mark.django_db

UTC = dt.UTC
# Friday 6 March 2026, 10:00 in London (GMT).
FRIDAY = dt.datetime(2026, 3, 6, 10, 0, tzinfo=UTC)


def clocks(referral: Any) -> dict[str, Any]:
    return {c.kind: c for c in referral.clocks.all()}


def test_receipt_starts_decision_and_rag_clocks(police_officer: Any, front_door: Any) -> None:
    referral = received(police_officer, at=FRIDAY, urgency="urgent")
    found = clocks(referral)
    assert set(found) == {ClockKind.DECISION, ClockKind.RAG}
    # One working day from Friday 10:00 is Monday 10:00.
    assert found[ClockKind.DECISION].due_at == dt.datetime(2026, 3, 9, 10, 0, tzinfo=UTC)
    # Urgent is amber: six hours, weekend or not.
    assert found[ClockKind.RAG].due_at == FRIDAY + dt.timedelta(hours=6)
    assert found[ClockKind.RAG].detail == "amber"
    assert AuditEvent.objects.filter(object_type="clock", referral_id=referral.pk).exists()


def test_closure_day_is_not_a_working_day(police_officer: Any, front_door: Any) -> None:
    ClosureDay.objects.create(day=dt.date(2026, 3, 9), description="Partnership training day")
    referral = received(police_officer, at=FRIDAY)
    assert clocks(referral)[ClockKind.DECISION].due_at == dt.datetime(
        2026, 3, 10, 10, 0, tzinfo=UTC
    )


def test_clock_policy_overrides_the_default(police_officer: Any, front_door: Any) -> None:
    ClockPolicy.objects.create(key="decision", amount=4, unit=Unit.HOURS)
    referral = received(police_officer, at=FRIDAY)
    assert clocks(referral)[ClockKind.DECISION].due_at == FRIDAY + dt.timedelta(hours=4)


def test_bank_holiday_is_skipped(police_officer: Any, front_door: Any) -> None:
    # Thursday 2 April 2026: Good Friday (3rd) and Easter Monday (6th) are bank holidays.
    referral = received(police_officer, at=dt.datetime(2026, 4, 2, 11, 0, tzinfo=dt.UTC))
    due = clocks(referral)[ClockKind.DECISION].due_at
    assert due == dt.datetime(2026, 4, 7, 11, 0, tzinfo=UTC)  # 12:00 BST, as received


def test_decision_meets_clocks_starts_assessment_and_feedback(
    police_officer: Any, front_door: Any
) -> None:
    referral = received(police_officer, at=FRIDAY)
    decision = decided(referral, front_door, "assessment")
    found = clocks(referral)
    assert found[ClockKind.DECISION].status == ClockStatus.MET
    assert found[ClockKind.DECISION].met_at == decision.decided_at
    assert found[ClockKind.ASSESSMENT].status == ClockStatus.RUNNING
    assert found[ClockKind.ASSESSMENT].started_at == FRIDAY
    assert found[ClockKind.ASSESSMENT].assigned_to == front_door
    assert found[ClockKind.REFERRER_FEEDBACK].status == ClockStatus.MET
    notice = OutboxMessage.objects.get(kind="escalation.decision_notice")
    assert notice.recipient == police_officer
    assert referral.reference in notice.subject
    assert InboxItem.objects.filter(user=police_officer, kind="decision_notice").count() == 1


def test_strategy_discussion_decision_is_due_the_same_working_day(
    police_officer: Any, front_door: Any
) -> None:
    referral = received(police_officer, at=FRIDAY)
    decision = decided(referral, front_door, "strategy_discussion")
    clock = clocks(referral)[ClockKind.STRATEGY_DISCUSSION]
    assert clock.due_at >= decision.decided_at
    assert (clock.due_at - decision.decided_at) < dt.timedelta(days=5)
    assert clock.due_at.astimezone(dt.UTC).minute == 0


def test_strategy_discussion_then_section_47_starts_conference_clock(
    police_officer: Any, front_door: Any
) -> None:
    referral = received(police_officer, at=FRIDAY)
    decided(referral, front_door, "strategy_discussion")
    held = dt.datetime(2026, 3, 9, 14, 0, tzinfo=UTC)  # Monday
    services.strategy_discussion_record(
        acting_user=front_door, referral=referral, held_at=held, outcome=StrategyOutcome.SECTION_47
    )
    found = clocks(referral)
    assert found[ClockKind.STRATEGY_DISCUSSION].status == ClockStatus.MET
    # 14:00 London on the 15th working day (Monday 30 March, by then in BST).
    assert found[ClockKind.ICPC].due_at == dt.datetime(2026, 3, 30, 13, 0, tzinfo=UTC)
    # A later strategy discussion restarts the 15 days from the last one.
    later = dt.datetime(2026, 3, 11, 9, 30, tzinfo=UTC)
    services.strategy_discussion_record(
        acting_user=front_door, referral=referral, held_at=later, outcome=StrategyOutcome.SECTION_47
    )
    icpc = clocks(referral)[ClockKind.ICPC]
    assert icpc.due_at == dt.datetime(2026, 4, 1, 8, 30, tzinfo=UTC)  # 09:30 BST
    services.conference_held_record(
        acting_user=front_door,
        referral=referral,
        held_at=dt.datetime(2026, 3, 25, 10, 0, tzinfo=UTC),
        outcome="child protection plan",
    )
    assert clocks(referral)[ClockKind.ICPC].status == ClockStatus.MET


def test_referrer_cannot_record_statutory_steps(police_officer: Any, front_door: Any) -> None:
    referral = received(police_officer, at=FRIDAY)
    decided(referral, front_door, "assessment")
    with pytest.raises(services.NotPermitted):
        services.assessment_complete(
            acting_user=police_officer, referral=referral, completed_at=FRIDAY, outcome="done"
        )


def test_sweep_raises_escalation_then_climbs_the_ladder(agencies: Any, police_officer: Any) -> None:
    people = ladder_users(agencies["csc"])
    referral = received(police_officer, at=FRIDAY)
    due = clocks(referral)[ClockKind.DECISION].due_at
    early = services.sweep(at=due - dt.timedelta(minutes=1))
    assert early.escalations_raised == 1  # the 24-hour RAG window ran out on Saturday
    assert not Escalation.objects.filter(clock__kind=ClockKind.DECISION).exists()
    report = services.sweep(at=due)
    assert report.escalations_raised == 1
    escalation = Escalation.objects.get(clock__kind=ClockKind.DECISION)
    assert escalation.rung == 1
    assert InboxItem.objects.filter(user=people["practitioner"], escalation=escalation).exists()
    services.sweep(at=due + dt.timedelta(hours=5))
    escalation.refresh_from_db()
    assert escalation.rung == 2
    assert InboxItem.objects.filter(user=people["team_manager"], escalation=escalation).exists()
    # A day late, a sweep catches up through every rung.
    services.sweep(at=due + dt.timedelta(days=10))
    escalation.refresh_from_db()
    assert escalation.rung == 4
    assert escalation.next_climb_at is None
    assert InboxItem.objects.filter(user=people["lead"], escalation=escalation).exists()
    kinds = list(escalation.events.values_list("kind", "rung"))
    assert kinds == [("raised", 1), ("climbed", 2), ("climbed", 3), ("climbed", 4)]
    assert outbox_relay(batch=100) > 0
    assert any(people["lead"].email in m.to for m in mail.outbox)


def test_sweep_is_idempotent(agencies: Any, police_officer: Any) -> None:
    ladder_users(agencies["csc"])
    referral = received(police_officer, at=FRIDAY)
    at = FRIDAY + dt.timedelta(days=3)
    services.sweep(at=at)
    counts = (
        Escalation.objects.count(),
        EscalationEvent.objects.count(),
        InboxItem.objects.count(),
    )
    again = services.sweep(at=at)
    assert again.clocks_checked == 0
    assert counts == (
        Escalation.objects.count(),
        EscalationEvent.objects.count(),
        InboxItem.objects.count(),
    )
    assert Escalation.objects.filter(referral=referral).count() == 2


def test_configured_ladder_hours_apply(agencies: Any, police_officer: Any) -> None:
    ladder_users(agencies["csc"])
    LadderRung.objects.create(
        agency=agencies["csc"], rung=1, role="front_door_practitioner", hours=1
    )
    referral = received(police_officer, at=FRIDAY)
    due = clocks(referral)[ClockKind.DECISION].due_at
    services.sweep(at=due + dt.timedelta(minutes=90))
    assert Escalation.objects.get(clock__kind=ClockKind.DECISION).rung == 2


def test_late_decision_meets_clock_and_resolves_its_escalation(
    agencies: Any, police_officer: Any, front_door: Any
) -> None:
    referral = received(police_officer, at=FRIDAY)
    services.sweep(at=FRIDAY + dt.timedelta(days=4))
    decided(referral, front_door, "early_help")
    clock = clocks(referral)[ClockKind.DECISION]
    assert clock.status == ClockStatus.MET
    assert clock.is_late
    assert clock.escalation.status == EscalationStatus.RESOLVED
    assert clock.next_check_at is None


def test_resolving_needs_a_reason_and_a_manager(
    agencies: Any, police_officer: Any, front_door: Any, manager: Any
) -> None:
    received(police_officer, at=FRIDAY)
    services.sweep(at=FRIDAY + dt.timedelta(days=4))
    escalation = Escalation.objects.get(clock__kind=ClockKind.DECISION)
    with pytest.raises(services.EscalationError):
        services.escalation_resolve(acting_user=manager, escalation=escalation, reason="  ")
    with pytest.raises(services.NotPermitted):
        services.escalation_resolve(acting_user=front_door, escalation=escalation, reason="x")
    services.escalation_resolve(
        acting_user=manager, escalation=escalation, reason="Allocated to a worker today."
    )
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.RESOLVED
    assert escalation.resolved_by == manager
    assert escalation.clock.next_check_at is None
    row = AuditEvent.objects.filter(object_type="escalation", actor=manager).get()
    assert row.reason == "Allocated to a worker today."
    with pytest.raises(services.Conflict):
        services.escalation_resolve(acting_user=manager, escalation=escalation, reason="again")


def test_acknowledged_escalation_waits_then_climbs_again(
    agencies: Any, police_officer: Any, front_door: Any
) -> None:
    referral = received(police_officer, at=FRIDAY)
    due = clocks(referral)[ClockKind.DECISION].due_at
    services.sweep(at=due)
    escalation = Escalation.objects.get(clock__kind=ClockKind.DECISION)
    services.escalation_acknowledge(
        acting_user=front_door, escalation=escalation, reason="Looking at it now."
    )
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.ACKNOWLEDGED
    assert escalation.next_climb_at is not None
    services.sweep(at=escalation.next_climb_at + dt.timedelta(minutes=1))
    escalation.refresh_from_db()
    assert escalation.rung == 2
    assert escalation.status == EscalationStatus.OPEN


def test_stopping_a_clock_needs_a_reason(agencies: Any, police_officer: Any, manager: Any) -> None:
    referral = received(police_officer, at=FRIDAY)
    clock = clocks(referral)[ClockKind.RAG]
    with pytest.raises(services.EscalationError):
        services.clock_stop(acting_user=manager, clock=clock, reason="")
    services.clock_stop(acting_user=manager, clock=clock, reason="Child moved out of the area.")
    clock.refresh_from_db()
    assert clock.status == ClockStatus.STOPPED
    assert clock.next_check_at is None


def test_return_interview_clock_runs_72_hours(
    agencies: Any, police_officer: Any, front_door: Any
) -> None:
    referral = received(police_officer, at=FRIDAY)
    back = FRIDAY + dt.timedelta(days=1)
    clock = services.clocks_on_child_returned(
        referral=referral, returned_at=back, acting_user=front_door, episode="EV-1"
    )
    assert clock.due_at == back + dt.timedelta(hours=72)
    services.return_interview_record(
        acting_user=front_door,
        referral=referral,
        held_at=back + dt.timedelta(hours=30),
        outcome="interview held",
    )
    clock.refresh_from_db()
    assert clock.status == ClockStatus.MET

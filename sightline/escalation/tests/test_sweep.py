"""The sweep end to end: a replay of a fortnight, day by day, through the management command,
and two sweeps at once raising each escalation exactly once."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from sightline.escalation import services
from sightline.escalation.choices import ClockKind
from sightline.escalation.models import Clock, Escalation, EscalationEvent, InboxItem
from sightline.escalation.tests.factories import decided, ladder_users, received

UTC = dt.UTC


def sweep_at(when: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("sweep", at=when, stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


@pytest.mark.django_db
def test_replay_a_fortnight_day_by_day(agencies: Any, police_officer: Any, front_door: Any) -> None:
    people = ladder_users(agencies["csc"])
    # Monday 2 March 2026, 10:00: not decided. Decision due Tuesday 10:00.
    late = received(police_officer, at=dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    # Wednesday 4 March: decided (so its decision clock is met and never escalates).
    on_time = received(police_officer, at=dt.datetime(2026, 3, 4, 11, 0, tzinfo=UTC))
    decided(on_time, front_door, "early_help")

    reports = {}
    day = dt.date(2026, 3, 2)
    while day <= dt.date(2026, 3, 13):
        reports[day] = sweep_at(f"{day.isoformat()}T09:00")
        day += dt.timedelta(days=1)

    escalation = Escalation.objects.get(referral=late, clock__kind=ClockKind.DECISION)
    assert not Escalation.objects.filter(referral=on_time).exists()

    def told(user: Any) -> dt.date | None:
        item = InboxItem.objects.filter(user=user, escalation=escalation).first()
        return item.delivered_at.date() if item else None

    # Due Tuesday 10:00; the Wednesday sweep raises it and, 4 hours on the practitioner's
    # rung having passed, takes it to the team manager; the head of service 24 hours later;
    # the safeguarding lead after the head of service's 48 hours.
    assert told(people["practitioner"]) == dt.date(2026, 3, 4)
    assert told(people["team_manager"]) == dt.date(2026, 3, 4)
    assert told(people["head"]) == dt.date(2026, 3, 5)
    assert told(people["lead"]) == dt.date(2026, 3, 7)
    assert reports[dt.date(2026, 3, 3)]["escalations_raised"] == 1  # the 6-hour RAG window
    assert reports[dt.date(2026, 3, 4)]["escalations_raised"] == 1  # the decision
    # Event times are when each rung was reached (the sweep that noticed says when it ran).
    events = list(escalation.events.values_list("kind", "rung", "at"))
    assert events == [
        ("raised", 1, dt.datetime(2026, 3, 3, 10, 0, tzinfo=UTC)),
        ("climbed", 2, dt.datetime(2026, 3, 3, 14, 0, tzinfo=UTC)),
        ("climbed", 3, dt.datetime(2026, 3, 4, 14, 0, tzinfo=UTC)),
        ("climbed", 4, dt.datetime(2026, 3, 6, 14, 0, tzinfo=UTC)),
    ]
    assert "raised by the sweep at 04 Mar 2026 09:00" in escalation.events.first().reason  # type: ignore[union-attr]
    # E-mail went out through the outbox to each rung.
    assert {people["lead"].email, people["head"].email} <= {a for m in mail.outbox for a in m.to}
    # Once at the top nothing more happens: the last week's sweeps were quiet.
    assert all(r["rungs_climbed"] == 0 for d, r in reports.items() if d >= dt.date(2026, 3, 10))


def _make_overdue_clocks(referrals: list[Any], due: dt.datetime) -> int:
    clocks = [
        Clock(
            kind=kind,
            referral=referral,
            started_at=due - dt.timedelta(days=1),
            due_at=due,
            next_check_at=due,
        )
        for referral in referrals
        for kind in ClockKind.values
    ]
    Clock.objects.filter(referral__in=referrals).delete()
    return len(Clock.objects.bulk_create(clocks))


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_raise_each_escalation_once(
    agencies: Any, police_officer: Any
) -> None:
    ladder_users(agencies["csc"])
    start = dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    referrals = [received(police_officer, at=start + dt.timedelta(hours=i)) for i in range(4)]
    total = _make_overdue_clocks(referrals, start + dt.timedelta(days=1))
    at = start + dt.timedelta(days=2)
    barrier = threading.Barrier(2)
    results: list[services.SweepReport] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(services.sweep(at=at, batch_size=3))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert len(results) == 2
    assert Escalation.objects.count() == total
    assert sum(r.escalations_raised for r in results) == total
    assert EscalationEvent.objects.filter(kind="raised").count() == total
    assert sum(r.clocks_checked for r in results) >= total
    # A third sweep at the same moment finds nothing left to do.
    assert services.sweep(at=at).clocks_checked == 0


@pytest.mark.django_db(transaction=True)
def test_run_worker_once_sweeps_and_sends_mail(agencies: Any, police_officer: Any) -> None:
    people = ladder_users(agencies["csc"])
    received(police_officer, at=dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    out = io.StringIO()
    call_command("run_worker", once=True, stdout=out)
    assert "worker stopped" in out.getvalue()
    assert Escalation.objects.count() == 2
    assert people["lead"].email in {a for m in mail.outbox for a in m.to}


def test_sweep_command_rejects_a_bad_time() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("sweep", at="next tuesday")


@pytest.mark.django_db
def test_replay_a_referral_through_strategy_discussion_section_47_conference_and_plan(
    agencies: Any, police_officer: Any, front_door: Any
) -> None:
    """Each step recorded on its day (the clock frozen there), the sweep run every morning:
    every clock the journey starts is met on time and nothing escalates."""
    from freezegun import freeze_time

    from sightline.workflows import (
        assessment_progress,
        assessment_start,
        conference_record,
        decision_record,
        enquiry_outcome,
        enquiry_start,
        strategy_discussion_record,
    )

    ladder_users(agencies["csc"])
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday
    referral = received(police_officer, at=start)
    child = referral.children.get().child

    def on(day: int, hour: int = 11) -> Any:
        return freeze_time(dt.datetime(2026, 3, day, hour, 0, tzinfo=UTC))

    with on(2, 10):
        decision_record(
            acting_user=front_door, referral=referral, outcome="strategy_discussion",
            reason="Synthetic reason.",
        )  # fmt: skip
    with on(2, 14):
        discussion = strategy_discussion_record(
            acting_user=front_door, child=child, referral=referral,
            held_at=dt.datetime(2026, 3, 2, 14, 0, tzinfo=UTC), police_present=True,
            csc_present=True, health_present=True, outcome="section_47",
            outcome_reason="Synthetic reasons.",
        )  # fmt: skip
    with on(3):
        enquiry = enquiry_start(
            acting_user=front_door, discussion=discussion, started_on=dt.date(2026, 3, 3)
        )
        assessment = assessment_start(
            acting_user=front_door, child=child, referral=referral,
            started_on=dt.date(2026, 3, 3), factors=["11A", "10A"],
        )  # fmt: skip
    with on(12):
        enquiry_outcome(
            acting_user=front_door, enquiry=enquiry, outcome="substantiated_conference",
            completed_on=dt.date(2026, 3, 12),
        )  # fmt: skip
    with on(19):
        conference_record(
            acting_user=front_door, child=child, referral=referral, kind="initial",
            held_on=dt.date(2026, 3, 19), enquiry=enquiry, outcome="cp_plan",
            plan_category="SAB",
        )  # fmt: skip
    with on(20):
        assessment_progress(
            acting_user=front_door, assessment=assessment, completed_on=dt.date(2026, 3, 20),
            outcome="cin_plan",
        )  # fmt: skip
    for day in range(2, 31):
        sweep_at(f"2026-03-{day:02d}T08:00")

    clocks = {c.kind: c for c in Clock.objects.filter(referral=referral)}
    for kind in (ClockKind.STRATEGY_DISCUSSION, ClockKind.ICPC, ClockKind.ASSESSMENT):
        assert clocks[kind].status == "met", kind
        assert clocks[kind].met_at <= clocks[kind].due_at, kind  # type: ignore[operator]
    assert clocks[ClockKind.ICPC].due_at.date() == dt.date(2026, 3, 23)  # 15 working days
    assert not Escalation.objects.filter(
        referral=referral,
        clock__kind__in=[ClockKind.STRATEGY_DISCUSSION, ClockKind.ICPC, ClockKind.ASSESSMENT],
    ).exists()

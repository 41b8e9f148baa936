"""Starting and meeting one clock, and starting several of one referral's at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sightline.core.calendar import WorkingCalendar
from sightline.escalation import rules
from sightline.escalation.choices import (
    OPEN_CLOCK_STATUSES,
    ClockKind,
    ClockStatus,
    EscalationEventKind,
    EscalationStatus,
)
from sightline.escalation.models import Clock, EscalationEvent
from sightline.escalation.services.performance import performance_on_clock_met
from sightline.escalation.timescales import due_at, timescale, timescales_of
from sightline.referrals.choices import Outcome
from sightline.referrals.models import Referral

# Decisions that start the 45-working-day assessment clock (the s47 enquiry is carried out
# through the assessment; the specialist team assesses too).
ASSESSMENT_OUTCOMES = {
    Outcome.ASSESSMENT,
    Outcome.STRATEGY_DISCUSSION,
    Outcome.SPECIALIST_CSE_TEAM,
}


# Kinds with an open clock per `detail` rather than per referral (a missing episode's return
# interview: each return has its own 72 hours; the detail is the episode's reference).
PER_DETAIL_KINDS = frozenset({ClockKind.RETURN_INTERVIEW})


def open_clock(referral: Referral, kind: str, detail: str | None = None) -> Clock | None:
    """The open clock of the kind on the referral (for a per-detail kind, the one with the
    detail given; without one, the earliest due)."""
    # with its escalation, if any, read in the same statement (meeting a clock resolves it);
    # only the clock's row is locked, as before
    found = (
        Clock.objects.select_for_update(of=("self",))
        .select_related("escalation")
        .filter(referral=referral, kind=kind, status__in=OPEN_CLOCK_STATUSES)
    )
    if detail is not None and kind in PER_DETAIL_KINDS:
        found = found.filter(detail=detail)
    clock = found.order_by("due_at", "started_at").first()
    if clock is not None:  # the caller's referral, not read again when the clock is met
        Clock.referral.field.set_cached_value(clock, referral)
    return clock


def clock_start(
    *,
    referral: Referral,
    kind: str,
    started_at: dt.datetime,
    key: str,
    calendar: WorkingCalendar,
    agency: Any = None,
    team: Any = None,
    assigned_to: Any = None,
    detail: str = "",
) -> tuple[Clock, bool]:
    """Start a clock unless one of this kind is already open on the referral (idempotent;
    for a per-detail kind, one with this detail)."""
    existing = open_clock(referral, kind, detail if kind in PER_DETAIL_KINDS else None)
    if existing is not None:
        return existing, False
    due = due_at(started_at, timescale(key), calendar)
    clock = Clock.objects.create(
        kind=kind,
        referral=referral,
        agency=agency,
        team=team,
        assigned_to=assigned_to,
        started_at=started_at,
        due_at=due,
        detail=detail,
        next_check_at=due,
    )
    return clock, True


@dataclass(frozen=True)
class ClockWanted:
    kind: str
    key: str
    detail: str = ""


def clocks_start(
    *,
    referral: Referral,
    wanted: Sequence[ClockWanted],
    started_at: dt.datetime,
    calendar: WorkingCalendar,
    agency: Any = None,
    new_referral: bool = False,
) -> list[Clock]:
    """clock_start for several kinds on one referral, in one lookup of the open clocks, one
    of the timescales and one insert; answers the clocks started (those not already open),
    in the order wanted. `new_referral`: made in this transaction, so none is open (no
    lookup)."""
    kinds = [w.kind for w in wanted]
    open_kinds: set[str] = set()
    if not new_referral:
        open_kinds = set(
            Clock.objects.select_for_update()
            .filter(referral=referral, kind__in=kinds, status__in=OPEN_CLOCK_STATUSES)
            .values_list("kind", flat=True)
        )
    to_start = [w for w in wanted if w.kind not in open_kinds]
    if not to_start:
        return []
    scales = timescales_of([w.key for w in to_start])
    clocks = []
    for w in to_start:
        due = due_at(started_at, scales[w.key], calendar)
        clocks.append(
            Clock(
                kind=w.kind,
                referral=referral,
                agency=agency,
                started_at=started_at,
                due_at=due,
                detail=w.detail,
                next_check_at=due,
            )
        )
    return Clock.objects.bulk_create(clocks)


def clock_meet(clock: Clock, *, at: dt.datetime, reason: str) -> None:
    """Mark a clock met (late if past due); any escalation on it is resolved by the system."""
    rules.guard_clock(clock.status, ClockStatus.MET)
    clock.status = ClockStatus.MET
    clock.met_at = at
    clock.next_check_at = None
    clock.save(update_fields=["status", "met_at", "next_check_at", "updated_at"])
    performance_on_clock_met(clock=clock)
    close_escalation(clock, at=at, reason=reason)


def clock_halt(clock: Clock, *, at: dt.datetime, reason: str) -> None:
    """Stop a clock that no longer applies; any escalation on it is resolved with the reason.
    Callers check who may stop it and write the audit row."""
    rules.guard_clock(clock.status, ClockStatus.STOPPED)
    clock.status = ClockStatus.STOPPED
    clock.stopped_reason = reason
    clock.next_check_at = None
    clock.save(update_fields=["status", "stopped_reason", "next_check_at", "updated_at"])
    close_escalation(clock, at=at, reason=f"Clock stopped: {reason}")


def close_escalation(clock: Clock, *, at: dt.datetime, reason: str) -> None:
    escalation = getattr(clock, "escalation", None)
    if escalation is None or escalation.status == EscalationStatus.RESOLVED:
        return
    escalation.status = EscalationStatus.RESOLVED
    escalation.resolved_at = at
    escalation.resolution = reason
    escalation.next_climb_at = None
    escalation.save(
        update_fields=["status", "resolved_at", "resolution", "next_climb_at", "updated_at"]
    )
    EscalationEvent.objects.create(
        escalation=escalation,
        kind=EscalationEventKind.RESOLVED,
        rung=escalation.rung,
        at=at,
        reason=reason,
    )


def meet_if_open(
    referral: Referral, kind: str, *, at: dt.datetime, reason: str, detail: str | None = None
) -> Clock | None:
    clock = open_clock(referral, kind, detail)
    if clock is not None:
        clock_meet(clock, at=at, reason=reason)
    return clock

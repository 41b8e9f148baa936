"""Statutory steps recorded by practitioners (strategy discussion, assessment, conference,
return interview), each meeting its clock, and a manager stopping a clock."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.core.transactions import in_callers_transaction
from sightline.escalation import rules
from sightline.escalation.choices import (
    OPEN_CLOCK_STATUSES,
    ClockKind,
    ClockStatus,
    StepKind,
    StrategyOutcome,
    TimescaleKey,
)
from sightline.escalation.models import Clock, StatutoryStep
from sightline.escalation.services.clocks.base import (
    clock_halt,
    clock_start,
    meet_if_open,
    open_clock,
)
from sightline.escalation.services.common import (
    Conflict,
    EscalationError,
    NotPermitted,
    audit,
    require_reason,
)
from sightline.escalation.timescales import due_at, partnership_calendar, timescale
from sightline.referrals.models import Referral


def _step(
    *,
    acting_user: Any,
    referral: Referral,
    kind: str,
    happened_at: dt.datetime,
    outcome: str,
    notes: str,
) -> StatutoryStep:
    if not rules.can_record_steps(acting_user):
        raise NotPermitted("Your role cannot record statutory steps.")
    if happened_at.tzinfo is None:
        raise EscalationError("Give the date and time with a time zone.")
    if happened_at > timezone.now() + dt.timedelta(minutes=5):
        raise EscalationError("A step cannot be recorded in the future.")
    if happened_at < referral.received_at:
        raise EscalationError("A step cannot come before the referral was received.")
    return StatutoryStep.objects.create(
        referral=referral,
        kind=kind,
        happened_at=happened_at,
        outcome=outcome,
        notes=(notes or "").strip(),
        recorded_by=acting_user,
    )


def _audit_step(acting_user: Any, step: StatutoryStep, referral: Referral, **details: Any) -> None:
    audit(
        actor=acting_user,
        action=Action.CREATE,
        object_type="statutory_step",
        object_id=step.pk,
        referral=referral,
        details={"kind": step.kind, "outcome": step.outcome, **details},
    )


@transaction.atomic
def strategy_discussion_record(
    *,
    acting_user: Any,
    referral: Referral,
    held_at: dt.datetime,
    outcome: str,
    notes: str = "",
) -> StatutoryStep:
    """Meets the strategy discussion clock; a section 47 outcome starts (or, after a later
    discussion, re-starts) the initial conference clock: 15 working days from the last one."""
    if outcome not in StrategyOutcome.values:
        raise EscalationError(f"Outcome must be one of: {', '.join(StrategyOutcome.values)}.")
    step = _step(
        acting_user=acting_user,
        referral=referral,
        kind=StepKind.STRATEGY_DISCUSSION,
        happened_at=held_at,
        outcome=outcome,
        notes=notes,
    )
    meet_if_open(
        referral, ClockKind.STRATEGY_DISCUSSION, at=held_at, reason="Strategy discussion held."
    )
    icpc_due = None
    if outcome == StrategyOutcome.SECTION_47:
        icpc_due = icpc_clock_from_strategy(
            referral=referral, held_at=held_at, owner=acting_user
        ).due_at.isoformat()
    _audit_step(acting_user, step, referral, icpc_due_at=icpc_due)
    return step


def icpc_clock_from_strategy(*, referral: Referral, held_at: dt.datetime, owner: Any) -> Clock:
    """A strategy discussion that starts a section 47 enquiry starts (or, after a later
    discussion, re-starts) the initial conference clock: 15 working days from the last one.
    Runs in the caller's transaction."""
    calendar = partnership_calendar()
    icpc = open_clock(referral, ClockKind.ICPC)
    due = due_at(held_at, timescale(TimescaleKey.ICPC), calendar)
    if icpc is None:
        icpc, _new = clock_start(
            referral=referral,
            kind=ClockKind.ICPC,
            started_at=held_at,
            key=TimescaleKey.ICPC,
            calendar=calendar,
            agency=owner.agency,
            team=owner.team,
            assigned_to=owner,
        )
    elif icpc.status == ClockStatus.RUNNING and held_at >= icpc.started_at:
        icpc.started_at, icpc.due_at, icpc.next_check_at = held_at, due, due
        icpc.save(update_fields=["started_at", "due_at", "next_check_at", "updated_at"])
    return icpc


@in_callers_transaction
def clocks_on_step(
    *,
    acting_user: Any,
    referral: Referral,
    meets: str,
    at: dt.datetime,
    reason: str,
    starts_icpc: bool = False,
    starts_assessment: bool = False,
    starts_review: str = "",
    stops: str = "",
) -> dict[str, Any]:
    """A casework step recorded (casework app, through its workflow): meet the open clock of
    kind `meets`, and start the initial conference clock (a strategy discussion deciding on
    a section 47 enquiry) or the assessment clock (45 working days from the referral) where
    the step calls for one. Answers what it met and started, and writes one audit row."""
    met = meet_if_open(referral, meets, at=at, reason=reason) if meets else None
    started: dict[str, str] = {}
    if starts_icpc:
        started[ClockKind.ICPC] = icpc_clock_from_strategy(
            referral=referral, held_at=at, owner=acting_user
        ).due_at.isoformat()
    if starts_assessment:
        clock, _new = clock_start(
            referral=referral,
            kind=ClockKind.ASSESSMENT,
            started_at=referral.received_at,
            key=TimescaleKey.ASSESSMENT,
            calendar=partnership_calendar(),
            agency=acting_user.agency,
            team=acting_user.team,
            assigned_to=acting_user,
        )
        started[ClockKind.ASSESSMENT] = clock.due_at.isoformat()
    if starts_review:  # "first" after the initial conference, "next" after a review
        clock, _new = clock_start(
            referral=referral,
            kind=ClockKind.REVIEW_CONFERENCE,
            started_at=at,
            key=TimescaleKey.REVIEW_CONFERENCE
            if starts_review == "first"
            else TimescaleKey.REVIEW_CONFERENCE_NEXT,
            calendar=partnership_calendar(),
            agency=acting_user.agency,
            team=acting_user.team,
            assigned_to=acting_user,
            detail=starts_review,
        )
        started[ClockKind.REVIEW_CONFERENCE] = clock.due_at.isoformat()
    stopped = open_clock(referral, stops) if stops else None
    if stopped is not None:
        clock_halt(stopped, at=at, reason=reason)
    result = {
        "met": meets if met is not None else None,
        "stopped": stops if stopped is not None else None,
        "late": bool(met is not None and met.is_late),
        "started": started,
    }
    audit(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="clock",
        object_id=referral.pk,
        referral=referral,
        details={"event": "clocks_on_step", **result},
    )
    return result


def _step_meeting_clock(
    *,
    acting_user: Any,
    referral: Referral,
    kind: str,
    clock_kind: str,
    happened_at: dt.datetime,
    outcome: str,
    notes: str,
    what: str,
    met_reason: str,
    report_late: bool = True,
    detail: str | None = None,
) -> StatutoryStep:
    """Record a step whose only effect on the clocks is to meet the open one of its kind
    (for a per-detail kind, the one with `detail`)."""
    outcome = require_reason(outcome, what=what, limit=40)
    step = _step(
        acting_user=acting_user,
        referral=referral,
        kind=kind,
        happened_at=happened_at,
        outcome=outcome,
        notes=notes,
    )
    clock = meet_if_open(referral, clock_kind, at=happened_at, reason=met_reason, detail=detail)
    if report_late:
        _audit_step(acting_user, step, referral, late=bool(clock and clock.is_late))
    else:
        _audit_step(acting_user, step, referral)
    return step


@transaction.atomic
def assessment_complete(
    *,
    acting_user: Any,
    referral: Referral,
    completed_at: dt.datetime,
    outcome: str,
    notes: str = "",
) -> StatutoryStep:
    return _step_meeting_clock(
        acting_user=acting_user,
        referral=referral,
        kind=StepKind.ASSESSMENT_COMPLETED,
        clock_kind=ClockKind.ASSESSMENT,
        happened_at=completed_at,
        outcome=outcome,
        notes=notes,
        what="outcome of the assessment",
        met_reason="Assessment completed.",
    )


@transaction.atomic
def conference_held_record(
    *,
    acting_user: Any,
    referral: Referral,
    held_at: dt.datetime,
    outcome: str,
    notes: str = "",
) -> StatutoryStep:
    return _step_meeting_clock(
        acting_user=acting_user,
        referral=referral,
        kind=StepKind.CONFERENCE_HELD,
        clock_kind=ClockKind.ICPC,
        happened_at=held_at,
        outcome=outcome,
        notes=notes,
        what="outcome of the conference",
        met_reason="Initial child protection conference held.",
    )


@transaction.atomic
def return_interview_record(
    *,
    acting_user: Any,
    referral: Referral,
    held_at: dt.datetime,
    outcome: str,
    notes: str = "",
    episode: str | None = None,
) -> StatutoryStep:
    """Meets the return-interview clock of the episode named (its reference), else the
    earliest due open one on the referral."""
    return _step_meeting_clock(
        acting_user=acting_user,
        referral=referral,
        kind=StepKind.RETURN_INTERVIEW,
        clock_kind=ClockKind.RETURN_INTERVIEW,
        happened_at=held_at,
        outcome=outcome,
        notes=notes,
        what="outcome of the interview",
        met_reason="Return-home interview held.",
        report_late=False,
        detail=episode,
    )


@transaction.atomic
def clock_stop(*, acting_user: Any, clock: Clock, reason: str) -> Clock:
    """Stop a clock that no longer applies (the child moved away, the case was transferred).
    A manager's act, with a reason; its escalation is resolved with the same reason."""
    reason = require_reason(reason)
    if not rules.can_resolve_escalation(acting_user, None):
        raise NotPermitted("Only a manager can stop a statutory clock.")
    clock = (
        Clock.objects.select_for_update(of=("self",)).select_related("referral").get(pk=clock.pk)
    )
    if clock.status not in OPEN_CLOCK_STATUSES:
        raise Conflict("This clock has already finished.")
    clock_halt(clock, at=timezone.now(), reason=reason)
    audit(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="clock",
        object_id=clock.pk,
        referral=clock.referral,
        reason=reason,
        details={"event": "clock_stopped", "kind": clock.kind},
    )
    return clock


@in_callers_transaction
def clocks_assign(*, referral: Referral, team: Any, worker: Any) -> int:
    """The referral's work has been allocated: its open clocks (and so the overdue work and
    escalations lists) show the new owner. Answers how many clocks changed."""
    return Clock.objects.filter(referral=referral, status__in=OPEN_CLOCK_STATUSES).update(
        team=team, assigned_to=worker, updated_at=timezone.now()
    )

"""Starting, meeting and stopping statutory clocks, and the hooks the referral services call
inside their own transactions (clocks_on_referral_received / _on_screening / _on_decision)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.core.calendar import WorkingCalendar
from sightline.escalation import rules
from sightline.escalation.choices import (
    OPEN_CLOCK_STATUSES,
    RAG_KEYS,
    ClockKind,
    ClockStatus,
    EscalationEventKind,
    EscalationStatus,
    InboxKind,
    StepKind,
    StrategyOutcome,
    TimescaleKey,
)
from sightline.escalation.models import Clock, EscalationEvent, StatutoryStep
from sightline.escalation.services.common import (
    Conflict,
    EscalationError,
    NotPermitted,
    audit,
    front_door_agency,
    local,
    require_reason,
)
from sightline.escalation.services.notify import notify
from sightline.escalation.services.rereferrals import rereferral_refresh
from sightline.escalation.timescales import due_at, partnership_calendar, timescale
from sightline.referrals.choices import Outcome, Status
from sightline.referrals.models import Referral
from sightline.screening.choices import LEVEL_RANK, RiskLevel

# Decisions that start the 45-working-day assessment clock (the s47 enquiry is carried out
# through the assessment; the specialist team assesses too).
ASSESSMENT_OUTCOMES = {
    Outcome.ASSESSMENT,
    Outcome.STRATEGY_DISCUSSION,
    Outcome.SPECIALIST_CSE_TEAM,
}


def open_clock(referral: Referral, kind: str) -> Clock | None:
    return (
        Clock.objects.select_for_update()
        .filter(referral=referral, kind=kind, status__in=OPEN_CLOCK_STATUSES)
        .first()
    )


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
    """Start a clock unless one of this kind is already open on the referral (idempotent)."""
    existing = open_clock(referral, kind)
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


def clock_meet(clock: Clock, *, at: dt.datetime, reason: str) -> None:
    """Mark a clock met (late if past due); any escalation on it is resolved by the system."""
    rules.guard_clock(clock.status, ClockStatus.MET)
    clock.status = ClockStatus.MET
    clock.met_at = at
    clock.next_check_at = None
    clock.save(update_fields=["status", "met_at", "next_check_at", "updated_at"])
    _close_escalation(clock, at=at, reason=reason)


def _close_escalation(clock: Clock, *, at: dt.datetime, reason: str) -> None:
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


def _meet_if_open(referral: Referral, kind: str, *, at: dt.datetime, reason: str) -> Clock | None:
    clock = open_clock(referral, kind)
    if clock is not None:
        clock_meet(clock, at=at, reason=reason)
    return clock


def _in_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("clock hooks run inside the referral service's transaction")


@transaction.atomic
def clocks_on_referral_received(*, referral: Referral, acting_user: Any) -> list[Clock]:
    """Start the decision clock (1 working day) and the RAG information-gathering clock, and
    mark the referral as a re-referral where the child's history says so."""
    calendar = partnership_calendar()
    agency = front_door_agency()
    started: list[Clock] = []
    clock, new = clock_start(
        referral=referral,
        kind=ClockKind.DECISION,
        started_at=referral.received_at,
        key=TimescaleKey.DECISION,
        calendar=calendar,
        agency=agency,
    )
    if new:
        started.append(clock)
    clock, new = clock_start(
        referral=referral,
        kind=ClockKind.RAG,
        started_at=referral.received_at,
        key=RAG_KEYS.get(referral.rag, TimescaleKey.RAG_GREEN),
        calendar=calendar,
        agency=agency,
        detail=referral.rag,
    )
    if new:
        started.append(clock)
    mark = rereferral_refresh(referral=referral)
    audit(
        actor=acting_user,
        action=Action.CREATE,
        object_type="clock",
        object_id=referral.pk,
        referral=referral,
        details={
            "event": "clocks_started",
            "clocks": {c.kind: c.due_at.isoformat() for c in started},
            "rereferral": mark.is_rereferral,
            "referrals_in_12_months": mark.referrals_in_window,
        },
    )
    return started


@transaction.atomic
def clocks_on_screening(*, referral: Referral, screening: Any, acting_user: Any) -> list[Clock]:
    """After a screening: re-time the RAG clock if the rating went up, meet it once every
    child is screened, start the 3-month review for medium/high and a same-day strategy
    discussion clock for high."""
    referral = Referral.objects.get(pk=referral.pk)
    calendar = partnership_calendar()
    at = screening.screened_at
    started: list[Clock] = []
    rag = open_clock(referral, ClockKind.RAG)
    if rag is not None and rag.status == ClockStatus.RUNNING and rag.detail != referral.rag:
        rag.due_at = due_at(
            referral.received_at,
            timescale(RAG_KEYS.get(referral.rag, TimescaleKey.RAG_GREEN)),
            calendar,
        )
        rag.detail = referral.rag
        rag.next_check_at = rag.due_at
        rag.save(update_fields=["due_at", "detail", "next_check_at", "updated_at"])
    if rag is not None and referral.status == Status.AWAITING_DECISION:
        clock_meet(rag, at=at, reason="Every child on the referral has been screened.")
    owner = {
        "agency": getattr(acting_user, "agency", None),
        "team": getattr(acting_user, "team", None),
        "assigned_to": acting_user,
    }
    if LEVEL_RANK.get(screening.level, 0) >= LEVEL_RANK["medium"]:
        previous = open_clock(referral, ClockKind.SCREENING_REVIEW)
        if previous is not None:
            clock_meet(previous, at=at, reason="A new screening was recorded.")
        clock, _new = clock_start(
            referral=referral,
            kind=ClockKind.SCREENING_REVIEW,
            started_at=at,
            key=TimescaleKey.SCREENING_REVIEW,
            calendar=calendar,
            detail=screening.level,
            **owner,
        )
        started.append(clock)
    if screening.level == RiskLevel.HIGH:
        clock, new = clock_start(
            referral=referral,
            kind=ClockKind.STRATEGY_DISCUSSION,
            started_at=at,
            key=TimescaleKey.STRATEGY_DISCUSSION,
            calendar=calendar,
            detail="screening high",
            **owner,
        )
        if new:
            started.append(clock)
    audit(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="clock",
        object_id=referral.pk,
        referral=referral,
        details={
            "event": "clocks_on_screening",
            "level": screening.level,
            "started": {c.kind: c.due_at.isoformat() for c in started},
        },
    )
    return started


def _decision_notice(referral: Referral, decision: Any, at: dt.datetime) -> int:
    invited = rules.challenge_invited(referral)
    body = (
        f"The decision on your referral {referral.reference} is: "
        f"{decision.get_outcome_display()} (recorded {local(decision.decided_at)})."
    )
    if invited:
        body += (
            "\nYou told us you were worried about this child. If you disagree with this "
            "decision you can challenge it: choose 'Challenge this decision' on the referral "
            "or in your Sightline inbox."
        )
    return notify(
        users=[referral.referred_by],
        kind=InboxKind.DECISION_NOTICE,
        subject=f"Decision on referral {referral.reference}",
        body=body,
        dedupe_key=f"decision-notice:{referral.pk}",
        at=at,
        referral=referral,
    )


@transaction.atomic
def clocks_on_decision(*, referral: Referral, decision: Any, acting_user: Any) -> list[Clock]:
    """Meet the decision (and RAG) clocks, start what the outcome implies, and tell the
    referrer: the decision notice is written (inbox + outbox) now, so the feedback clock is met
    in the same transaction."""
    referral = Referral.objects.select_related("referred_by").get(pk=referral.pk)
    calendar = partnership_calendar()
    at = decision.decided_at
    reason = f"Decision recorded: {decision.get_outcome_display()}."
    met = [
        c
        for c in (
            _meet_if_open(referral, ClockKind.DECISION, at=at, reason=reason),
            _meet_if_open(referral, ClockKind.RAG, at=at, reason=reason),
        )
        if c is not None
    ]
    decider = decision.decided_by
    owner = {"agency": decider.agency, "team": decider.team, "assigned_to": decider}
    started: list[Clock] = []
    if decision.outcome == Outcome.STRATEGY_DISCUSSION:
        clock, new = clock_start(
            referral=referral,
            kind=ClockKind.STRATEGY_DISCUSSION,
            started_at=at,
            key=TimescaleKey.STRATEGY_DISCUSSION,
            calendar=calendar,
            detail="decision",
            **owner,
        )
        if new:
            started.append(clock)
    if decision.outcome in ASSESSMENT_OUTCOMES:
        clock, new = clock_start(
            referral=referral,
            kind=ClockKind.ASSESSMENT,
            started_at=referral.received_at,
            key=TimescaleKey.ASSESSMENT,
            calendar=calendar,
            **owner,
        )
        if new:
            started.append(clock)
    feedback, _new = clock_start(
        referral=referral,
        kind=ClockKind.REFERRER_FEEDBACK,
        started_at=at,
        key=TimescaleKey.REFERRER_FEEDBACK,
        calendar=calendar,
        **owner,
    )
    _decision_notice(referral, decision, timezone.now())
    clock_meet(feedback, at=timezone.now(), reason="Decision notice sent to the referrer.")
    mark = rereferral_refresh(referral=referral)
    audit(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="clock",
        object_id=referral.pk,
        referral=referral,
        details={
            "event": "clocks_on_decision",
            "outcome": decision.outcome,
            "met": [c.kind for c in met] + [ClockKind.REFERRER_FEEDBACK],
            "late": [c.kind for c in met if c.is_late],
            "started": {c.kind: c.due_at.isoformat() for c in started},
            "rereferral": mark.is_rereferral,
        },
    )
    return started


@transaction.atomic
def clocks_on_child_returned(
    *, referral: Referral, returned_at: dt.datetime, acting_user: Any
) -> Clock:
    """A missing child has returned: the return-home interview is due within 72 hours."""
    clock, _new = clock_start(
        referral=referral,
        kind=ClockKind.RETURN_INTERVIEW,
        started_at=returned_at,
        key=TimescaleKey.RETURN_INTERVIEW,
        calendar=partnership_calendar(),
        agency=front_door_agency(),
    )
    audit(
        actor=acting_user,
        action=Action.CREATE,
        object_type="clock",
        object_id=clock.pk,
        referral=referral,
        details={"event": "child_returned", "due_at": clock.due_at.isoformat()},
    )
    return clock


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
    _meet_if_open(
        referral, ClockKind.STRATEGY_DISCUSSION, at=held_at, reason="Strategy discussion held."
    )
    icpc_due = None
    if outcome == StrategyOutcome.SECTION_47:
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
                agency=acting_user.agency,
                team=acting_user.team,
                assigned_to=acting_user,
            )
        elif icpc.status == ClockStatus.RUNNING and held_at >= icpc.started_at:
            icpc.started_at, icpc.due_at, icpc.next_check_at = held_at, due, due
            icpc.save(update_fields=["started_at", "due_at", "next_check_at", "updated_at"])
        icpc_due = icpc.due_at.isoformat()
    _audit_step(acting_user, step, referral, icpc_due_at=icpc_due)
    return step


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
) -> StatutoryStep:
    """Record a step whose only effect on the clocks is to meet the open one of its kind."""
    outcome = require_reason(outcome, what=what, limit=40)
    step = _step(
        acting_user=acting_user,
        referral=referral,
        kind=kind,
        happened_at=happened_at,
        outcome=outcome,
        notes=notes,
    )
    clock = _meet_if_open(referral, clock_kind, at=happened_at, reason=met_reason)
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
) -> StatutoryStep:
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
    rules.guard_clock(clock.status, ClockStatus.STOPPED)
    now = timezone.now()
    clock.status = ClockStatus.STOPPED
    clock.stopped_reason = reason
    clock.next_check_at = None
    clock.save(update_fields=["status", "stopped_reason", "next_check_at", "updated_at"])
    _close_escalation(clock, at=now, reason=f"Clock stopped: {reason}")
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

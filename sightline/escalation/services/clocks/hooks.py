"""The hooks the workflows call inside their own transactions: a referral received, screened,
decided; a missing child returned."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.core.calendar import WorkingCalendar
from sightline.core.transactions import in_callers_transaction
from sightline.escalation import rules
from sightline.escalation.choices import (
    OPEN_CLOCK_STATUSES,
    RAG_KEYS,
    ClockKind,
    ClockStatus,
    InboxKind,
    TimescaleKey,
)
from sightline.escalation.models import Clock
from sightline.escalation.services.clocks.base import (
    ASSESSMENT_OUTCOMES,
    ClockWanted,
    clock_halt,
    clock_meet,
    clock_start,
    clocks_start,
    meet_if_open,
    open_clock,
)
from sightline.escalation.services.clocks.returns import ChildReturned, clocks_on_children_returned
from sightline.escalation.services.common import audit, front_door_agency, local
from sightline.escalation.services.notify import notify
from sightline.escalation.services.performance import (
    performance_on_decision,
    performance_on_received,
)
from sightline.escalation.services.rereferrals import rereferral_refresh
from sightline.escalation.timescales import due_at, partnership_calendar, timescale
from sightline.referrals.choices import Outcome, Status
from sightline.referrals.models import Decision, Referral
from sightline.screening.choices import LEVEL_RANK, RiskLevel


@in_callers_transaction
def clocks_on_referral_received(
    *,
    referral: Referral,
    acting_user: Any,
    child_ids: list[Any] | None = None,
    new_referral: bool = False,
) -> list[Clock]:
    """Start the decision clock (1 working day) and the RAG information-gathering clock, and
    mark the referral as a re-referral where the child's history says so. Runs in the intake
    workflow's transaction; answers the clocks it started (none if they were already open).
    `child_ids`: the referral's children that other referrals may name, as the caller knows
    them (a child first recorded on this referral may be left out), else they are read;
    `new_referral`: the caller made the referral in this transaction, so no clock of it can
    be open yet (else that is checked)."""
    started = clocks_start(
        referral=referral,
        wanted=[
            ClockWanted(ClockKind.DECISION, TimescaleKey.DECISION),
            ClockWanted(
                ClockKind.RAG, RAG_KEYS.get(referral.rag, TimescaleKey.RAG_GREEN), referral.rag
            ),
        ],
        started_at=referral.received_at,
        calendar=partnership_calendar(),
        agency=front_door_agency(),
        new_referral=new_referral,
    )
    # the first call for a referral starts its decision clock: then it is counted (a second
    # call, which starts nothing, counts nothing but a changed mark)
    first = any(c.kind == ClockKind.DECISION for c in started)
    mark = rereferral_refresh(
        referral=referral, child_ids=child_ids, new_referral=new_referral or first
    )
    if first:
        performance_on_received(referral=referral, is_rereferral=mark.is_rereferral)
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
    _rag_after_screening(referral, calendar=calendar, at=at)
    started = _screening_starts(referral, screening, acting_user, calendar=calendar, at=at)
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


def _rag_after_screening(referral: Referral, *, calendar: WorkingCalendar, at: Any) -> None:
    """Re-time the RAG clock if the rating went up; meet it once every child is screened."""
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


def _screening_starts(
    referral: Referral, screening: Any, acting_user: Any, *, calendar: WorkingCalendar, at: Any
) -> list[Clock]:
    """The 3-month review for medium/high (replacing an open one) and a same-day strategy
    discussion clock for high, owned by the screener."""
    started: list[Clock] = []
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
    return started


def _decision_notice(referral: Referral, decision: Any, at: dt.datetime) -> int:
    invited = rules.challenge_invited(referral)
    body = (
        f"The decision on your referral {referral.reference} is: "
        f"{decision.get_outcome_display()} (recorded {local(decision.decided_at)})."
    )
    replaced = Decision.objects.filter(superseded_by=decision).first()
    dedupe_key = f"decision-notice:{referral.pk}"
    if replaced is not None:
        dedupe_key += f":{decision.pk}"
        body += (
            f"\nIt replaces the earlier decision ({replaced.get_outcome_display()}), which was "
            f"changed after your challenge. The reasons given: {replaced.reopened_reason}"
            f"\nThe reasons for the new decision: {decision.reason}"
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
        dedupe_key=dedupe_key,
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
            meet_if_open(referral, ClockKind.DECISION, at=at, reason=reason),
            meet_if_open(referral, ClockKind.RAG, at=at, reason=reason),
        )
        if c is not None
    ]
    decider = decision.decided_by
    owner = {"agency": decider.agency, "team": decider.team, "assigned_to": decider}
    stopped = _stop_superseded(referral, decision, at=at)
    started = _decision_starts(referral, decision, owner, calendar=calendar, at=at)
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
    performance_on_decision(referral=referral, decision=decision)
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
            "stopped": [c.kind for c in stopped],
            "rereferral": mark.is_rereferral,
        },
    )
    return started


def _implied_kinds(outcome: str) -> set[str]:
    """The clocks a decision's outcome starts (see _decision_starts)."""
    kinds: set[str] = set()
    if outcome == Outcome.STRATEGY_DISCUSSION:
        kinds.add(ClockKind.STRATEGY_DISCUSSION)
    if outcome in ASSESSMENT_OUTCOMES:
        kinds.add(ClockKind.ASSESSMENT)
    return kinds


def _stop_superseded(referral: Referral, decision: Any, *, at: dt.datetime) -> list[Clock]:
    """A decision that supersedes another (after a challenge) stops the open clocks the old
    outcome started and the new one does not imply, so no escalation runs on work nobody now
    has to do. A strategy discussion clock started by a high screening stays."""
    replaced = Decision.objects.filter(superseded_by=decision).first()
    if replaced is None:
        return []
    gone = _implied_kinds(replaced.outcome) - _implied_kinds(decision.outcome)
    if not gone:
        return []
    reason = (
        f"The decision that started it ({replaced.get_outcome_display()}) was superseded by "
        f"{decision.get_outcome_display()}."
    )
    clocks = list(
        Clock.objects.select_for_update(of=("self",))
        .filter(referral=referral, kind__in=gone, status__in=OPEN_CLOCK_STATUSES)
        .exclude(kind=ClockKind.STRATEGY_DISCUSSION, detail="screening high")
    )
    for clock in clocks:
        clock_halt(clock, at=at, reason=reason)
    return clocks


def _decision_starts(
    referral: Referral,
    decision: Any,
    owner: dict[str, Any],
    *,
    calendar: WorkingCalendar,
    at: dt.datetime,
) -> list[Clock]:
    """The strategy discussion and assessment clocks the outcome implies."""
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
    return started


@transaction.atomic
def clocks_on_child_returned(
    *, referral: Referral, returned_at: dt.datetime, acting_user: Any, episode: str
) -> Clock:
    """A missing child has returned: the return-home interview is due within 72 hours. Each
    episode (`episode`: its reference, kept as the clock's detail) has its own clock, so a
    second return while the first interview is outstanding is clocked, and escalated, too."""
    # one return through the path an import's chunk takes (ADR 0920): the same clock rows
    (clock,) = clocks_on_children_returned(
        returns=[ChildReturned(referral, returned_at, episode)], acting_user=acting_user
    )
    return clock

"""The missed-opportunity detectors' writes: raising live hits (once each), telling the
allocated worker and their manager, escalating what nobody acknowledged, acknowledging, and
recording retrospective runs."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sightline.accounts.models import User
from sightline.accounts.roles import Role
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.calendar import default_calendar
from sightline.core.dates import age_on
from sightline.core.errors import Conflict, Invalid
from sightline.core.outbox import outbox_enqueue
from sightline.core.references import references_reserve
from sightline.core.transactions import in_callers_transaction
from sightline.escalation.models import StatutoryStep
from sightline.events.models import Event
from sightline.events.selectors import allocated_worker_recipients
from sightline.people.models import Child
from sightline.referrals.models import Referral
from sightline.reviews.choices import (
    DETECTOR_RUN_INLINE_CHILDREN,
    DETECTOR_RUN_INLINE_DAYS,
    DETECTOR_RUN_MAX_DAYS,
    MISSED_OPPORTUNITY_TRANSITIONS,
    DetectorRunStatus,
    MissedOpportunityStatus,
    TextKind,
)
from sightline.reviews.detectors import (
    DETECTORS,
    TRIGGERS,
    Hit,
    histories_for,
    hits_for,
    live_codes,
)
from sightline.reviews.models import DetectorRun, MissedOpportunity
from sightline.reviews.services.language import language_flags_record
from sightline.screening.models import Screening

log = logging.getLogger("sightline.reviews")

LIVE = {
    # A live write raises only hits first visible this recently (history is the retrospective
    # run's job), and the sweep looks again at children with anything this recent.
    "lookback_days": 30,
    "sweep_days": 120,
    # Not acknowledged within this many working days: escalated to the head of service.
    "escalate_working_days": 2,
}


def live_setting(name: str) -> int:
    configured: dict[str, Any] = getattr(settings, "SIGHTLINE_DETECTORS", {}) or {}
    return int((configured.get("live") or {}).get(name, LIVE[name]))


# ---- live ----------------------------------------------------------------------------------


@in_callers_transaction
def missed_opportunities_check(
    *, acting_user: Any, child_ids: Iterable[uuid.UUID], trigger: str
) -> list[MissedOpportunity]:
    """Run the detectors this write can trigger over the children it touched, inside the
    write's own transaction; raise each new hit once."""
    if trigger not in TRIGGERS:
        raise ValueError(f"unknown trigger {trigger!r}")
    codes = live_codes(trigger)
    ids = [c for c in dict.fromkeys(child_ids) if c is not None]
    if not codes or not ids:
        return []
    today = timezone.localdate()
    start = today - dt.timedelta(days=live_setting("lookback_days"))
    parts: frozenset[str] | None = frozenset()  # only what these detectors read
    for code in codes:
        needs = DETECTORS[code].needs
        parts = None if needs is None or parts is None else parts | needs
    histories = histories_for(ids, parts=parts, gated=_gated(codes, parts))
    hits = hits_for(histories.values(), start=start, end=today, codes=codes)
    return missed_opportunities_raise(acting_user=acting_user, hits=hits, trigger=trigger)


def _gated(codes: Sequence[str], parts: frozenset[str] | None) -> dict[str, str]:
    """Each part read only for the children in which a gate is not empty: a part every rule
    reading it has the same gate for (P9's screenings wait on its flags)."""
    if parts is None:
        return {}
    out: dict[str, str] = {}
    for part in parts:
        readers = [DETECTORS[c] for c in codes if part in (DETECTORS[c].needs or ())]
        gates = {d.gate for d in readers}
        if len(gates) == 1 and "" not in gates and part not in gates:
            out[part] = gates.pop()
    return out


@in_callers_transaction
def missed_opportunities_raise(
    *, acting_user: Any, hits: Sequence[Hit], trigger: str
) -> list[MissedOpportunity]:
    if not hits:
        return []
    unique = {h.key: h for h in hits}
    already = set(
        MissedOpportunity.objects.filter(key__in=list(unique)).values_list("key", flat=True)
    )
    todo = [h for k, h in unique.items() if k not in already]
    if not todo:
        return []
    now = timezone.now()
    refs = references_reserve("MO", now.year, count=len(todo), width=7)
    rows = [
        MissedOpportunity(
            reference=ref,
            pattern=h.pattern,
            key=h.key,
            child_id=h.child_id,
            first_visible_on=h.first_visible_on,
            summary=h.summary[:300],
            action=DETECTORS[h.pattern].action,
            evidence=[e.as_dict() for e in h.evidence],
            agencies=h.agencies,
            trigger=trigger,
            raised_at=now,
        )
        for h, ref in zip(todo, refs, strict=True)
    ]
    MissedOpportunity.objects.bulk_create(rows, ignore_conflicts=True)
    for mo in rows:
        mo.notified = _notify(mo, _recipients(mo.child_id), escalated=False)
        mo.save(update_fields=["notified", "updated_at"])
        audit_record(
            actor=acting_user,
            action=Action.CREATE,
            object_type="missed_opportunity",
            object_id=mo.pk,
            object_ref=mo.reference,
            child_id=mo.child_id,
            actor_username="" if acting_user else "detectors",
            details={"pattern": mo.pattern, "trigger": trigger},
        )
    return rows


def _recipients(child_id: uuid.UUID) -> list[User]:
    """The allocated worker (escalation's clock assignee until casework's allocation lands)
    and their manager (a team manager of their team)."""
    workers = allocated_worker_recipients(child_id=child_id)
    teams = [w.team_id for w in workers if w.team_id]
    managers = list(
        User.objects.filter(is_active=True, role=Role.TEAM_MANAGER, team_id__in=teams)
    ) or list(
        User.objects.filter(
            is_active=True, role=Role.TEAM_MANAGER, agency_id__in=[w.agency_id for w in workers]
        )
    )
    return list({u.pk: u for u in [*workers, *managers]}.values())


def _escalation_recipients(mo: MissedOpportunity) -> list[User]:
    notified = set(mo.notified)
    found = list(
        User.objects.filter(is_active=True, role__in=(Role.HEAD_OF_SERVICE, Role.SAFEGUARDING_LEAD))
    )
    return [u for u in found if u.username not in notified] or found


def _notify(mo: MissedOpportunity, users: Sequence[User], *, escalated: bool) -> list[str]:
    label = DETECTORS[mo.pattern].name
    for user in users:
        outbox_enqueue(
            kind="missed_opportunity",
            dedupe_key=f"mo:{mo.pk}:{user.pk}:{'esc' if escalated else 'new'}",
            recipient=user,
            subject=f"Sightline {'escalated: ' if escalated else ''}missed opportunity "
            f"{mo.pattern} ({mo.reference})",
            body=f"{label}. {mo.summary}\nSuggested action: {mo.action}",
            payload={"alert": mo.reference, "pattern": mo.pattern, "escalated": escalated},
        )
    return [u.username for u in users]


def _age(dob: dt.date | None) -> int | None:
    return None if dob is None else age_on(dob, timezone.localdate())


@transaction.atomic
def missed_opportunity_acknowledge(
    *, acting_user: Any, mo: MissedOpportunity, note: str = ""
) -> MissedOpportunity:
    mo = MissedOpportunity.objects.select_for_update().get(pk=mo.pk)
    target = MissedOpportunityStatus.ACKNOWLEDGED
    if target not in MISSED_OPPORTUNITY_TRANSITIONS[mo.status]:
        raise Conflict("This alert has already been acknowledged.")
    mo.status = target
    mo.acknowledged_at = timezone.now()
    mo.acknowledged_by = acting_user
    mo.acknowledged_note = (note or "").strip()[:2000]
    mo.save(
        update_fields=[
            "status", "acknowledged_at", "acknowledged_by", "acknowledged_note", "updated_at",
        ]
    )  # fmt: skip
    audit_record(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="missed_opportunity",
        object_id=mo.pk,
        object_ref=mo.reference,
        child_id=mo.child_id,
        details={"status": mo.status},
    )
    # What the practitioner did about the child's alert, checked as they wrote it (ADR 0714).
    # An alert is acknowledged once, so there is no earlier check to replace.
    language_flags_record(
        acting_user=acting_user, content_type=TextKind.MISSED_OPPORTUNITY_NOTE, record_id=mo.pk,
        record_ref=mo.reference, field="acknowledged_note", text=mo.acknowledged_note,
        child_age=_age(mo.child.date_of_birth), new_record=True, skip_blank=True,
    )  # fmt: skip
    return mo


# ---- the sweep -----------------------------------------------------------------------------


def _recent_children(since: dt.datetime) -> set[uuid.UUID]:
    ids: set[uuid.UUID] = set()
    ids |= set(
        Referral.objects.filter(
            Q(received_at__gte=since) | Q(decision__decided_at__gte=since)
        ).values_list("children__child_id", flat=True)
    )
    ids |= set(
        Screening.objects.filter(screened_at__gte=since).values_list(
            "referral_child__child_id", flat=True
        )
    )
    ids |= set(
        StatutoryStep.objects.filter(happened_at__gte=since).values_list(
            "referral__children__child_id", flat=True
        )
    )
    ids |= set(Event.objects.filter(occurred_at__gte=since).values_list("child_id", flat=True))
    ids.discard(None)
    return ids


@transaction.atomic
def missed_opportunities_sweep(*, at: dt.datetime | None = None) -> dict[str, int]:
    """The time-based detectors over every child with anything recent, then escalation of the
    alerts nobody acknowledged in time. Idempotent."""
    moment = at or timezone.now()
    since = moment - dt.timedelta(days=live_setting("sweep_days"))
    raised = missed_opportunities_check(
        acting_user=None, child_ids=sorted(_recent_children(since)), trigger="sweep"
    )
    escalated = missed_opportunities_escalate(at=moment)
    return {"raised": len(raised), "escalated": escalated}


@in_callers_transaction
def missed_opportunities_escalate(*, at: dt.datetime) -> int:
    calendar = default_calendar()
    days = live_setting("escalate_working_days")
    count = 0
    waiting = MissedOpportunity.objects.select_for_update(skip_locked=True).filter(
        status=MissedOpportunityStatus.NEW, raised_at__lte=at - dt.timedelta(days=days)
    )
    for mo in waiting:
        if calendar.add_working_days(mo.raised_at, days) > at:
            continue
        told = _notify(mo, _escalation_recipients(mo), escalated=True)
        mo.status = MissedOpportunityStatus.ESCALATED
        mo.escalated_at = at
        mo.notified = [*mo.notified, *told]
        mo.save(update_fields=["status", "escalated_at", "notified", "updated_at"])
        audit_record(
            actor=None,
            action=Action.CHANGE,
            object_type="missed_opportunity",
            object_id=mo.pk,
            object_ref=mo.reference,
            child_id=mo.child_id,
            actor_username="detectors",
            details={"status": mo.status, "told": len(told)},
        )
        count += 1
    return count


# ---- retrospective runs --------------------------------------------------------------------


def _check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise Invalid("'to' must be on or after 'from'.")
    if (end - start).days > DETECTOR_RUN_MAX_DAYS:
        raise Invalid("A run may cover at most 30 years.")


@transaction.atomic
def detector_run_request(
    *, acting_user: Any, start: dt.date, end: dt.date, child_ids: Sequence[uuid.UUID] = ()
) -> DetectorRun:
    """Record a run; a short run over named children is done here and now, anything longer
    (over two years, or every child) is left queued for the worker (the caller enqueues it)."""
    _check_period(start, end)
    ids = list(dict.fromkeys(child_ids))
    found = set(Child.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if len(found) != len(ids):
        raise Invalid("Some of the children given are not known.")
    run = DetectorRun.objects.create(
        requested_by=acting_user, start_on=start, end_on=end, child_ids=[str(c) for c in ids]
    )
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        object_type="detector_run",
        object_id=run.pk,
        details={"from": start.isoformat(), "to": end.isoformat(), "children": len(ids)},
    )
    if is_inline(run):
        _execute(run)
    return run


def is_inline(run: DetectorRun) -> bool:
    return bool(
        run.child_ids
        and len(run.child_ids) <= DETECTOR_RUN_INLINE_CHILDREN
        and (run.end_on - run.start_on).days <= DETECTOR_RUN_INLINE_DAYS
    )


def detector_run_task_set(*, run: DetectorRun, task_id: str) -> None:
    DetectorRun.objects.filter(pk=run.pk).update(task_id=task_id[:64])
    run.task_id = task_id[:64]


def detector_run_execute(*, run_id: uuid.UUID, chunk: int = 200) -> DetectorRun:
    """The worker's side: every child (or those named), in chunks, progress saved after each
    chunk in its own transaction so the page shows it."""
    run = DetectorRun.objects.get(pk=run_id)
    if run.status not in (DetectorRunStatus.QUEUED, DetectorRunStatus.RUNNING):
        return run
    try:
        _execute(run, chunk=chunk)
    except Exception as exc:
        DetectorRun.objects.filter(pk=run.pk).update(
            status=DetectorRunStatus.FAILED, error=str(exc)[:300], finished_at=timezone.now()
        )
        raise
    return run


def _execute(run: DetectorRun, chunk: int = 200) -> None:
    ids = (
        [uuid.UUID(c) for c in run.child_ids]
        if run.child_ids
        else list(Child.objects.order_by("pk").values_list("pk", flat=True))
    )
    run.status, run.started_at = DetectorRunStatus.RUNNING, timezone.now()
    run.children_total, run.children_done, run.hits = len(ids), 0, []
    run.save(update_fields=["status", "started_at", "children_total", "children_done", "hits"])
    hits: list[dict[str, Any]] = []
    for i in range(0, len(ids), chunk):
        part = ids[i : i + chunk]
        with transaction.atomic():
            found = hits_for(histories_for(part).values(), start=run.start_on, end=run.end_on)
            hits += [h.as_dict() for h in found]
            run.children_done = min(len(ids), i + chunk)
            run.save(update_fields=["children_done", "updated_at"])
    hits.sort(key=lambda h: (h["first_visible_on"], h["child"], h["pattern"]))
    run.hits, run.hit_count = hits, len(hits)
    run.status, run.finished_at = DetectorRunStatus.DONE, timezone.now()
    run.save(update_fields=["hits", "hit_count", "status", "finished_at", "updated_at"])
    log.info("detector run %s: %d children, %d hits", run.pk, len(ids), len(hits))

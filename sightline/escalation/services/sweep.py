"""The sweep: overdue clocks raise escalations, escalations climb the ladder, challenge
stages that pass their timescale move up.

It reads only rows whose `next_check_at` has come (a partial index), in batches ordered by
that time, never the whole table. Each batch is one transaction: the rows are decided in
memory, then written with bulk inserts and updates, with one audit row per escalation raised
or climbed. On PostgreSQL the batch is claimed with SELECT ... FOR UPDATE SKIP LOCKED, so two
workers take different rows; on SQLite transactions are IMMEDIATE and so serialise (a batch
that finds the database locked is retried). A processed row always leaves the queue (its
`next_check_at` moves past `at` or to null), and an escalation is one-to-one with its clock,
so a sweep repeated at the same time does nothing and each escalation is raised exactly once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import OperationalError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.escalation.choices import (
    TOP_RUNG,
    ClockKind,
    ClockStatus,
    EscalationEventKind,
    EscalationStatus,
    InboxKind,
    Rung,
)
from sightline.escalation.models import Challenge, Clock, Escalation, EscalationEvent
from sightline.escalation.services.challenges import challenge_sweep_one
from sightline.escalation.services.common import audit, local
from sightline.escalation.services.notify import NotificationBuffer, people_in_role
from sightline.escalation.timescales import LadderCache, LadderStep

log = logging.getLogger("sightline.escalation")

BATCH_SIZE = 500
LOCK_RETRIES = 50
# Event times are when each rung was reached on the timeline; a sweep that ran late says so.
NOTICE_LAG = dt.timedelta(minutes=5)


@dataclass
class SweepReport:
    at: dt.datetime
    clocks_checked: int = 0
    escalations_raised: int = 0
    rungs_climbed: int = 0
    challenge_stages_passed: int = 0
    people_told: int = 0
    batches: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "clocks_checked": self.clocks_checked,
            "escalations_raised": self.escalations_raised,
            "rungs_climbed": self.rungs_climbed,
            "challenge_stages_passed": self.challenge_stages_passed,
            "people_told": self.people_told,
            "batches": self.batches,
        }


@dataclass
class _Batch:
    """What one batch will write, collected while its clocks are decided."""

    at: dt.datetime
    report: SweepReport
    cache: LadderCache
    notes: NotificationBuffer = field(default_factory=NotificationBuffer)
    new: list[Escalation] = field(default_factory=list)
    changed: list[Escalation] = field(default_factory=list)
    events: list[EscalationEvent] = field(default_factory=list)
    audits: list[dict[str, Any]] = field(default_factory=list)

    def flush(self, clocks: list[Clock]) -> None:
        now = timezone.now()
        Escalation.objects.bulk_create(self.new)
        for escalation in self.changed:
            escalation.updated_at = now
        _update_rows(
            Escalation, ["rung", "status", "rung_reached_at", "next_climb_at"], self.changed
        )
        EscalationEvent.objects.bulk_create(self.events)
        self.notes.flush()
        for clock in clocks:
            clock.updated_at = now
        _update_rows(Clock, ["status", "next_check_at"], clocks)
        for row in self.audits:
            audit(actor=None, **row)


def _update_rows(model: Any, names: list[str], objs: list[Any]) -> None:
    """UPDATE these columns (and updated_at) row by row in one executemany: psycopg
    pipelines it, and it avoids bulk_update's large CASE expressions."""
    if not objs:
        return
    fields = [model._meta.get_field(n) for n in [*names, "updated_at"]]
    pk = model._meta.pk
    sets = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
    # Table and column names come from the model and are quoted; values are parameters.
    table = connection.ops.quote_name(model._meta.db_table)
    where = f"{connection.ops.quote_name(pk.column)} = %s"
    sql = f"UPDATE {table} SET {sets} WHERE {where}"  # noqa: S608
    rows = [
        [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
        + [pk.get_db_prep_value(obj.pk, connection)]
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _claim(qs: QuerySet[Any], batch_size: int) -> list[Any]:
    if connection.features.has_select_for_update_skip_locked:
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return list(qs[:batch_size])


def _recipients(clock: Clock, step: LadderStep, cache: LadderCache) -> list[Any]:
    owner = clock.assigned_to
    if step.rung == Rung.PRACTITIONER and owner is not None and owner.is_active:
        return [owner]
    key = (step.role, clock.agency_id, clock.team_id)
    if key not in cache.people:
        cache.people[key] = people_in_role(
            step.role, agency_id=clock.agency_id, team_id=clock.team_id
        )
    return cache.people[key]


def _tell_rung(batch: _Batch, clock: Clock, escalation: Escalation, step: LadderStep) -> int:
    kind = ClockKind(clock.kind).label
    reference = clock.referral.reference
    told = batch.notes.add(
        users=_recipients(clock, step, batch.cache),
        kind=InboxKind.ESCALATION,
        subject=f"Overdue: {kind} on {reference} ({step.label})",
        body=(
            f"{kind} on referral {reference} was due {local(clock.due_at)} and is overdue. "
            f"This escalation has reached you as {step.label.lower()}. Acknowledge or resolve "
            "it with a reason; if nothing happens it goes to the next rung."
        ),
        dedupe_key=f"escalation:{escalation.pk}:rung{step.rung}",
        at=batch.at,
        referral=clock.referral,
        escalation=escalation,
    )
    batch.report.people_told += told
    return told


def _raise(batch: _Batch, clock: Clock, ladder: dict[int, LadderStep]) -> Escalation:
    at = batch.at
    first = ladder[Rung.PRACTITIONER]
    escalation = Escalation(
        clock=clock,
        referral_id=clock.referral_id,
        agency_id=clock.agency_id,
        rung=first.rung,
        raised_at=at,
        rung_reached_at=clock.due_at,
        next_climb_at=clock.due_at + dt.timedelta(hours=first.hours),
        reason=f"{ClockKind(clock.kind).label} overdue: due {local(clock.due_at)}"[:300],
    )
    batch.new.append(escalation)
    told = _tell_rung(batch, clock, escalation, first)
    noticed = "" if at - clock.due_at < NOTICE_LAG else f" (raised by the sweep at {local(at)})"
    batch.events.append(
        EscalationEvent(
            escalation=escalation,
            kind=EscalationEventKind.RAISED,
            rung=first.rung,
            at=clock.due_at,
            reason=escalation.reason + noticed,
            notified=told,
        )
    )
    batch.audits.append(
        {
            "action": Action.CREATE,
            "object_type": "escalation",
            "object_id": escalation.pk,
            "referral": clock.referral,
            "reason": escalation.reason,
            "details": {"event": "raised", "clock": clock.kind, "rung": first.rung},
        }
    )
    batch.report.escalations_raised += 1
    return escalation


def _climb(
    batch: _Batch, clock: Clock, escalation: Escalation, ladder: dict[int, LadderStep]
) -> bool:
    """Climb as many rungs as the time since the last one allows (a worker that was down
    catches up), telling each rung reached. True if the escalation changed."""
    changed = False
    if escalation.status == EscalationStatus.RESOLVED and escalation.next_climb_at is not None:
        escalation.next_climb_at, changed = None, True
    while escalation.next_climb_at is not None and escalation.next_climb_at <= batch.at:
        changed = True
        if escalation.rung >= TOP_RUNG:
            escalation.next_climb_at = None
            break
        reached = escalation.next_climb_at
        step = ladder[escalation.rung + 1]
        escalation.rung = step.rung
        escalation.status = EscalationStatus.OPEN
        escalation.rung_reached_at = reached
        escalation.next_climb_at = (
            reached + dt.timedelta(hours=step.hours) if step.rung < TOP_RUNG else None
        )
        told = _tell_rung(batch, clock, escalation, step)
        batch.events.append(
            EscalationEvent(
                escalation=escalation,
                kind=EscalationEventKind.CLIMBED,
                rung=step.rung,
                at=reached,
                reason=f"No action within {ladder[step.rung - 1].hours} hours at the rung below.",
                notified=told,
            )
        )
        batch.audits.append(
            {
                "action": Action.CHANGE,
                "object_type": "escalation",
                "object_id": escalation.pk,
                "referral": clock.referral,
                "details": {"event": "climbed", "clock": clock.kind, "rung": step.rung},
            }
        )
        batch.report.rungs_climbed += 1
    return changed


def _process_clock(batch: _Batch, clock: Clock) -> None:
    ladder = batch.cache.get(clock.agency_id)
    try:
        escalation: Escalation | None = clock.escalation
    except ObjectDoesNotExist:
        escalation = None
    is_new = False
    if clock.status == ClockStatus.RUNNING and clock.due_at <= batch.at:
        clock.status = ClockStatus.BREACHED
        if escalation is None:
            escalation, is_new = _raise(batch, clock, ladder), True
    if escalation is not None and clock.status == ClockStatus.BREACHED:
        if _climb(batch, clock, escalation, ladder) and not is_new:
            escalation.updated_at = timezone.now()
            batch.changed.append(escalation)
        clock.next_check_at = escalation.next_climb_at
    elif clock.status == ClockStatus.RUNNING:
        clock.next_check_at = clock.due_at
    else:
        clock.next_check_at = None
    if clock.next_check_at is not None and clock.next_check_at <= batch.at:
        log.warning("clock %s would stay in the sweep queue; taken out", clock.pk)
        clock.next_check_at = None


def _clock_batch(
    at: dt.datetime, batch_size: int, report: SweepReport, ladders: LadderCache
) -> int:
    with transaction.atomic():
        clocks = _claim(
            Clock.objects.filter(next_check_at__lte=at)
            .select_related("referral", "assigned_to", "escalation")
            .order_by("next_check_at"),
            batch_size,
        )
        batch = _Batch(at=at, report=report, cache=ladders)
        for clock in clocks:
            _process_clock(batch, clock)
        batch.flush(clocks)
        report.clocks_checked += len(clocks)
        return len(clocks)


def _challenge_batch(at: dt.datetime, batch_size: int, report: SweepReport) -> int:
    with transaction.atomic():
        challenges = _claim(
            Challenge.objects.filter(next_check_at__lte=at)
            .select_related("referral__decision__decided_by")
            .order_by("next_check_at"),
            batch_size,
        )
        for challenge in challenges:
            report.challenge_stages_passed += challenge_sweep_one(challenge, at=at)
        return len(challenges)


def _retrying(batch: Callable[[SweepReport], int], report: SweepReport) -> int:
    """Run one batch transaction; if SQLite says the database is locked (another worker
    holds it), roll back and try again shortly. PostgreSQL never needs this (SKIP LOCKED)."""
    for attempt in range(LOCK_RETRIES):
        before = dataclasses.replace(report)
        try:
            return batch(report)
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == LOCK_RETRIES - 1:
                raise
            report.__dict__.update(before.__dict__)
            time.sleep(0.02 * (attempt + 1))
    raise RuntimeError("unreachable")


def sweep(*, at: dt.datetime | None = None, batch_size: int = BATCH_SIZE) -> SweepReport:
    """One sweep as if at `at` (default now). Idempotent; safe to run from several workers."""
    at = at or timezone.now()
    if at.tzinfo is None:
        raise ValueError("sweep needs a timezone-aware time")
    report = SweepReport(at=at)
    ladders = LadderCache()
    while True:
        report.batches += 1
        if _retrying(lambda r: _clock_batch(at, batch_size, r, ladders), report) < batch_size:
            break
    while _retrying(lambda r: _challenge_batch(at, batch_size, r), report) >= batch_size:
        report.batches += 1
    log.info("escalation sweep %s", report.as_dict())
    return report

"""The sealer: chains committed audit rows, in seq order, into checkpoints under a keyed MAC
and copies each checkpoint to the external sink (ADR 0006).

audit_record() only inserts its row; rows may commit out of seq order, and a rolled-back
transaction leaves a seq that no row will ever have. The sealer seals a contiguous run from
the last checkpoint onwards and stops at the first seq it cannot decide yet:

- a row present: its content hash is recomputed; a row whose hash does not match is never
  sealed (the pass stops before it and reports it; audit_verify names it);
- a missing seq below a committed row: a gap, sealed as a gap only once no transaction that
  could still insert it is running. On PostgreSQL a seq is handed out (nextval) inside the
  transaction that writes it, before the database clock that becomes the next row's
  occurred_at is read, so the transaction holding a missing seq g started no later than the
  occurred_at of the first committed row above g. The sealer reads the oldest xact_start of
  the other sessions in pg_stat_activity first, then the rows: if that oldest start is later
  than the row above the gap, the holder of g has ended, and since it is not visible it
  rolled back: the gap is final. Otherwise the pass stops there until the next run. On
  SQLite writers are serialised, so every gap below the newest committed row is final.

Only the sealer takes a lock (a PostgreSQL advisory lock held for the pass; SQLite's write
lock per transaction); request paths never wait for it. Running it twice, or two at once,
seals each row once."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from sightline.audit.hashing import GENESIS, checkpoint_mac, event_hash_ok, legacy_link_ok
from sightline.audit.models import AuditCheckpoint, AuditEvent
from sightline.audit.sinks import CheckpointSink, checkpoint_sink

log = logging.getLogger(__name__)

ADVISORY_LOCK_KEY = 0x5349_4748_5449_4E45  # "SIGHTINE": the sealer's lock, nothing else's
ROWS_PER_CHECKPOINT = 5000


@dataclass(frozen=True)
class SealReport:
    rows_sealed: int
    gaps: int  # seqs sealed as gaps (rolled-back transactions)
    checkpoints: int
    lag_seconds: float  # age of the oldest row still unsealed after the pass, 0 if none
    waiting_at_seq: int | None  # the first seq the pass could not seal yet
    problem: str  # set when a row's content does not match its hash: it is never sealed


@dataclass(frozen=True)
class UnsealedLag:
    rows: int
    oldest_seq: int | None
    seconds: float
    alarm_minutes: int

    @property
    def is_alarm(self) -> bool:
        return self.rows > 0 and self.seconds >= self.alarm_minutes * 60


@dataclass(frozen=True)
class _Step:
    rows: int
    gaps: int
    waiting_at_seq: int | None
    problem: str


def seal_key() -> bytes:
    key = getattr(settings, "SIGHTLINE_AUDIT_SEAL_KEY", "")
    if not key:
        raise ImproperlyConfigured("Set SIGHTLINE_AUDIT_SEAL_KEY to seal or verify the audit.")
    return str(key).encode()


def audit_seal(*, max_checkpoints: int = 100) -> SealReport:
    """One pass: seal every row that can be sealed now, copy new checkpoints to the sink."""
    key = seal_key()
    sink = checkpoint_sink()
    rows = gaps = made = 0
    step = _Step(0, 0, None, "")
    with _sealer_lock():
        for _ in range(max_checkpoints):
            with transaction.atomic():
                step = _seal_step(key)
            with transaction.atomic():  # on SQLite, the write lock keeps two exports apart
                checkpoints_export(sink)
            rows, gaps = rows + step.rows, gaps + step.gaps
            made += 1 if step.rows else 0
            if step.rows < ROWS_PER_CHECKPOINT:
                break
    if step.problem:
        log.error("audit sealer stopped at row #%s: %s", step.waiting_at_seq, step.problem)
    return SealReport(
        rows_sealed=rows,
        gaps=gaps,
        checkpoints=made,
        lag_seconds=unsealed_lag().seconds,
        waiting_at_seq=step.waiting_at_seq,
        problem=step.problem,
    )


@contextmanager
def _sealer_lock() -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield  # SQLite: every sealer transaction is BEGIN IMMEDIATE, one writer at a time
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])


def _seal_step(key: bytes) -> _Step:
    last = AuditCheckpoint.objects.order_by("-number").first()
    expected = last.last_seq + 1 if last else 1
    oldest_running = _oldest_running_transaction_start()  # before the rows: see the module doc
    previous_hash = (
        AuditEvent.objects.filter(seq__lt=expected)
        .order_by("-seq")
        .values_list("row_hash", flat=True)
        .first()
    ) or GENESIS
    sealed: list[tuple[int, str]] = []
    gaps: list[list[int]] = []
    waiting: int | None = None
    problem = ""
    for event in AuditEvent.objects.filter(seq__gte=expected).order_by("seq")[:ROWS_PER_CHECKPOINT]:
        if event.seq > expected and not _gap_is_final(event, oldest_running):
            waiting = expected
            break
        if not event_hash_ok(event):
            waiting, problem = event.seq, "content does not match its hash"
            break
        if not legacy_link_ok(event, previous_hash):
            waiting, problem = event.seq, "does not follow the previous row"
            break
        previous_hash = event.row_hash
        if event.seq > expected:
            gaps.append([expected, event.seq - 1])
        sealed.append((event.seq, event.row_hash))
        expected = event.seq + 1
    if not sealed:
        return _Step(0, 0, waiting, problem)
    number = last.number + 1 if last else 1
    prev_mac = last.mac if last else GENESIS
    first_seq = last.last_seq + 1 if last else 1
    AuditCheckpoint.objects.create(
        number=number,
        first_seq=first_seq,
        last_seq=sealed[-1][0],
        row_count=len(sealed),
        gaps=gaps,
        prev_mac=prev_mac,
        mac=checkpoint_mac(
            key=key,
            number=number,
            prev_mac=prev_mac,
            first_seq=first_seq,
            last_seq=sealed[-1][0],
            gaps=gaps,
            rows=sealed,
        ),
        created_at=timezone.now(),
    )
    gap_count = sum(b - a + 1 for a, b in gaps)
    return _Step(len(sealed), gap_count, waiting, problem)


def _oldest_running_transaction_start() -> dt.datetime | None:
    """PostgreSQL: when the oldest other transaction on this database began (None if there is
    none). Another role's sessions are visible only with pg_read_all_stats: run the sealer as
    the application role, or grant it (ADR 0006)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT min(xact_start) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        (oldest,) = cursor.fetchone()
    return oldest if isinstance(oldest, dt.datetime) else None


def _gap_is_final(row_above: AuditEvent, oldest_running: dt.datetime | None) -> bool:
    if connection.vendor != "postgresql":
        return True  # writers are serialised: nothing still running can fill it
    return oldest_running is None or oldest_running > row_above.occurred_at


def checkpoints_export(sink: CheckpointSink | None) -> int:
    """Append to the sink every checkpoint it does not hold yet (after a crash between the
    database commit and the copy, the next pass catches up). Answers how many were copied."""
    if sink is None:
        return 0
    held = max((int(record["number"]) for record in sink.read()), default=0)
    missing = [c.as_record() for c in AuditCheckpoint.objects.filter(number__gt=held)]
    sink.append(missing)
    return len(missing)


def unsealed_lag(now: dt.datetime | None = None) -> UnsealedLag:
    """How far the sealer is behind: the rows not yet in a checkpoint and the age of the oldest.
    A health page or monitor calls this; audit_verify raises the alarm past the setting."""
    sealed_to = AuditCheckpoint.objects.aggregate(top=Max("last_seq"))["top"] or 0
    unsealed = AuditEvent.objects.filter(seq__gt=sealed_to)
    oldest = unsealed.order_by("occurred_at").values_list("seq", "occurred_at").first()
    minutes = int(getattr(settings, "SIGHTLINE_AUDIT_UNSEALED_ALARM_MINUTES", 5))
    if oldest is None:
        return UnsealedLag(rows=0, oldest_seq=None, seconds=0.0, alarm_minutes=minutes)
    seconds = max(0.0, ((now or timezone.now()) - oldest[1]).total_seconds())
    return UnsealedLag(
        rows=unsealed.count(), oldest_seq=oldest[0], seconds=seconds, alarm_minutes=minutes
    )

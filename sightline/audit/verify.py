"""Check the audit trail against its sealed checkpoints (ADR 0006) and name the first row or
checkpoint that does not fit.

For each checkpoint, in order: it matches the external copy, it follows the previous one
(number, first seq, previous MAC), every seq in its range is either a row whose content
matches its hash or a recorded gap, and the MAC recomputed with the seal key over the rows'
hashes is the one sealed. Rows after the last checkpoint are checked against their own hash
only, and reported as unsealed (an alarm once the oldest is older than
SIGHTLINE_AUDIT_UNSEALED_ALARM_MINUTES)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sightline.audit.hashing import GENESIS, checkpoint_mac, event_hash_ok, legacy_link_ok
from sightline.audit.models import AuditCheckpoint, AuditEvent
from sightline.audit.sealing import UnsealedLag, seal_key, unsealed_lag
from sightline.audit.sinks import CheckpointSink, checkpoint_sink

RECORD_FIELDS = ("number", "first_seq", "last_seq", "row_count", "gaps", "prev_mac", "mac")


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int  # rows whose content matched their hash, sealed or not
    first_bad_seq: int | None  # the first broken row, when a row is to blame
    problem: str
    first_bad_checkpoint: int | None = None  # when a checkpoint (or its copy) is to blame
    sealed: int = 0
    checkpoints: int = 0
    lag: UnsealedLag | None = field(default=None, compare=False)

    @property
    def where(self) -> str:
        if self.first_bad_seq is not None:
            return f"row #{self.first_bad_seq}"
        if self.first_bad_checkpoint is not None:
            return f"checkpoint {self.first_bad_checkpoint}"
        return ""


class _Broken(Exception):
    def __init__(self, problem: str, *, seq: int | None = None, checkpoint: int | None = None):
        super().__init__(problem)
        self.problem, self.seq, self.checkpoint = problem, seq, checkpoint


def verify_chain(batch_size: int = 5000, *, sink: CheckpointSink | None = None) -> ChainReport:
    """Verify every row and checkpoint; the external copy is the configured sink unless one is
    given. Called by `audit_verify` and after a restore."""
    key = seal_key()
    copies = _external(sink if sink is not None else checkpoint_sink())
    rows = _Rows(AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size))
    checkpoints = 0
    try:
        prev: AuditCheckpoint | None = None
        for checkpoint in AuditCheckpoint.objects.order_by("number").iterator():
            _check_checkpoint(checkpoint, prev, copies)
            _check_sealed_rows(checkpoint, rows, key)
            prev, checkpoints = checkpoint, checkpoints + 1
        sealed = rows.checked
        if copies is not None:
            extra = sorted(n for n in copies if n > (prev.number if prev else 0))
            if extra:
                raise _Broken(
                    f"checkpoint {extra[0]} is in the external copy but not in the database "
                    "(sealed rows removed, or a restore from an older backup)",
                    checkpoint=extra[0],
                )
        try:
            for event in rows.rest():
                rows.check(event)
        except _Broken as broken:
            raise _Broken(f"{broken.problem} (unsealed)", seq=broken.seq) from None
    except _Broken as broken:
        return ChainReport(
            ok=False,
            checked=rows.checked,
            first_bad_seq=broken.seq,
            problem=broken.problem,
            first_bad_checkpoint=broken.checkpoint,
            checkpoints=checkpoints,
        )
    return ChainReport(
        ok=True,
        checked=rows.checked,
        first_bad_seq=None,
        problem="",
        sealed=sealed,
        checkpoints=checkpoints,
        lag=unsealed_lag(),
    )


class _Rows:
    """The rows in seq order, read once, with one row of look-ahead."""

    def __init__(self, events: Iterator[AuditEvent]) -> None:
        self._events = events
        self._next: AuditEvent | None = next(events, None)
        self.checked = 0
        self._last_hash = GENESIS

    def take_until(self, last_seq: int) -> Iterator[AuditEvent]:
        while self._next is not None and self._next.seq <= last_seq:
            event, self._next = self._next, next(self._events, None)
            yield event

    def check(self, event: AuditEvent) -> None:
        """The row against its own hash (and, for a row written under ADR 0003, against the
        row before it)."""
        if not event_hash_ok(event):
            raise _Broken("content does not match its hash", seq=event.seq)
        if not legacy_link_ok(event, self._last_hash):
            raise _Broken("does not follow the previous row", seq=event.seq)
        self._last_hash = event.row_hash
        self.checked += 1

    def rest(self) -> Iterator[AuditEvent]:
        return self.take_until(2**63)


def _external(sink: CheckpointSink | None) -> dict[int, dict[str, Any]] | None:
    if sink is None:
        return None
    copies: dict[int, dict[str, Any]] = {}
    for record in sink.read():
        number = int(record["number"])
        if number in copies and _fields(copies[number]) != _fields(record):
            message = f"the external copy holds two different checkpoints {number}"
            copies[number] = {"conflict": message}
        else:
            copies.setdefault(number, record)
    return copies


def _fields(record: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(record.get(name) for name in RECORD_FIELDS)


def _check_checkpoint(
    checkpoint: AuditCheckpoint,
    prev: AuditCheckpoint | None,
    copies: dict[int, dict[str, Any]] | None,
) -> None:
    number = checkpoint.number
    if number != (prev.number + 1 if prev else 1):
        missing = prev.number + 1 if prev else 1
        raise _Broken(f"checkpoint {missing} is missing", checkpoint=missing)
    if copies is not None:
        copy = copies.get(number)
        if copy is None:
            raise _Broken(f"checkpoint {number} is not in the external copy", checkpoint=number)
        if "conflict" in copy:
            raise _Broken(copy["conflict"], checkpoint=number)
        if _fields(copy) != _fields(checkpoint.as_record()):
            raise _Broken(f"checkpoint {number} differs from its external copy", checkpoint=number)
    expected = (prev.number + 1, prev.last_seq + 1, prev.mac) if prev else (1, 1, GENESIS)
    if (number, checkpoint.first_seq, checkpoint.prev_mac) != expected:
        raise _Broken(f"checkpoint {number} does not follow the one before it", checkpoint=number)


def _check_sealed_rows(checkpoint: AuditCheckpoint, rows: _Rows, key: bytes) -> None:
    gaps = [(int(a), int(b)) for a, b in checkpoint.gaps]
    sealed: list[tuple[int, str]] = []
    expected = checkpoint.first_seq
    for event in rows.take_until(checkpoint.last_seq):
        _check_missing(expected, event.seq - 1, gaps)
        if _in_gaps(event.seq, gaps):
            raise _Broken(
                f"a row where checkpoint {checkpoint.number} sealed a gap (inserted)",
                seq=event.seq,
            )
        rows.check(event)
        sealed.append((event.seq, event.row_hash))
        expected = event.seq + 1
    _check_missing(expected, checkpoint.last_seq, gaps)
    mac = checkpoint_mac(
        key=key,
        number=checkpoint.number,
        prev_mac=checkpoint.prev_mac,
        first_seq=checkpoint.first_seq,
        last_seq=checkpoint.last_seq,
        gaps=[list(g) for g in gaps],
        rows=sealed,
    )
    if len(sealed) != checkpoint.row_count or mac != checkpoint.mac:
        raise _Broken(
            f"rows #{checkpoint.first_seq}-#{checkpoint.last_seq} do not match the seal of "
            f"checkpoint {checkpoint.number} (a row re-hashed after sealing, or the checkpoint "
            "altered)",
            checkpoint=checkpoint.number,
        )


def _in_gaps(seq: int, gaps: list[tuple[int, int]]) -> bool:
    return any(a <= seq <= b for a, b in gaps)


def _check_missing(first: int, last: int, gaps: list[tuple[int, int]]) -> None:
    """Every seq first..last is absent: each must be a sealed gap."""
    seq = first
    while seq <= last:
        covering = next(((a, b) for a, b in gaps if a <= seq <= b), None)
        if covering is None:
            raise _Broken(f"row #{seq} is missing", seq=seq)
        seq = covering[1] + 1

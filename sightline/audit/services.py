"""audit_record() is the only writer of the audit trail. It must be called inside the same
transaction as the change or the read it records; if it cannot write, it raises, and the
surrounding transaction (and so the request) fails: there is no unaudited read.

It touches no shared row: the row takes its seq from the table's own sequence (nextval, which
never waits for another transaction) and its hash from its own content. Rows are chained
into sealed checkpoints after they commit, by audit.sealing.audit_seal() (ADR 0006)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from sightline.audit.choices import Action, ObjectType
from sightline.audit.hashing import content_hash
from sightline.audit.models import AuditEvent
from sightline.core.bulk import bulk_insert, new_row
from sightline.core.context import current_context

log = logging.getLogger("sightline.audit")


class AuditUnavailableError(RuntimeError):
    pass


# The open batch of the current connection's transaction (audit_batch), if any.
_BATCH_ATTR = "sightline_audit_batch"


def _json_safe(details: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(details, cls=DjangoJSONEncoder))
    return result


# ObjectType.values builds a new list on every access; the vocabulary is fixed per process.
_OBJECT_TYPES = frozenset(ObjectType.values)


def _check_object_type(object_type: str) -> None:
    """Object types are one vocabulary (ObjectType). An unknown one fails the tests
    (SIGHTLINE_AUDIT_STRICT_VOCABULARY); in production it is logged, never a refused request."""
    if not object_type or object_type in _OBJECT_TYPES:
        return
    if getattr(settings, "SIGHTLINE_AUDIT_STRICT_VOCABULARY", False):
        raise ValueError(f"Unknown audit object type {object_type!r}: add it to ObjectType.")
    log.error("audit object type %r is not in ObjectType", object_type)


def audit_record(
    *,
    actor: Any,
    action: Action | str,
    object_type: str = "",
    object_id: str | int | uuid.UUID = "",
    object_ref: str = "",
    child_id: uuid.UUID | None = None,
    referral_id: uuid.UUID | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
    actor_username: str = "",
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise AuditUnavailableError("audit_record must be called inside a transaction")
    _check_object_type(object_type)
    values = _row_values(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_ref=object_ref,
        child_id=child_id,
        referral_id=referral_id,
        reason=reason,
        details=details,
        actor_username=actor_username,
    )
    batch: list[dict[str, Any]] | None = getattr(connection, _BATCH_ATTR, None)
    if batch is not None:
        batch.append(values)
        return _event(values)  # written, with its seq and time, when the batch closes
    (event,) = audit_record_many([values])
    return event


def _row_values(
    *,
    actor: Any,
    action: Action | str,
    object_type: str,
    object_id: str | int | uuid.UUID,
    object_ref: str,
    child_id: uuid.UUID | None,
    referral_id: uuid.UUID | None,
    reason: str,
    details: dict[str, Any] | None,
    actor_username: str,
) -> dict[str, Any]:
    """A row's hashed fields but its seq and time (taken when it is written)."""
    ctx = current_context()
    user = actor if getattr(actor, "is_authenticated", False) else None
    return {
        "action": str(action),
        "actor_id": user.pk if user else None,
        "actor_username": user.username if user else actor_username,
        "actor_agency": (user.agency.code if user and user.agency_id else ""),
        "actor_role": user.role if user else "",
        "object_type": object_type,
        "object_id": str(object_id),
        "object_ref": object_ref,
        "child_id": str(child_id) if child_id else None,
        "referral_id": str(referral_id) if referral_id else None,
        "reason": reason,
        "details": _json_safe(details or {}),
        "request_id": ctx.request_id,
        "ip_address": ctx.ip_address,
        "channel": ctx.channel,
    }


def _event(values: dict[str, Any]) -> AuditEvent:
    # Built positionally (new_row): a bulk import makes tens of thousands of these.
    return new_row(
        AuditEvent,
        seq=values.get("seq"),
        occurred_at=values.get("occurred_at") or timezone.now(),
        action=values["action"],
        actor_id=values["actor_id"],
        actor_username=values["actor_username"],
        actor_agency=values["actor_agency"],
        actor_role=values["actor_role"],
        object_type=values["object_type"],
        object_id=values["object_id"],
        object_ref=values["object_ref"],
        child_id=values["child_id"],
        referral_id=values["referral_id"],
        reason=values["reason"],
        details=values["details"],
        request_id=values["request_id"],
        ip_address=values["ip_address"],
        channel=values["channel"],
        prev_hash="",
        row_hash=values.get("row_hash", ""),
    )


def audit_record_many(rows: Sequence[dict[str, Any]]) -> list[AuditEvent]:
    """Write rows (as `_row_values` makes them) in two statements however many there are:
    their seqs and times in one (on PostgreSQL `nextval` then the database clock for each
    row, as audit_record takes them), then one INSERT. Each row's hash is its own content,
    seq included, exactly as a row written alone (ADR 0006)."""
    if not transaction.get_connection().in_atomic_block:
        raise AuditUnavailableError("audit_record must be called inside a transaction")
    if not rows:
        return []
    events: list[AuditEvent] = []
    for (seq, occurred_at), row in zip(_next_seqs(len(rows)), rows, strict=True):
        values = {**row, "seq": seq, "occurred_at": occurred_at}
        values["row_hash"] = content_hash(values)
        events.append(_event(values))
    # By COPY however few: 22 columns a row, which an INSERT binds and quotes one by one in
    # Python (psycopg's client-side binding). One row: 0.39 ms of CPU by INSERT, 0.34 by COPY;
    # the intake's five: 0.88 and 0.44; wall time falls too (1.24 ms to 0.74 for five).
    return bulk_insert(AuditEvent, events, copy_from=1)


@contextmanager
def audit_batch() -> Iterator[None]:
    """Inside the block (which must be inside a transaction), audit_record keeps its rows and
    writes them all when the block ends, with audit_record_many: two statements for a whole
    step instead of two per row. If the block raises, nothing is written (the transaction is
    being rolled back anyway). A batch inside a batch joins the outer one."""
    if not transaction.get_connection().in_atomic_block:
        raise AuditUnavailableError("audit_batch must be used inside a transaction")
    if getattr(connection, _BATCH_ATTR, None) is not None:
        yield
        return
    batch: list[dict[str, Any]] = []
    setattr(connection, _BATCH_ATTR, batch)
    try:
        yield
    finally:
        setattr(connection, _BATCH_ATTR, None)
    audit_record_many(batch)


def _next_seqs(count: int) -> list[tuple[int, dt.datetime]]:
    """The rows' seqs and times, taken before the insert so each hash can cover its seq.

    PostgreSQL: nextval on the table's identity sequence, which is not transactional and never
    waits; each row's time is the database clock read just after its own nextval (the sealer
    compares it with pg_stat_activity.xact_start to decide when a gap is final). SQLite:
    writers are serialised (BEGIN IMMEDIATE), so the next values of the table's AUTOINCREMENT
    counter are free until this transaction ends; a rolled-back transaction leaves no gap."""
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The subquery is not flattened (volatile), so each row's nextval runs before its
            # clock_timestamp.
            cursor.execute(
                "SELECT n.seq, clock_timestamp() FROM "
                "(SELECT nextval(pg_get_serial_sequence(%s, 'seq')) AS seq "
                "FROM generate_series(1, %s)) AS n",
                [table, count],
            )
            rows = sorted((int(seq), at.astimezone(dt.UTC)) for seq, at in cursor.fetchall())
            return rows
        cursor.execute(
            "SELECT max(n) FROM (SELECT seq AS n FROM sqlite_sequence "
            "WHERE name = 'audit_auditevent' UNION ALL SELECT max(seq) FROM audit_auditevent)"
        )
        (last,) = cursor.fetchone()
    now = timezone.now().astimezone(dt.UTC)
    return [(int(last or 0) + i, now) for i in range(1, count + 1)]


def audit_access_denied(
    *,
    actor: Any,
    method: str,
    path: str,
    what: str = "",
    object_ref: str = "",
    referral_id: uuid.UUID | None = None,
    child_id: uuid.UUID | None = None,
) -> AuditEvent | None:
    """Record a refused read or step (the 404 of an out-of-scope or missing record, a refused
    break-glass), in a transaction of its own: the request's own work has been rolled back.
    Paths hold references and UUIDs only, never a name. Anonymous requests are not recorded
    (they never reach a record: sign-in comes first)."""
    if not getattr(actor, "is_authenticated", False):
        return None
    with transaction.atomic():
        return audit_record(
            actor=actor,
            action=Action.ACCESS_DENIED,
            object_type=what or "request",
            object_ref=object_ref[:40].replace("\x00", ""),
            referral_id=referral_id,
            child_id=child_id,
            # A path may hold a NUL (PostgreSQL's JSON cannot): shown, not stored raw.
            details={"method": method, "path": path[:300].replace("\x00", "\\x00")},
        )

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
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from sightline.audit.choices import Action, ObjectType
from sightline.audit.hashing import content_hash
from sightline.audit.models import AuditEvent
from sightline.core.context import current_context

log = logging.getLogger("sightline.audit")


class AuditUnavailableError(RuntimeError):
    pass


def _json_safe(details: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(details, cls=DjangoJSONEncoder))
    return result


def _check_object_type(object_type: str) -> None:
    """Object types are one vocabulary (ObjectType). An unknown one fails the tests
    (SIGHTLINE_AUDIT_STRICT_VOCABULARY); in production it is logged, never a refused request."""
    if not object_type or object_type in ObjectType.values:
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
    ctx = current_context()
    user = actor if getattr(actor, "is_authenticated", False) else None
    seq, occurred_at = _next_seq()
    values: dict[str, Any] = {
        "seq": seq,
        "occurred_at": occurred_at,
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
    row_hash = content_hash(values)
    return AuditEvent.objects.create(
        seq=values["seq"],
        occurred_at=values["occurred_at"],
        action=values["action"],
        actor=user,
        actor_username=values["actor_username"],
        actor_agency=values["actor_agency"],
        actor_role=values["actor_role"],
        object_type=object_type,
        object_id=values["object_id"],
        object_ref=object_ref,
        child_id=child_id,
        referral_id=referral_id,
        reason=reason,
        details=values["details"],
        request_id=ctx.request_id,
        ip_address=ctx.ip_address,
        channel=ctx.channel,
        prev_hash="",
        row_hash=row_hash,
    )


def _next_seq() -> tuple[int, dt.datetime]:
    """The row's seq and time, taken before the insert so the hash can cover the seq.

    PostgreSQL: nextval on the table's identity sequence, which is not transactional and never
    waits; the time is the database clock read just after it (the sealer compares it with
    pg_stat_activity.xact_start to decide when a gap is final). SQLite: writers are serialised
    (BEGIN IMMEDIATE), so the next value of the table's AUTOINCREMENT counter is free until
    this transaction ends; a rolled-back transaction leaves no gap there."""
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The subquery is not flattened (volatile), so nextval runs before clock_timestamp.
            cursor.execute(
                "SELECT n.seq, clock_timestamp() FROM "
                "(SELECT nextval(pg_get_serial_sequence(%s, 'seq')) AS seq) AS n",
                [table],
            )
            seq, occurred_at = cursor.fetchone()
            return int(seq), occurred_at.astimezone(dt.UTC)
        cursor.execute(
            "SELECT max(n) FROM (SELECT seq AS n FROM sqlite_sequence "
            "WHERE name = 'audit_auditevent' UNION ALL SELECT max(seq) FROM audit_auditevent)"
        )
        (last,) = cursor.fetchone()
    return int(last or 0) + 1, timezone.now().astimezone(dt.UTC)


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
            object_ref=object_ref[:40],
            referral_id=referral_id,
            child_id=child_id,
            details={"method": method, "path": path[:300]},
        )

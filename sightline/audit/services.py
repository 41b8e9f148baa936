"""audit_record() is the only writer of the audit trail. It must be called inside the same
transaction as the change or the read it records; if it cannot write, it raises, and the
surrounding transaction (and so the request) fails: there is no unaudited read."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from sightline.audit.choices import Action
from sightline.audit.hashing import chain_hash
from sightline.audit.models import AuditChainHead, AuditEvent
from sightline.core.context import current_context


class AuditUnavailableError(RuntimeError):
    pass


def _json_safe(details: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(json.dumps(details, cls=DjangoJSONEncoder))
    return result


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
    ctx = current_context()
    user = actor if getattr(actor, "is_authenticated", False) else None
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    values: dict[str, Any] = {
        "seq": head.last_seq + 1,
        "occurred_at": dt.datetime.now(tz=dt.UTC),
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
    row_hash = chain_hash(head.last_hash, values)
    event = AuditEvent.objects.create(
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
        prev_hash=head.last_hash,
        row_hash=row_hash,
    )
    AuditChainHead.objects.filter(pk=1).update(last_seq=event.seq, last_hash=row_hash)
    return event

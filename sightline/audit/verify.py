"""Recompute the audit hash chain and name the first row that does not fit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sightline.audit.hashing import GENESIS, chain_hash
from sightline.audit.models import AuditChainHead, AuditEvent


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None
    problem: str


def _values(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "occurred_at": event.occurred_at,
        "action": event.action,
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "actor_agency": event.actor_agency,
        "actor_role": event.actor_role,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_ref": event.object_ref,
        "child_id": str(event.child_id) if event.child_id else None,
        "referral_id": str(event.referral_id) if event.referral_id else None,
        "reason": event.reason,
        "details": event.details,
        "request_id": event.request_id,
        "ip_address": event.ip_address,
        "channel": event.channel,
    }


def verify_chain(batch_size: int = 5000) -> ChainReport:
    prev = GENESIS
    expected_seq = 1
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            # A gap: the missing row is the first broken one (rows are ordered by seq).
            return ChainReport(
                False,
                checked,
                expected_seq,
                f"row #{expected_seq} is missing (next is #{event.seq})",
            )
        if event.prev_hash != prev:
            return ChainReport(False, checked, event.seq, "does not follow the previous row")
        if chain_hash(prev, _values(event)) != event.row_hash:
            return ChainReport(False, checked, event.seq, "content does not match its hash")
        prev = event.row_hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != prev):
        return ChainReport(False, checked, checked + 1, "rows missing from the end of the chain")
    return ChainReport(True, checked, None, "")

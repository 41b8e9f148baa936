"""Canonical serialisation of an audit row, its content hash, and the keyed MAC that seals a
run of rows into a checkpoint (ADR 0006)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from typing import Any

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "action",
    "actor_id",
    "actor_username",
    "actor_agency",
    "actor_role",
    "object_type",
    "object_id",
    "object_ref",
    "child_id",
    "referral_id",
    "reason",
    "details",
    "request_id",
    "ip_address",
    "channel",
)
MAC_VERSION = "sightline-audit-checkpoint-v1"


def canonical(values: dict[str, Any]) -> str:
    payload = {name: _plain(values.get(name)) for name in HASHED_FIELDS}
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def chain_hash(prev_hash: str, values: dict[str, Any]) -> str:
    """sha256(prev_hash + canonical row). Rows written since ADR 0006 have an empty prev_hash,
    so their hash depends on their own content (seq included) and on no other row; rows written
    under ADR 0003 keep the predecessor's hash they were chained to."""
    return hashlib.sha256((prev_hash + canonical(values)).encode()).hexdigest()


def content_hash(values: dict[str, Any]) -> str:
    """The hash a new row is written with: its own content, seq included, unkeyed."""
    return chain_hash("", values)


def checkpoint_mac(
    *,
    key: bytes,
    number: int,
    prev_mac: str,
    first_seq: int,
    last_seq: int,
    gaps: list[list[int]],
    rows: Iterable[tuple[int, str]],
) -> str:
    """HMAC-SHA256 over the previous checkpoint's MAC, this checkpoint's range and gaps, and
    every sealed row's (seq, row_hash) in seq order."""
    mac = hmac.new(key, digestmod=hashlib.sha256)
    header = json.dumps(
        [MAC_VERSION, number, prev_mac, first_seq, last_seq, gaps], separators=(",", ":")
    )
    mac.update(header.encode() + b"\n")
    for seq, row_hash in rows:
        mac.update(f"{seq}:{row_hash}\n".encode())
    return mac.hexdigest()


def event_values(event: Any) -> dict[str, Any]:
    """The hashed fields of a stored AuditEvent, as audit_record() hashed them."""
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


def event_hash_ok(event: Any) -> bool:
    return bool(chain_hash(event.prev_hash, event_values(event)) == event.row_hash)


def legacy_link_ok(event: Any, previous_row_hash: str) -> bool:
    """A row written under ADR 0003 names the hash of the row before it (GENESIS for the first);
    a row written since names none."""
    return not event.prev_hash or event.prev_hash == previous_row_hash

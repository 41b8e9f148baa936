"""Canonical serialisation of an audit row and its chained hash."""

from __future__ import annotations

import hashlib
import json
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
    return hashlib.sha256((prev_hash + canonical(values)).encode()).hexdigest()

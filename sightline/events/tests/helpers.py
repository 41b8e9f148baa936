"""Bodies for events tests (synthetic names only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

CHILD = {
    "given_name": "Testa",
    "family_name": "Eventchild",
    "date_of_birth": "2011-04-02",
    "sex": "female",
    "postcode": "OL11 1AA",
}


def ago(**kw: Any) -> str:
    return (timezone.now() - dt.timedelta(**kw)).isoformat()


def missing(
    source_id: str,
    *,
    started: dt.timedelta,
    returned: dt.timedelta | None = None,
    child: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    now = timezone.now()
    body: dict[str, Any] = {
        "kind": "missing_episode",
        "source_id": source_id,
        "occurred_at": (now - started).isoformat(),
        "started_at": (now - started).isoformat(),
        "risk_grade": "medium",
        "child": child or CHILD,
    }
    if returned is not None:
        body["returned_at"] = (now - returned).isoformat()
    body.update(extra)
    return body

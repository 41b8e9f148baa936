"""Bodies for events tests (synthetic names only)."""

from __future__ import annotations

import datetime as dt
import re
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


# The columns of the missing-episode CSV the bulk tests import.
MISSING_HEAD = (
    "source_id,occurred_at,child_given_name,child_family_name,child_date_of_birth,"
    "child_postcode,started_at,risk_grade,returned_at,adults,places,summary,found_with\n"
)


def missing_rows(rows: str, now: dt.datetime, head: str = MISSING_HEAD) -> list[Any]:
    """A missing-episode CSV (`head` + `rows`, each "{N}" written as N hours before `now`)
    parsed into events; the file must be valid."""
    from sightline.events.imports import rows_parse

    dated = re.sub(
        r"\{(\d+)\}",
        lambda m: (now - dt.timedelta(hours=int(m.group(1)))).strftime("%Y-%m-%d %H:%M"),
        rows,
    )
    parsed = rows_parse(kind="missing_episode", data=(head + dated).encode())
    assert parsed.errors == []
    return [event for _line, event in parsed.valid]

"""Partner events from CSV (docs/imports.md, "Partner events"): one column set per kind, each
row turned into the same dict the API takes and checked by the same models (kinds.py), so a
row is valid exactly when the same event sent to the API would be. Nothing here writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sightline.events.choices import EventKind
from sightline.events.csvio import FileUnreadable, RowError, csv_read
from sightline.events.kinds import EventBase, EventInvalid, event_parse

CHILD = (
    "child_id",
    "child_given_name",
    "child_family_name",
    "child_date_of_birth",
    "child_sex",
    "child_postcode",
)
COMMON_REQUIRED = ("source_id", "occurred_at", "child_given_name", "child_family_name")
COMMON_OPTIONAL = (
    "child_id",
    "child_date_of_birth",
    "child_sex",
    "child_postcode",
    "recorded_at",
    "summary",
    "adults",
    "places",
    "vehicles",
    "phones",
)
# Per kind: (required columns, optional columns) beyond the common ones.
KIND_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    EventKind.POLICE_INCIDENT: (
        ("incident_type",),
        ("what_happened", "police_reference", "offence"),
    ),
    EventKind.MISSING_EPISODE: (
        ("started_at", "risk_grade"),
        (
            "reported_at",
            "police_reference",
            "absence_type",
            "missing_from",
            "last_seen_place",
            "last_seen_clothing",
            "vehicle_seen",
            "returned_at",
            "found_where",
            "found_by",
            "found_with",
            "crime_while_missing",
            "crime_details",
            "health_needs",
        ),
    ),
    EventKind.SAFE_AND_WELL: ((), ("episode_source_id", "officer", "outcome", "disclosures")),
    EventKind.HEALTH_ATTENDANCE: (
        ("attendance_type",),
        ("reasons", "presenting_complaint", "substance"),
    ),
    EventKind.EDUCATION: (
        ("education_type",),
        (
            "period_start",
            "period_end",
            "attendance_percent",
            "sessions_missed",
            "exclusion_days",
            "is_permanent_exclusion",
            "part_time_hours",
            "school",
        ),
    ),
    EventKind.YOUTH_JUSTICE: (("category",), ("description",)),
    EventKind.HOUSING: (("category",), ("description",)),
}
DATETIMES = {"occurred_at", "recorded_at", "started_at", "reported_at", "returned_at"}
DATES = {"child_date_of_birth", "period_start", "period_end"}
LISTS = {"reasons", "vehicles", "phones"}
BOOLS = {"crime_while_missing", "is_permanent_exclusion"}
_DT_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S")
_DT_FORMATS_UK = ("%d/%m/%Y %H:%M",)
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def columns_for(kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    required, optional = KIND_COLUMNS[kind]
    return COMMON_REQUIRED + required, COMMON_OPTIONAL + optional


@dataclass
class Parsed:
    kind: str
    rows: int = 0
    valid: list[tuple[int, EventBase]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        return len({e.row for e in self.errors if e.row > 1 or e.column})

    def report(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rows": self.rows,
            "valid": len(self.valid),
            "rejected_rows": self.rejected_rows,
            "errors": [e.as_dict() for e in self.errors[:500]],
            "errors_total": len(self.errors),
        }


class _BadCell(ValueError):
    def __init__(self, column: str, message: str) -> None:
        self.column, self.message = column, message
        super().__init__(message)


# Cached: a partner's file repeats its dates and times (strptime was a tenth of the parse).
@lru_cache(maxsize=65536)
def _datetime(column: str, raw: str) -> str:
    for fmt in _DT_FORMATS + _DT_FORMATS_UK:
        try:
            return dt.datetime.strptime(raw, fmt).isoformat()  # noqa: DTZ007 (local, made aware)
        except ValueError:
            continue
    raise _BadCell(column, "is not a date and time (use YYYY-MM-DD HH:MM or DD/MM/YYYY HH:MM)")


@lru_cache(maxsize=65536)
def _date(column: str, raw: str) -> str:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date().isoformat()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    raise _BadCell(column, "is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


def _cell(column: str, raw: str) -> Any:
    if column in DATETIMES:
        return _datetime(column, raw)
    if column in DATES:
        return _date(column, raw)
    if column in LISTS:
        return [p.strip() for p in raw.split(";") if p.strip()]
    if column in BOOLS:
        low = raw.lower()
        if low not in _YES | _NO:
            raise _BadCell(column, "must be yes or no")
        return low in _YES
    return raw


def _persons(raw: str) -> list[dict[str, str]]:
    """`adults`: people separated by ";", each "name|role|phone|vehicle" (role, phone and
    vehicle optional; role one of found_with, present, suspect, other)."""
    out = []
    for part in raw.split(";"):
        bits = [b.strip() for b in part.split("|")]
        if not bits[0]:
            continue
        person = {"name": bits[0]}
        for key, value in zip(("role", "phone", "vehicle_registration"), bits[1:], strict=False):
            if value:
                person[key] = value
        out.append(person)
    return out


def _places(raw: str) -> list[dict[str, str]]:
    """`places`: places separated by ";", each "name|postcode|kind" (postcode, kind optional)."""
    out = []
    for part in raw.split(";"):
        bits = [b.strip() for b in part.split("|")]
        if not bits[0]:
            continue
        place = {"name": bits[0]}
        for key, value in zip(("postcode", "kind"), bits[1:], strict=False):
            if value:
                place[key] = value
        out.append(place)
    return out


def row_to_payload(kind: str, values: dict[str, str]) -> dict[str, Any]:
    """The API's body for one row; raises _BadCell for a cell that cannot be read."""
    payload: dict[str, Any] = {"kind": kind}
    child: dict[str, Any] = {}
    for column, raw in values.items():
        if not raw:
            continue
        if column in CHILD:
            child[column.removeprefix("child_")] = _cell(column, raw)
        elif column == "adults":
            payload["persons_named"] = _persons(raw)
        elif column == "places":
            payload["places_named"] = _places(raw)
        else:
            payload[column] = _cell(column, raw)
    payload["child"] = child
    return payload


def _column_of(loc: str) -> str:
    if loc.startswith("child."):
        return "child_" + loc.removeprefix("child.")
    if loc.startswith("persons_named"):
        return "adults"
    if loc.startswith("places_named"):
        return "places"
    return loc.split(".", maxsplit=1)[0]


def rows_parse(*, kind: str, data: bytes) -> Parsed:
    """Every row checked; a file that cannot be read at all is one error on row 1."""
    if kind not in KIND_COLUMNS:
        return Parsed(
            kind, errors=[RowError(0, "kind", "must be one of " + ", ".join(KIND_COLUMNS))]
        )
    required, optional = columns_for(kind)
    parsed = Parsed(kind)
    try:
        rows = csv_read(data, required=required, optional=optional)
    except FileUnreadable as exc:
        parsed.errors.append(RowError(1, "", str(exc)))
        return parsed
    parsed.rows = len(rows)
    if not rows:
        parsed.errors.append(RowError(1, "", "The file has a header but no rows."))
        return parsed
    seen: dict[str, int] = {}
    for line, values in rows:
        try:
            event = event_parse(row_to_payload(kind, values))
        except _BadCell as exc:
            parsed.errors.append(RowError(line, exc.column, exc.message))
            continue
        except EventInvalid as exc:
            for loc, message in exc.problems:
                parsed.errors.append(RowError(line, _column_of(loc), message))
            continue
        if event.source_id in seen:
            parsed.errors.append(
                RowError(line, "source_id", f"appears again (first on row {seen[event.source_id]})")
            )
            continue
        seen[event.source_id] = line
        parsed.valid.append((line, event))
    return parsed

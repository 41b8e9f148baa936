"""Row-by-row validation of the three CSV kinds (docs/imports.md, "Workforce"). Pure apart
from looking up the agency's staff ids and the courses: nothing here writes."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from sightline.accounts.models import Agency
from sightline.workforce.choices import ImportKind, RoleGroup
from sightline.workforce.csvio import RowError, csv_read, looks_like_formula
from sightline.workforce.models import Course, StaffMember

COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    ImportKind.STAFF: (("staff_id", "name", "team", "role_group"), ("active", "username")),
    ImportKind.TRAINING: (("staff_id", "course", "completed_on"), ("provider",)),
    ImportKind.HEADCOUNT: (("as_on", "team", "role_group", "headcount"), ()),
}
_YES = {"yes", "y", "true", "1", "active", ""}
_NO = {"no", "n", "false", "0", "inactive", "left"}
_STAFF_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")
EARLIEST = dt.date(1990, 1, 1)
MAX_HEADCOUNT = 1_000_000


@dataclass
class Parsed:
    kind: str
    rows: int = 0
    valid: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        return len({e.row for e in self.errors})


class _Row:
    """Collects one row's errors while its columns are checked."""

    def __init__(self, line: int, values: dict[str, str], errors: list[RowError]) -> None:
        self.line, self.values, self.errors, self.ok = line, values, errors, True

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))
        self.ok = False

    def text(self, column: str, max_length: int, *, required: bool = True) -> str:
        value = " ".join(self.values.get(column, "").split())
        if required and not value:
            self.fail(column, "is required")
        elif len(value) > max_length:
            self.fail(column, f"is longer than {max_length} characters")
        return value

    def code(self, column: str, pattern: re.Pattern[str], hint: str) -> str:
        value = self.values.get(column, "")
        if not value:
            self.fail(column, "is required")
        elif looks_like_formula(value) or not pattern.match(value):
            self.fail(column, hint)
        return value

    def choice(self, column: str) -> str:
        raw = self.values.get(column, "").strip().lower()
        by_label = {label.lower(): value for value, label in RoleGroup.choices}
        value = raw if raw in RoleGroup.values else by_label.get(raw, "")
        if not value:
            self.fail(column, "must be one of " + ", ".join(RoleGroup.values))
        return value

    def date(self, column: str, today: dt.date) -> dt.date | None:
        raw = self.values.get(column, "")
        if not raw:
            self.fail(column, "is required")
            return None
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                value = dt.datetime.strptime(raw, fmt).date()  # noqa: DTZ007 (a date, no time)
            except ValueError:
                continue
            if value > today:
                self.fail(column, "is in the future")
            elif value < EARLIEST:
                self.fail(column, f"is before {EARLIEST:%Y}")
            return value
        self.fail(column, "is not a date (use YYYY-MM-DD or DD/MM/YYYY)")
        return None


def _staff(row: _Row, seen: dict[Any, int], ctx: dict[str, Any]) -> dict[str, Any]:
    staff_id = row.code("staff_id", _STAFF_ID, "must be letters, digits and . _ / - (40 at most)")
    active_raw = row.values.get("active", "").strip().lower()
    if active_raw not in _YES | _NO:
        row.fail("active", "must be yes or no")
    result = {
        "staff_id": staff_id,
        "name": row.text("name", 200),
        "team": row.text("team", 200),
        "role_group": row.choice("role_group"),
        "is_active": active_raw not in _NO,
        "username": row.text("username", 150, required=False),
    }
    if staff_id and staff_id in seen:
        row.fail("staff_id", f"appears again (first on row {seen[staff_id]})")
    seen.setdefault(staff_id, row.line)
    return result


def _training(row: _Row, seen: dict[Any, int], ctx: dict[str, Any]) -> dict[str, Any]:
    staff_id = row.code("staff_id", _STAFF_ID, "must be letters, digits and . _ / - (40 at most)")
    staff = ctx["staff"].get(staff_id) if staff_id else None
    if staff_id and row.ok and staff is None:
        row.fail("staff_id", "is not on this agency's staff roll (import the staff roll first)")
    raw_course = row.values.get("course", "").strip().lower()
    course = ctx["courses"].get(raw_course)
    if not raw_course:
        row.fail("course", "is required")
    elif course is None:
        row.fail("course", "is not a known course (" + ", ".join(ctx["course_codes"]) + ")")
    completed_on = row.date("completed_on", ctx["today"])
    return {
        "staff": staff,
        "course": course,
        "completed_on": completed_on,
        "provider": row.text("provider", 200, required=False),
    }


def _headcount(row: _Row, seen: dict[Any, int], ctx: dict[str, Any]) -> dict[str, Any]:
    raw = row.values.get("headcount", "").replace(",", "")
    count = int(raw) if raw.isdigit() else None
    if count is None or count > MAX_HEADCOUNT:
        row.fail("headcount", f"must be a whole number from 0 to {MAX_HEADCOUNT}")
    team = row.text("team", 200)
    result = {
        "as_on": row.date("as_on", ctx["today"]),
        "team": team,
        "role_group": row.choice("role_group"),
        "headcount": count,
    }
    key = (result["as_on"], team.lower(), result["role_group"])
    if row.ok and key in seen:
        row.fail("team", f"this team and role group appears again (first on row {seen[key]})")
    seen.setdefault(key, row.line)
    return result


_CHECKS: dict[str, Callable[[_Row, dict[Any, int], dict[str, Any]], dict[str, Any]]] = {
    ImportKind.STAFF: _staff,
    ImportKind.TRAINING: _training,
    ImportKind.HEADCOUNT: _headcount,
}


def _context(kind: str, agency: Agency, rows: list[tuple[int, dict[str, str]]]) -> dict[str, Any]:
    ctx: dict[str, Any] = {"today": timezone.localdate()}
    if kind == ImportKind.TRAINING:
        ids = {values.get("staff_id", "") for _, values in rows}
        ctx["staff"] = {
            s.staff_id: s for s in StaffMember.objects.filter(agency=agency, staff_id__in=ids)
        }
        courses = list(Course.objects.all())
        ctx["courses"] = {c.code.lower(): c for c in courses} | {c.name.lower(): c for c in courses}
        ctx["course_codes"] = [c.code for c in courses]
    return ctx


def rows_parse(*, kind: str, agency: Agency, data: bytes) -> Parsed:
    """Every row checked; a file that cannot be read at all is one error on row 1."""
    if kind not in ImportKind.values:
        return Parsed(kind, errors=[RowError(0, "kind", "must be staff, training or headcount")])
    required, optional = COLUMNS[kind]
    parsed = Parsed(kind)
    try:
        rows = csv_read(data, required=required, optional=optional)
    except ValueError as exc:
        parsed.errors.append(RowError(1, "", str(exc)))
        return parsed
    parsed.rows = len(rows)
    if not rows:
        parsed.errors.append(RowError(1, "", "The file has a header but no rows."))
        return parsed
    ctx = _context(kind, agency, rows)
    seen: dict[Any, int] = {}
    for line, values in rows:
        row = _Row(line, values, parsed.errors)
        result = _CHECKS[kind](row, seen, ctx)
        if row.ok:
            parsed.valid.append((line, result))
    return parsed

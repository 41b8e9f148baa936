"""Workforce's audited reads (ADR 0010): the coverage figures and the due-for-refresher
export, each returning what is shown and writing its access row in the same call (in a
savepoint of the caller's transaction, or a transaction of its own), so neither the pages
nor the API can show them unrecorded. An agency out of scope is NotFound, like an unknown
one, and records nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from sightline.accounts.models import Agency
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.workforce.selectors import (
    Coverage,
    agency_for_coverage,
    coverage,
    due_for_refresher,
    staff_scope,
)

DUE_EXPORT_HEADER = ["agency", "staff_id", "name", "team", "role_group", "due_for", "expires_on"]


def coverage_read(*, user: Any, code: str) -> tuple[Agency | None, Coverage]:
    """The coverage of the agency `code` ("" for every agency in scope), the listing
    recorded."""
    with transaction.atomic():
        agency = agency_for_coverage(user=user, code=code)
        result = coverage(user=user, agency=agency)
        audit_record(
            actor=user,
            action=Action.LIST,
            object_type="workforce_coverage",
            details={"agency": code or "all"},
        )
    return agency, result


def due_export_read(*, user: Any, code: str, today: dt.date) -> list[list[object]]:
    """The rows (header first) of the due-for-refresher CSV of the agency `code` ("" for
    every agency in scope), recorded as an export."""
    with transaction.atomic():
        agency = agency_for_coverage(user=user, code=code)
        staff = staff_scope(user=user)
        if agency is not None:
            staff = staff.filter(agency=agency)
        rows: list[list[object]] = [list(DUE_EXPORT_HEADER)]
        for s in due_for_refresher(staff, today).iterator():
            trained = getattr(s, "trained_until", None)
            rows.append([
                s.agency.code, s.staff_id, s.name, s.team, s.role_group,
                "refresher" if trained else "briefing", trained or getattr(s, "briefed_until", ""),
            ])  # fmt: skip
        audit_record(
            actor=user,
            action=Action.EXPORT,
            object_type="workforce_due",
            details={"agency": agency.code if agency else "all", "rows": len(rows) - 1},
        )
    return rows

"""Workforce API: training coverage (JSON) and CSV imports from HR systems. Mounted at the API
root (prefix ""), so the paths here are full sub-paths."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from sightline.accounts.roles import Cap
from sightline.core.api import Detail
from sightline.core.errors import ApiError
from sightline.workforce import reads, rules, selectors, services
from sightline.workforce.csvio import MAX_BYTES

router = Router(tags=["workforce"])

ImportKindLiteral = Literal["staff", "training", "headcount"]


class CoverageFilter(Schema):
    agency: str = ""


class FiguresOut(Schema):
    headcount: int | None
    on_roll: int
    workforce: int
    briefed: int
    trained: int
    briefed_share: float | None
    trained_share: float | None


class TeamOut(FiguresOut):
    team: str


class AgencyOut(FiguresOut):
    code: str
    name: str
    teams: list[TeamOut]


class MonthOut(FiguresOut):
    month_end: dt.date


class WorkforceDueOut(Schema):
    agency: str
    staff_id: str
    name: str
    team: str
    measure: str
    expires_on: dt.date
    course: str | None


class CoverageOut(Schema):
    as_on: dt.date
    target_percent: int
    total: FiguresOut
    agencies: list[AgencyOut]
    months: list[MonthOut]
    due_for_refresher_count: int
    due_for_refresher: list[WorkforceDueOut]


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class WorkforceImportOut(Schema):
    kind: str
    rows: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    stored: bool
    errors: list[RowErrorOut]


def _user(request: HttpRequest) -> Any:
    return request.user


def coverage_out(result: selectors.Coverage) -> dict[str, Any]:
    return {
        "as_on": result.as_on,
        "target_percent": result.target,
        "total": result.total.as_dict(),
        "agencies": [
            {
                "code": a.agency.code,
                "name": a.agency.name,
                **a.total.as_dict(),
                "teams": [{"team": t.label, **t.as_dict()} for t in a.teams],
            }
            for a in result.agencies
        ],
        "months": [{"month_end": end, **row.as_dict()} for end, row in result.months],
        "due_for_refresher_count": result.due_count,
        "due_for_refresher": [
            {
                "agency": d.staff.agency.code,
                "staff_id": d.staff.staff_id,
                "name": d.staff.name,
                "team": d.staff.team,
                "measure": d.measure,
                "expires_on": d.expires_on,
                "course": d.course.code if d.course else None,
            }
            for d in result.due
        ],
    }


@router.get(
    "/workforce/coverage",
    response={200: CoverageOut, 403: Detail, 404: Detail, 422: Detail},
    summary="Training coverage against the whole workforce, by agency and team",
)
def coverage(request: HttpRequest, filters: Query[CoverageFilter]) -> dict[str, Any]:
    user = _user(request)
    if not user.has_capability(Cap.WORKFORCE_VIEW):
        raise ApiError(403, "Your role cannot view training coverage.")
    _agency, result = reads.coverage_read(user=user, code=filters.agency[:40])
    return coverage_out(result)


@router.post(
    "/workforce/imports",
    response={201: WorkforceImportOut, 403: Detail, 422: Detail},
    summary="Import a CSV of staff, training records or headcount for your agency",
)
def workforce_import(
    request: HttpRequest,
    kind: Form[ImportKindLiteral | None] = None,
    file: File[UploadedFile | None] = None,
    accept_valid: Form[bool] = False,
) -> Status[Any]:
    """Multipart: `file` (CSV, columns in docs/imports.md) and `kind` (both required). A file
    with any bad row stores nothing and answers 422 with the row report, unless
    `accept_valid` is true. Who may import is checked before the form is."""
    user = _user(request)
    if not rules.leads_agency_workforce(user):
        raise ApiError(403, "Your role cannot import workforce data for an agency.")
    if kind is None or file is None:
        raise ApiError(422, "Send a multipart form with `kind` and `file`.")
    if file.size is not None and file.size > MAX_BYTES:
        raise ApiError(422, "The file is larger than 5 MB.")
    report = services.workforce_import(
        acting_user=user,
        agency=user.agency,
        kind=kind,
        data=file.read(),
        filename=file.name or "",
        accept_valid=accept_valid,
        channel="api",
    )
    return Status(201, report.as_dict())

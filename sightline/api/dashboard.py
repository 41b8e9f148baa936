"""The partnership dashboard's figures as JSON (reporting.dashboard): the same figures, in
the caller's record scope, as the page's charts and tables. One audit row per read."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from sightline.accounts.roles import Cap
from sightline.core.api import Detail
from sightline.core.errors import NotPermitted
from sightline.reporting.dashboard_reads import dashboard_figures_read
from sightline.reporting.dashboard_types import dashboard_filters

router = Router(tags=["dashboard"])


class DashboardQuery(Schema):
    start: str = Field("", alias="from")
    end: str = Field("", alias="to")
    agency: str = ""
    team: str = ""


class SeriesOut(Schema):
    key: str
    label: str
    values: list[int]


class FigureOut(Schema):
    key: str
    title: str
    chart: str
    labels: list[str]
    columns: list[str]
    series: list[SeriesOut]
    note: str


class DashboardOut(Schema):
    start: str
    end: str
    agency: str | None
    team: str | None
    figures: list[FigureOut]


@router.get(
    "/dashboard",
    response={200: DashboardOut, 403: Detail, 422: Detail},
    summary="The partnership dashboard's figures (period at most 3 years; agency by code)",
)
def dashboard_read(request: HttpRequest, query: Query[DashboardQuery]) -> dict[str, Any]:
    user: Any = request.user
    if not user.has_capability(Cap.DASHBOARD_VIEW):
        raise NotPermitted("You do not have permission to see the dashboard.")
    filters = dashboard_filters(
        start=query.start, end=query.end, agency=query.agency, team=query.team
    )
    figures = dashboard_figures_read(user=user, filters=filters)
    return {
        "start": filters.start.isoformat(),
        "end": filters.end.isoformat(),
        "agency": filters.agency.code if filters.agency else None,
        "team": str(filters.team.pk) if filters.team else None,
        "figures": [f.as_dict() for f in figures],
    }

"""Statutory returns for download (reporting.returns): the CIN census XML. Each download
writes one `record.export` audit row; a census with errors answers 422 listing them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from sightline.accounts.roles import Cap
from sightline.core.api import Detail
from sightline.core.errors import NotPermitted
from sightline.reporting.returns import annex_a, cin_census_export, refusal

router = Router(tags=["statutory returns"])


@router.get(
    "/reports/cin-census",
    response={200: None, 403: Detail, 422: Detail},
    summary="The Children in Need census XML for a collection year (e.g. 2025-26)",
)
def cin_census(request: HttpRequest, year: str, la: str = "999") -> HttpResponse:
    user: Any = request.user
    if not user.has_capability(Cap.REPORT_STATUTORY):
        raise NotPermitted("You do not have permission to download statutory returns.")
    result = cin_census_export(user=user, year=year, la=la)
    if result.xml is None:
        raise refusal(result)
    response = HttpResponse(result.xml, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="cin-census-{year}.xml"'
    return response


class Period(Schema):
    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/reports/annex-a",
    response={200: None, 403: Detail, 422: Detail},
    summary="Ofsted Annex A lists 1 and 3 to 7 as one workbook (a period of at most 3 years)",
)
def annex_a_download(request: HttpRequest, period: Query[Period]) -> HttpResponse:
    user: Any = request.user
    if not user.has_capability(Cap.REPORT_STATUTORY):
        raise NotPermitted("You do not have permission to download statutory returns.")
    content = annex_a.annex_a_export(user=user, start=period.start, end=period.end)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="annex-a-{period.start}-{period.end}.xlsx"'
    )
    return response

"""Statutory returns for download (reads: reporting.returns, which audits each export): the
CIN census XML for a collection year, Ofsted Annex A as a workbook or one list as CSV."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sightline.accounts.roles import Cap
from sightline.core.errors import Invalid
from sightline.core.permissions import capability_required
from sightline.reporting.returns import EXPORTERS, annex_a, cin_census_export

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _default_period() -> tuple[dt.date, dt.date]:
    """The current collection year so far (1 April to today)."""
    today = timezone.localdate()
    start = dt.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    return start, today


def _page(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    start, end = _default_period()
    base: dict[str, Any] = {
        "years": sorted(EXPORTERS),
        "year": max(EXPORTERS),
        "failures": [],
        "annex_from": start.isoformat(),
        "annex_to": end.isoformat(),
        "annex_lists": [(k, annex_a.columns()[k][0]) for k in annex_a.LISTS],
        "annex_error": "",
    }
    return render(request, "reports/returns.html", base | context, status=status)


@capability_required(Cap.REPORT_STATUTORY)
def returns(request: HttpRequest) -> HttpResponse:
    return _page(request)


@capability_required(Cap.REPORT_STATUTORY)
def cin_census_download(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year", "")
    result = cin_census_export(user=request.user, year=year)
    if result.xml is None:
        return _page(request, 422, year=year, failures=list(result.failures))
    response = HttpResponse(result.xml, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="cin-census-{year}.xml"'
    return response


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


@capability_required(Cap.REPORT_STATUTORY)
def annex_a_download(request: HttpRequest) -> HttpResponse:
    """The workbook for a period (at most three years), or one list as CSV with `list=`."""
    raw_from, raw_to = request.GET.get("from", ""), request.GET.get("to", "")
    start, end, key = _date(raw_from), _date(raw_to), request.GET.get("list", "")
    keep = {"annex_from": raw_from, "annex_to": raw_to}
    if start is None or end is None:
        return _page(request, 422, annex_error="Enter both dates as YYYY-MM-DD.", **keep)
    try:
        if key:
            text = annex_a.annex_a_csv_export(user=request.user, start=start, end=end, key=key)
        else:
            content = annex_a.annex_a_export(user=request.user, start=start, end=end)
    except Invalid as exc:
        return _page(request, 422, annex_error=str(exc), **keep)
    if key:
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="annex-a-{key}-{start}-{end}.csv"'
        return response
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="annex-a-{start}-{end}.xlsx"'
    return response

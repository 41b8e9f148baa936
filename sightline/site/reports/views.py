"""Statutory returns for download (reads: reporting.returns, which audits each export)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sightline.accounts.roles import Cap
from sightline.core.permissions import capability_required
from sightline.reporting.returns import EXPORTERS, cin_census_export


def _page(request: HttpRequest, year: str, failures: list[object], status: int) -> HttpResponse:
    return render(
        request,
        "reports/returns.html",
        {"years": sorted(EXPORTERS), "year": year, "failures": failures},
        status=status,
    )


@capability_required(Cap.REPORT_STATUTORY)
def returns(request: HttpRequest) -> HttpResponse:
    return _page(request, max(EXPORTERS), [], 200)


@capability_required(Cap.REPORT_STATUTORY)
def cin_census_download(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year", "")
    result = cin_census_export(user=request.user, year=year)
    if result.xml is None:
        return _page(request, year, list(result.failures), 422)
    response = HttpResponse(result.xml, content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="cin-census-{year}.xml"'
    return response

"""The partnership dashboard's pages (reads: reporting.dashboard_reads, in the user's scope):
the figures with a chart and a table each, one figure's CSV, and the records behind a
figure's cell. Each read writes its one audit row in the selector, with the read."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sightline.accounts.models import Agency, Team
from sightline.accounts.roles import Cap
from sightline.core.permissions import capability_required
from sightline.reporting.dashboard_reads import (
    dashboard_figure_export,
    dashboard_figures_read,
    figure_records_read,
)
from sightline.reporting.dashboard_records import LIMIT
from sightline.reporting.dashboard_types import Figure, Filters, dashboard_filters


def _filters(request: HttpRequest) -> Filters:
    q = request.GET
    return dashboard_filters(
        start=q.get("from", ""),
        end=q.get("to", ""),
        agency=q.get("agency", ""),
        team=q.get("team", ""),
    )


def _table(figure: Figure, query: str) -> dict[str, Any]:
    """The figure as table rows: one row per column (month, agency or clock), one cell per
    series, each cell with the link to the records it counts."""
    rows = []
    for i, (key, label) in enumerate(figure.columns):
        cells = [
            {
                "value": s.values[i],
                "url": f"{figure.key}/records/?{query}&"
                + urlencode({"series": s.key, "column": key}),
            }
            for s in figure.series
        ]
        shares = [values[i] for _, values in figure.shares]
        rows.append({"label": label, "cells": cells, "shares": shares})
    return {"figure": figure, "rows": rows, "chart": figure.as_dict()}


@capability_required(Cap.DASHBOARD_VIEW)
def dashboard_page(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    query = urlencode(filters.query())
    figures = dashboard_figures_read(user=request.user, filters=filters)
    return render(
        request,
        "reports/dashboard.html",
        {
            "filters": filters,
            "query": query,
            "tables": [_table(f, query) for f in figures],
            "agencies": Agency.objects.filter(is_active=True).order_by("name"),
            "teams": Team.objects.select_related("agency").order_by("agency__name", "name"),
        },
    )


@capability_required(Cap.DASHBOARD_VIEW)
def dashboard_csv(request: HttpRequest, key: str) -> HttpResponse:
    filters = _filters(request)
    figure = dashboard_figure_export(user=request.user, filters=filters, key=key)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["", *(s.label for s in figure.series), *(n for n, _ in figure.shares)])
    for i, (_, label) in enumerate(figure.columns):
        writer.writerow(
            [label, *(s.values[i] for s in figure.series), *(v[i] for _, v in figure.shares)]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="dashboard-{key}-{filters.start}-{filters.end}.csv"'
    )
    return response


@capability_required(Cap.DASHBOARD_VIEW)
def dashboard_records(request: HttpRequest, key: str) -> HttpResponse:
    filters = _filters(request)
    series, column = request.GET.get("series", ""), request.GET.get("column", "")
    figure, count, records = figure_records_read(
        user=request.user, filters=filters, key=key, series=series, column=column
    )
    return render(
        request,
        "reports/dashboard_records.html",
        {
            "figure": figure,
            "series": next(s.label for s in figure.series if s.key == series),
            "column": next(label for k, label in figure.columns if k == column),
            "count": count,
            "records": records,
            "limit": LIMIT,
            "query": urlencode(filters.query()),
            "filters": filters,
        },
    )

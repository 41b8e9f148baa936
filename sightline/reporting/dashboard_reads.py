"""The partnership dashboard's audited reads: its figures, one figure's CSV and the records
behind one cell, each with its access row written here (in the caller's transaction, or one
of its own), so that neither the page nor the API can show them unrecorded."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sightline.audit.choices import Action, ObjectType
from sightline.audit.services import audit_record
from sightline.reporting.dashboard import dashboard, dashboard_figure
from sightline.reporting.dashboard_records import figure_records
from sightline.reporting.dashboard_types import Figure, Filters, Record


def _record(user: Any, action: str, filters: Filters, **details: Any) -> None:
    audit_record(
        actor=user,
        action=action,
        object_type=ObjectType.PERFORMANCE,
        details={"page": "dashboard", **filters.query(), **details},
    )


def dashboard_figures_read(*, user: Any, filters: Filters) -> list[Figure]:
    """Every figure of the dashboard, the listing recorded."""
    with transaction.atomic():
        figures = dashboard(user=user, filters=filters)
        _record(user, Action.LIST, filters)
    return figures


def dashboard_figure_export(*, user: Any, filters: Filters, key: str) -> Figure:
    """One figure, for its CSV: recorded as an export."""
    with transaction.atomic():
        figure = dashboard_figure(user=user, filters=filters, key=key)
        _record(user, Action.EXPORT, filters, figure=key)
    return figure


def figure_records_read(
    *, user: Any, filters: Filters, key: str, series: str, column: str
) -> tuple[Figure, int, list[Record]]:
    """The records behind one cell of a figure (`figure_records`), the listing recorded."""
    with transaction.atomic():
        figure, count, records = figure_records(
            user=user, filters=filters, key=key, series=series, column=column
        )
        _record(user, Action.LIST, filters, figure=key, series=series, column=column, count=count)
    return figure, count, records

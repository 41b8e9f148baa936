"""The records behind one cell of a dashboard figure: the same scoped querysets the figure
counts, narrowed to the cell's month (or agency, or clock) and series, so the list a figure
clicks through to holds exactly the records it counts. References only, never names."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from sightline.accounts.roles import Cap
from sightline.core.dates import add_months
from sightline.intel.choices import AlertStatus
from sightline.reporting.dashboard import (
    IN_72H,
    UNDECIDED,
    alerts_in_scope,
    clocks_in_scope,
    dashboard_figure,
    disruptions_in_scope,
    episodes_in_scope,
    first_high_in_scope,
    persons_in_scope,
    referrals_received,
    screenings_in_scope,
)
from sightline.reporting.dashboard_types import Figure, Filters, Record

LIMIT = 500


def _window(f: Filters, month: str) -> tuple[dt.datetime, dt.datetime]:
    """The part of a month (YYYY-MM) inside the period, as aware datetimes [since, until)."""
    first = dt.date.fromisoformat(f"{month}-01")
    start, end = max(first, f.start), min(add_months(first, 1) - dt.timedelta(days=1), f.end)
    sub = Filters(start, end, f.agency, f.team)
    return sub.since, sub.until


def _child_url(user: Any, child_id: Any) -> str:
    return (
        reverse("children:detail", args=[child_id]) if user.has_capability(Cap.CHILD_VIEW) else ""
    )


def _local(value: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(value).date() if value else None


def _screening(user: Any, f: Filters, series: str, column: str) -> list[Record]:
    since, until = _window(f, column)
    rows = (
        screenings_in_scope(user, f)
        .filter(level=series, screened_at__gte=since, screened_at__lt=until)
        .values("referral_child__child_id", "referral_child__child__reference")
        .annotate(last=Max("screened_at"))
        .order_by("-last")
    )
    return [
        Record(r["referral_child__child__reference"], _local(r["last"]), f"screened {series}",
               _child_url(user, r["referral_child__child_id"]))
        for r in rows[:LIMIT]
    ]  # fmt: skip


def _new_high(user: Any, f: Filters, series: str, column: str) -> list[Record]:
    since, until = _window(f, column)
    rows = first_high_in_scope(user, f).filter(first__gte=since, first__lt=until).order_by("first")
    return [
        Record(r["referral_child__child__reference"], _local(r["first"]),
               "first screened high", _child_url(user, r["referral_child__child_id"]))
        for r in rows[:LIMIT]
    ]  # fmt: skip


def _referrals(user: Any, f: Filters, series: str, column: str) -> list[Record]:
    qs = referrals_received(user, f).filter(source_agency__code=column)
    qs = (
        qs.filter(decision__isnull=True)
        if series == UNDECIDED
        else qs.filter(decision__outcome=series)
    )
    return [
        Record(r.reference, _local(r.received_at), r.get_status_display(),
               reverse("referrals:detail", args=[r.reference]))
        for r in qs.order_by("-received_at")[:LIMIT]
    ]  # fmt: skip


def _missing(user: Any, f: Filters, series: str, column: str) -> list[Record]:
    since, until = _window(f, column)
    qs: QuerySet[Any] = episodes_in_scope(user, f).filter(
        started_at__gte=since, started_at__lt=until
    )
    if series == "returned":
        qs = qs.filter(returned_at__isnull=False)
    elif series == "interview_72h":
        qs = qs.filter(IN_72H)
    return [
        Record(e.event.reference, _local(e.started_at), e.get_interview_status_display(),
               reverse("events:child", args=[e.child_id]))
        for e in qs.select_related("event").order_by("-started_at")[:LIMIT]
    ]  # fmt: skip


def _alerts_records(user: Any, f: Filters, series: str, column: str) -> list[Record]:
    since, until = _window(f, column)
    qs = alerts_in_scope(user, f).filter(created_at__gte=since, created_at__lt=until)
    if series == "actioned":
        qs = qs.filter(status=AlertStatus.ACTIONED)
    return [
        Record(a.reference, _local(a.created_at), a.get_status_display(),
               reverse("intel:alert", args=[a.pk]))
        for a in qs.order_by("-created_at")[:LIMIT]
    ]  # fmt: skip


def _poc(user: Any, f: Filters, series: str, column: str) -> list[Record]:
    since, until = _window(f, column)
    if series == "persons":
        persons = persons_in_scope(user, f).filter(created_at__gte=since, created_at__lt=until)
        return [
            Record(p.reference, _local(p.created_at), "person of concern",
                   reverse("intel:person", args=[p.pk]))
            for p in persons.order_by("-created_at")[:LIMIT]
        ]  # fmt: skip
    start, end = timezone.localtime(since).date(), timezone.localtime(until).date()
    disruptions = disruptions_in_scope(user, f).filter(proposed_on__gte=start, proposed_on__lt=end)
    return [
        Record(d.reference, d.proposed_on, d.get_status_display(),
               reverse("meetings:disruption", args=[d.pk]))
        for d in disruptions.order_by("-proposed_on")[:LIMIT]
    ]  # fmt: skip


def _clocks_records(user: Any, f: Filters, series: str, column: str) -> list[Record]:
    qs = clocks_in_scope(user, f).filter(kind=column)
    if series == "in_time":
        qs = qs.filter(Q(met_at__isnull=False, met_at__lte=F("due_at")))
    return [
        Record(c.referral.reference, _local(c.due_at), c.get_status_display(),
               reverse("referrals:detail", args=[c.referral.reference]))
        for c in qs.select_related("referral").order_by("-due_at")[:LIMIT]
    ]  # fmt: skip


LISTERS = {
    "screening": _screening,
    "new_high": _new_high,
    "referrals": _referrals,
    "missing": _missing,
    "alerts": _alerts_records,
    "poc_disruptions": _poc,
    "clocks": _clocks_records,
}


def figure_records(
    *, user: Any, filters: Filters, key: str, series: str, column: str
) -> tuple[Figure, int, list[Record]]:
    """The figure, the cell's count and the records it counts (at most LIMIT listed). An
    unknown figure, series or column is NotFound."""
    figure = dashboard_figure(user=user, filters=filters, key=key)
    count = figure.cell(series, column)
    return figure, count, LISTERS[key](user, filters, series, column)

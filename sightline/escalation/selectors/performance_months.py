"""The performance page's monthly summary read (`PerformanceMonth`, kept by
`escalation.services.performance`), and the recount of what referrals contribute to it from
their raw rows (the summary's back-fill, its test, and the referrals a user may not see)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db.models import FilteredRelation, Q, QuerySet, Sum
from django.utils import timezone

from sightline.escalation.choices import ClockKind, ClockStatus
from sightline.escalation.models import PerformanceMonth
from sightline.referrals.models import Referral

FIELDS = (
    "referrals",
    "rereferrals",
    "decided",
    "decided_in_time",
    "assessments",
    "assessments_in_time",
)
Key = tuple[dt.date, Any]  # (first day of the month, agency id)
Counts = dict[Key, Counter[str]]


def month_of(value: dt.datetime) -> dt.date:
    """The month a moment falls in, in the partnership's time zone (as TruncMonth counts)."""
    return timezone.localtime(value).date().replace(day=1)


def performance_contributions(referrals: QuerySet[Referral]) -> Counts:
    """What these referrals count on the performance page, from their raw rows: one
    statement (the referral, its current decision, its re-referral mark and its met
    assessment clocks)."""
    met = FilteredRelation(
        "clocks",
        condition=Q(clocks__kind=ClockKind.ASSESSMENT, clocks__status=ClockStatus.MET),
    )
    rows = (
        Referral.objects.filter(pk__in=referrals.values("pk"))
        .annotate(met=met)
        .order_by()
        .values_list(
            "pk",
            "received_at",
            "source_agency_id",
            "decision_due_at",
            "decision__decided_at",
            "rereferral__is_rereferral",
            "met__met_at",
            "met__due_at",
        )
    )
    counts: Counts = defaultdict(Counter)
    seen: set[Any] = set()
    for pk, received, agency, due, decided_at, is_re, met_at, met_due in rows.iterator(
        chunk_size=5000
    ):
        if pk not in seen:
            seen.add(pk)
            c = counts[(month_of(received), agency)]
            c["referrals"] += 1
            c["rereferrals"] += int(bool(is_re))
            if decided_at is not None:
                c["decided"] += 1
                c["decided_in_time"] += int(decided_at <= due)
        if met_at is not None:
            c = counts[(month_of(met_at), agency)]
            c["assessments"] += 1
            c["assessments_in_time"] += int(met_at <= met_due)
    return counts


def performance_months_read(*, start: dt.date, agency: Any = None) -> QuerySet[Any]:
    """The period's counts by month and agency, summed over their rows: one statement whose
    rows follow the months shown and the agencies, not the history (perf_month_idx)."""
    rows = PerformanceMonth.objects.filter(month__gte=start)
    if agency is not None:
        rows = rows.filter(agency=agency)
    return (
        rows.values("month", "agency_id", "agency__name", "agency__code")
        .annotate(**{f: Sum(f) for f in FIELDS})
        .order_by("month", "agency__name")
    )

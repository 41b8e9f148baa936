"""The performance page's counts by month and referring agency (`PerformanceMonth`), kept by
the services in the transaction of each write that changes them (ADR 0103):

- a referral received: +1 referral (and +1 re-referral if it is one) in its month received;
- a re-referral mark that changes: +1 or -1 re-referral;
- a decision recorded: +1 decided (+1 in time) in the referral's month received; a decision
  reopened by a challenge: -1 (its successor adds its own when recorded);
- an assessment clock met: +1 assessment (+1 in time) in the month it was met;
- referrals purged: minus everything they counted.

Each change is a new row of differences (an insert: no row is held to commit by every
intake); `performance_months_fold` (the sweep, each minute) replaces a key's rows with their
sum, so the page reads about one row per month and agency whatever the history's size.
Bulk loads (the demo borough, the clocks back-fill) call `performance_months_rebuild`, a
recount from the raw rows, which is also the management command `performance_months`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet

from sightline.escalation.choices import ClockKind
from sightline.escalation.models import Clock, PerformanceMonth
from sightline.escalation.selectors.performance_months import (
    FIELDS,
    Counts,
    month_of,
    performance_contributions,
)
from sightline.referrals.models import Referral


def performance_count(changes: Counts, *, sign: int = 1) -> int:
    """Append the changes (times `sign`) as rows of differences: one insert, none if nothing
    changed. Runs in the caller's transaction."""
    rows = [
        PerformanceMonth(month=month, agency_id=agency, **{f: sign * c[f] for f in FIELDS})
        for (month, agency), c in changes.items()
        if any(c[f] for f in FIELDS)
    ]
    PerformanceMonth.objects.bulk_create(rows)
    return len(rows)


def _one(referral: Referral, at: dt.datetime, **fields: int) -> Counts:
    return {(month_of(at), referral.source_agency_id): Counter(fields)}


def performance_on_received(*, referral: Referral, is_rereferral: bool) -> None:
    """A new referral (the intake's clock hook)."""
    performance_count(
        _one(referral, referral.received_at, referrals=1, rereferrals=int(is_rereferral))
    )


def performance_on_rereferral(*, referral: Referral, was: bool, now: bool) -> None:
    """A re-referral mark recomputed: counted again only if it changed."""
    if was != now:
        performance_count(_one(referral, referral.received_at, rereferrals=int(now) - int(was)))


def performance_on_decision(*, referral: Referral, decision: Any, sign: int = 1) -> None:
    """A decision became the referral's current one (sign 1) or stopped being it (-1, a
    challenge reopening it)."""
    in_time = int(decision.decided_at <= referral.decision_due_at)
    performance_count(
        _one(referral, referral.received_at, decided=1, decided_in_time=in_time), sign=sign
    )


def performance_on_clock_met(*, clock: Clock) -> None:
    """A clock met: an assessment counts in the month it was met, for the referral's
    agency."""
    if clock.kind != ClockKind.ASSESSMENT or clock.met_at is None:
        return
    if Clock.referral.is_cached(clock):  # read with the clock (open_clock)
        agency = clock.referral.source_agency_id
    else:
        agency = Referral.objects.filter(pk=clock.referral_id).values_list(
            "source_agency_id", flat=True
        )[0]
    performance_count(
        {
            (month_of(clock.met_at), agency): Counter(
                assessments=1, assessments_in_time=int(clock.met_at <= clock.due_at)
            )
        }
    )


def performance_on_purge(*, referrals: QuerySet[Referral]) -> None:
    """Referrals about to be deleted: take away everything they counted."""
    performance_count(performance_contributions(referrals), sign=-1)


@transaction.atomic
def performance_months_rebuild() -> int:
    """Recount every month from the raw rows (after a bulk load, or to repair): the rows are
    replaced by one per month and agency. Answers the rows written."""
    PerformanceMonth.objects.all().delete()
    return performance_count(performance_contributions(Referral.objects.all()))


@transaction.atomic
def performance_months_fold() -> int:
    """Replace each key's rows of differences by one row of their sum (the sweep runs it).
    Only the rows read are deleted, so a row committed meanwhile waits for the next fold.
    Answers the rows removed."""
    keys = list(
        PerformanceMonth.objects.values("month", "agency_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("month", "agency_id")
    )
    removed = 0
    for month, agency in keys:
        rows = list(
            PerformanceMonth.objects.select_for_update()
            .filter(month=month, agency_id=agency)
            .values_list("pk", *FIELDS)
        )
        total = Counter({f: sum(r[i + 1] for r in rows) for i, f in enumerate(FIELDS)})
        PerformanceMonth.objects.filter(pk__in=[r[0] for r in rows]).delete()
        removed += len(rows)
        PerformanceMonth.objects.create(month=month, agency_id=agency, **total)
    return removed

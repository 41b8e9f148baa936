"""The performance dashboard's aggregates read the period shown through the index on
`received_at` (ref_received_idx), so their cost follows the months shown rather than every
referral and decision ever recorded. The plan is asked of whichever database the test runs
on: SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN. On PostgreSQL the test's few rows
would always be read by a sequential scan, so there sequential scans are priced out for the
test's transaction only: what is asserted is that the index *can* answer the range (a filter
written so that it cannot, such as one on a function of the column, would still show a scan)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone

from sightline.escalation.selectors.performance import (
    decisions_by_month,
    received_since,
    referrals_by_agency,
)
from sightline.escalation.tests.factories import decided, received
from sightline.referrals.selectors import referral_scope

pytestmark = pytest.mark.django_db

INDEX = "ref_received_idx"


def plan(queryset: QuerySet[Any]) -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain()


@pytest.fixture
def since(police_officer: Any, manager: Any) -> dt.datetime:
    """A year of referrals, one decided, and one received before the period."""
    now = timezone.now()
    old = received(police_officer, at=now - dt.timedelta(days=500))
    decided(old, manager)
    decided(received(police_officer, at=now - dt.timedelta(days=30)), manager)
    return now - dt.timedelta(days=365)


def test_referrals_by_agency_reads_the_period_through_the_received_index(
    manager: Any, since: dt.datetime
) -> None:
    scoped = referral_scope(user=manager)
    assert INDEX in plan(referrals_by_agency(scoped, since=since))
    (row,) = referrals_by_agency(scoped, since=since)
    assert (row["n"], row["decided"]) == (1, 1)


def test_decisions_by_month_read_the_period_through_the_received_index(
    manager: Any, since: dt.datetime
) -> None:
    referrals = received_since(referral_scope(user=manager), since=since)
    assert INDEX in plan(decisions_by_month(referrals, since=since))
    assert [row["n"] for row in decisions_by_month(referrals, since=since)] == [1]

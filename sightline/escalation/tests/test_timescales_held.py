"""timescales_held: inside the block the calendar and each clock policy are read once and
kept (a loader's one transaction, in which neither changes); outside it every call reads
the tables again."""

from __future__ import annotations

import datetime as dt

import pytest

from sightline.escalation.choices import TimescaleKey
from sightline.escalation.models import ClockPolicy, ClosureDay
from sightline.escalation.timescales import partnership_calendar, timescale, timescales_held

pytestmark = pytest.mark.django_db


def test_calendar_and_policies_are_read_once_inside_the_block_and_again_outside() -> None:
    closed = dt.date(2026, 12, 29)
    with timescales_held():
        calendar = partnership_calendar()
        default = timescale(TimescaleKey.ASSESSMENT)
        ClosureDay.objects.create(day=closed, description="Partnership closure")
        ClockPolicy.objects.create(
            key=TimescaleKey.ASSESSMENT, amount=default.amount + 5, unit=default.unit
        )
        assert partnership_calendar() is calendar and closed not in calendar.closures
        assert timescale(TimescaleKey.ASSESSMENT) == default
    assert closed in partnership_calendar().closures
    assert timescale(TimescaleKey.ASSESSMENT).amount == default.amount + 5

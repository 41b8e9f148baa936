"""Working days for England and Wales (or Scotland / Northern Ireland), from the `holidays`
package, plus the partnership's own closure days.

Rule used for every statutory clock: a time limit of N working days runs from the moment of
receipt. A step received on a working day is due at the same local time N working days later.
A step received on a weekend, bank holiday or closure day is treated as received at the start
of the next working day (09:00 local), then N working days are added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

LONDON = ZoneInfo("Europe/London")
_REGIONS = {"ENG": "ENG", "WLS": "WLS", "SCT": "SCT", "NIR": "NIR"}


@lru_cache(maxsize=8)
def _bank_holidays(region: str, first_year: int, last_year: int) -> frozenset[dt.date]:
    if region not in _REGIONS:
        raise ValueError(f"Unknown calendar region {region!r}; use one of {sorted(_REGIONS)}")
    days = holidays.country_holidays(
        "GB", subdiv=_REGIONS[region], years=range(first_year, last_year + 1)
    )
    return frozenset(days.keys())


class WorkingCalendar:
    def __init__(self, region: str | None = None, closures: Iterable[dt.date] = ()) -> None:
        self.region = region or settings.SIGHTLINE_CALENDAR_REGION
        self.closures = frozenset(closures)
        self.start_hour = settings.SIGHTLINE_WORKING_DAY_START_HOUR

    def is_working_day(self, day: dt.date) -> bool:
        if day.weekday() >= 5 or day in self.closures:
            return False
        return day not in _bank_holidays(self.region, day.year - 1, day.year + 1)

    def next_working_day(self, day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_working_days(self, moment: dt.datetime, days: int) -> dt.datetime:
        """The moment `days` working days after `moment` (aware datetime; answer in UTC)."""
        if moment.tzinfo is None:
            raise ValueError("add_working_days needs a timezone-aware datetime")
        local = moment.astimezone(LONDON)
        if not self.is_working_day(local.date()):
            start = self.next_working_day(local.date())
            local = dt.datetime.combine(start, dt.time(self.start_hour), tzinfo=LONDON)
        day = local.date()
        for _ in range(days):
            day = self.next_working_day(day)
        due = dt.datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=LONDON)
        return due.astimezone(dt.UTC)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end` (0 if end <= start)."""
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def default_calendar() -> WorkingCalendar:
    return WorkingCalendar()

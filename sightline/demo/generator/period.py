"""The borough's period: windows of days, days within them and the times referrals arrive."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sightline.demo.generator.helpers import years_before
from sightline.demo.generator.vocab import LONDON


class Calendar:
    """The days from ``years`` before ``end`` to ``end``, drawn from the borough's ``rng``."""

    def __init__(self, rng: random.Random, *, end: date, years: int) -> None:
        self.rng = rng
        self.end = end
        self.start = years_before(end, years) + timedelta(days=1)
        self.total_days = (end - self.start).days + 1

    def window(self, length_days: int) -> tuple[date, date]:
        length = min(length_days, self.total_days - 1)
        first = self.start + timedelta(days=self.rng.randint(0, self.total_days - 1 - length))
        return first, first + timedelta(days=length)

    def day_in(self, first: date, last: date) -> date:
        first, last = max(first, self.start), min(last, self.end)
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def stamp(self, day: date, agency: str) -> datetime:
        """A local (Europe/London) time on or just before ``day``: office hours mostly."""
        in_hours = self.rng.random() < (0.6 if agency == "police" else 0.9)
        if in_hours and day.weekday() >= 5:
            friday = day - timedelta(days=day.weekday() - 4)
            if friday >= self.start:
                day = friday
            else:
                in_hours = False
        if in_hours:
            minutes = int(self.rng.triangular(8 * 60 + 30, 17 * 60 + 30, 11 * 60))
        elif self.rng.random() < 0.7:
            minutes = self.rng.randint(17 * 60 + 30, 23 * 60 + 59)
        else:
            minutes = self.rng.randint(0, 8 * 60 + 29)
        second = self.rng.randint(0, 59)
        return datetime(
            day.year, day.month, day.day, minutes // 60, minutes % 60, second, tzinfo=LONDON
        )

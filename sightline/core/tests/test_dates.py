"""Age and month arithmetic (core.dates)."""

from __future__ import annotations

import datetime as dt

import pytest

from sightline.core.dates import add_months, age_on

D = dt.date


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (D(2016, 5, 14), D(2026, 5, 13), 9),  # the day before the tenth birthday
        (D(2016, 5, 14), D(2026, 5, 14), 10),  # on the birthday
        (D(2016, 5, 14), D(2026, 5, 15), 10),
        (D(2016, 12, 31), D(2026, 1, 1), 9),  # month earlier in the year than the birthday
        (D(2016, 1, 1), D(2026, 12, 31), 10),
        (D(2026, 3, 1), D(2026, 3, 1), 0),  # born today
        (D(2012, 2, 29), D(2026, 2, 28), 13),  # leap-day birthday, common year: not yet
        (D(2012, 2, 29), D(2026, 3, 1), 14),  # ... the birthday counts from 1 March
        (D(2012, 2, 29), D(2028, 2, 28), 15),  # leap year: the day before
        (D(2012, 2, 29), D(2028, 2, 29), 16),  # leap year: on the day itself
    ],
)
def test_age_is_whole_years_on_the_day(born: dt.date, day: dt.date, age: int) -> None:
    assert age_on(born, day) == age


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2026, 1, 15), 1, D(2026, 2, 15)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),  # end of month clamps
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year February
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 5, 31), 3, D(2026, 8, 31)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),  # across the year end
        (D(2026, 12, 31), 2, D(2027, 2, 28)),
        (D(2026, 10, 15), 15, D(2028, 1, 15)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),  # backwards
        (D(2026, 1, 15), -1, D(2025, 12, 15)),
        (D(2026, 6, 30), 0, D(2026, 6, 30)),
    ],
)
def test_add_months_keeps_the_day_or_clamps_to_month_end(
    day: dt.date, months: int, expected: dt.date
) -> None:
    assert add_months(day, months) == expected

"""The working-day calendar behind every statutory clock (core.calendar)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sightline.core.calendar import LONDON, WorkingCalendar, default_calendar

ENGLAND = WorkingCalendar(region="ENG")
SCOTLAND = WorkingCalendar(region="SCT")


def london(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def due_local(calendar: WorkingCalendar, moment: dt.datetime, days: int = 1) -> dt.datetime:
    due = calendar.add_working_days(moment, days)
    assert due.utcoffset() == dt.timedelta(0), "the answer is given in UTC"
    return due.astimezone(LONDON)


@pytest.mark.parametrize(
    "day",
    [
        dt.date(2026, 1, 1),  # New Year's Day
        dt.date(2026, 4, 3),  # Good Friday
        dt.date(2026, 4, 6),  # Easter Monday
        dt.date(2026, 5, 4),  # early May bank holiday
        dt.date(2026, 5, 25),  # spring bank holiday
        dt.date(2026, 8, 31),  # summer bank holiday
        dt.date(2026, 12, 25),  # Christmas Day
        dt.date(2026, 12, 28),  # Boxing Day, observed on the Monday
    ],
)
def test_england_bank_holidays_are_not_working_days(day: dt.date) -> None:
    assert day.weekday() < 5
    assert not ENGLAND.is_working_day(day)


@pytest.mark.parametrize("day", [dt.date(2026, 3, 14), dt.date(2026, 3, 15)])
def test_weekends_are_not_working_days(day: dt.date) -> None:
    assert not ENGLAND.is_working_day(day)


@pytest.mark.parametrize(
    "day", [dt.date(2026, 1, 2), dt.date(2026, 4, 7), dt.date(2026, 5, 26), dt.date(2026, 12, 29)]
)
def test_ordinary_weekdays_next_to_holidays_are_working_days(day: dt.date) -> None:
    assert ENGLAND.is_working_day(day)


def test_friday_at_four_plus_one_working_day_is_monday_at_four() -> None:
    assert due_local(ENGLAND, london(2026, 3, 13, 16)) == london(2026, 3, 16, 16)


def test_friday_at_four_in_summer_time_plus_one_working_day_is_monday_at_four() -> None:
    due = ENGLAND.add_working_days(london(2026, 6, 12, 16), 1)
    assert due == dt.datetime(2026, 6, 15, 15, 0, tzinfo=dt.UTC)  # 16:00 BST


def test_received_on_saturday_is_due_tuesday_at_start_of_day() -> None:
    # Treated as received at 09:00 on Monday, then one working day is added.
    assert due_local(ENGLAND, london(2026, 3, 14, 11, 30)) == london(2026, 3, 17, 9)


def test_received_late_on_sunday_is_due_tuesday_at_start_of_day() -> None:
    assert due_local(ENGLAND, london(2026, 3, 15, 23, 45)) == london(2026, 3, 17, 9)


def test_received_on_easter_monday_is_due_wednesday_at_start_of_day() -> None:
    assert due_local(ENGLAND, london(2026, 4, 6, 10)) == london(2026, 4, 8, 9)


def test_easter_weekend_is_skipped() -> None:
    # Good Friday, the weekend and Easter Monday are all skipped.
    assert due_local(ENGLAND, london(2026, 4, 2, 15)) == london(2026, 4, 7, 15)


def test_spring_bank_holiday_is_skipped() -> None:
    assert due_local(ENGLAND, london(2026, 5, 22, 10)) == london(2026, 5, 26, 10)


def test_christmas_and_boxing_day_are_skipped() -> None:
    assert due_local(ENGLAND, london(2026, 12, 24, 14)) == london(2026, 12, 29, 14)


def test_several_working_days_cross_a_bank_holiday() -> None:
    # Wed 20 May + 3 working days: Thu, Fri, (weekend, spring bank holiday) Tue 26 May.
    assert due_local(ENGLAND, london(2026, 5, 20, 11), days=3) == london(2026, 5, 26, 11)


def test_clocks_going_forward_keep_the_local_time() -> None:
    due = ENGLAND.add_working_days(london(2026, 3, 27, 10), 1)  # Fri, GMT
    assert due.astimezone(LONDON) == london(2026, 3, 30, 10)  # Mon, BST
    assert due == dt.datetime(2026, 3, 30, 9, 0, tzinfo=dt.UTC)


def test_clocks_going_back_keep_the_local_time() -> None:
    due = ENGLAND.add_working_days(london(2026, 10, 23, 10), 1)  # Fri, BST
    assert due.astimezone(LONDON) == london(2026, 10, 26, 10)  # Mon, GMT
    assert due == dt.datetime(2026, 10, 26, 10, 0, tzinfo=dt.UTC)


def test_a_moment_given_in_utc_is_read_as_london_local_time() -> None:
    # 23:30 UTC on Friday 12 June is 00:30 BST on Saturday: a weekend receipt.
    moment = dt.datetime(2026, 6, 12, 23, 30, tzinfo=dt.UTC)
    assert due_local(ENGLAND, moment) == london(2026, 6, 16, 9)


def test_partnership_closure_days_are_skipped() -> None:
    calendar = WorkingCalendar(region="ENG", closures=[dt.date(2026, 3, 16)])
    assert not calendar.is_working_day(dt.date(2026, 3, 16))
    assert due_local(calendar, london(2026, 3, 13, 16)) == london(2026, 3, 17, 16)


def test_received_on_a_closure_day_starts_at_the_next_working_day() -> None:
    calendar = WorkingCalendar(region="ENG", closures=[dt.date(2026, 3, 16)])
    assert due_local(calendar, london(2026, 3, 16, 12)) == london(2026, 3, 18, 9)


def test_scotland_has_a_holiday_on_second_january_and_england_does_not() -> None:
    day = dt.date(2026, 1, 2)
    assert ENGLAND.is_working_day(day)
    assert not SCOTLAND.is_working_day(day)


def test_scotland_works_on_easter_monday_and_england_does_not() -> None:
    day = dt.date(2026, 4, 6)
    assert SCOTLAND.is_working_day(day)
    assert not ENGLAND.is_working_day(day)


def test_new_year_deadline_differs_between_england_and_scotland() -> None:
    moment = london(2025, 12, 31, 12)
    assert due_local(ENGLAND, moment) == london(2026, 1, 2, 12)
    assert due_local(SCOTLAND, moment) == london(2026, 1, 5, 12)


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ENGLAND.add_working_days(dt.datetime(2026, 3, 13, 16, 0), 1)  # noqa: DTZ001


def test_unknown_region_is_refused() -> None:
    with pytest.raises(ValueError, match="Unknown calendar region"):
        WorkingCalendar(region="XX").is_working_day(dt.date(2026, 3, 11))


def test_zero_working_days_from_a_weekend_is_the_start_of_the_next_working_day() -> None:
    assert due_local(ENGLAND, london(2026, 3, 14, 15), days=0) == london(2026, 3, 16, 9)
    assert due_local(ENGLAND, london(2026, 3, 12, 15), days=0) == london(2026, 3, 12, 15)


def test_working_days_between_counts_days_after_start_up_to_end() -> None:
    assert ENGLAND.working_days_between(dt.date(2026, 3, 13), dt.date(2026, 3, 16)) == 1
    assert ENGLAND.working_days_between(dt.date(2026, 4, 2), dt.date(2026, 4, 7)) == 1
    assert ENGLAND.working_days_between(dt.date(2026, 3, 16), dt.date(2026, 3, 20)) == 4
    assert ENGLAND.working_days_between(dt.date(2026, 3, 16), dt.date(2026, 3, 16)) == 0
    assert ENGLAND.working_days_between(dt.date(2026, 3, 20), dt.date(2026, 3, 16)) == 0


def test_default_calendar_follows_the_region_and_start_hour_settings(settings: Any) -> None:
    settings.SIGHTLINE_CALENDAR_REGION = "SCT"
    settings.SIGHTLINE_WORKING_DAY_START_HOUR = 8
    calendar = default_calendar()
    assert not calendar.is_working_day(dt.date(2026, 1, 2))
    assert due_local(calendar, london(2026, 3, 14, 11)) == london(2026, 3, 17, 8)

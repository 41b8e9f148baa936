"""Small pure helpers: weighted choice, ages and dates, NHS numbers, CIN source codes."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date
from typing import TypeVar

from sightline.demo.generator.vocab import (
    AGENCIES,
    GP_PRACTICES,
    HUB_ROLES,
    REFERRER_TEAMS,
    SCHOOLS,
)

_T = TypeVar("_T")


def weighted(rng: random.Random, items: Sequence[tuple[_T, float]]) -> _T:
    return rng.choices([item for item, _ in items], weights=[w for _, w in items])[0]


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_on(date_of_birth: date, day: date) -> int:
    """Whole years of age on ``day``."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


def nhs_number_is_valid(number: str) -> bool:
    """The NHS mod-11 check on a 10-digit number."""
    if len(number) != 10 or not number.isdigit():
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(number[:9]))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(number[9])


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def when(day: date) -> str:
    return f"on {day.strftime('%A')} {day.day} {day.strftime('%B')}"


def age_band(age: int) -> str:
    """ "early thirties" for 31, "late teens" for 18."""
    if age < 20:
        return "late teens"
    tens = {2: "twenties", 3: "thirties", 4: "forties", 5: "fifties"}.get(age // 10, "sixties")
    part = "early" if age % 10 <= 3 else "mid" if age % 10 <= 6 else "late"
    return f"{part} {tens}"


def year_group(date_of_birth: date, day: date) -> int:
    academic_start = day.year if day.month >= 9 else day.year - 1
    return max(1, min(13, age_on(date_of_birth, date(academic_start, 8, 31)) - 4))


def cin_source_code_for(agency_key: str, team: str) -> str:
    """CIN census referral source code for a referrer's team (GP practice 3A, school 2A...)."""
    if team in GP_PRACTICES:
        return "3A"
    if team in SCHOOLS:
        return "2A"
    for agency, name, code in REFERRER_TEAMS:
        if agency == agency_key and name == team:
            return code
    for _role, agency, name, code in HUB_ROLES:
        if agency == agency_key and name == team:
            return code
    return {key: code for key, _name, code in AGENCIES}.get(agency_key, "10")

"""Children in their households, and (once their referrals are dated) births and schools."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sightline.demo.generator.helpers import age_on, weighted, years_before
from sightline.demo.generator.plans import ChildPlan, Draft
from sightline.demo.generator.specs import Sex
from sightline.demo.generator.vocab import (
    CHILD_SEX_WEIGHTS,
    COLLEGE,
    GP_PRACTICES,
    PRIMARY_SCHOOLS,
    PRU,
    SECONDARY_SCHOOLS,
)
from sightline.demo.generator.world import World

_CARERS: tuple[tuple[str, float], ...] = (
    ("mother", 62.0),
    ("father", 11.0),
    ("grandmother", 9.0),
    ("aunt", 6.0),
    ("foster carer", 12.0),
)
_ORDINARY_AGES: tuple[tuple[int, float], ...] = (
    (8, 4.0),
    (9, 5.0),
    (10, 7.0),
    (11, 9.0),
    (12, 11.0),
    (13, 13.0),
    (14, 14.0),
    (15, 14.0),
    (16, 12.0),
    (17, 8.0),
)
_NETWORK_AGES: tuple[tuple[int, float], ...] = (
    (12, 10.0),
    (13, 18.0),
    (14, 24.0),
    (15, 24.0),
    (16, 16.0),
    (17, 8.0),
)


@dataclass(frozen=True)
class _Household:
    unit: int
    family: str
    address: str
    locality: str
    postcode: str
    carer: str


def given_name(world: World, sex: Sex) -> str:
    if sex == "female":
        return world.fake.first_name_female()
    if sex == "male":
        return world.fake.first_name_male()
    return world.fake.first_name()


def _child(world: World, index: int, sex: Sex, home: _Household) -> ChildPlan:
    return ChildPlan(
        index=index,
        key=f"C{index + 1:06d}",
        given=given_name(world, sex),
        family=home.family,
        sex=sex,
        address=home.address,
        locality=home.locality,
        postcode=home.postcode,
        carer=home.carer,
        unit=home.unit,
        learning_disability=world.rng.random() < 0.06,
        gp=world.rng.choice(GP_PRACTICES),
    )


def children_build(world: World, *, n_children: int) -> tuple[list[ChildPlan], list[list[int]]]:
    """The children and their households ("units": one child, or a sibling pair)."""
    rng = world.rng
    children: list[ChildPlan] = []
    units: list[list[int]] = []
    index = 0
    while index < n_children:
        size = 2 if n_children - index >= 2 and rng.random() < 0.055 else 1
        unit_no = len(units)
        family = world.fake.last_name()
        address, locality, postcode = world.geo.home()
        carer = weighted(rng, _CARERS)
        home = _Household(unit_no, family, address, locality, postcode, carer)
        members: list[int] = []
        for _ in range(size):
            sex = weighted(rng, CHILD_SEX_WEIGHTS)
            children.append(_child(world, index, sex, home))
            members.append(index)
            index += 1
        units.append(members)
    return children, units


def _school(world: World, age_then: int) -> str:
    rng = world.rng
    if age_then < 11:
        return rng.choice(PRIMARY_SCHOOLS)
    if rng.random() < 0.04:
        return PRU
    if age_then >= 16 and rng.random() < 0.6:
        return COLLEGE
    return rng.choice(SECONDARY_SCHOOLS)


def births_assign(world: World, children: list[ChildPlan], drafts: Sequence[Draft]) -> None:
    """A date of birth that keeps each child aged 8 to 17 over all their referrals, and the
    school they attend."""
    rng, calendar = world.rng, world.calendar
    for draft in drafts:
        for child in draft.children:
            children[child].dates.append(draft.local.date())
    for plan in children:
        dates = sorted(plan.dates) or [calendar.day_in(calendar.start, calendar.end)]
        low, high = dates[0] - timedelta(days=1), dates[-1] + timedelta(days=1)
        latest = years_before(low, 8)  # 8 on the day before the first referral
        earliest = years_before(high, 18) + timedelta(days=1)  # not yet 18 after the last
        if earliest > latest:
            raise RuntimeError(f"referrals for {plan.key} span too long a period")
        middle = low + (high - low) / 2
        age = weighted(rng, _NETWORK_AGES if plan.network is not None else _ORDINARY_AGES)
        guess = years_before(middle, age) - timedelta(days=rng.randint(0, 364))
        plan.date_of_birth = min(max(guess, earliest), latest)
        plan.school = _school(world, age_on(plan.date_of_birth, middle))

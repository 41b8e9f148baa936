"""Referral quality by the referrer's training, on a small synthetic dataset: who was trained
on the day of each referral decides the group; groups with few referrers show no share."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sightline.accounts.roles import Role
from sightline.accounts.tests.factories import AgencyFactory, UserFactory
from sightline.core.errors import NotPermitted
from sightline.referrals.models import Referral
from sightline.referrals.tests.factories import submit
from sightline.reporting.training_quality import referral_quality_by_training
from sightline.workflows import referral_screen
from sightline.workforce.tests.factories import StaffMemberFactory, completed

pytestmark = pytest.mark.django_db

END = dt.date(2026, 3, 31)


@pytest.fixture
def world() -> dict[str, Any]:
    school = AgencyFactory(kind="education")
    csc = AgencyFactory(kind="csc")
    screener = UserFactory(agency=csc, role=Role.FRONT_DOOR_PRACTITIONER)
    manager = UserFactory(agency=csc, role=Role.HEAD_OF_SERVICE)
    teachers = {k: UserFactory(username=f"t-{k}", agency=school) for k in "abcd"}
    # a: trained face to face in Jan 2026; b: briefed only; c: on the roll, never trained;
    # d: not on any roll.
    a = StaffMemberFactory(agency=school, staff_id="T-A", user=teachers["a"])
    completed(a, "cse-face-to-face", dt.date(2026, 1, 10))
    b = StaffMemberFactory(agency=school, staff_id="T-B", user=teachers["b"])
    completed(b, "cse-briefing", dt.date(2025, 1, 10))
    StaffMemberFactory(agency=school, staff_id="T-C", user=teachers["c"])
    return {"teachers": teachers, "screener": screener, "manager": manager}


def _referral(world: dict[str, Any], who: str, received: dt.date, level: str | None) -> None:
    result = submit(world["teachers"][who])
    referral = result.referral
    if level is not None:
        referral_screen(
            acting_user=world["screener"],
            referral=referral,
            referral_child=result.children[0].referral_child,
            marks=[],
            raised_level=level,
            raised_reason="Synthetic: the practitioner's judgement on the information.",
        )
    Referral.objects.filter(pk=referral.pk).update(
        received_at=dt.datetime.combine(received, dt.time(11), tzinfo=dt.UTC)
    )


def test_groups_by_training_on_the_day_of_the_referral(world: dict[str, Any]) -> None:
    _referral(world, "a", dt.date(2026, 2, 1), "high")  # trained on the day
    _referral(world, "a", dt.date(2026, 2, 2), "low")
    _referral(world, "a", dt.date(2025, 12, 1), "medium")  # before training: "untrained"
    _referral(world, "b", dt.date(2026, 2, 1), "low")  # briefed only
    _referral(world, "c", dt.date(2026, 2, 1), "medium")
    _referral(world, "d", dt.date(2026, 2, 1), "low")
    _referral(world, "d", dt.date(2026, 2, 3), None)  # not screened: not counted
    _referral(world, "d", dt.date(2024, 2, 3), "high")  # outside the year
    quality = referral_quality_by_training(user=world["manager"], end=END, min_referrers=1)
    groups = {g.key: g for g in quality.groups}
    assert (groups["trained"].referrals, groups["trained"].concern) == (2, 1)
    assert groups["trained"].share == 50.0
    assert (groups["briefed"].referrals, groups["briefed"].concern) == (1, 0)
    assert (groups["untrained"].referrals, groups["untrained"].concern) == (2, 2)
    assert groups["untrained"].referrers == 2 and groups["untrained"].share == 100.0
    assert (groups["unlinked"].referrals, groups["unlinked"].concern) == (1, 0)
    assert quality.start == dt.date(2025, 4, 1)


def test_a_group_with_few_referrers_shows_no_share(world: dict[str, Any]) -> None:
    _referral(world, "a", dt.date(2026, 2, 1), "high")
    quality = referral_quality_by_training(user=world["manager"], end=END)
    trained = next(g for g in quality.groups if g.key == "trained")
    assert trained.referrals == 1 and trained.suppressed and trained.share is None


def test_only_managers_see_it(world: dict[str, Any]) -> None:
    with pytest.raises(NotPermitted):
        referral_quality_by_training(user=world["teachers"]["a"])
    lead = UserFactory(agency=AgencyFactory(kind="health"), role=Role.HEALTH_LEAD)
    with pytest.raises(NotPermitted):
        referral_quality_by_training(user=lead)

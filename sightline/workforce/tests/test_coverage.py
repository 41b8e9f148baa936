"""Coverage arithmetic: validity, refreshers, "trained counts as briefed", the headcount
denominator, months and who is due for a refresher."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sightline.core.dates import add_months
from sightline.workforce import selectors
from sightline.workforce.choices import Measure
from sightline.workforce.models import StaffMember
from sightline.workforce.tests.factories import StaffMemberFactory, completed, headcount

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 15)


def _holds(staff: Any, measure: str, day: dt.date = TODAY) -> bool:
    return selectors.records_in_date(day, measure).filter(staff_member=staff).exists()


def test_a_course_is_in_date_from_completion_until_the_day_before_it_expires(health: Any) -> None:
    s = StaffMemberFactory(agency=health)
    completed(s, "cse-face-to-face", add_months(TODAY, -24))  # valid 24 months: expires today
    assert not _holds(s, Measure.TRAINED)
    assert _holds(s, Measure.TRAINED, TODAY - dt.timedelta(days=1))
    t = StaffMemberFactory(agency=health)
    completed(t, "cse-briefing", add_months(TODAY, -35))  # valid 36 months
    assert _holds(t, Measure.BRIEFED) and not _holds(t, Measure.TRAINED)
    assert not _holds(t, Measure.BRIEFED, add_months(TODAY, 2))


def test_a_course_completed_after_the_day_does_not_count_that_day(health: Any) -> None:
    s = StaffMemberFactory(agency=health)
    completed(s, "cse-briefing", TODAY)
    assert _holds(s, Measure.BRIEFED)
    assert not _holds(s, Measure.BRIEFED, TODAY - dt.timedelta(days=1))


def test_trained_face_to_face_counts_as_briefed(health: Any) -> None:
    s = StaffMemberFactory(agency=health)
    completed(s, "cse-face-to-face", add_months(TODAY, -3))
    assert _holds(s, Measure.BRIEFED) and _holds(s, Measure.TRAINED)


def test_a_refresher_renews_face_to_face_training(health: Any) -> None:
    s = StaffMemberFactory(agency=health)
    completed(s, "cse-face-to-face", add_months(TODAY, -30))  # lapsed 6 months ago
    assert not _holds(s, Measure.TRAINED)
    completed(s, "cse-refresher", add_months(TODAY, -2))
    assert _holds(s, Measure.TRAINED)


def test_a_refresher_without_the_course_it_refreshes_does_not_count(health: Any) -> None:
    alone = StaffMemberFactory(agency=health)
    completed(alone, "cse-refresher", add_months(TODAY, -2))
    assert not _holds(alone, Measure.TRAINED) and not _holds(alone, Measure.BRIEFED)
    later = StaffMemberFactory(agency=health)
    completed(later, "cse-refresher", add_months(TODAY, -6))
    completed(later, "cse-briefing", add_months(TODAY, -1))  # not the refreshed course
    completed(later, "cse-face-to-face", add_months(TODAY, -25))  # before, but now lapsed
    # The refresher (6 months ago) follows the face-to-face course (25 months ago): counts.
    assert _holds(later, Measure.TRAINED)
    after = StaffMemberFactory(agency=health)
    completed(after, "cse-refresher", add_months(TODAY, -6))
    completed(after, "cse-face-to-face", add_months(TODAY, -3))
    # Face to face after the refresher: trained by the face-to-face course itself.
    assert _holds(after, Measure.TRAINED)
    assert not _holds(after, Measure.TRAINED, add_months(TODAY, -4))


def test_coverage_by_team_against_the_headcount(health_lead: Any, health: Any) -> None:
    headcount(health, add_months(TODAY, -1), "Wards", 8)
    headcount(health, add_months(TODAY, -1), "Wards", 2, role_group="manager")
    headcount(health, add_months(TODAY, -1), "School nursing", 4)
    wards = [StaffMemberFactory(agency=health, team="Wards") for _ in range(4)]
    nurses = [StaffMemberFactory(agency=health, team="School nursing") for _ in range(5)]
    completed(wards[0], "cse-face-to-face", add_months(TODAY, -1))
    completed(wards[1], "cse-briefing", add_months(TODAY, -1))
    completed(wards[2], "cse-briefing", add_months(TODAY, -40))  # expired
    for n in nurses[:2]:
        completed(n, "cse-briefing", add_months(TODAY, -5))
    StaffMemberFactory(agency=health, team="Wards", is_active=False)  # left: not counted
    result = selectors.coverage(user=health_lead, today=TODAY)
    [agency] = result.agencies
    teams = {t.label: t for t in agency.teams}
    assert (teams["Wards"].headcount, teams["Wards"].on_roll) == (10, 4)
    assert (teams["Wards"].briefed, teams["Wards"].trained) == (2, 1)
    assert (teams["Wards"].briefed_share, teams["Wards"].trained_share) == (20.0, 10.0)
    # More on the roll (5) than the headcount (4): the roll is the workforce.
    assert teams["School nursing"].workforce == 5
    assert teams["School nursing"].briefed_share == 40.0
    assert (agency.total.workforce, agency.total.briefed, agency.total.trained) == (15, 4, 1)
    assert result.target == 100


def test_the_latest_snapshot_on_or_before_the_day_is_the_workforce(
    health_lead: Any, health: Any
) -> None:
    headcount(health, dt.date(2025, 1, 1), "Wards", 50)
    headcount(health, dt.date(2026, 1, 1), "Wards", 20)
    headcount(health, dt.date(2026, 1, 1), "Theatres", 10)
    result = selectors.coverage(user=health_lead, today=TODAY)
    assert result.agencies[0].total.headcount == 30
    by_month = dict(result.months)
    assert by_month[dt.date(2025, 12, 31)].headcount == 50
    assert by_month[TODAY].headcount == 30


def test_an_agency_without_a_headcount_uses_its_staff_roll(health_lead: Any, health: Any) -> None:
    for _ in range(3):
        StaffMemberFactory(agency=health)
    result = selectors.coverage(user=health_lead, today=TODAY)
    assert result.agencies[0].total.headcount is None
    assert result.agencies[0].total.workforce == 3


def test_twelve_months_ending_today(health_lead: Any, health: Any) -> None:
    s = StaffMemberFactory(agency=health)
    completed(s, "cse-face-to-face", dt.date(2025, 12, 10))
    result = selectors.coverage(user=health_lead, today=TODAY)
    ends = [end for end, _ in result.months]
    assert len(ends) == 12
    assert ends[0] == dt.date(2025, 4, 30) and ends[-2] == dt.date(2026, 2, 28)
    assert ends[-1] == TODAY
    trained = {end: row.trained for end, row in result.months}
    assert trained[dt.date(2025, 11, 30)] == 0
    assert trained[dt.date(2025, 12, 31)] == 1
    chart = selectors.coverage_chart(result)
    assert chart["labels"][-1] == "Mar 2026"
    assert chart["series"][1]["values"][-1] == 100.0
    assert chart["series"][1]["values"][0] is None or chart["series"][1]["values"][0] == 0.0


def test_due_for_a_refresher_within_sixty_days(health_lead: Any, health: Any) -> None:
    soon = StaffMemberFactory(agency=health, name="Due Soon")
    completed(soon, "cse-face-to-face", add_months(TODAY, -23))  # expires in a month
    later = StaffMemberFactory(agency=health, name="Due Later")
    completed(later, "cse-face-to-face", add_months(TODAY, -20))  # expires in four months
    lapsed = StaffMemberFactory(agency=health, name="Lapsed")
    completed(lapsed, "cse-face-to-face", add_months(TODAY, -25))
    briefed = StaffMemberFactory(agency=health, name="Briefed Only")
    completed(briefed, "cse-briefing", add_months(TODAY, -35))
    result = selectors.coverage(user=health_lead, today=TODAY)
    due = {d.staff.name: d for d in result.due}
    assert set(due) == {"Due Soon", "Briefed Only"}
    assert due["Due Soon"].course is not None and due["Due Soon"].course.code == "cse-refresher"
    assert due["Due Soon"].expires_on == add_months(TODAY, 1)
    assert due["Briefed Only"].course is not None
    assert due["Briefed Only"].course.code == "cse-briefing"
    assert result.due_count == 2
    assert StaffMember.objects.count() == 4

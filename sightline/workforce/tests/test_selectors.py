"""Scope: agency leads see their own agency's workforce; managers see every agency; anyone
else sees none, and an agency out of scope answers like an unknown one."""

from __future__ import annotations

from typing import Any

import pytest

from sightline.core.errors import NotFound
from sightline.workforce import selectors
from sightline.workforce.tests.factories import StaffMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(health: Any, education: Any, csc: Any) -> None:
    for agency in (health, education, csc):
        StaffMemberFactory(agency=agency)


def test_a_lead_sees_only_their_agency(staff: None, health_lead: Any, health: Any) -> None:
    assert list(selectors.agency_scope(user=health_lead)) == [health]
    assert {s.agency for s in selectors.staff_scope(user=health_lead)} == {health}
    assert [a.agency for a in selectors.coverage(user=health_lead).agencies] == [health]


def test_managers_see_every_agency(staff: None, safeguarding_lead: Any, csc_manager: Any) -> None:
    for user in (safeguarding_lead, csc_manager):
        assert selectors.staff_scope(user=user).count() == 3
        assert len(selectors.coverage(user=user).agencies) == 3


def test_a_referrer_sees_no_workforce(staff: None, referrer: Any) -> None:
    assert not selectors.agency_scope(user=referrer).exists()
    assert not selectors.staff_scope(user=referrer).exists()
    assert selectors.coverage(user=referrer).agencies == []


def test_an_agency_out_of_scope_is_not_found(
    staff: None, health_lead: Any, education: Any, health: Any
) -> None:
    with pytest.raises(NotFound):
        selectors.agency_for_coverage(user=health_lead, code=education.code)
    with pytest.raises(NotFound):
        selectors.agency_for_coverage(user=health_lead, code="no-such-agency")
    assert selectors.agency_for_coverage(user=health_lead, code=health.code) == health
    assert selectors.agency_for_coverage(user=health_lead, code="") is None


def test_an_agency_filter_narrows_a_managers_coverage(
    staff: None, safeguarding_lead: Any, education: Any
) -> None:
    result = selectors.coverage(user=safeguarding_lead, agency=education)
    assert [a.agency for a in result.agencies] == [education]
    assert result.total.on_roll == 1


def test_the_import_history_is_the_leads_own(health_lead: Any, education: Any) -> None:
    assert not selectors.import_list(user=health_lead, agency=education).exists()

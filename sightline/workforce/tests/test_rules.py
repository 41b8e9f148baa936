"""Who may manage and see which agency's workforce, role by role."""

from __future__ import annotations

from typing import Any

import pytest

from sightline.accounts.roles import Role
from sightline.accounts.tests.factories import AgencyFactory, UserFactory
from sightline.workforce import rules

pytestmark = pytest.mark.django_db

KIND = {
    Role.HEALTH_LEAD: "health",
    Role.EDUCATION_LEAD: "education",
    Role.POLICE_ANALYST: "police",
    Role.MACE_CHAIR: "police",
}
MANAGES_OWN = {Role.HEALTH_LEAD, Role.EDUCATION_LEAD, Role.TEAM_MANAGER}
SEES_ALL = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.SAFEGUARDING_LEAD}
SEES_OWN = MANAGES_OWN | SEES_ALL


@pytest.mark.parametrize("role", list(Role))
def test_role_by_action(role: Role) -> None:
    own: Any = AgencyFactory(kind=KIND.get(role, "csc"))
    other: Any = AgencyFactory(kind="voluntary")
    user: Any = UserFactory(agency=own, role=role)
    assert rules.may_manage_workforce(user, own) is (role in MANAGES_OWN)
    assert rules.may_manage_workforce(user, other) is False
    assert rules.may_view_coverage(user, own) is (role in SEES_OWN)
    assert rules.may_view_coverage(user, other) is (role in SEES_ALL)
    assert rules.sees_referral_quality(user) is (role in SEES_ALL)


def test_a_team_manager_outside_childrens_social_care_manages_no_workforce() -> None:
    manager: Any = UserFactory(agency=AgencyFactory(kind="police"), role=Role.TEAM_MANAGER)
    assert not rules.leads_agency_workforce(manager)
    assert not rules.may_manage_workforce(manager, manager.agency)


def test_an_inactive_lead_manages_nothing(health_lead: Any) -> None:
    health_lead.is_active = False
    assert not rules.may_manage_workforce(health_lead, health_lead.agency)

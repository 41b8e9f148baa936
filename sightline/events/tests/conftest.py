"""Personas for the events tests: a police analyst, a health lead, an education lead, the
front door and a CSE specialist in children's social care."""

from __future__ import annotations

from typing import Any

import pytest

from sightline.accounts.roles import Role
from sightline.accounts.tests.factories import AgencyFactory, UserFactory


@pytest.fixture
def police() -> Any:
    return AgencyFactory(kind="police", code="police")


@pytest.fixture
def health() -> Any:
    return AgencyFactory(kind="health", code="health")


@pytest.fixture
def education() -> Any:
    return AgencyFactory(kind="education", code="school")


@pytest.fixture
def csc() -> Any:
    return AgencyFactory(kind="csc", code="csc")


@pytest.fixture
def officer(police: Any) -> Any:
    return UserFactory(username="ev-police", agency=police, role=Role.POLICE_ANALYST)


@pytest.fixture
def health_lead(health: Any) -> Any:
    return UserFactory(username="ev-health", agency=health, role=Role.HEALTH_LEAD)


@pytest.fixture
def education_lead(education: Any) -> Any:
    return UserFactory(username="ev-school", agency=education, role=Role.EDUCATION_LEAD)


@pytest.fixture
def front_door(csc: Any) -> Any:
    return UserFactory(username="ev-front-door", agency=csc, role=Role.FRONT_DOOR_PRACTITIONER)


@pytest.fixture
def manager(csc: Any) -> Any:
    return UserFactory(username="ev-manager", agency=csc, role=Role.TEAM_MANAGER)

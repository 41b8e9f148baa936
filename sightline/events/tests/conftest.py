"""Personas for the events tests: a police analyst, the front door and a manager in
children's social care, with the agencies under the codes the events name. The health and
education leads come from the root conftest, in these agencies."""

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
def front_door(csc: Any) -> Any:
    return UserFactory(username="ev-front-door", agency=csc, role=Role.FRONT_DOOR_PRACTITIONER)


@pytest.fixture
def manager(csc: Any) -> Any:
    return UserFactory(username="ev-manager", agency=csc, role=Role.TEAM_MANAGER)

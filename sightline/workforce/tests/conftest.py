"""Personas for the workforce tests: an agency lead per kind, managers, and outsiders."""

from __future__ import annotations

from typing import Any

import pytest

from sightline.accounts.roles import Role
from sightline.accounts.tests.factories import AgencyFactory, UserFactory


@pytest.fixture
def health() -> Any:
    return AgencyFactory(kind="health")


@pytest.fixture
def education() -> Any:
    return AgencyFactory(kind="education")


@pytest.fixture
def csc() -> Any:
    return AgencyFactory(kind="csc")


@pytest.fixture
def health_lead(health: Any) -> Any:
    return UserFactory(username="wf-health-lead", agency=health, role=Role.HEALTH_LEAD)


@pytest.fixture
def education_lead(education: Any) -> Any:
    return UserFactory(username="wf-education-lead", agency=education, role=Role.EDUCATION_LEAD)


@pytest.fixture
def csc_manager(csc: Any) -> Any:
    return UserFactory(username="wf-csc-manager", agency=csc, role=Role.TEAM_MANAGER)


@pytest.fixture
def safeguarding_lead(csc: Any) -> Any:
    return UserFactory(username="wf-sg-lead", agency=csc, role=Role.SAFEGUARDING_LEAD)


@pytest.fixture
def referrer(education: Any) -> Any:
    return UserFactory(username="wf-teacher", agency=education, role=Role.REFERRER)

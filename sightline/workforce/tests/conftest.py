"""Personas for the workforce tests: a manager, the safeguarding lead and an outsider; the
agencies (`health`, `education`, `csc`) and their leads come from the root conftest."""

from __future__ import annotations

from typing import Any

import pytest

from sightline.accounts.roles import Role
from sightline.accounts.tests.factories import UserFactory


@pytest.fixture
def csc_manager(csc: Any) -> Any:
    return UserFactory(username="wf-csc-manager", agency=csc, role=Role.TEAM_MANAGER)


@pytest.fixture
def safeguarding_lead(csc: Any) -> Any:
    return UserFactory(username="wf-sg-lead", agency=csc, role=Role.SAFEGUARDING_LEAD)


@pytest.fixture
def referrer(education: Any) -> Any:
    return UserFactory(username="wf-teacher", agency=education, role=Role.REFERRER)

"""The meetings app's personas: two co-chairs (police, local authority), an invited health
lead, an uninvited education lead, and a small world with an alert (two children, one adult)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sightline.accounts.roles import Role
from sightline.accounts.tests.factories import UserFactory


@pytest.fixture
def chairs(agencies: dict[str, Any]) -> tuple[Any, Any]:
    police = UserFactory(username="mace-police", agency=agencies["police"], role=Role.MACE_CHAIR)
    la = UserFactory(username="mace-la", agency=agencies["csc"], role=Role.SAFEGUARDING_LEAD)
    return police, la


@pytest.fixture
def health(agencies: dict[str, Any]) -> Any:
    return UserFactory(username="mace-health", agency=agencies["health"], role=Role.HEALTH_LEAD)


@pytest.fixture
def outsider(agencies: dict[str, Any]) -> Any:
    return UserFactory(
        username="mace-outsider", agency=agencies["education"], role=Role.EDUCATION_LEAD
    )


@pytest.fixture
def alerted(police_officer: Any, teacher: Any, manager: Any) -> dict[str, Any]:
    from sightline.site.tests.world import build_world

    return build_world(police_officer=police_officer, teacher=teacher, manager=manager)


@pytest.fixture
def meeting(chairs: tuple[Any, Any], health: Any, agencies: dict[str, Any]) -> Any:
    from sightline.meetings.services import meeting_create

    return meeting_create(
        acting_user=chairs[0],
        held_on=timezone.localdate() + dt.timedelta(days=7),
        chairs=list(chairs),
        invited_agencies=[agencies[k] for k in ("police", "csc", "health", "education")],
        invited_people=[health],
        cutoff_at=timezone.now() + dt.timedelta(minutes=5),
    )

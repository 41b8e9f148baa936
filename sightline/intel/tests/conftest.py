from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from sightline.accounts.roles import Role
from sightline.intel.services import IndexResult
from sightline.referrals.inputs import ChildInput, PersonInput, PlaceInput, ReferralInput
from sightline.workflows import referral_intake


@pytest.fixture
def analyst(agencies: dict[str, Any]) -> Any:
    from sightline.accounts.tests.factories import UserFactory

    return UserFactory(
        username="police-analyst", agency=agencies["police"], role=Role.POLICE_ANALYST
    )


@pytest.fixture
def cse_worker(agencies: dict[str, Any]) -> Any:
    from sightline.accounts.tests.factories import UserFactory

    return UserFactory(username="cse-worker", agency=agencies["csc"], role=Role.CSE_SPECIALIST)


Refer = Callable[..., IndexResult]


@pytest.fixture
def refer() -> Refer:
    """Submit a referral through the front door and index it, as intake will."""
    counter = {"n": 0}

    def _refer(
        user: Any,
        *,
        child: tuple[str, str] = ("Ruby", "Okafor"),
        address: str = "",
        persons: list[dict[str, Any]] | None = None,
        places: list[dict[str, Any]] | None = None,
        vehicles: tuple[str, ...] = (),
        narrative: str = "Concerns about older adults.",
        categories: tuple[str, ...] = ("sexual_exploitation",),
        days_ago: int = 0,
    ) -> IndexResult:
        counter["n"] += 1
        n = counter["n"]
        result = referral_intake(
            acting_user=user,
            data=ReferralInput(
                narrative=narrative,
                children=[
                    ChildInput(
                        given_name=child[0],
                        family_name=child[1],
                        date_of_birth=dt.date(2011, 1, 1) + dt.timedelta(days=n * 40),
                        address=address or f"{n} Test Street",
                        postcode="NB3 1AA",
                    )
                ],
                received_at=dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=days_ago),
                concern_categories=list(categories),
                persons_named=[PersonInput(**p) for p in (persons or [])],
                places_named=[PlaceInput(**p) for p in (places or [])],
                vehicles=list(vehicles),
            ),
        )
        return result.intel

    return _refer

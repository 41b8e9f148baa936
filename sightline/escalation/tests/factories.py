"""Helpers for the escalation tests: referrals go in through referral_submit /
referral_decide through their workflows, which run the clock hooks. Names are invented."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sightline.accounts.roles import Role
from sightline.accounts.tests.factories import UserFactory
from sightline.referrals.inputs import ChildInput
from sightline.referrals.models import Referral
from sightline.referrals.tests.factories import referral_input
from sightline.workflows import decision_record, referral_intake


def young_child(given: str = "Tia", family: str = "Quenby") -> ChildInput:
    """A child under the screening age, so a decision can be made without a screening."""
    return ChildInput(
        given_name=given,
        family_name=family,
        date_of_birth=dt.date(2019, 4, 2),
        sex="female",
        postcode="NB4 7QX",
    )


def received(user: Any, *, at: dt.datetime | None = None, **overrides: Any) -> Referral:
    """Submit a referral (for a young child unless told otherwise) and start its clocks."""
    overrides.setdefault("children", [young_child()])
    overrides.setdefault("persons_named", [])
    overrides.setdefault("places_named", [])
    data = referral_input(received_at=at, **overrides)
    return referral_intake(acting_user=user, data=data).referral


def decided(referral: Referral, user: Any, outcome: str = "no_further_action") -> Any:
    return decision_record(  # the workflow runs the clock hooks
        acting_user=user, referral=referral, outcome=outcome, reason="Synthetic reason."
    )


def ladder_users(agency: Any) -> dict[str, Any]:
    """One person on each rung of the ladder (the csc agency holds the front door)."""
    rungs = {
        "practitioner": ("rung1-practitioner", Role.FRONT_DOOR_PRACTITIONER),
        "team_manager": ("rung2-manager", Role.TEAM_MANAGER),
        "head": ("rung3-head", Role.HEAD_OF_SERVICE),
        "lead": ("rung4-lead", Role.SAFEGUARDING_LEAD),
    }
    return {
        key: UserFactory(
            username=username, email=f"{username}@example.invalid", agency=agency, role=role
        )
        for key, (username, role) in rungs.items()
    }

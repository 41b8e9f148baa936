from __future__ import annotations

import datetime as dt
from typing import Any

from sightline.referrals.inputs import ChildInput, PersonInput, PlaceInput, ReferralInput
from sightline.workflows import IntakeResult, referral_intake


def referral_input(**overrides: Any) -> ReferralInput:
    """A plausible synthetic referral; names are invented."""
    data: dict[str, Any] = {
        "narrative": (
            "Year 9 pupil seen getting into a silver car driven by an older man after school "
            "on three occasions. She has a new phone and has gone missing overnight twice."
        ),
        "children": [
            ChildInput(
                given_name="Ellie",
                family_name="Marston",
                date_of_birth=dt.date(2011, 5, 14),
                sex="female",
                postcode="NB4 7QX",
            )
        ],
        "persons_named": [
            PersonInput(
                name="Dean Farrow",
                nickname="Deano",
                phone="07700 900123",
                vehicle_registration="NB19 XYZ",
            )
        ],
        "places_named": [PlaceInput(name="Golden Grill", kind="takeaway", postcode="NB4 2AB")],
        "urgency": "urgent",
        "concern_categories": ["sexual_exploitation", "missing"],
    }
    data.update(overrides)
    return ReferralInput(**data)


def submit(user: Any, **overrides: Any) -> IntakeResult:
    return referral_intake(acting_user=user, data=referral_input(**overrides))

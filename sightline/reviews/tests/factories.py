"""Synthetic reviews for the reviews app's tests, built through the workflows and services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sightline.accounts.roles import Role
from sightline.accounts.tests.factories import UserFactory
from sightline.referrals.inputs import ChildInput, ReferralInput
from sightline.reviews import services
from sightline.workflows import decision_record, referral_intake, referral_screen

NARRATIVE = "Seen getting into a car with her boyfriend (27). She is making her own choices."


def refer(user: Any, *, narrative: str = NARRATIVE, dob: dt.date = dt.date(2011, 6, 7)) -> Any:
    return referral_intake(
        acting_user=user,
        data=ReferralInput(
            narrative=narrative,
            children=[
                ChildInput(
                    given_name="Zylphia", family_name="Qorrent", date_of_birth=dob,
                    sex="female", postcode="NB3 1AA",
                )
            ],
            concern_categories=["sexual_exploitation"],
        ),
    )  # fmt: skip


def lead(agencies: dict[str, Any], name: str = "sg-lead") -> Any:
    return UserFactory(username=name, agency=agencies["csc"], role=Role.SAFEGUARDING_LEAD)


def reviewer(agencies: dict[str, Any], name: str = "case-reviewer") -> Any:
    return UserFactory(username=name, agency=agencies["other"], role=Role.REVIEWER)


def review_with_history(*, referrer: Any, decider: Any, lead_user: Any) -> dict[str, Any]:
    """A referral decided with victim-blaming words, and a rapid review of its child."""
    intake = refer(referrer)
    referral_screen(
        acting_user=decider, referral=intake.referral,
        referral_child=intake.children[0].referral_child, marks=[],
    )  # fmt: skip
    decision_record(
        acting_user=decider, referral=intake.referral, outcome="no_further_action",
        reason="She is streetwise and consented.",
    )  # fmt: skip
    child_id = intake.children[0].referral_child.child_id
    today = timezone.localdate()
    review = services.review_create(
        acting_user=lead_user, kind="rapid_review", title="Rapid review RR-1",
        child_ids=[child_id], period_start=today - dt.timedelta(days=30), period_end=today,
        incident_at=timezone.now(),
    )  # fmt: skip
    return {"review": review, "child_id": child_id, "referral": intake.referral}


def review_world(*, manager: Any, child_id: Any) -> dict[str, Any]:
    """A learning review of one child with one recommendation owned by `manager`, for the
    site-wide audit and permission tests."""
    today = timezone.localdate()
    review = services.review_create(
        acting_user=manager, kind="learning_review", title="Learning review LR-1",
        child_ids=[child_id], period_start=today - dt.timedelta(days=365), period_end=today,
    )  # fmt: skip
    rec = services.recommendation_add(
        acting_user=manager, review=review, text="Audit the front door's decisions.",
        owner_agency=manager.agency, owner_person=manager,
        due_on=today + dt.timedelta(days=30), required_evidence="The audit report.",
    )  # fmt: skip
    return {"review": review.pk, "recommendation": rec.pk}

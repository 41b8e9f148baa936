"""Who may do what to a review or a recommendation, given its state: predicates composed into
named permissions. Capabilities are checked by the views; these are the record-level rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sightline.accounts.roles import Cap
from sightline.reviews.choices import OPEN_STATUSES, ReviewStatus
from sightline.reviews.models import Recommendation, Review, ReviewerGrant


def manages_reviews(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_capability(Cap.REVIEW_MANAGE))


def grant_is_active(grant: ReviewerGrant, *, now: dt.datetime | None = None) -> bool:
    moment = now or timezone.now()
    return (
        grant.ended_at is None
        and grant.expires_at > moment
        and grant.review.status != ReviewStatus.CLOSED
    )


def review_is_open(review: Review) -> bool:
    return review.status != ReviewStatus.CLOSED


def is_overdue(recommendation: Recommendation, *, today: dt.date | None = None) -> bool:
    day = today or timezone.localdate()
    return recommendation.status in OPEN_STATUSES and recommendation.due_on < day


def may_update_recommendation(user: Any, recommendation: Recommendation) -> bool:
    """The owner, anyone in the owning agency who tracks recommendations, or a review lead."""
    return manages_reviews(user) or (
        user.has_capability(Cap.RECOMMENDATION_VIEW)
        and (
            recommendation.owner_person_id == user.pk
            or (user.agency_id is not None and recommendation.owner_agency_id == user.agency_id)
        )
    )


def may_decide_evidence(user: Any, recommendation: Recommendation) -> bool:
    """Accepting evidence as done (or not) is for a review lead who did not submit it."""
    return manages_reviews(user) and recommendation.evidence_submitted_by_id != user.pk

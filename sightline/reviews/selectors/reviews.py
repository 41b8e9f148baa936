"""Which reviews a user may see, and the reviewer's scope that other reads can consult."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from sightline.accounts.roles import Cap
from sightline.people.models import Child
from sightline.reviews.choices import ReviewStatus
from sightline.reviews.models import Review, ReviewChild, ReviewerGrant
from sightline.reviews.rules import manages_reviews


def _active_grants(user: Any) -> QuerySet[ReviewerGrant]:
    return ReviewerGrant.objects.filter(
        user=user, ended_at__isnull=True, expires_at__gt=timezone.now()
    ).exclude(review__status=ReviewStatus.CLOSED)


def review_scope(*, user: Any) -> QuerySet[Review]:
    """Reviews a user may open: every review for those who manage reviews; for a reviewer,
    those they hold an unexpired grant on while the review is open; nobody else any."""
    if not getattr(user, "is_authenticated", False) or not user.has_capability(Cap.REVIEW_VIEW):
        return Review.objects.none()
    if manages_reviews(user):
        return Review.objects.all()
    return Review.objects.filter(pk__in=_active_grants(user).values("review_id"))


def review_list(*, user: Any) -> QuerySet[Review]:
    return review_scope(user=user).prefetch_related("children__child").order_by("-created_at")


def review_get(*, user: Any, review_id: Any) -> Review | None:
    return (
        review_scope(user=user)
        .filter(pk=review_id)
        .select_related("created_by")
        .prefetch_related(
            "agencies",
            Prefetch("children", queryset=ReviewChild.objects.select_related("child")),
            Prefetch(
                "grants",
                queryset=ReviewerGrant.objects.select_related("user").order_by("-created_at"),
            ),
            "findings",
        )
        .first()
    )


@dataclass(frozen=True)
class ReviewWindow:
    """A reviewer's access to one child: which review, and the period it covers."""

    review_id: uuid.UUID
    reference: str
    period_start: dt.date
    period_end: dt.date
    expires_at: dt.datetime


def reviewer_windows(*, user: Any, child_id: Any) -> list[ReviewWindow]:
    """The periods of a child's records a reviewer may read through their active grants
    (empty for anyone else). Selectors above the domain apps consult this to admit a reviewer
    to a child's records for the review's period only."""
    grants = _active_grants(user).filter(review__children__child_id=child_id)
    return [
        ReviewWindow(g.review_id, g.review.reference, g.review.period_start,
                     g.review.period_end, g.expires_at)
        for g in grants.select_related("review")
    ]  # fmt: skip


def review_children_by_reference(*, user: Any, references: list[str]) -> dict[str, uuid.UUID]:
    """Reference -> child id for the references a lead starting a review gave (exact, case
    as stored); a reference no child has is left out. Only for those who start reviews: a
    review's scope is any child of the partnership (the API takes ids the same way)."""
    if not manages_reviews(user) or not references:
        return {}
    return dict(Child.objects.filter(reference__in=references).values_list("reference", "pk"))

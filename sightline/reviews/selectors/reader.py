"""What a case review lets its reviewers read of the records it cites: the referrals of the
review's children received in the review's period (from the review's agencies, when its scope
names them) and those children's records, read-only, through the review (never through the
front door's own scope, which a reviewer does not have). Anything else is not found."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from sightline.people.models import Child
from sightline.referrals.models import Decision, Referral, ReferralChild
from sightline.reviews.models import Review
from sightline.reviews.selectors.reviews import review_get
from sightline.screening.models import Screening


def _window(review: Review) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(review.period_start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(review.period_end, dt.time.max, tzinfo=tz),
    )


def review_referrals(review: Review) -> QuerySet[Referral]:
    """The referrals a review cites: its children's, received in its period, from its
    agencies when it names any."""
    start, end = _window(review)
    child_ids = [rc.child_id for rc in review.children.all()]
    found = Referral.objects.filter(
        children__child_id__in=child_ids, received_at__range=(start, end)
    )
    agency_ids = [a.pk for a in review.agencies.all()]
    if agency_ids:
        found = found.filter(source_agency_id__in=agency_ids)
    return found.distinct()


def review_referral_get(
    *, user: Any, review_id: Any, reference: str
) -> tuple[Review, Referral] | None:
    """A cited referral, through a review the user may open (an active reviewer's grant, or
    the partnership's review leads); only the review's children are listed on it."""
    review = review_get(user=user, review_id=review_id)
    if review is None:
        return None
    child_ids = [rc.child_id for rc in review.children.all()]
    referral = (
        review_referrals(review)
        .filter(reference=reference)
        .select_related("source_agency")
        .prefetch_related(
            Prefetch(
                "children",
                queryset=ReferralChild.objects.filter(child_id__in=child_ids)
                .select_related("child")
                .prefetch_related(
                    Prefetch("screenings", queryset=Screening.objects.order_by("screened_at"))
                ),
            ),
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("decided_by").order_by("decided_at"),
            ),
            "persons_named",
        )
        .first()
    )
    return None if referral is None else (review, referral)


@dataclass
class ReviewChildRecord:
    review: Review
    child: Child
    referrals: list[Referral] = field(default_factory=list)


def review_child_get(*, user: Any, review_id: Any, child_id: Any) -> ReviewChildRecord | None:
    """A child in a review's scope, with the referrals about them the review cites."""
    review = review_get(user=user, review_id=review_id)
    if review is None:
        return None
    rc = next((rc for rc in review.children.all() if str(rc.child_id) == str(child_id)), None)
    if rc is None:
        return None
    referrals = list(
        review_referrals(review)
        .filter(children__child_id=rc.child_id)
        .select_related("source_agency", "decision")
        .order_by("received_at")
    )
    return ReviewChildRecord(review, rc.child, referrals)

"""The audited reads of case reviews (ADR 0010): the list, one review, its chronology (page,
API, CSV and PDF), the records it cites, and its recommendations. Each applies the user's
scope, raises NotFound for a record missing or out of scope (recording nothing), and writes
the row the page or handler used to write by hand, inside `transaction.atomic()` (a savepoint
of the caller's transaction, or a transaction of its own), so none can be shown unrecorded.

A read about a review writes one row per child in its scope, so each child's access log
shows it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import NotFound
from sightline.referrals.models import Referral, ReferralChild
from sightline.reviews.models import Recommendation, Review
from sightline.reviews.selectors.chronology import Entry, review_chronology
from sightline.reviews.selectors.reader import (
    ReviewChildRecord,
    review_child_get,
    review_referral_get,
)
from sightline.reviews.selectors.recommendations import (
    Tracker,
    recommendation_get,
    recommendation_list,
    tracker,
)
from sightline.reviews.selectors.reviews import review_get, review_list

NO_REVIEW = "No review with that id that you can see."
NO_RECOMMENDATION = "No recommendation with that id that you can see."
NO_RECORD = "No such record in this review."


def _review(user: Any, review_id: Any) -> Review:
    review = review_get(user=user, review_id=review_id)
    if review is None:
        raise NotFound(NO_REVIEW)
    return review


def _record_children(user: Any, review: Review, action: str, kind: str) -> None:
    for rc in review.children.all():
        audit_record(
            actor=user, action=action, object_type=kind, object_id=review.pk,
            object_ref=review.reference, child_id=rc.child_id,
        )  # fmt: skip


def review_list_read(*, user: Any, limit: int = 200) -> list[Review]:
    """The reviews the user may open, newest first, the listing recorded."""
    with transaction.atomic():
        reviews = list(review_list(user=user)[:limit])
        audit_record(
            actor=user, action=Action.LIST, object_type="reviews",
            details={"count": len(reviews)},
        )  # fmt: skip
    return reviews


def review_read(*, user: Any, review_id: Any) -> Review:
    """One review (its scope, dates and clocks), its view recorded against each child."""
    with transaction.atomic():
        review = _review(user, review_id)
        _record_children(user, review, Action.VIEW, "review")
    return review


def review_chronology_read(
    *, user: Any, review_id: Any, action: str = Action.VIEW
) -> tuple[Review, list[Entry]]:
    """A review and its chronology: `action` is a view (the workspace, the API) or an export
    (CSV, PDF), recorded against each child in scope."""
    with transaction.atomic():
        review = _review(user, review_id)
        entries = review_chronology(review=review)
        _record_children(user, review, action, "review_chronology")
    return review, entries


def review_referral_read(
    *, user: Any, review_id: Any, reference: str
) -> tuple[Review, Referral, list[ReferralChild]]:
    """A referral the review cites, with only the review's children on it, read through the
    review (recorded with `via_review`)."""
    found = review_referral_get(user=user, review_id=review_id, reference=reference)
    if found is None:
        raise NotFound(NO_RECORD)
    review, referral = found
    children = list(referral.children.all())
    with transaction.atomic():
        audit_record(
            actor=user, action=Action.VIEW, object_type="referral",
            object_id=referral.pk, object_ref=referral.reference,
            child_id=children[0].child_id if len(children) == 1 else None,
            referral_id=referral.pk,
            details={"via_review": review.reference,
                     "children": [str(c.child_id) for c in children]},
        )  # fmt: skip
    return review, referral, children


def review_child_read(*, user: Any, review_id: Any, child_id: Any) -> ReviewChildRecord:
    """A child in the review's scope and the referrals about them it cites, read through the
    review (recorded with `via_review`)."""
    record = review_child_get(user=user, review_id=review_id, child_id=child_id)
    if record is None:
        raise NotFound(NO_RECORD)
    with transaction.atomic():
        audit_record(
            actor=user, action=Action.VIEW, object_type="child",
            object_id=record.child.pk, object_ref=record.child.reference,
            child_id=record.child.pk, details={"via_review": record.review.reference},
        )  # fmt: skip
    return record


def tracker_read(
    *, user: Any, status: str | None, today: dt.date, limit: int
) -> tuple[Tracker, list[Recommendation]]:
    """The partnership tracker's figures and its list (at most `limit`, `status` a status,
    "overdue" or None), the listing recorded."""
    with transaction.atomic():
        figures = tracker(user=user, today=today)
        recs = list(recommendation_list(user=user, status=status)[:limit])
        audit_record(
            actor=user, action=Action.LIST, object_type="recommendations",
            details={"status": status or "", "count": len(recs)},
        )  # fmt: skip
    return figures, recs


def recommendation_page_read(
    *, user: Any, status: str | None, offset: int, limit: int
) -> tuple[int, list[Recommendation]]:
    """`limit` recommendations from `offset` and their total, for the API, the listing
    recorded."""
    with transaction.atomic():
        qs = recommendation_list(user=user, status=status)
        page = list(qs[offset : offset + limit])
        audit_record(
            actor=user, action=Action.LIST, object_type="recommendations",
            details={"status": status or "", "count": len(page), "offset": offset},
        )  # fmt: skip
        count = qs.count()
    return count, page


def recommendation_export_read(*, user: Any, status: str | None) -> list[Recommendation]:
    """Every recommendation in scope with `status`, for the tracker's CSV, recorded as an
    export."""
    with transaction.atomic():
        recs = list(recommendation_list(user=user, status=status))
        audit_record(
            actor=user, action=Action.EXPORT, object_type="recommendations",
            details={"status": status or "", "count": len(recs), "format": "csv"},
        )  # fmt: skip
    return recs


def recommendation_read(*, user: Any, recommendation_id: Any) -> Recommendation:
    """One recommendation with its updates, its view recorded."""
    rec = recommendation_get(user=user, recommendation_id=recommendation_id)
    if rec is None:
        raise NotFound(NO_RECOMMENDATION)
    with transaction.atomic():
        audit_record(
            actor=user, action=Action.VIEW, object_type="recommendation",
            object_id=rec.pk, object_ref=rec.reference,
        )  # fmt: skip
    return rec

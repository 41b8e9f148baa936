"""The records a case review cites, read through the review: a cited referral and a child in
the review's scope. Read-only; every read writes one audit row naming the child (and the
referral) with the review it was read through (`review_referral_read`, `review_child_read`).
Anything outside the review is not found."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sightline.accounts.roles import Cap
from sightline.core.permissions import capability_required
from sightline.reviews import selectors


@capability_required(Cap.REVIEW_VIEW)
def referral_read(request: HttpRequest, review_id: uuid.UUID, reference: str) -> HttpResponse:
    review, referral, children = selectors.review_referral_read(
        user=request.user, review_id=review_id, reference=reference
    )
    return render(
        request,
        "reviews/reader_referral.html",
        {"review": review, "referral": referral, "children": children},
    )


@capability_required(Cap.REVIEW_VIEW)
def child_read(request: HttpRequest, review_id: uuid.UUID, child_id: uuid.UUID) -> HttpResponse:
    record = selectors.review_child_read(user=request.user, review_id=review_id, child_id=child_id)
    return render(request, "reviews/reader_child.html", {"record": record})

"""The records a case review cites, read through the review: a cited referral and a child in
the review's scope. Read-only; every read writes one audit row naming the child (and the
referral) with the review it was read through. Anything outside the review is not found."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sightline.accounts.roles import Cap
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.permissions import capability_required
from sightline.reviews import selectors


@capability_required(Cap.REVIEW_VIEW)
def referral_read(request: HttpRequest, review_id: uuid.UUID, reference: str) -> HttpResponse:
    found = selectors.review_referral_get(
        user=request.user, review_id=review_id, reference=reference
    )
    if found is None:
        raise Http404
    review, referral = found
    children = list(referral.children.all())
    with transaction.atomic():
        audit_record(
            actor=request.user, action=Action.VIEW, object_type="referral",
            object_id=referral.pk, object_ref=referral.reference,
            child_id=children[0].child_id if len(children) == 1 else None,
            referral_id=referral.pk,
            details={"via_review": review.reference,
                     "children": [str(c.child_id) for c in children]},
        )  # fmt: skip
        return render(
            request,
            "reviews/reader_referral.html",
            {"review": review, "referral": referral, "children": children},
        )


@capability_required(Cap.REVIEW_VIEW)
def child_read(request: HttpRequest, review_id: uuid.UUID, child_id: uuid.UUID) -> HttpResponse:
    record = selectors.review_child_get(user=request.user, review_id=review_id, child_id=child_id)
    if record is None:
        raise Http404
    with transaction.atomic():
        audit_record(
            actor=request.user, action=Action.VIEW, object_type="child",
            object_id=record.child.pk, object_ref=record.child.reference,
            child_id=record.child.pk, details={"via_review": record.review.reference},
        )  # fmt: skip
        return render(request, "reviews/reader_child.html", {"record": record})

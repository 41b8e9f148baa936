"""Reviews API: the language check, case reviews, their chronology and recommendations.
Mounted at the API root (prefix ""), so the paths here are full sub-paths."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from sightline.accounts.http import AuthenticatedHttpRequest
from sightline.accounts.models import Agency, User
from sightline.accounts.roles import Cap
from sightline.core.api import Detail, InputSchema
from sightline.core.errors import ApiError
from sightline.intel.models import PersonOfConcern
from sightline.reviews import selectors, services
from sightline.reviews.choices import OVERDUE, RecommendationStatus, ReviewKind
from sightline.reviews.language import MAX_CHARS, check_text
from sightline.reviews.models import Recommendation, Review
from sightline.reviews.rules import is_overdue, manages_reviews

router = Router(tags=["reviews"])


class CheckContext(Schema):
    child_age: int | None = Field(None, ge=0, le=25)
    about_person_id: uuid.UUID | None = Field(
        None, description="A person of concern's id: their age and status inform the check."
    )


class CheckIn(InputSchema):
    text: str = Field(..., description=f"At most {MAX_CHARS:,} characters.")
    context: CheckContext | None = None


class FlagOut(Schema):
    phrase: str
    start: int
    end: int
    category: str
    why: str
    alternatives: list[str]


class StoredFlagOut(FlagOut):
    """A flag kept with a stored text, in the answer to the write that stored it."""

    field: str = Field("", description="The field of the record the phrase is in.")


class CheckOut(Schema):
    flags: list[FlagOut]


def _person_age(person: PersonOfConcern) -> int | None:
    today = timezone.localdate()
    if person.date_of_birth:
        born = person.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return today.year - person.estimated_birth_year if person.estimated_birth_year else None


@router.post(
    "/language/check",
    response={200: CheckOut, 403: Detail, 404: Detail, 413: Detail, 422: Detail},
    summary="Flag phrases that blame a child or minimise their abuse (advice; nothing stored)",
)
def language_check(request: AuthenticatedHttpRequest, payload: CheckIn) -> dict[str, Any]:
    user = request.user
    if not user.has_capability(Cap.LANGUAGE_CHECK):
        raise ApiError(403, "Your role cannot use the language checker.")
    if len(payload.text) > MAX_CHARS:
        raise ApiError(
            413, f"The text is {len(payload.text):,} characters; the checker takes at most "
            f"{MAX_CHARS:,}. Send it in parts.",
        )  # fmt: skip
    context = payload.context or CheckContext(child_age=None, about_person_id=None)
    person_age, is_poc = None, False
    if context.about_person_id is not None:
        if not user.has_capability(Cap.INTEL_VIEW):
            raise ApiError(404, "No person of concern with that id that you can see.")
        person = PersonOfConcern.objects.filter(pk=context.about_person_id).first()
        if person is None:
            raise ApiError(404, "No person of concern with that id that you can see.")
        person_age, is_poc = _person_age(person), True
    flags = check_text(
        payload.text, child_age=context.child_age, about_person_age=person_age,
        about_person_of_concern=is_poc,
    )  # fmt: skip
    return {"flags": [f.as_dict() for f in flags]}


class ReviewIn(InputSchema):
    kind: ReviewKind
    title: str = Field(..., max_length=200)
    children: list[uuid.UUID] = Field(..., description="Child record ids; at least one.")
    period_start: dt.date
    period_end: dt.date
    agencies: list[str] = Field(default_factory=list, description="Agency codes; empty = all.")
    incident_at: dt.datetime | None = None


class ReviewOut(Schema):
    id: uuid.UUID
    reference: str
    kind: str
    title: str
    status: str
    children: list[str]
    agencies: list[str]
    period_start: dt.date
    period_end: dt.date
    incident_at: dt.datetime | None
    notification_due_at: dt.datetime | None
    notification_overdue: bool
    rapid_review_due_at: dt.datetime | None
    rapid_review_overdue: bool
    report_due_on: dt.date | None


def _overdue(due: dt.datetime | None, done: dt.datetime | None, review: Review) -> bool:
    return bool(due and not done and review.status != "closed" and due < timezone.now())


def review_out(review: Review) -> dict[str, Any]:
    return {
        "id": review.pk, "reference": review.reference, "kind": review.kind,
        "title": review.title, "status": review.status,
        "children": [rc.child.reference for rc in review.children.all()],
        "agencies": [a.code for a in review.agencies.all()],
        "period_start": review.period_start, "period_end": review.period_end,
        "incident_at": review.incident_at,
        "notification_due_at": review.notification_due_at,
        "notification_overdue": _overdue(review.notification_due_at, review.notified_at, review),
        "rapid_review_due_at": review.rapid_review_due_at,
        "rapid_review_overdue": _overdue(
            review.rapid_review_due_at, review.rapid_review_done_at, review
        ),
        "report_due_on": review.report_due_on,
    }  # fmt: skip


@router.post(
    "/reviews", response={201: ReviewOut, 403: Detail, 422: Detail}, summary="Start a case review"
)
def review_create(request: AuthenticatedHttpRequest, payload: ReviewIn) -> Status[dict[str, Any]]:
    user = request.user
    if not manages_reviews(user):
        raise ApiError(403, "Your role cannot start case reviews.")
    agencies = list(Agency.objects.filter(code__in=payload.agencies))
    if len(agencies) != len(set(payload.agencies)):
        raise ApiError(422, {"agencies": "One or more agency codes are not known."})
    with transaction.atomic():
        review = services.review_create(
            acting_user=user, kind=payload.kind, title=payload.title,
            child_ids=payload.children, period_start=payload.period_start,
            period_end=payload.period_end, agency_ids=[a.pk for a in agencies],
            incident_at=payload.incident_at,
        )  # fmt: skip
        found = selectors.review_get(user=user, review_id=review.pk)
        assert found is not None
        return Status(201, review_out(found))


class ReviewDatesIn(InputSchema):
    notified_at: dt.datetime | None = Field(None, description="When the national panel was told")
    rapid_review_done_at: dt.datetime | None = None


def _review_or_404(user: Any, review_id: uuid.UUID) -> Review:
    review = selectors.review_get(user=user, review_id=review_id)
    if review is None:
        raise ApiError(404, "No review with that id that you can see.")
    return review


@router.post(
    "/reviews/{review_id}/dates",
    response={200: ReviewOut, 403: Detail, 404: Detail, 422: Detail},
    summary="Record when the national panel was notified and the rapid review done",
)
def review_dates(
    request: AuthenticatedHttpRequest, review_id: uuid.UUID, payload: ReviewDatesIn
) -> dict[str, Any]:
    user = request.user
    review = _review_or_404(user, review_id)
    if not manages_reviews(user):
        raise ApiError(403, "Only those who run reviews record its dates.")
    with transaction.atomic():
        services.review_dates_record(
            acting_user=user, review=review, notified_at=payload.notified_at,
            rapid_review_done_at=payload.rapid_review_done_at,
        )  # fmt: skip
    found = selectors.review_get(user=user, review_id=review.pk)
    assert found is not None
    return review_out(found)


@router.get("/reviews/{review_id}", response={200: ReviewOut, 404: Detail}, summary="A review")
def review_detail(request: HttpRequest, review_id: uuid.UUID) -> dict[str, Any]:
    return review_out(selectors.review_read(user=request.user, review_id=review_id))


class EntryOut(Schema):
    key: str
    at: dt.datetime
    child: str
    child_age: int | None
    agency: str
    source: str
    event_type: str
    headline: str
    action: str
    outcome: str
    significance: str
    is_key: bool
    is_gap: bool


class ReviewChronologyOut(Schema):
    review: str
    entries: list[EntryOut]


@router.get(
    "/reviews/{review_id}/chronology",
    response={200: ReviewChronologyOut, 404: Detail},
    summary="The review's integrated chronology, with reviewers' significance notes",
)
def review_chronology(request: HttpRequest, review_id: uuid.UUID) -> dict[str, Any]:
    review, entries = selectors.review_chronology_read(user=request.user, review_id=review_id)
    return {
        "review": review.reference,
        "entries": [{**e.__dict__, "child": e.child_ref} for e in entries],
    }


class RecommendationIn(InputSchema):
    text: str = Field(..., max_length=10_000)
    owner_agency: str | None = Field(None, description="The owning agency's code.")
    owner_username: str | None = Field(None, description="The owner's username.")
    due_on: dt.date | None = None
    required_evidence: str = Field("", max_length=5_000)


class RecommendationOut(Schema):
    id: uuid.UUID
    reference: str
    review: str
    text: str
    owner_agency: str
    owner: str
    due_on: dt.date
    required_evidence: str
    status: str
    overdue: bool
    evidence: str
    evidence_submitted_by: str | None
    decided_by: str | None
    language_flags: list[StoredFlagOut] = Field(
        default_factory=list, description="On a write: the flags of the text it carried."
    )


def recommendation_out(
    rec: Recommendation, flags: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "language_flags": flags or [],
        "id": rec.pk, "reference": rec.reference, "review": rec.review.reference,
        "text": rec.text, "owner_agency": rec.owner_agency.code,
        "owner": rec.owner_person.username, "due_on": rec.due_on,
        "required_evidence": rec.required_evidence, "status": rec.status,
        "overdue": is_overdue(rec), "evidence": rec.evidence,
        "evidence_submitted_by": getattr(rec.evidence_submitted_by, "username", None),
        "decided_by": getattr(rec.decided_by, "username", None),
    }  # fmt: skip


@router.post(
    "/reviews/{review_id}/recommendations",
    response={201: RecommendationOut, 403: Detail, 404: Detail, 422: Detail},
    summary="Add a recommendation (owner agency and person, due date, evidence required)",
)
def recommendation_create(
    request: AuthenticatedHttpRequest, review_id: uuid.UUID, payload: RecommendationIn
) -> Status[dict[str, Any]]:
    user = request.user
    review = _review_or_404(user, review_id)
    if not manages_reviews(user):
        raise ApiError(403, "Only those who run reviews add recommendations.")
    agency = (
        Agency.objects.filter(code=payload.owner_agency).first() if payload.owner_agency else None
    )
    owner = (
        User.objects.filter(username=payload.owner_username).first()
        if payload.owner_username
        else None
    )
    if payload.owner_agency and agency is None:
        raise ApiError(422, {"owner_agency": "No agency with that code."})
    if payload.owner_username and owner is None:
        raise ApiError(422, {"owner_username": "No user with that username."})
    rec = services.recommendation_add(
        acting_user=user, review=review, text=payload.text, owner_agency=agency,
        owner_person=owner, due_on=payload.due_on, required_evidence=payload.required_evidence,
    )  # fmt: skip
    return Status(201, recommendation_out(rec, selectors.language_flags_of(rec.pk)))


class RecommendationPatch(InputSchema):
    status: RecommendationStatus | None = None
    note: str = Field("", max_length=5_000)
    evidence: str | None = Field(None, max_length=10_000)


@router.patch(
    "/recommendations/{recommendation_id}",
    response={200: RecommendationOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="Update a recommendation: a note, evidence, a new status",
)
def recommendation_patch(
    request: AuthenticatedHttpRequest, recommendation_id: uuid.UUID, payload: RecommendationPatch
) -> dict[str, Any]:
    user = request.user
    rec = selectors.recommendation_get(user=user, recommendation_id=recommendation_id)
    if rec is None:
        raise ApiError(404, "No recommendation with that id that you can see.")
    rec = services.recommendation_update(
        acting_user=user, recommendation=rec, status=payload.status, note=payload.note,
        evidence=payload.evidence,
    )  # fmt: skip
    update = rec.updates.order_by("-created_at").first()
    flags = selectors.language_flags_of(update.pk) if update is not None else []
    if payload.evidence:
        flags += selectors.language_flags_of(rec.pk, "evidence")
    return recommendation_out(rec, flags)


class RecommendationPage(Schema):
    count: int
    results: list[RecommendationOut]


@router.get(
    "/recommendations",
    response={200: RecommendationPage, 403: Detail, 422: Detail},
    summary="Recommendations in scope, overdue first (status: a status or 'overdue')",
)
def recommendations(
    request: AuthenticatedHttpRequest, status: str | None = None, limit: int = 100, offset: int = 0
) -> dict[str, Any]:
    user = request.user
    if not user.has_capability(Cap.RECOMMENDATION_VIEW):
        raise ApiError(403, "Your role cannot see review recommendations.")
    if status is not None and status not in [*RecommendationStatus.values, OVERDUE]:
        raise ApiError(
            422, f"status must be one of {', '.join([*RecommendationStatus.values, OVERDUE])}."
        )
    limit, offset = max(1, min(limit, 500)), max(0, min(offset, 1_000_000_000))
    count, page = selectors.recommendation_page_read(
        user=user, status=status, offset=offset, limit=limit
    )
    return {"count": count, "results": [recommendation_out(r) for r in page]}

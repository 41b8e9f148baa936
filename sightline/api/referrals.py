from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any, Literal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import field_validator

from sightline.accounts.models import Agency
from sightline.accounts.roles import Cap
from sightline.api.idempotency import idempotent
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.api import Detail, InputSchema
from sightline.core.errors import ApiError, TransitionNotAllowed
from sightline.escalation.api import ClockOut, EscalationOut
from sightline.escalation.selectors import referral_clock_summary
from sightline.people.choices import Sex
from sightline.referrals.choices import Channel, ConcernCategory, Outcome, PlaceKind, Urgency
from sightline.referrals.inputs import (
    ChildInput,
    PersonInput,
    PlaceInput,
    ReferralInput,
)
from sightline.referrals.models import Referral
from sightline.referrals.selectors import (
    can_see_assessment,
    referral_get,
)
from sightline.screening.choices import LEVEL_RANK, RiskLevel
from sightline.workflows import IntakeResult, decision_record, referral_intake, referral_screen

router = Router(tags=["referrals"])

# The vocabularies are the apps' TextChoices (their values are what the API accepts).
SexLiteral = Sex
UrgencyLiteral = Urgency
PlaceKindLiteral = PlaceKind
CategoryLiteral = ConcernCategory
OutcomeLiteral = Outcome
LevelLiteral = RiskLevel


class ChildIn(Schema):
    given_name: str = Field(..., max_length=100)
    family_name: str = Field(..., max_length=100)
    date_of_birth: dt.date | None = None
    approximate_age: int | None = Field(None, ge=0, le=25)
    sex: SexLiteral = Sex.UNKNOWN
    address: str = Field("", max_length=300)
    postcode: str = Field("", max_length=10)
    school: str = Field("", max_length=200)
    nhs_number: str = Field("", max_length=12)
    has_learning_disability: bool = False


class PersonIn(Schema):
    name: str = Field("", max_length=200)
    nickname: str = Field("", max_length=100)
    approximate_age: int | None = Field(None, ge=0, le=120)
    description: str = Field("", max_length=5000)
    phone: str = Field("", max_length=30)
    vehicle_registration: str = Field("", max_length=12)
    address: str = Field("", max_length=300)


class PlaceIn(Schema):
    name: str = Field("", max_length=200)
    kind: PlaceKindLiteral = PlaceKind.OTHER
    address: str = Field("", max_length=300)
    postcode: str = Field("", max_length=10)


class ReferralIn(InputSchema):
    received_at: dt.datetime | None = None
    narrative: str = Field(..., min_length=1, max_length=50_000)
    children: list[ChildIn] = Field(..., min_length=1, max_length=20)
    persons_named: list[PersonIn] = Field(default_factory=list, max_length=50)
    places_named: list[PlaceIn] = Field(default_factory=list, max_length=50)
    concern_categories: list[CategoryLiteral] = Field(default_factory=list, max_length=11)
    child_aware: bool | None = None
    family_aware: bool | None = None
    urgency: UrgencyLiteral = Urgency.ROUTINE
    vehicles: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="Vehicle registrations seen, full or partial (for example 'KX19 ABC').",
    )
    phones: list[str] = Field(
        default_factory=list, max_length=50, description="Phone numbers linked to the concern."
    )
    agency: str | None = Field(
        None, max_length=40, description="Optional agency code; must be the token's own agency."
    )

    @field_validator("received_at")
    @classmethod
    def _received_this_century(cls, value: dt.datetime | None) -> dt.datetime | None:
        # Refused here as well as in intake: intake converts to local time first, which
        # overflows for the first days of year 1.
        if value is not None and value.year < 2000:
            raise ValueError("received_at is too far in the past.")
        return value


class CandidateOut(Schema):
    candidate_id: uuid.UUID
    child_id: uuid.UUID
    reference: str
    score: float
    reasons: list[str]


class IntakeChildOut(Schema):
    id: uuid.UUID
    reference: str
    matched_existing: bool
    age_on_day: int | None
    screening_required: bool
    candidates: list[CandidateOut]


class SuggestionOut(Schema):
    code: str
    label: str
    phrase: str


class ReferralCreatedOut(Schema):
    reference: str
    status: str
    received_at: dt.datetime
    decision_due_at: dt.datetime
    rag: str
    screening_required: bool
    children: list[IntakeChildOut]
    suggested_indicators: list[SuggestionOut]


class MarkIn(Schema):
    code: str = Field(..., max_length=10)
    status: Literal["present", "possible", "not_known"]
    basis: Literal["evidence", "professional_judgement"] | None = None
    note: str = Field("", max_length=2000)


class ScreeningIn(InputSchema):
    indicators: list[MarkIn] = Field(..., max_length=100)
    child_id: uuid.UUID | None = Field(
        None, description="Which child, when the referral names more than one."
    )
    raised_level: LevelLiteral | None = None
    raised_reason: str = Field("", max_length=5000)


class MarkOut(Schema):
    code: str
    status: str
    basis: str
    note: str


class ScreeningOut(Schema):
    child_id: uuid.UUID
    level: str
    computed_level: str
    score: int
    harm_indicated: bool
    reasons: list[str]
    review_on: dt.date | None
    catalogue_version: str
    indicators: list[MarkOut]


class DecisionIn(InputSchema):
    outcome: OutcomeLiteral
    reason: str = Field(..., min_length=1, max_length=10_000)


class DecisionOut(Schema):
    outcome: str
    reason: str
    decided_at: dt.datetime
    decided_by: str
    signed_off_by: str | None


class ReferralChildOut(Schema):
    id: uuid.UUID
    reference: str
    age_on_day: int | None
    screening_required: bool
    match_status: str


class ReferralOut(Schema):
    reference: str
    status: str
    received_at: dt.datetime
    source_agency: str
    channel: str
    urgency: str
    rag: str
    decision_due_at: dt.datetime
    children: list[ReferralChildOut]
    screening: ScreeningOut | None
    screenings: list[ScreeningOut]
    decision: DecisionOut | None
    clocks: list[ClockOut] = Field(
        default_factory=list, description="Statutory clocks on this referral, oldest first."
    )
    escalations: list[EscalationOut] = Field(
        default_factory=list,
        description="Escalations raised on this referral (empty unless your role sees them).",
    )


def _screening_out(screening: Any, child_id: uuid.UUID) -> dict[str, Any]:
    return {
        "child_id": child_id,
        "level": screening.level,
        "computed_level": screening.computed_level,
        "score": screening.score,
        "harm_indicated": screening.harm_indicated,
        "reasons": screening.reasons,
        "review_on": screening.review_on,
        "catalogue_version": screening.catalogue.version,
        "indicators": [
            {"code": m.code, "status": m.status, "basis": m.basis, "note": m.note}
            for m in screening.marks.all()
        ],
    }


def _get_or_404(request: HttpRequest, reference: str) -> Referral:
    if "\x00" in reference:  # no reference holds one (and PostgreSQL cannot compare it)
        raise ApiError(404, "No referral with that reference that you can see.")
    referral = referral_get(user=request.user, reference=reference[:20])
    if referral is None:
        raise ApiError(404, "No referral with that reference that you can see.")
    return referral


def referral_out(referral: Referral, user: Any) -> dict[str, Any]:
    screenings: list[dict[str, Any]] = []
    if can_see_assessment(user):
        for rc in referral.children.all():
            for s in rc.screenings.all():
                if s.is_current:
                    screenings.append(_screening_out(s, rc.child_id))
    top = max(screenings, key=lambda s: LEVEL_RANK[s["level"]], default=None)
    decision = getattr(referral, "decision", None)
    return {
        "reference": referral.reference,
        "status": referral.status,
        "received_at": referral.received_at,
        "source_agency": referral.source_agency.code,
        "channel": referral.channel,
        "urgency": referral.urgency,
        "rag": referral.rag,
        "decision_due_at": referral.decision_due_at,
        "children": [
            {
                "id": rc.child_id,
                "reference": rc.child.reference,
                "age_on_day": rc.age_on_day,
                "screening_required": rc.screening_required,
                "match_status": rc.match_status,
            }
            for rc in referral.children.all()
        ],
        "screening": top,
        "screenings": screenings,
        "decision": None
        if decision is None
        else {
            "outcome": decision.outcome,
            "reason": decision.reason,
            "decided_at": decision.decided_at,
            "decided_by": decision.decided_by.username,
            "signed_off_by": decision.signed_off_by.username if decision.signed_off_by else None,
        },
        **_clocks_out(referral, user),
    }


def _clocks_out(referral: Referral, user: Any) -> dict[str, Any]:
    summary = referral_clock_summary(referral)
    if not user.has_capability(Cap.ESCALATION_VIEW):
        summary["escalations"] = []
    return summary


def to_input(payload: ReferralIn, channel: str) -> ReferralInput:
    return ReferralInput(
        narrative=payload.narrative,
        children=[ChildInput(**c.dict()) for c in payload.children],
        received_at=payload.received_at,
        channel=channel,
        concern_categories=list(payload.concern_categories),
        persons_named=[PersonInput(**p.dict()) for p in payload.persons_named],
        places_named=[PlaceInput(**p.dict()) for p in payload.places_named],
        child_aware=payload.child_aware,
        family_aware=payload.family_aware,
        urgency=payload.urgency,
        vehicles=list(payload.vehicles),
        phones=list(payload.phones),
    )


@router.post(
    "",
    response={201: ReferralCreatedOut, 400: Detail, 403: Detail, 409: Detail, 422: Detail},
    summary="Submit a referral (the front door for partner systems)",
    description=(
        "Send an `Idempotency-Key` header (for example a UUID) to make retries safe: the same "
        "key and body returns the first answer, the same key with another body is 422, and a "
        "retry while the first is still in flight is 409. Keys are kept for at least 24 hours."
    ),
)
def referral_create(request: HttpRequest, payload: ReferralIn) -> Status[Any]:
    user: Any = request.user
    if not user.has_capability(Cap.REFERRAL_SUBMIT):
        raise ApiError(403, "Your role cannot submit referrals.")
    if payload.agency is not None:
        agency = Agency.objects.filter(code=payload.agency).first()
        if agency is None:
            raise ApiError(422, f"Unknown agency {payload.agency!r}.")
        if agency.pk != user.agency_id:
            raise ApiError(422, "You can only refer on behalf of your own agency.")

    def work() -> tuple[int, Any]:
        result = referral_intake(acting_user=user, data=to_input(payload, Channel.API))
        return 201, json.loads(json.dumps(intake_out(result), cls=DjangoJSONEncoder))

    status, body = idempotent(request, user, work)
    return Status(status, body)


def intake_out(result: IntakeResult) -> dict[str, Any]:
    referral = result.referral
    return {
        "reference": referral.reference,
        "status": referral.status,
        "received_at": referral.received_at,
        "decision_due_at": referral.decision_due_at,
        "rag": referral.rag,
        "screening_required": any(c.referral_child.screening_required for c in result.children),
        "children": [
            {
                "id": c.referral_child.child_id,
                "reference": c.referral_child.child.reference,
                "matched_existing": c.matched_existing,
                "age_on_day": c.referral_child.age_on_day,
                "screening_required": c.referral_child.screening_required,
                "candidates": [
                    {
                        "candidate_id": m.pk,
                        "child_id": m.candidate_id,
                        "reference": m.candidate.reference,
                        "score": m.score,
                        "reasons": m.reasons,
                    }
                    for m in c.candidates
                ],
            }
            for c in result.children
        ],
        "suggested_indicators": [
            {"code": s.code, "label": s.label, "phrase": s.phrase} for s in result.suggestions
        ],
    }


@router.get("/{reference}", response={200: ReferralOut, 404: Detail}, summary="A referral")
def referral_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    with transaction.atomic():
        referral = _get_or_404(request, reference)
        audit_record(
            actor=request.user,
            action=Action.VIEW,
            object_type="referral",
            object_id=referral.pk,
            object_ref=referral.reference,
            referral_id=referral.pk,
        )
        return referral_out(referral, request.user)


@router.post(
    "/{reference}/screening",
    response={200: ScreeningOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="Record a CSE screening for a child on this referral",
)
def referral_screening(
    request: HttpRequest, reference: str, payload: ScreeningIn
) -> dict[str, Any]:
    user: Any = request.user
    referral = _get_or_404(request, reference)
    if not user.has_capability(Cap.REFERRAL_SCREEN):
        raise ApiError(403, "Your role cannot record screenings.")
    children = list(referral.children.all())
    if payload.child_id is None:
        needing = [rc for rc in children if rc.screening_required] or children
        if len(needing) > 1:
            raise ApiError(422, "This referral names more than one child: give child_id.")
        referral_child = needing[0]
    else:
        match = [rc for rc in children if rc.child_id == payload.child_id]
        if not match:
            raise ApiError(422, "That child is not on this referral.")
        referral_child = match[0]
    try:
        screening = referral_screen(
            acting_user=user,
            referral=referral,
            referral_child=referral_child,
            marks=[m.dict() for m in payload.indicators],
            raised_level=payload.raised_level,
            raised_reason=payload.raised_reason,
        )
    except TransitionNotAllowed as exc:
        raise ApiError(409, "A decision has already been made on this referral.") from exc
    return _screening_out(screening, referral_child.child_id)


@router.post(
    "/{reference}/decision",
    response={200: DecisionOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="Record the decision on a referral",
)
def referral_decision(request: HttpRequest, reference: str, payload: DecisionIn) -> dict[str, Any]:
    user: Any = request.user
    referral = _get_or_404(request, reference)
    if not user.has_capability(Cap.REFERRAL_DECIDE):
        raise ApiError(403, "Your role cannot record decisions.")
    decision = decision_record(
        acting_user=user, referral=referral, outcome=payload.outcome, reason=payload.reason
    )
    return {
        "outcome": decision.outcome,
        "reason": decision.reason,
        "decided_at": decision.decided_at,
        "decided_by": decision.decided_by.username,
        "signed_off_by": decision.signed_off_by.username if decision.signed_off_by else None,
    }

from __future__ import annotations

import json
import uuid
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Status

from sightline.accounts.http import AuthenticatedHttpRequest
from sightline.accounts.models import Agency
from sightline.accounts.roles import Cap, is_manager
from sightline.api.idempotency import idempotent
from sightline.api.referral_schemas import (  # noqa: F401 (the schemas are this module's too)
    CandidateOut,
    CategoryLiteral,
    ChildIn,
    DecisionIn,
    DecisionOut,
    IntakeChildOut,
    LevelLiteral,
    MarkIn,
    MarkOut,
    OutcomeLiteral,
    PersonIn,
    PlaceIn,
    PlaceKindLiteral,
    ProposalOut,
    ReferralChildOut,
    ReferralCreatedOut,
    ReferralIn,
    ReferralOut,
    ScreeningIn,
    ScreeningRecorded,
    SexLiteral,
    SuggestionOut,
    UrgencyLiteral,
)
from sightline.core.api import Detail
from sightline.core.errors import ApiError, TransitionNotAllowed
from sightline.core.transactions import without_savepoint
from sightline.escalation.selectors import referral_clock_summary
from sightline.referrals.choices import Channel
from sightline.referrals.inputs import (
    ChildInput,
    PersonInput,
    PlaceInput,
    ReferralInput,
)
from sightline.referrals.models import Referral
from sightline.referrals.rules import needs_manager_sign_off
from sightline.referrals.selectors import (
    can_see_assessment,
    children_openable,
    children_supplied_by_own_agency,
    referral_get,
    referral_read,
)
from sightline.reviews.selectors import language_flags_of
from sightline.screening.choices import LEVEL_RANK
from sightline.workflows import (
    IntakeResult,
    decision_propose,
    decision_record,
    referral_intake,
    referral_screen,
)

router = Router(tags=["referrals"])


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
    links = list(referral.children.all())
    # The submitter is never told whether a child was already known, nor given an id that
    # answers 404: the child's id only where the record opens, else the referral-child's.
    matcher = user.has_capability(Cap.CHILD_MATCH)
    openable = children_openable(user=user, child_ids=[rc.child_id for rc in links])
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
                "id": rc.child_id if rc.child_id in openable else rc.pk,
                "reference": rc.child.reference if rc.child_id in openable else str(rc),
                "age_on_day": rc.age_on_day,
                "screening_required": rc.screening_required,
                "match_status": rc.match_status if matcher else None,
            }
            for rc in links
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
def referral_create(request: AuthenticatedHttpRequest, payload: ReferralIn) -> Status[Any]:
    user = request.user
    if not user.has_capability(Cap.REFERRAL_SUBMIT):
        raise ApiError(403, "Your role cannot submit referrals.")
    if payload.agency is not None:
        agency = Agency.objects.filter(code=payload.agency).first()
        if agency is None:
            raise ApiError(422, f"Unknown agency {payload.agency!r}.")
        if agency.pk != user.agency_id:
            raise ApiError(422, "You can only refer on behalf of your own agency.")

    def work() -> tuple[int, Any]:
        # In the idempotency transaction, which a refusal rolls back whole: the workflow's
        # body without the savepoint (two statements) its decorator would open there.
        result = without_savepoint(referral_intake)(
            acting_user=user, data=to_input(payload, Channel.API)
        )
        return 201, json.loads(json.dumps(intake_out(result, user), cls=DjangoJSONEncoder))

    status, body = idempotent(request, user, work)
    return Status(status, body)


def intake_out(result: IntakeResult, user: Any) -> dict[str, Any]:
    """The submitter's answer. Without child.match it never says whether a child was already
    known, nor names another record: a match (or candidate) is told only where the record
    was first made from the submitter's own agency's referral."""
    referral = result.referral
    matcher = user.has_capability(Cap.CHILD_MATCH)
    ids = [c.referral_child.child_id for c in result.children]
    ids += [m.candidate_id for c in result.children for m in c.candidates]
    # A child first recorded on this referral was supplied by the submitter's agency (the
    # referral's); the others are read.
    made_here = {
        c.referral_child.child_id
        for c in result.children
        if not c.matched_existing and referral.source_agency_id == user.agency_id
    }
    own = made_here | children_supplied_by_own_agency(
        user=user, child_ids=[i for i in ids if i not in made_here]
    )
    openable = children_openable(user=user, child_ids=list(dict.fromkeys(ids)))

    def told(child_id: Any) -> bool:
        return matcher or child_id in own

    return {
        "reference": referral.reference,
        "status": referral.status,
        "received_at": referral.received_at,
        "decision_due_at": referral.decision_due_at,
        "rag": referral.rag,
        "screening_required": any(c.referral_child.screening_required for c in result.children),
        "children": [
            {
                "id": c.referral_child.child_id
                if told(c.referral_child.child_id) and c.referral_child.child_id in openable
                else c.referral_child.pk,
                "reference": c.referral_child.child.reference
                if told(c.referral_child.child_id)
                else str(c.referral_child),
                "matched_existing": c.matched_existing and told(c.referral_child.child_id),
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
                    if told(m.candidate_id) and m.candidate_id in openable
                ],
            }
            for c in result.children
        ],
        "suggested_indicators": [
            {"code": s.code, "label": s.label, "phrase": s.phrase} for s in result.suggestions
        ],
        "language_flags": [
            *({**f.as_dict(), "field": "narrative"} for f in result.language_flags),
            *(
                {**f.as_dict(), "field": f"persons_named[{i}].description"}
                for i, flags in enumerate(result.person_flags)
                for f in flags
            ),
        ],
    }


@router.get("/{reference}", response={200: ReferralOut, 404: Detail}, summary="A referral")
def referral_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    with transaction.atomic():
        referral = referral_read(user=request.user, reference=reference[:20])
        return referral_out(referral, request.user)


@router.post(
    "/{reference}/screening",
    response={200: ScreeningRecorded, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="Record a CSE screening for a child on this referral",
)
def referral_screening(
    request: AuthenticatedHttpRequest, reference: str, payload: ScreeningIn
) -> dict[str, Any]:
    user = request.user
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
    return {
        **_screening_out(screening, referral_child.child_id),
        "language_flags": language_flags_of(screening.pk),
    }


@router.post(
    "/{reference}/decision",
    response={
        200: DecisionOut,
        201: ProposalOut,
        403: Detail,
        404: Detail,
        409: Detail,
        422: Detail,
    },
    summary="Record the decision on a referral (or propose it for a manager's sign-off)",
)
def referral_decision(
    request: AuthenticatedHttpRequest, reference: str, payload: DecisionIn
) -> Any:
    user = request.user
    referral = _get_or_404(request, reference)
    if not user.has_capability(Cap.REFERRAL_DECIDE):
        raise ApiError(403, "Your role cannot record decisions.")
    # A practitioner's decision that needs a manager's sign-off is never thrown away: it is
    # kept as a proposal in the managers' sign-off queue.
    if not is_manager(user) and (
        payload.propose or needs_manager_sign_off(referral, payload.outcome)
    ):
        sign_off = decision_propose(
            acting_user=user, referral=referral, outcome=payload.outcome, reason=payload.reason
        )
        return Status(
            201,
            {
                "status": "awaiting_sign_off",
                "sign_off_id": sign_off.pk,
                "referral": referral.reference,
                "outcome": sign_off.outcome,
                "reason": sign_off.reasoning,
                "proposed_by": user.username,
                "proposed_at": sign_off.proposed_at,
                "language_flags": language_flags_of(sign_off.pk),
            },
        )
    decision = decision_record(
        acting_user=user,
        referral=referral,
        outcome=payload.outcome,
        reason=payload.reason,
        override_rationale=payload.override_rationale,
    )
    return {
        "outcome": decision.outcome,
        "reason": decision.reason,
        "decided_at": decision.decided_at,
        "decided_by": decision.decided_by.username,
        "signed_off_by": decision.signed_off_by.username if decision.signed_off_by else None,
        "language_flags": language_flags_of(decision.pk),
    }

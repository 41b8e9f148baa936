"""The casework API: sign-off, challenge answers, allocation and caseloads (the steps on a
child are in casework_steps and casework_plans). Each handler parses, authorises through a
scoped selector (a record out of scope is 404, as a missing one), calls one workflow and
answers the record."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from sightline.accounts.models import Team, User
from sightline.accounts.roles import Cap
from sightline.casework import selectors
from sightline.casework.models import (
    SignOff,
)
from sightline.core.api import Detail, InputSchema
from sightline.core.errors import ApiError
from sightline.escalation.selectors import challenge_get
from sightline.people.models import Child
from sightline.referrals.models import Referral
from sightline.reviews.api import StoredFlagOut
from sightline.reviews.selectors import language_flags_of, record_flags
from sightline.workflows import (
    challenge_answer,
    child_allocate,
    sign_off_approve,
    sign_off_return,
)

router = Router(tags=["casework"])
NOT_FOUND = "Not found, or not yours to see."
ERRORS: dict[int, Any] = {403: Detail, 404: Detail, 409: Detail, 422: Detail}


def _user(request: HttpRequest) -> Any:
    return request.user


def _need(request: HttpRequest, cap: str, what: str) -> Any:
    user = _user(request)
    if not user.has_capability(cap):
        raise ApiError(403, f"Your role cannot {what}.")
    return user


# --- Sign-off ---------------------------------------------------------------------------------


class SignOffOut(Schema):
    id: uuid.UUID
    referral: str
    outcome: str
    reasoning: str
    risk_level: str
    status: str
    proposed_by: str
    proposed_at: dt.datetime
    answered_by: str | None
    answered_at: dt.datetime | None
    return_reason: str
    language_flags: list[StoredFlagOut] = []


class SignOffPage(Schema):
    count: int
    items: list[SignOffOut]


class SignOffFilter(Schema):
    status: Literal["pending", "approved", "returned"] | None = None


class SignOffReasonIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=10_000)


def sign_off_out(s: SignOff, flags: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The proposal, with the language flags of its reasoning and return reason (the manager
    sees the practitioner's flagged phrases at sign-off)."""
    return {
        "id": s.pk,
        "referral": s.referral.reference,
        "outcome": s.outcome,
        "reasoning": s.reasoning,
        "risk_level": s.risk_level,
        "status": s.status,
        "proposed_by": s.proposed_by.username,
        "proposed_at": s.proposed_at,
        "answered_by": s.answered_by.username if s.answered_by else None,
        "answered_at": s.answered_at,
        "return_reason": s.return_reason,
        "language_flags": language_flags_of(s.pk) if flags is None else flags,
    }


@router.get("/sign-offs", response={200: SignOffPage, 403: Detail}, summary="The sign-off queue")
def sign_offs(request: HttpRequest, filters: Query[SignOffFilter]) -> dict[str, Any]:
    user = _user(request)
    if not (user.has_capability(Cap.REFERRAL_SIGN_OFF) or user.has_capability(Cap.REFERRAL_DECIDE)):
        raise ApiError(403, "Your role has no sign-off queue.")
    rows = selectors.sign_off_list_read(user=user, status=filters.status)
    flags = record_flags(record_ids=[s.pk for s in rows])
    return {"count": len(rows), "items": [sign_off_out(s, flags[s.pk]) for s in rows]}


def _sign_off(request: HttpRequest, sign_off_id: uuid.UUID) -> SignOff:
    found = selectors.sign_off_get(user=_user(request), sign_off_id=sign_off_id)
    if found is None:
        raise ApiError(404, NOT_FOUND)
    return found


class DecisionMade(Schema):
    referral: str
    outcome: str
    decided_by: str
    signed_off_by: str | None
    language_flags: list[StoredFlagOut] = []


@router.post(
    "/sign-offs/{sign_off_id}/approve", response={200: DecisionMade, **ERRORS},
    summary="Approve a proposed decision: it becomes the decision",
)  # fmt: skip
def sign_off_approve_api(request: HttpRequest, sign_off_id: uuid.UUID) -> dict[str, Any]:
    sign_off = _sign_off(request, sign_off_id)
    user = _need(request, Cap.REFERRAL_SIGN_OFF, "sign off decisions")
    decision = sign_off_approve(acting_user=user, sign_off=sign_off)
    return {
        "referral": sign_off.referral.reference,
        "outcome": decision.outcome,
        "decided_by": decision.decided_by.username,
        "signed_off_by": decision.signed_off_by.username if decision.signed_off_by else None,
        "language_flags": language_flags_of(decision.pk),
    }


@router.post(
    "/sign-offs/{sign_off_id}/return", response={200: SignOffOut, **ERRORS},
    summary="Return a proposed decision to the practitioner, with the reason",
)  # fmt: skip
def sign_off_return_api(
    request: HttpRequest, sign_off_id: uuid.UUID, payload: SignOffReasonIn
) -> dict[str, Any]:
    sign_off = _sign_off(request, sign_off_id)
    user = _need(request, Cap.REFERRAL_SIGN_OFF, "sign off decisions")
    return sign_off_out(sign_off_return(acting_user=user, sign_off=sign_off, reason=payload.reason))


# --- Challenges -------------------------------------------------------------------------------


class ChallengeAnswerIn(InputSchema):
    stage_outcome: Literal["upheld", "decision_to_change", "escalated"]
    reason: str = Field(..., min_length=1, max_length=10_000)


class ChallengeAnswerOut(Schema):
    id: uuid.UUID
    referral: str
    status: str
    stage: int
    outcome: str
    referral_status: str


@router.post(
    "/challenges/{challenge_id}/respond", response={200: ChallengeAnswerOut, **ERRORS},
    summary="Answer a challenge's stage: upheld, decision to be changed, or escalated",
)  # fmt: skip
def challenge_respond_api(
    request: HttpRequest, challenge_id: uuid.UUID, payload: ChallengeAnswerIn
) -> dict[str, Any]:
    user = _user(request)
    challenge = challenge_get(user=user, challenge_id=challenge_id)
    if challenge is None:
        raise ApiError(404, NOT_FOUND)
    if not user.has_capability(Cap.CHALLENGE_RESPOND):
        raise ApiError(403, "Your role cannot answer challenges.")
    answered = challenge_answer(
        acting_user=user, challenge=challenge, outcome=payload.stage_outcome, notes=payload.reason
    )
    referral = Referral.objects.get(pk=answered.referral_id)
    return {
        "id": answered.pk,
        "referral": referral.reference,
        "status": answered.status,
        "stage": answered.stage,
        "outcome": answered.outcome,
        "referral_status": referral.status,
    }


def _child(request: HttpRequest, child_id: uuid.UUID) -> Child:
    child = selectors.casework_child_get(user=_user(request), child_id=child_id)
    if child is None:
        raise ApiError(404, NOT_FOUND)
    return child


# --- Allocation and caseloads -----------------------------------------------------------------


class AllocationIn(InputSchema):
    team: uuid.UUID
    worker: str | None = Field(
        None, max_length=150, description="A username; none: the team's queue."
    )
    reason: str = Field("", max_length=10_000)


class AllocationOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    kind: str
    team: str
    worker: str | None
    allocated_at: dt.datetime
    reason: str


@router.post(
    "/children/{child_id}/allocation", response={201: AllocationOut, **ERRORS},
    summary="Allocate (or reallocate, with a reason) a child's work to a worker and team",
)  # fmt: skip
def allocation_create(
    request: HttpRequest, child_id: uuid.UUID, payload: AllocationIn
) -> Status[Any]:
    child = _child(request, child_id)
    user = _need(request, Cap.CASEWORK_ALLOCATE, "allocate work")
    team = Team.objects.filter(pk=payload.team, agency_id=user.agency_id).first()
    if team is None:
        raise ApiError(422, "No team of your agency with that id.")
    worker = None
    if payload.worker:
        worker = User.objects.filter(username=payload.worker).first()
        if worker is None or worker.agency_id != user.agency_id:
            raise ApiError(422, "No user of your agency with that username.")
        if not worker.is_active:
            raise ApiError(422, "That worker's account is not active: choose someone else.")
    current = selectors.current_allocation(child)
    allocation = child_allocate(
        acting_user=user, child=child, team=team, worker=worker, reason=payload.reason,
        referral=current.referral if current is not None else None,
    )  # fmt: skip
    return Status(201, {
        "id": allocation.pk, "child_id": child.pk, "kind": allocation.kind, "team": team.name,
        "worker": worker.username if worker is not None else None,
        "allocated_at": allocation.allocated_at, "reason": allocation.reason,
    })  # fmt: skip


class LoadOut(Schema):
    name: str
    open_children: int
    high_risk: int
    overdue_steps: int


class CaseloadsOut(Schema):
    workers: list[LoadOut]
    teams: list[LoadOut]
    unallocated: int


@router.get(
    "/caseloads", response={200: CaseloadsOut, 403: Detail},
    summary="Open children, high risk and overdue steps per worker and team",
)  # fmt: skip
def caseloads(request: HttpRequest) -> dict[str, Any]:
    user = _need(request, Cap.CASELOAD_VIEW, "see caseloads")
    loads = selectors.caseloads_read(user=user)

    def rows(items: list[selectors.Load]) -> list[dict[str, Any]]:
        return [
            {"name": i.label, "open_children": i.open_children, "high_risk": i.high_risk,
             "overdue_steps": i.overdue_steps}
            for i in items
        ]  # fmt: skip

    return {"workers": rows(loads.workers), "teams": rows(loads.teams),
            "unallocated": loads.unallocated}  # fmt: skip

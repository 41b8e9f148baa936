"""The casework API's statutory steps on a child: strategy discussion, section 47 enquiry,
assessment, conference, plan, closure, case note; each POST answers 201 with the record and
each PATCH records an outcome or completion. A child out of scope is 404 as a missing one."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from sightline.accounts.roles import Cap
from sightline.api.casework import ERRORS, NOT_FOUND, _child, _need, _user
from sightline.casework import selectors
from sightline.casework.models import (
    Assessment,
    Section47Enquiry,
    StrategyDiscussion,
)
from sightline.core.api import InputSchema
from sightline.core.errors import ApiError
from sightline.people.models import Child
from sightline.referrals.models import Referral
from sightline.reviews.api import StoredFlagOut
from sightline.reviews.selectors import language_flags_of
from sightline.workflows import (
    assessment_progress,
    assessment_start,
    enquiry_outcome,
    enquiry_start,
    strategy_discussion_outcome,
    strategy_discussion_record,
)

router = Router(tags=["casework"])
R = TypeVar("R")
# --- The child's steps ------------------------------------------------------------------------


def _recorder(request: HttpRequest) -> Any:
    return _need(request, Cap.CASEWORK_RECORD, "record casework steps")


def _episode(request: HttpRequest, child: Child, reference: str) -> Referral:
    referral = selectors.episode_referral(user=_user(request), child=child, reference=reference)
    if referral is None:
        raise ApiError(
            409,
            "This child has no open episode (a referral awaiting a decision, or decided for "
            "casework) to record the step against; name the referral.",
        )
    return referral


class StepIn(InputSchema):
    referral: str = Field("", max_length=20, description="Defaults to the child's episode.")


def record_on_episode(
    request: HttpRequest,
    child_id: uuid.UUID,
    referral: str,
    record: Callable[..., R],
    **fields: Any,
) -> R:
    """Every step recorded on a child's episode: the child in scope (else 404), a role that
    records casework (else 403), the referral named or else the child's episode (else 409),
    then the step's workflow with `fields`."""
    child = _child(request, child_id)
    user = _recorder(request)
    episode = _episode(request, child, referral)
    return record(acting_user=user, child=child, referral=episode, **fields)


def change_step(
    request: HttpRequest,
    model: Any,
    record_id: uuid.UUID,
    change: Callable[..., R],
    name: str,
    **fields: Any,
) -> R:
    """Every PATCH of a step: the step in scope (else 404), a role that records casework
    (else 403), then the workflow `change` with the step as its argument `name`."""
    found = _step(request, model, record_id)
    user = _recorder(request)
    return change(acting_user=user, **{name: found}, **fields)


class StrategyIn(StepIn):
    held_at: dt.datetime
    police_present: bool
    csc_present: bool
    health_present: bool
    others_present: str = Field("", max_length=500)
    absence_reason: str = Field("", max_length=10_000)
    outcome: Literal[
        "section_47", "police_investigation", "cin_assessment", "no_further_action", ""
    ] = ""
    outcome_reason: str = Field("", max_length=10_000)
    actions: str = Field("", max_length=10_000)


class StrategyOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    referral: str
    held_at: dt.datetime
    police_present: bool
    csc_present: bool
    health_present: bool
    others_present: str
    absence_reason: str
    outcome: str
    outcome_reason: str
    actions: str
    language_flags: list[StoredFlagOut] = []


def _strategy_out(d: StrategyDiscussion) -> dict[str, Any]:
    return {
        "language_flags": language_flags_of(d.pk),
        "id": d.pk, "child_id": d.child_id, "referral": d.referral.reference,
        "held_at": d.held_at, "police_present": d.police_present, "csc_present": d.csc_present,
        "health_present": d.health_present, "others_present": d.others_present,
        "absence_reason": d.absence_reason, "outcome": d.outcome,
        "outcome_reason": d.outcome_reason, "actions": d.actions,
    }  # fmt: skip


@router.post(
    "/children/{child_id}/strategy-discussions", response={201: StrategyOut, **ERRORS},
    summary="Record a strategy discussion (meets its clock; section 47 starts the ICPC clock)",
)  # fmt: skip
def strategy_create(request: HttpRequest, child_id: uuid.UUID, payload: StrategyIn) -> Status[Any]:
    discussion = record_on_episode(
        request, child_id, payload.referral, strategy_discussion_record,
        **payload.dict(exclude={"referral"}),
    )  # fmt: skip
    return Status(201, _strategy_out(discussion))


class StrategyPatch(InputSchema):
    outcome: Literal["section_47", "police_investigation", "cin_assessment", "no_further_action"]
    outcome_reason: str = Field(..., min_length=1, max_length=10_000)
    actions: str | None = Field(None, max_length=10_000)


def _step(request: HttpRequest, model: Any, record_id: uuid.UUID) -> Any:
    found = selectors.step_get(user=_user(request), model=model, record_id=record_id)
    if found is None:
        raise ApiError(404, NOT_FOUND)
    return found


@router.patch(
    "/strategy-discussions/{record_id}", response={200: StrategyOut, **ERRORS},
    summary="Record a strategy discussion's outcome",
)  # fmt: skip
def strategy_patch(
    request: HttpRequest, record_id: uuid.UUID, payload: StrategyPatch
) -> dict[str, Any]:
    discussion = change_step(
        request, StrategyDiscussion, record_id, strategy_discussion_outcome, "discussion",
        **payload.dict(),
    )  # fmt: skip
    return _strategy_out(discussion)


class EnquiryIn(InputSchema):
    strategy_discussion: uuid.UUID
    started_on: dt.date


class EnquiryOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    referral: str
    strategy_discussion: uuid.UUID
    started_on: dt.date
    completed_on: dt.date | None
    outcome: str
    no_conference_reason: str


def _enquiry_out(e: Section47Enquiry) -> dict[str, Any]:
    return {
        "id": e.pk, "child_id": e.child_id, "referral": e.referral.reference,
        "strategy_discussion": e.strategy_discussion_id, "started_on": e.started_on,
        "completed_on": e.completed_on, "outcome": e.outcome,
        "no_conference_reason": e.no_conference_reason,
    }  # fmt: skip


@router.post(
    "/children/{child_id}/section-47-enquiries", response={201: EnquiryOut, **ERRORS},
    summary="Start a section 47 enquiry from a strategy discussion",
)  # fmt: skip
def enquiry_create(request: HttpRequest, child_id: uuid.UUID, payload: EnquiryIn) -> Status[Any]:
    child = _child(request, child_id)
    user = _recorder(request)
    discussion = selectors.step_get(
        user=user, model=StrategyDiscussion, record_id=payload.strategy_discussion
    )
    if discussion is None or discussion.child_id != child.pk:
        raise ApiError(422, "No strategy discussion of this child with that id.")
    enquiry = enquiry_start(acting_user=user, discussion=discussion, started_on=payload.started_on)
    return Status(201, _enquiry_out(enquiry))


class EnquiryPatch(InputSchema):
    outcome: Literal["substantiated_conference", "substantiated_no_conference", "not_substantiated"]
    completed_on: dt.date
    no_conference_reason: str = Field("", max_length=10_000)


@router.patch(
    "/section-47-enquiries/{record_id}", response={200: EnquiryOut, **ERRORS},
    summary="Record a section 47 enquiry's outcome",
)  # fmt: skip
def enquiry_patch(
    request: HttpRequest, record_id: uuid.UUID, payload: EnquiryPatch
) -> dict[str, Any]:
    enquiry = change_step(
        request, Section47Enquiry, record_id, enquiry_outcome, "enquiry", **payload.dict()
    )
    return _enquiry_out(enquiry)


class AssessmentIn(StepIn):
    started_on: dt.date
    factors: list[str] = Field(default_factory=list, max_length=50)


class AssessmentPatch(InputSchema):
    factors: list[str] | None = Field(None, max_length=50)
    completed_on: dt.date | None = None
    outcome: Literal["cin_plan", "strategy_discussion", "early_help", "no_further_action", ""] = ""
    authorised_on: dt.date | None = None


class AssessmentOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    referral: str
    started_on: dt.date
    completed_on: dt.date | None
    authorised_on: dt.date | None
    factors: list[str]
    outcome: str


def _assessment_out(a: Assessment) -> dict[str, Any]:
    return {
        "id": a.pk, "child_id": a.child_id, "referral": a.referral.reference,
        "started_on": a.started_on, "completed_on": a.completed_on,
        "authorised_on": a.authorised_on, "factors": list(a.factors), "outcome": a.outcome,
    }  # fmt: skip


@router.post(
    "/children/{child_id}/assessments", response={201: AssessmentOut, **ERRORS},
    summary="Start a child and family assessment (factors: CIN census codes)",
)  # fmt: skip
def assessment_create(
    request: HttpRequest, child_id: uuid.UUID, payload: AssessmentIn
) -> Status[Any]:
    assessment = record_on_episode(
        request, child_id, payload.referral, assessment_start,
        started_on=payload.started_on, factors=payload.factors,
    )  # fmt: skip
    return Status(201, _assessment_out(assessment))


@router.patch(
    "/assessments/{record_id}", response={200: AssessmentOut, **ERRORS},
    summary="Record an assessment's factors, completion and outcome, or its authorisation",
)  # fmt: skip
def assessment_patch(
    request: HttpRequest, record_id: uuid.UUID, payload: AssessmentPatch
) -> dict[str, Any]:
    assessment = change_step(
        request, Assessment, record_id, assessment_progress, "assessment", **payload.dict()
    )
    return _assessment_out(assessment)

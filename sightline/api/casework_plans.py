"""The casework API's conferences, plans, the episode's closure and case notes (the earlier
steps are in casework_steps)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from sightline.api.casework import ERRORS, _child
from sightline.api.casework_steps import (
    StepIn,
    _episode,
    _recorder,
    change_step,
    record_on_episode,
)
from sightline.casework import selectors
from sightline.casework.models import Conference, Plan, Section47Enquiry
from sightline.core.api import InputSchema
from sightline.core.errors import ApiError
from sightline.reviews.api import StoredFlagOut
from sightline.reviews.selectors import language_flags_of
from sightline.workflows import (
    case_note_record,
    conference_record,
    episode_closure_record,
    plan_close,
    plan_record,
)

router = Router(tags=["casework"])


class ConferenceIn(StepIn):
    kind: Literal["initial", "review"]
    held_on: dt.date
    enquiry: uuid.UUID | None = None
    outcome: Literal["cp_plan", "cp_plan_continues", "cp_plan_ends", "no_plan"]
    plan_category: Literal["NEG", "PHY", "SAB", "EMO", "MUL", ""] = ""


class ConferenceOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    referral: str
    kind: str
    held_on: dt.date
    outcome: str
    plan_category: str


@router.post(
    "/children/{child_id}/conferences", response={201: ConferenceOut, **ERRORS},
    summary="Record an initial or review child protection conference",
)  # fmt: skip
def conference_create(
    request: HttpRequest, child_id: uuid.UUID, payload: ConferenceIn
) -> Status[Any]:
    child = _child(request, child_id)
    user = _recorder(request)
    enquiry = None
    if payload.enquiry is not None:
        enquiry = selectors.step_get(user=user, model=Section47Enquiry, record_id=payload.enquiry)
        if enquiry is None or enquiry.child_id != child.pk:
            raise ApiError(422, "No section 47 enquiry of this child with that id.")
    referral = (
        enquiry.referral if enquiry is not None else _episode(request, child, payload.referral)
    )
    conference: Conference = conference_record(
        acting_user=user, child=child, referral=referral, kind=payload.kind,
        held_on=payload.held_on, enquiry=enquiry, outcome=payload.outcome,
        plan_category=payload.plan_category,
    )  # fmt: skip
    return Status(201, {
        "id": conference.pk, "child_id": child.pk, "referral": referral.reference,
        "kind": conference.kind, "held_on": conference.held_on, "outcome": conference.outcome,
        "plan_category": conference.plan_category,
    })  # fmt: skip


class PlanIn(StepIn):
    kind: Literal["cp", "cin"]
    category: Literal["NEG", "PHY", "SAB", "EMO", "MUL", ""] = ""
    started_on: dt.date


class PlanPatch(InputSchema):
    ended_on: dt.date
    end_reason: str = Field(..., min_length=1, max_length=10_000)


class PlanOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    referral: str
    kind: str
    category: str
    started_on: dt.date
    ended_on: dt.date | None
    end_reason: str


def _plan_out(p: Plan) -> dict[str, Any]:
    return {
        "id": p.pk, "child_id": p.child_id, "referral": p.referral.reference, "kind": p.kind,
        "category": p.category, "started_on": p.started_on, "ended_on": p.ended_on,
        "end_reason": p.end_reason,
    }  # fmt: skip


@router.post(
    "/children/{child_id}/plans", response={201: PlanOut, **ERRORS},
    summary="Start a child protection or child-in-need plan",
)  # fmt: skip
def plan_create(request: HttpRequest, child_id: uuid.UUID, payload: PlanIn) -> Status[Any]:
    plan = record_on_episode(
        request, child_id, payload.referral, plan_record,
        kind=payload.kind, category=payload.category, started_on=payload.started_on,
    )  # fmt: skip
    return Status(201, _plan_out(plan))


@router.patch(
    "/plans/{record_id}", response={200: PlanOut, **ERRORS}, summary="End a plan, with the reason"
)
def plan_patch(request: HttpRequest, record_id: uuid.UUID, payload: PlanPatch) -> dict[str, Any]:
    return _plan_out(change_step(request, Plan, record_id, plan_close, "plan", **payload.dict()))


class ClosureIn(StepIn):
    closed_on: dt.date
    reason: Literal["RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7", "RC8", "RC9"]
    notes: str = Field("", max_length=10_000)


class ClosureOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    referral: str
    closed_on: dt.date
    reason: str


@router.post(
    "/children/{child_id}/closures", response={201: ClosureOut, **ERRORS},
    summary="Close the child's episode with the census reason for closure",
)  # fmt: skip
def closure_create(request: HttpRequest, child_id: uuid.UUID, payload: ClosureIn) -> Status[Any]:
    closure = record_on_episode(
        request, child_id, payload.referral, episode_closure_record,
        closed_on=payload.closed_on, reason=payload.reason, notes=payload.notes,
    )  # fmt: skip
    return Status(201, {
        "id": closure.pk, "child_id": closure.child_id, "referral": closure.referral.reference,
        "closed_on": closure.closed_on, "reason": closure.reason,
    })  # fmt: skip


class NoteIn(InputSchema):
    kind: Literal["visit", "contact", "agency_check", "supervision", "direct_work"]
    text: str = Field(..., min_length=1, max_length=20_000)


class NoteOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    kind: str
    text: str
    author: str
    agency: str
    written_at: dt.datetime
    language_flags: list[StoredFlagOut] = []


@router.post(
    "/children/{child_id}/notes", response={201: NoteOut, **ERRORS}, summary="Add a case note"
)
def note_create(request: HttpRequest, child_id: uuid.UUID, payload: NoteIn) -> Status[Any]:
    child = _child(request, child_id)
    user = _recorder(request)
    note = case_note_record(acting_user=user, child=child, kind=payload.kind, body=payload.text)
    return Status(201, {
        "id": note.pk, "child_id": child.pk, "kind": note.kind, "text": note.text,
        "author": user.username, "agency": user.agency.code, "written_at": note.written_at,
        "language_flags": language_flags_of(note.pk),
    })  # fmt: skip

"""The casework API: sign-off, challenge answers, the statutory steps on a child, allocation,
caseloads. Each handler parses, authorises through a scoped selector (a record out of scope
is 404, as a missing one), calls one workflow and answers the record."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from sightline.accounts.models import Team, User
from sightline.accounts.roles import Cap
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.casework import selectors
from sightline.casework.models import (
    Assessment,
    Conference,
    Plan,
    Section47Enquiry,
    SignOff,
    StrategyDiscussion,
)
from sightline.core.api import Detail, InputSchema
from sightline.core.errors import ApiError
from sightline.escalation.selectors import challenge_get
from sightline.people.models import Child
from sightline.referrals.models import Referral
from sightline.workflows import (
    assessment_progress,
    assessment_start,
    case_note_record,
    challenge_answer,
    child_allocate,
    conference_record,
    enquiry_outcome,
    enquiry_start,
    episode_closure_record,
    plan_close,
    plan_record,
    sign_off_approve,
    sign_off_return,
    strategy_discussion_outcome,
    strategy_discussion_record,
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


class SignOffPage(Schema):
    count: int
    items: list[SignOffOut]


class SignOffFilter(Schema):
    status: Literal["pending", "approved", "returned"] | None = None


class ReasonIn(InputSchema):
    reason: str = Field(..., min_length=1, max_length=10_000)


def sign_off_out(s: SignOff) -> dict[str, Any]:
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
    }


@router.get("/sign-offs", response={200: SignOffPage, 403: Detail}, summary="The sign-off queue")
def sign_offs(request: HttpRequest, filters: Query[SignOffFilter]) -> dict[str, Any]:
    user = _user(request)
    if not (user.has_capability(Cap.REFERRAL_SIGN_OFF) or user.has_capability(Cap.REFERRAL_DECIDE)):
        raise ApiError(403, "Your role has no sign-off queue.")
    with transaction.atomic():
        rows = list(selectors.sign_off_list(user=user, status=filters.status)[:200])
        audit_record(
            actor=user, action=Action.LIST, object_type="sign_offs",
            details={"status": filters.status, "count": len(rows)},
        )  # fmt: skip
    return {"count": len(rows), "items": [sign_off_out(s) for s in rows]}


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
    }


@router.post(
    "/sign-offs/{sign_off_id}/return", response={200: SignOffOut, **ERRORS},
    summary="Return a proposed decision to the practitioner, with the reason",
)  # fmt: skip
def sign_off_return_api(
    request: HttpRequest, sign_off_id: uuid.UUID, payload: ReasonIn
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


# --- The child's steps ------------------------------------------------------------------------


def _child(request: HttpRequest, child_id: uuid.UUID) -> Child:
    child = selectors.casework_child_get(user=_user(request), child_id=child_id)
    if child is None:
        raise ApiError(404, NOT_FOUND)
    return child


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


def _strategy_out(d: StrategyDiscussion) -> dict[str, Any]:
    return {
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
    child = _child(request, child_id)
    user = _recorder(request)
    fields = payload.dict(exclude={"referral"})
    discussion = strategy_discussion_record(
        acting_user=user, child=child, referral=_episode(request, child, payload.referral),
        **fields,
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
    discussion = _step(request, StrategyDiscussion, record_id)
    user = _recorder(request)
    return _strategy_out(
        strategy_discussion_outcome(acting_user=user, discussion=discussion, **payload.dict())
    )


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
    enquiry = _step(request, Section47Enquiry, record_id)
    user = _recorder(request)
    return _enquiry_out(enquiry_outcome(acting_user=user, enquiry=enquiry, **payload.dict()))


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
    child = _child(request, child_id)
    user = _recorder(request)
    assessment = assessment_start(
        acting_user=user, child=child, referral=_episode(request, child, payload.referral),
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
    assessment = _step(request, Assessment, record_id)
    user = _recorder(request)
    return _assessment_out(
        assessment_progress(acting_user=user, assessment=assessment, **payload.dict())
    )


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
    child = _child(request, child_id)
    user = _recorder(request)
    plan = plan_record(
        acting_user=user, child=child, referral=_episode(request, child, payload.referral),
        kind=payload.kind, category=payload.category, started_on=payload.started_on,
    )  # fmt: skip
    return Status(201, _plan_out(plan))


@router.patch(
    "/plans/{record_id}", response={200: PlanOut, **ERRORS}, summary="End a plan, with the reason"
)
def plan_patch(request: HttpRequest, record_id: uuid.UUID, payload: PlanPatch) -> dict[str, Any]:
    plan = _step(request, Plan, record_id)
    user = _recorder(request)
    return _plan_out(plan_close(acting_user=user, plan=plan, **payload.dict()))


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
    child = _child(request, child_id)
    user = _recorder(request)
    referral = _episode(request, child, payload.referral)
    closure = episode_closure_record(
        acting_user=user, child=child, referral=referral, closed_on=payload.closed_on,
        reason=payload.reason, notes=payload.notes,
    )  # fmt: skip
    return Status(201, {
        "id": closure.pk, "child_id": child.pk, "referral": referral.reference,
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
    })  # fmt: skip


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
    with transaction.atomic():
        loads = selectors.caseloads(user=user)
        audit_record(actor=user, action=Action.LIST, object_type="caseloads")

    def rows(items: list[selectors.Load]) -> list[dict[str, Any]]:
        return [
            {"name": i.label, "open_children": i.open_children, "high_risk": i.high_risk,
             "overdue_steps": i.overdue_steps}
            for i in items
        ]  # fmt: skip

    return {"workers": rows(loads.workers), "teams": rows(loads.teams),
            "unallocated": loads.unallocated}  # fmt: skip

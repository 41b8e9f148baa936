"""The MACE writes that carry a practitioner's free text: an item's discussion (or the
approved minutes amended, with the reason), an action and its updates, a disruption's terms
and outcome, a breach of it, an item taken off the agenda with the reason, a child proposed
for the next meeting. They call workflows, which keep the text's language flags (reviews),
and answer them as `language_flags`; the rest of the meetings API stays in the meetings app."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from sightline.accounts.roles import Cap
from sightline.core.api import Detail, InputSchema
from sightline.core.errors import ApiError, Invalid
from sightline.meetings import selectors
from sightline.meetings.api.disruptions import _disruption, disruption_out
from sightline.meetings.api.meetings import _action_out, _meeting, _user
from sightline.meetings.api.record import ERRORS, _agenda, _item, _user_meeting
from sightline.meetings.api.schemas import (
    ActionIn,
    ActionOut,
    ActionPatch,
    AgendaOut,
    BreachIn,
    DiscussionIn,
    DiscussionOut,
    DisruptionIn,
    DisruptionOut,
    DisruptionPatch,
    MeetingReasonIn,
)
from sightline.meetings.choices import MeetingStatus
from sightline.meetings.services import DisruptionDates
from sightline.referrals.selectors import child_get
from sightline.reviews.api import StoredFlagOut
from sightline.reviews.selectors import language_flags_of
from sightline.workflows import (
    mace_action_create,
    mace_action_update,
    mace_agenda_item_remove,
    mace_breach_record,
    mace_child_propose,
    mace_discussion_record,
    mace_disruption_create,
    mace_disruption_update,
    mace_minutes_amend,
)

router = Router(tags=["meetings"])


class ActionFlagsOut(ActionOut):
    language_flags: list[StoredFlagOut] = []


class DiscussionFlagsOut(DiscussionOut):
    language_flags: list[StoredFlagOut] = []


class DisruptionFlagsOut(DisruptionOut):
    language_flags: list[StoredFlagOut] = []


class AgendaFlagsOut(AgendaOut):
    language_flags: list[StoredFlagOut] = []


def _with_flags(out: dict[str, Any], record_id: Any, field: str | None = None) -> dict[str, Any]:
    """The answer with the flags of the text just written (`field`: only that one)."""
    return {**out, "language_flags": language_flags_of(record_id, field)}


@router.post(
    "/meetings/{meeting_id}/actions",
    response={201: ActionFlagsOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="Agree an action (owner agency and person, due date)",
)
def action_create(request: HttpRequest, meeting_id: str, payload: ActionIn) -> Status[Any]:
    user = _user(request)
    meeting = _meeting(user, meeting_id)
    owner, _ = selectors.users_by_username([payload.owner] if payload.owner else [])
    agency, _ = selectors.agencies_by_code([payload.owner_agency] if payload.owner_agency else [])
    item = meeting.items.filter(pk=payload.item_id).first() if payload.item_id else None
    if payload.item_id and item is None:
        raise Invalid({"item_id": "That item is not on this meeting's agenda."})
    action = mace_action_create(
        acting_user=user,
        meeting=meeting,
        item=item,
        description=payload.description,
        owner_agency=agency[0] if agency else None,
        owner=owner[0] if owner else None,
        due_on=payload.due_on,
    )
    return Status(201, _with_flags(_action_out(action), action.pk))


@router.patch(
    "/actions/{action_id}",
    response={200: ActionFlagsOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="Update an action (its owner or a chair): status, progress, due date",
)
def action_patch(request: HttpRequest, action_id: str, payload: ActionPatch) -> dict[str, Any]:
    user = _user(request)
    action = selectors.action_get(user=user, action_id=action_id)
    if action is None:
        raise ApiError(404, "No action with that id that you can see.")
    action = mace_action_update(
        acting_user=user,
        action=action,
        status=payload.status,
        update=payload.update,
        due_on=payload.due_on,
    )
    out = _action_out(action)  # only an update written now answers its flags
    return _with_flags(out, action.pk, "update") if payload.update else out


@router.post(
    "/meetings/{meeting_id}/items/{item_id}/discussion",
    response={200: DiscussionFlagsOut, **ERRORS},
    summary="Record an item's discussion, risk view and decisions (after approval: amend)",
)
def discussion(
    request: HttpRequest, meeting_id: str, item_id: str, payload: DiscussionIn
) -> dict[str, Any]:
    user = _user(request)
    meeting = _meeting(user, meeting_id)
    item = _item(meeting, item_id)
    version, amended = None, []
    values = {
        "summary": payload.summary,
        "risk_view": payload.risk_view,
        "decisions": payload.decisions,
    }
    if meeting.status == MeetingStatus.MINUTES_APPROVED:
        minutes = mace_minutes_amend(
            acting_user=user, meeting=meeting, item=item, reason=payload.reason, **values
        )
        version, amended = minutes.version, language_flags_of(minutes.pk, "reason")
    else:
        mace_discussion_record(acting_user=user, meeting=meeting, item=item, **values)
    item.refresh_from_db()
    d = item.discussion
    return {
        "item_id": item.pk,
        "subject": item.subject_ref,
        "summary": d.summary,
        "risk_view": d.risk_view,
        "decisions": d.decisions,
        "minutes_version": version,
        "language_flags": language_flags_of(d.pk) + amended,
    }


@router.post(
    "/disruptions",
    response={201: DisruptionFlagsOut, 403: Detail, 404: Detail, 422: Detail},
    summary="Record a disruption action against a person, place, vehicle or business",
)
def disruption_create(request: HttpRequest, payload: DisruptionIn) -> Status[Any]:
    user = _user(request)
    if not user.has_capability(Cap.DISRUPTION_MANAGE):
        raise ApiError(403, "Your role cannot record disruption actions.")
    owner, _ = selectors.users_by_username([payload.owner] if payload.owner else [])
    agency, _ = selectors.agencies_by_code([payload.owner_agency] if payload.owner_agency else [])
    meeting = None
    if payload.meeting_id is not None:
        meeting = _meeting(user, str(payload.meeting_id))
    d = mace_disruption_create(
        acting_user=user,
        target_type=payload.target.type,
        target_id=payload.target.id,
        tactic=payload.tactic,
        children=payload.children,
        owner_agency=agency[0] if agency else None,
        owner=owner[0] if owner else None,
        dates=DisruptionDates(
            proposed_on=payload.proposed_on,
            due_on=payload.due_on,
            applied_on=payload.applied_on,
            served_on=payload.served_on,
            expires_on=payload.expires_on,
        ),
        terms=payload.terms,
        business_name=payload.business_name,
        meeting=meeting,
    )
    return Status(201, _with_flags(disruption_out(d), d.pk))


@router.patch(
    "/disruptions/{disruption_id}",
    response={200: DisruptionFlagsOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="Move a disruption action on (status, dates, outcome)",
)
def disruption_patch(
    request: HttpRequest, disruption_id: str, payload: DisruptionPatch
) -> dict[str, Any]:
    user = _user(request)
    d = mace_disruption_update(
        acting_user=user,
        disruption=_disruption(user, disruption_id),
        status=payload.status,
        dates=DisruptionDates(
            due_on=payload.due_on,
            applied_on=payload.applied_on,
            served_on=payload.served_on,
            expires_on=payload.expires_on,
        ),
        outcome=payload.outcome,
        terms=payload.terms,
    )
    return _with_flags(disruption_out(d), d.pk)


@router.post(
    "/disruptions/{disruption_id}/breaches",
    response={201: DisruptionFlagsOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="Log a breach of a notice or order",
)
def breach_create(request: HttpRequest, disruption_id: str, payload: BreachIn) -> Status[Any]:
    user = _user(request)
    d = _disruption(user, disruption_id)
    breach = mace_breach_record(
        acting_user=user, disruption=d, occurred_on=payload.occurred_on, what=payload.what
    )
    d.refresh_from_db()
    return Status(201, _with_flags(disruption_out(d), breach.pk))


@router.post(
    "/meetings/{meeting_id}/agenda/items/{item_id}/remove",
    response={200: AgendaFlagsOut, **ERRORS},
    summary="Take an item off the agenda, with a reason (a chair; audited)",
)
def agenda_item_remove(
    request: HttpRequest, meeting_id: str, item_id: str, payload: MeetingReasonIn
) -> dict[str, Any]:
    user, meeting = _user_meeting(request, meeting_id)
    item = mace_agenda_item_remove(
        acting_user=user, meeting=meeting, item=_item(meeting, item_id), reason=payload.reason
    )
    return _with_flags(_agenda(meeting, user), item.pk)


class MaceProposalIn(InputSchema):
    reason: str = Field(..., max_length=5000, description="Why the next meeting should discuss")


class MaceProposalOut(Schema):
    id: uuid.UUID
    child_id: uuid.UUID
    child_reference: str
    reason: str
    proposed_by: str
    proposed_at: dt.datetime
    language_flags: list[StoredFlagOut] = []


@router.post(
    "/children/{child_id}/mace-proposals",
    response={201: MaceProposalOut, 403: Detail, 404: Detail, 422: Detail},
    summary="Propose a child in your scope for the next MACE meeting, with the reason",
)
def mace_proposal(
    request: HttpRequest, child_id: uuid.UUID, payload: MaceProposalIn
) -> Status[dict[str, Any]]:
    user = _user(request)
    child = child_get(user=user, child_id=child_id)
    if child is None or not user.has_capability(Cap.CHILD_VIEW):
        raise ApiError(404, "No child with that id that you can see.")
    if not user.has_capability(Cap.MEETING_PROPOSE):
        raise ApiError(403, "Your role cannot propose children for MACE meetings.")
    proposal = mace_child_propose(acting_user=user, child=child, reason=payload.reason)
    out = {
        "id": proposal.pk,
        "child_id": child.pk,
        "child_reference": child.reference,
        "reason": proposal.reason,
        "proposed_by": user.username,
        "proposed_at": proposal.created_at,
    }
    return Status(201, _with_flags(out, proposal.pk))

"""Running a meeting over the API: build and edit the agenda, record attendance, hold the
meeting, record each item's discussion, approve (and amend) the minutes. Chairs only; the
services refuse anyone else (403) once the meeting is in the user's scope (404 otherwise)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sightline.core.api import Detail
from sightline.core.errors import ApiError, Invalid
from sightline.meetings import selectors, services
from sightline.meetings.api.meetings import _meeting, _meeting_out, _user, router
from sightline.meetings.api.schemas import (
    AgendaOut,
    AttendanceIn,
    ItemIn,
    MeetingOut,
    StatusIn,
)
from sightline.meetings.choices import MeetingStatus
from sightline.meetings.models import AgendaItem, Meeting

ERRORS: dict[int, Any] = {403: Detail, 404: Detail, 409: Detail, 422: Detail}


def _user_meeting(request: HttpRequest, meeting_id: str) -> tuple[Any, Meeting]:
    """The user and the meeting in their scope (else 404); the services refuse a non-chair."""
    user = _user(request)
    return user, _meeting(user, meeting_id)


def _agenda(meeting: Meeting, user: Any) -> dict[str, Any]:
    """The agenda as every edit answers it (without the children's references)."""
    out = selectors.agenda_out(meeting, user)
    out.pop("child_refs")
    return out


def _item(meeting: Meeting, item_id: str) -> AgendaItem:
    pk = selectors.as_uuid(item_id)
    item = selectors.agenda_items(meeting=meeting).filter(pk=pk).first() if pk else None
    if item is None:
        raise ApiError(404, "No such item on this meeting's agenda.")
    return item


@router.post(
    "/meetings/{meeting_id}/agenda",
    response={200: AgendaOut, **ERRORS},
    summary="Build (or rebuild) the agenda from the data at the cut-off (a chair)",
)
def agenda_build(request: HttpRequest, meeting_id: str) -> dict[str, Any]:
    user, meeting = _user_meeting(request, meeting_id)
    services.meetings.require_chair(user, meeting)
    services.agenda_build(acting_user=user, meeting=meeting)
    return _agenda(meeting, user)


@router.post(
    "/meetings/{meeting_id}/agenda/items",
    response={200: AgendaOut, **ERRORS},
    summary="Add an item to the agenda, with a reason (a chair; audited)",
)
def agenda_item_add(request: HttpRequest, meeting_id: str, payload: ItemIn) -> dict[str, Any]:
    user, meeting = _user_meeting(request, meeting_id)
    services.agenda_item_add(
        acting_user=user,
        meeting=meeting,
        section=payload.section,
        subject_type=payload.subject_type,
        subject_id=payload.subject_id,
        subject_ref=payload.reference,
        reason=payload.reason,
    )
    return _agenda(meeting, user)


@router.post(
    "/meetings/{meeting_id}/attendance",
    response={200: MeetingOut, **ERRORS},
    summary="Record attendance and apologies, by agency (a chair)",
)
def attendance(request: HttpRequest, meeting_id: str, payload: AttendanceIn) -> dict[str, Any]:
    user, meeting = _user_meeting(request, meeting_id)
    codes = [e.agency for e in payload.entries]
    agencies, unknown = selectors.agencies_by_code(codes)
    names = [e.user for e in payload.entries if e.user]
    people, unknown_people = selectors.users_by_username(names)
    if unknown or unknown_people:
        raise Invalid({"entries": f"Unknown: {', '.join(unknown + unknown_people)}"})
    by_code = {a.code: a for a in agencies}
    by_name = {u.username: u for u in people}
    services.attendance_record(
        acting_user=user,
        meeting=meeting,
        entries=[(by_code[e.agency], by_name.get(e.user or ""), e.status) for e in payload.entries],
    )
    return _meeting_out(meeting)


@router.post(
    "/meetings/{meeting_id}/status",
    response={200: MeetingOut, **ERRORS},
    summary="Record the meeting held (when quorate) or approve its minutes (a chair)",
)
def meeting_status(request: HttpRequest, meeting_id: str, payload: StatusIn) -> dict[str, Any]:
    user, meeting = _user_meeting(request, meeting_id)
    if payload.status == MeetingStatus.HELD:
        services.meeting_hold(acting_user=user, meeting=meeting)
    elif payload.status == MeetingStatus.MINUTES_APPROVED:
        services.minutes_approve(acting_user=user, meeting=meeting)
    else:
        raise Invalid({"status": "The status is held or minutes_approved."})
    meeting.refresh_from_db()
    return _meeting_out(meeting)

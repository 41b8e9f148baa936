"""MACE meetings over the API: plan, read, agenda, pack, actions.

Reads go through the scoped selectors (a meeting the user was not invited to answers 404);
a read of case content goes through an audited selector (`*_read`), which writes its one
audit row; writes call one service each."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Status

from sightline.accounts.roles import Cap
from sightline.core.api import Detail
from sightline.core.errors import ApiError, Invalid
from sightline.meetings import selectors, services
from sightline.meetings.api.schemas import (
    AgendaOut,
    MeetingIn,
    MeetingOut,
    PackOut,
)
from sightline.meetings.models import Meeting, MeetingAction

router = Router(tags=["meetings"])
NOT_FOUND = "No meeting with that id that you can see."


def _user(request: HttpRequest) -> Any:
    return request.user


def _meeting(user: Any, meeting_id: str) -> Meeting:
    meeting = selectors.meeting_get(user=user, meeting_id=meeting_id)
    if meeting is None:
        raise ApiError(404, NOT_FOUND)
    return meeting


def _meeting_out(m: Meeting) -> dict[str, Any]:
    return {
        "id": m.pk,
        "reference": m.reference,
        "held_on": m.held_on,
        "cutoff_at": m.cutoff_at,
        "status": m.status,
        "is_quorate": m.is_quorate,
        "chairs": [u.username for u in m.chairs.all()],
        "invited_agencies": sorted(a.code for a in m.invited_agencies.all()),
        "invited_people": sorted(u.username for u in m.invited_people.all()),
        "open_actions": m.actions.filter(status="open").count(),
    }


@router.post(
    "/meetings",
    response={201: MeetingOut, 403: Detail, 422: Detail},
    summary="Plan a MACE meeting (co-chaired by the police and the local authority)",
)
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Status[Any]:
    user = _user(request)
    if not user.has_capability(Cap.MEETING_MANAGE):
        raise ApiError(403, "Your role cannot plan MACE meetings.")
    chairs, bad_chairs = selectors.users_by_username(payload.chairs)
    people, bad_people = selectors.users_by_username(payload.invited_people)
    agencies, bad_agencies = selectors.agencies_by_code(payload.invited_agencies)
    unknown = {
        k: f"Unknown: {', '.join(v)}"
        for k, v in (
            ("chairs", bad_chairs),
            ("invited_people", bad_people),
            ("invited_agencies", bad_agencies),
        )
        if v
    }
    if unknown:
        raise Invalid(unknown)
    meeting = services.meeting_create(
        acting_user=user,
        held_on=payload.held_on,
        chairs=chairs,
        invited_agencies=agencies,
        invited_people=people,
        cutoff_at=payload.cutoff_at,
    )
    return Status(201, _meeting_out(meeting))


@router.get("/meetings/{meeting_id}", response={200: MeetingOut, 404: Detail}, summary="A meeting")
def meeting_detail(request: HttpRequest, meeting_id: str) -> dict[str, Any]:
    return _meeting_out(selectors.meeting_read(user=_user(request), meeting_id=meeting_id))


@router.get(
    "/meetings/{meeting_id}/agenda",
    response={200: AgendaOut, 404: Detail},
    summary="The agenda (actions, victims, offenders, locations, themes), each item with why",
)
def meeting_agenda(request: HttpRequest, meeting_id: str) -> dict[str, Any]:
    return selectors.agenda_read(user=_user(request), meeting_id=meeting_id)


def _pack_meeting(user: Any, meeting_id: str, what: str) -> Meeting:
    meeting = selectors.meeting_get(user=user, meeting_id=meeting_id)
    if meeting is None:
        services.pack_refusal_audit(acting_user=user, meeting_id=meeting_id, what=what)
        raise ApiError(404, NOT_FOUND)
    return meeting


@router.post(
    "/meetings/{meeting_id}/pack",
    response={201: PackOut, 404: Detail, 409: Detail},
    summary="Generate the pack for the caller (a chair's first generation issues it)",
)
def pack_create(request: HttpRequest, meeting_id: str) -> Status[Any]:
    user = _user(request)
    meeting = _pack_meeting(user, meeting_id, "pack generation")
    pack = services.pack_generate(acting_user=user, meeting=meeting)
    return Status(
        201,
        {
            "id": pack.pk,
            "meeting": meeting.reference,
            "pages": pack.pages,
            "sha256": pack.sha256,
            "generated_at": pack.created_at,
        },
    )


@router.get(
    "/meetings/{meeting_id}/pack.pdf",
    response={200: None, 404: Detail, 409: Detail},
    summary="Download the caller's pack as PDF (audited)",
)
def pack_pdf(request: HttpRequest, meeting_id: str) -> HttpResponse:
    user = _user(request)
    meeting = _pack_meeting(user, meeting_id, "pack download")
    pack = services.pack_download(acting_user=user, meeting=meeting)
    response = HttpResponse(bytes(pack.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{meeting.reference}-pack.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _action_out(a: MeetingAction) -> dict[str, Any]:
    return {
        "id": a.pk,
        "reference": a.reference,
        "meeting": a.meeting.reference,
        "description": a.description,
        "owner_agency": a.owner_agency.code,
        "owner": a.owner.username,
        "due_on": a.due_on,
        "status": a.status,
        "completed_on": a.completed_on,
        "overdue": a.overdue_since is not None and a.status == "open",
    }

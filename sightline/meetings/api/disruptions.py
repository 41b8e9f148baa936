"""The disruption register over the API: tactics, disruption actions, breaches."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Status

from sightline.accounts.roles import Cap
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.api import Detail
from sightline.core.errors import ApiError
from sightline.intel import selectors as intel_selectors
from sightline.meetings import selectors, services
from sightline.meetings.api.meetings import _meeting, _user, router
from sightline.meetings.api.schemas import (
    BreachIn,
    DisruptionIn,
    DisruptionOut,
    DisruptionPatch,
    TacticOut,
)
from sightline.meetings.models import Disruption
from sightline.meetings.services import DisruptionDates
from sightline.meetings.tactics import tactics


@router.get(
    "/disruption/tactics",
    response={200: list[TacticOut], 403: Detail},
    summary="Disruption tactics, their legal basis and the targets each allows",
)
def tactic_list(request: HttpRequest) -> list[dict[str, Any]]:
    if not _user(request).has_capability(Cap.DISRUPTION_VIEW):
        raise ApiError(403, "Your role cannot see the disruption register.")
    return [
        {**t.__dict__, "targets": list(t.targets), "records": list(t.records)}
        for t in tactics().values()
    ]


def disruption_out(d: Disruption) -> dict[str, Any]:
    return {
        "id": d.pk,
        "reference": d.reference,
        "target": {"type": d.target_type, "id": d.target_id, "reference": d.target_ref},
        "tactic": d.tactic,
        "children": sorted(c.reference for c in d.children.all()),
        "owner_agency": d.owner_agency.code,
        "owner": d.owner.username,
        "status": d.status,
        "proposed_on": d.proposed_on,
        "due_on": d.due_on,
        "applied_on": d.applied_on,
        "served_on": d.served_on,
        "expires_on": d.expires_on,
        "outcome": d.outcome,
        "meeting": d.meeting.reference if d.meeting else None,
        "breaches": [{"occurred_on": b.occurred_on, "what": b.what} for b in d.breaches.all()],
    }


@router.post(
    "/disruptions",
    response={201: DisruptionOut, 403: Detail, 404: Detail, 422: Detail},
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
    d = services.disruption_create(
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
    return Status(201, disruption_out(d))


def _disruption(user: Any, disruption_id: str) -> Disruption:
    d = selectors.disruption_get(user=user, disruption_id=disruption_id)
    if d is None:
        raise ApiError(404, "No disruption action with that id that you can see.")
    if not user.has_capability(Cap.DISRUPTION_MANAGE):
        raise ApiError(403, "Your role cannot change disruption actions.")
    return d


@router.patch(
    "/disruptions/{disruption_id}",
    response={200: DisruptionOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="Move a disruption action on (status, dates, outcome)",
)
def disruption_patch(
    request: HttpRequest, disruption_id: str, payload: DisruptionPatch
) -> dict[str, Any]:
    user = _user(request)
    d = services.disruption_update(
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
    return disruption_out(d)


@router.post(
    "/disruptions/{disruption_id}/breaches",
    response={201: DisruptionOut, 403: Detail, 404: Detail, 409: Detail, 422: Detail},
    summary="Log a breach of a notice or order",
)
def breach_create(request: HttpRequest, disruption_id: str, payload: BreachIn) -> Status[Any]:
    user = _user(request)
    d = _disruption(user, disruption_id)
    services.breach_record(
        acting_user=user, disruption=d, occurred_on=payload.occurred_on, what=payload.what
    )
    d.refresh_from_db()
    return Status(201, disruption_out(d))


@router.get(
    "/persons/{person_id}/disruptions",
    response={200: list[DisruptionOut], 404: Detail},
    summary="Disruption actions against a person of concern",
)
def person_disruptions(request: HttpRequest, person_id: str) -> list[dict[str, Any]]:
    user = _user(request)
    with transaction.atomic():
        person = intel_selectors.entity_get(user=user, entity_type="person", entity_id=person_id)
        if person is None or not user.has_capability(Cap.DISRUPTION_VIEW):
            raise ApiError(404, "No person of concern with that id that you can see.")
        rows = list(selectors.disruptions_for_target(user=user, target_id=person.pk))
        audit_record(
            actor=user,
            action=Action.VIEW,
            object_type="mace_disruptions",
            object_id=person.pk,
            object_ref=person.reference,
            details={"count": len(rows)},
        )
        return [disruption_out(d) for d in rows]

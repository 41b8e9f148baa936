"""The disruption register over the API: tactics, disruption actions against a person (the
writes that carry text, a disruption and a breach, are in sightline/api/meetings_text.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sightline.accounts.roles import Cap
from sightline.core.api import Detail
from sightline.core.errors import ApiError
from sightline.meetings import selectors
from sightline.meetings.api.meetings import _user, router
from sightline.meetings.api.schemas import (
    DisruptionOut,
    TacticOut,
)
from sightline.meetings.models import Disruption
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


def _disruption(user: Any, disruption_id: str) -> Disruption:
    d = selectors.disruption_get(user=user, disruption_id=disruption_id)
    if d is None:
        raise ApiError(404, "No disruption action with that id that you can see.")
    if not user.has_capability(Cap.DISRUPTION_MANAGE):
        raise ApiError(403, "Your role cannot change disruption actions.")
    return d


@router.get(
    "/persons/{person_id}/disruptions",
    response={200: list[DisruptionOut], 404: Detail},
    summary="Disruption actions against a person of concern",
)
def person_disruptions(request: HttpRequest, person_id: str) -> list[dict[str, Any]]:
    rows = selectors.person_disruptions_read(user=_user(request), person_id=person_id)
    return [disruption_out(d) for d in rows]

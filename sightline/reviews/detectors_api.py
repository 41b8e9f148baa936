"""Detectors API: the missed-opportunity detectors (practice reference §7.3), retrospective
runs over history, and acknowledging a detector's alert. Mounted at the API root."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from sightline.accounts.roles import Cap
from sightline.core.api import Detail, InputSchema
from sightline.core.errors import ApiError
from sightline.reviews import selectors, services
from sightline.reviews.api import StoredFlagOut
from sightline.reviews.detectors import DETECTORS
from sightline.reviews.models import DetectorRun
from sightline.reviews.tasks import detector_run_enqueue

router = Router(tags=["detectors"])


class DetectorOut(Schema):
    code: str
    name: str
    description: str
    suggested_action: str
    cannot_see: str
    parameters: dict[str, Any]
    live_on: list[str]
    raised_live_by: str


class RunIn(InputSchema):
    from_: dt.date = Field(..., alias="from")
    to: dt.date
    children: list[uuid.UUID] = Field(default_factory=list, max_length=10_000)


class HitOut(Schema):
    pattern: str
    child: str
    first_visible_on: dt.date
    summary: str
    evidence: list[dict[str, Any]]
    agencies: list[str]


class RunOut(Schema):
    run: uuid.UUID
    status: str
    task_id: str
    children_total: int
    children_done: int
    hits: list[HitOut]
    hits_withheld: int


class AcknowledgeIn(InputSchema):
    note: str = Field("", max_length=2000)


class AcknowledgedOut(Schema):
    reference: str
    status: str
    language_flags: list[StoredFlagOut] = Field(
        default_factory=list, description="Phrases flagged in the note (advice; saved anyway)."
    )


def detector_out(code: str) -> dict[str, Any]:
    d = DETECTORS[code]
    return {
        "code": d.code,
        "name": d.name,
        "description": d.description,
        "suggested_action": d.action,
        "cannot_see": d.cannot_see,
        "parameters": d.params(),
        "live_on": sorted(d.live_on),
        "raised_live_by": d.raised_by or "reviews (missed-opportunity alerts)",
    }


@router.get(
    "/detectors",
    response={200: list[DetectorOut], 403: Detail},
    summary="The missed-opportunity detectors P1 to P22, with their parameters",
)
def detectors(request: HttpRequest) -> list[dict[str, Any]]:
    user: Any = request.user
    if not user.has_capability(Cap.DETECTOR_VIEW):
        raise ApiError(403, "Your role cannot see the detectors.")
    return [detector_out(code) for code in DETECTORS]


def run_out(run: DetectorRun, user: Any) -> dict[str, Any]:
    hits, withheld = selectors.run_hits(user=user, run=run)
    return {
        "run": run.pk,
        "status": run.status,
        "task_id": run.task_id,
        "children_total": run.children_total,
        "children_done": run.children_done,
        "hits": hits,
        "hits_withheld": withheld,
    }


@router.post(
    "/detectors/run",
    response={200: RunOut, 202: RunOut, 403: Detail, 422: Detail},
    summary="Run every detector over a period (as of each date); over two years or every "
    "child: 202 with the queued run",
)
def detectors_run(request: HttpRequest, payload: RunIn) -> Status[Any]:
    user: Any = request.user
    if not user.has_capability(Cap.DETECTOR_RUN):
        raise ApiError(403, "Your role cannot run the detectors.")
    run = services.detector_run_request(
        acting_user=user, start=payload.from_, end=payload.to, child_ids=payload.children
    )
    if run.status == "queued":
        with transaction.atomic():
            detector_run_enqueue(run)
        return Status(202, run_out(run, user))
    return Status(200, run_out(run, user))


@router.get(
    "/detectors/runs/{run_id}",
    response={200: RunOut, 404: Detail},
    summary="A retrospective run: its status, progress and hits",
)
def detectors_run_get(request: HttpRequest, run_id: str) -> dict[str, Any]:
    user: Any = request.user
    return run_out(selectors.detector_run_read(user=user, run_id=run_id), user)


@router.post(
    "/missed-opportunities/{mo_id}/acknowledge",
    response={200: AcknowledgedOut, 403: Detail, 404: Detail, 409: Detail},
    summary="Acknowledge a missed-opportunity alert (it is not escalated further)",
)
def missed_opportunity_acknowledge(
    request: HttpRequest, mo_id: str, payload: AcknowledgeIn
) -> dict[str, Any]:
    user: Any = request.user
    mo = selectors.missed_opportunity_get(user=user, mo_id=mo_id)
    if mo is None:
        raise ApiError(404, "No alert with that id that you can see.")
    if not user.has_capability(Cap.ALERT_ACTION):
        raise ApiError(403, "Your role cannot act on alerts.")
    mo = services.missed_opportunity_acknowledge(acting_user=user, mo=mo, note=payload.note)
    return {
        "reference": mo.reference,
        "status": mo.status,
        "language_flags": selectors.language_flags_of(mo.pk, "acknowledged_note"),
    }

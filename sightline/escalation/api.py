"""Escalation API: open escalations and a referral's clocks (resolving an escalation keeps its
reason's language flags through a workflow: sightline/api/escalations.py; raising a
professional challenge is a workflow's step: sightline/api/casework.py). Mounted at the API
root, so paths are full sub-paths."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from sightline.accounts.roles import Cap
from sightline.core.api import Detail, InputSchema
from sightline.core.errors import ApiError
from sightline.escalation import selectors

router = Router(tags=["escalation"])


class EscalationOut(Schema):
    id: uuid.UUID
    subject: str = Field(..., description="The referral's reference.")
    clock: str
    rung: int
    rung_label: str
    status: str
    raised_at: dt.datetime
    reason: str


class EscalationPage(Schema):
    count: int
    items: list[EscalationOut]


class EscalationFilter(Schema):
    status: Literal["open", "acknowledged", "resolved", "all"] = "open"
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000_000)


class ReasonIn(InputSchema):
    reason: str = Field(..., max_length=10_000)


class ChallengeIn(InputSchema):
    reason: str = Field(..., max_length=10_000)
    immediate_risk: bool = False


class ChallengeOut(Schema):
    id: uuid.UUID
    referral: str
    status: str
    immediate_risk: bool
    stage: int
    stage_label: str
    stage_due_at: dt.datetime
    raised_at: dt.datetime


class ClockOut(Schema):
    name: str
    started_at: dt.datetime
    due_at: dt.datetime
    met_at: dt.datetime | None
    status: str


def _user(request: HttpRequest) -> Any:
    return request.user


def escalation_out(escalation: Any) -> dict[str, Any]:
    row = selectors.escalation_row(escalation)
    return {key: row[key] for key in EscalationOut.model_fields}


@router.get(
    "/escalations",
    response={200: EscalationPage, 403: Detail, 422: Detail},
    summary="Escalations in your scope (open by default)",
)
def escalations(request: HttpRequest, filters: Query[EscalationFilter]) -> dict[str, Any]:
    user = _user(request)
    if not user.has_capability(Cap.ESCALATION_VIEW):
        raise ApiError(403, "Your role cannot view escalations.")
    count, rows = selectors.escalation_slice_read(
        user=user, status=filters.status, offset=filters.offset, limit=filters.limit
    )
    return {"count": count, "items": [escalation_out(e) for e in rows]}


@router.get(
    "/referrals/{reference}/clocks",
    response={200: list[ClockOut], 404: Detail},
    summary="The statutory clocks on a referral",
)
def referral_clocks(request: HttpRequest, reference: str) -> list[dict[str, Any]]:
    found = selectors.referral_clocks_read(user=_user(request), reference=reference[:20])
    return [
        {
            "name": c.kind,
            "started_at": c.started_at,
            "due_at": c.due_at,
            "met_at": c.met_at,
            "status": c.status,
        }
        for c in found.clocks
    ]

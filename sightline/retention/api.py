"""Retention API for the system administrator: what is due and why, and legal holds.
Mounted at the API root (prefix ""), so the paths here are full sub-paths."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Router, Schema, Status

from sightline.accounts.http import AuthenticatedHttpRequest
from sightline.accounts.roles import Cap
from sightline.core.api import Detail, InputSchema
from sightline.core.errors import ApiError
from sightline.retention import selectors, services
from sightline.retention.schedule import schedule_current

router = Router(tags=["retention"])

HoldKindLiteral = Literal["review", "litigation", "inquiry", "subject_access"]


class DueOut(Schema):
    record_type: str
    reference: str
    created_on: dt.date
    last_activity_on: dt.date
    due_on: dt.date
    rule: str
    why: str


class DueListOut(Schema):
    as_on: dt.date
    schedule_version: str
    count: int
    items: list[DueOut]


class HoldIn(InputSchema):
    child_reference: str = Field(..., max_length=20)
    kind: HoldKindLiteral
    matter: str = Field(..., max_length=200, description="The review, claim or inquiry.")


class HoldOut(Schema):
    id: uuid.UUID
    child_reference: str
    kind: str
    matter: str
    placed_at: dt.datetime
    active: bool


def _admin(request: AuthenticatedHttpRequest) -> Any:
    user = request.user
    if not user.has_capability(Cap.USER_MANAGE):
        raise ApiError(403, "Your role cannot manage retention.")
    return user


@router.get(
    "/retention/due",
    response={200: DueListOut, 403: Detail},
    summary="Records the retention schedule says are due for deletion today, and why",
)
def due(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    user = _admin(request)
    today = timezone.localdate()
    schedule = schedule_current()
    items = selectors.due_list_read(user=user, schedule=schedule, today=today)
    return {
        "as_on": today,
        "schedule_version": schedule.version,
        "count": len(items),
        "items": [i.as_dict() for i in items],
    }


@router.post(
    "/retention/holds",
    response={201: HoldOut, 403: Detail, 404: Detail, 422: Detail},
    summary="Place a legal hold on a child's records (a review, litigation or an inquiry)",
)
def hold_create(request: AuthenticatedHttpRequest, payload: HoldIn) -> Status[dict[str, Any]]:
    user = _admin(request)
    hold = services.hold_place(
        acting_user=user,
        child_reference=payload.child_reference,
        kind=payload.kind,
        matter=payload.matter,
    )
    return Status(
        201,
        {
            "id": hold.pk,
            "child_reference": hold.child_reference,
            "kind": hold.kind,
            "matter": hold.matter,
            "placed_at": hold.created_at,
            "active": hold.is_active,
        },
    )

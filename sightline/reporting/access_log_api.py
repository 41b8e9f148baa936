from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Query, Router, Schema

from sightline.accounts.http import AuthenticatedHttpRequest
from sightline.accounts.roles import Cap
from sightline.core.api import Detail
from sightline.core.errors import ApiError
from sightline.reporting.access_log import access_log_slice_read

router = Router(tags=["audit"])


class AccessEventOut(Schema):
    seq: int
    occurred_at: dt.datetime
    action: str
    actor_username: str
    actor_agency: str
    actor_role: str
    object_type: str
    object_ref: str
    reason: str
    channel: str
    request_id: str


class AccessLogOut(Schema):
    child_id: uuid.UUID
    reference: str
    count: int
    events: list[AccessEventOut]


class Paging(Schema):
    limit: int = 200
    offset: int = 0


@router.get(
    "/children/{child_id}/access-log",
    response={200: AccessLogOut, 403: Detail, 404: Detail},
    summary="Who has seen this child's record (information governance)",
)
def child_access_log(
    request: AuthenticatedHttpRequest, child_id: uuid.UUID, paging: Query[Paging]
) -> dict[str, Any]:
    user = request.user
    if not user.has_capability(Cap.AUDIT_VIEW):
        raise ApiError(404, "No child with that id that you can see.")
    limit = max(1, min(paging.limit, 1000))
    offset = max(0, min(paging.offset, 1_000_000_000))
    child, count, rows = access_log_slice_read(
        user=user, child_id=child_id, offset=offset, limit=limit
    )
    return {"child_id": child.pk, "reference": child.reference, "count": count, "events": rows}

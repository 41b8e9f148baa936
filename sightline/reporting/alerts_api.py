"""`GET /api/v1/alerts`: one list of intel's alerts (persons, places and vehicles linked to
children; practice patterns P4 and P5) and the missed-opportunity detectors' alerts about
single children (kind `missed_opportunity`, with their `pattern`), and the partner-event
detectors' alerts (kind `event`, with their `pattern` and `detector`). The read sits in
reporting (`alerts_reads.alerts_read`, which records it), above the apps, so none imports
another: intel keeps its model and its status endpoint, the reviews and events apps keep their
own rows (ADR 0711, ADR 0010)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from sightline.accounts.roles import Cap
from sightline.core.api import Detail
from sightline.core.errors import ApiError
from sightline.intel.api import MAX_OFFSET
from sightline.intel.api_schemas import AlertPage
from sightline.reporting.alerts_reads import STATUSES, alerts_read

router = Router(tags=["intel"])


@router.get(
    "/alerts",
    response={200: AlertPage, 403: Detail, 422: Detail},
    summary="Alerts: intel's, the missed-opportunity detectors' (kind missed_opportunity) and "
    "the partner-event detectors' (kind event)",
)
def alerts(
    request: HttpRequest, status: str | None = None, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    user: Any = request.user
    if not user.has_capability(Cap.ALERT_VIEW):
        raise ApiError(403, "Your role cannot see alerts.")
    if status is not None and status not in STATUSES:
        raise ApiError(422, f"status must be one of {', '.join(STATUSES)}.")
    limit = max(1, min(limit, 200))
    offset = max(0, min(offset, MAX_OFFSET))
    total, results = alerts_read(user=user, status=status, offset=offset, limit=limit)
    return {"count": total, "results": results}

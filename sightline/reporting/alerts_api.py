"""`GET /api/v1/alerts`: one list of intel's alerts (persons, places and vehicles linked to
children; practice patterns P4 and P5) and the missed-opportunity detectors' alerts about
single children (kind `missed_opportunity`, with their `pattern`). A small read here, above
both apps, so neither imports the other: intel keeps its model and its status endpoint, the
reviews app keeps its own rows (ADR 0711)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Router

from sightline.accounts.roles import Cap
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.api import Detail
from sightline.core.errors import ApiError
from sightline.intel import selectors as intel_selectors
from sightline.intel.api import MAX_OFFSET, alert_out
from sightline.intel.api_schemas import AlertPage
from sightline.intel.choices import AlertStatus
from sightline.reviews.choices import MissedOpportunityStatus
from sightline.reviews.detectors import DETECTORS
from sightline.reviews.models import MissedOpportunity
from sightline.reviews.selectors import missed_opportunity_list

router = Router(tags=["intel"])

STATUSES = sorted({*AlertStatus.values, *MissedOpportunityStatus.values})


def missed_opportunity_out(mo: MissedOpportunity) -> dict[str, Any]:
    child = {"id": mo.child_id, "reference": mo.child.reference}
    return {
        "id": mo.pk,
        "reference": mo.reference,
        "kind": "missed_opportunity",
        "trigger": mo.trigger,
        "priority": "high",
        "certainty": "rule",
        "status": mo.status,
        "created_at": mo.raised_at,
        "summary": mo.summary,
        "entity": {"type": "child", **child},
        "children": [child],
        "children_withheld": 0,
        "evidence": [*mo.evidence, {"agencies": mo.agencies, "name": DETECTORS[mo.pattern].name}],
        "pattern": mo.pattern,
        "first_visible_on": mo.first_visible_on,
        "suggested_action": mo.action,
    }


@router.get(
    "/alerts",
    response={200: AlertPage, 403: Detail, 422: Detail},
    summary="Alerts: intel's, and the missed-opportunity detectors' (kind missed_opportunity)",
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
    with transaction.atomic():
        # The detectors' alerts about single children first (newest first), then intel's.
        mos = missed_opportunity_list(
            user=user, status=status if status in MissedOpportunityStatus.values else None
        )
        if status is not None and status not in MissedOpportunityStatus.values:
            mos = mos.none()
        mo_count = mos.count()
        mo_page = list(mos[offset : offset + limit]) if offset < mo_count else []
        qs = intel_selectors.alert_list(
            user=user, status=status if status in AlertStatus.values else None
        )
        if status is not None and status not in AlertStatus.values:
            qs = qs.none()
        start = max(0, offset - mo_count)
        page = list(qs[start : start + limit - len(mo_page)]) if len(mo_page) < limit else []
        audit_record(
            actor=user,
            action=Action.LIST,
            object_type="intel_alert",
            details={
                "status": status or "", "count": len(page), "offset": offset,
                "missed_opportunities": len(mo_page),
            },
        )  # fmt: skip
        views = intel_selectors.children_views(
            user=user, child_id_lists=[a.child_ids for a in page]
        )
        return {
            "count": mo_count + qs.count(),
            "results": [missed_opportunity_out(m) for m in mo_page]
            + [alert_out(a, user, v) for a, v in zip(page, views, strict=True)],
        }

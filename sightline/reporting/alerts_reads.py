"""The alerts list's audited read (ADR 0010): intel's alerts, the missed-opportunity detectors'
alerts about single children and the partner-event detectors' alerts, one page over the three,
its listing recorded in the same call so `GET /api/v1/alerts` cannot show it unrecorded."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.events.choices import DETECTOR_PATTERN, EventAlertStatus
from sightline.events.models import EventAlert
from sightline.events.selectors import alerts_list as event_alert_list
from sightline.intel import selectors as intel_selectors
from sightline.intel.api import alert_out
from sightline.intel.choices import AlertStatus
from sightline.reviews.choices import MissedOpportunityStatus
from sightline.reviews.detectors import DETECTORS
from sightline.reviews.models import MissedOpportunity
from sightline.reviews.selectors import missed_opportunity_list

STATUSES = sorted({*AlertStatus.values, *MissedOpportunityStatus.values, *EventAlertStatus.values})


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


def event_alert_out(alert: EventAlert) -> dict[str, Any]:
    child = {"id": alert.child_id, "reference": alert.child.reference}
    return {
        "id": alert.pk,
        "reference": alert.reference,
        "kind": "event",
        "trigger": alert.detector,
        "priority": "high",
        "certainty": "rule",
        "status": alert.status,
        "created_at": alert.raised_at,
        "summary": alert.summary,
        "entity": {"type": "child", **child},
        "children": [child],
        "children_withheld": 0,
        "evidence": [*alert.evidence, {"detector": alert.get_detector_display()}],
        "pattern": DETECTOR_PATTERN.get(alert.detector),
        "first_visible_on": None,
        "suggested_action": "CSE screening" if alert.asks == "cse_screening" else alert.asks,
    }


def _page(
    sources: Sequence[tuple[Any, Callable[[list[Any]], list[dict[str, Any]]]]],
    offset: int,
    limit: int,
) -> tuple[int, list[dict[str, Any]], list[int]]:
    """One page over several querysets read one after another: (total, results, rows taken
    from each)."""
    total = 0
    results: list[dict[str, Any]] = []
    taken: list[int] = []
    for qs, out in sources:
        count = qs.count()
        start = max(0, offset - total)
        room = limit - len(results)
        rows = list(qs[start : start + room]) if room > 0 and start < count else []
        results += out(rows)
        taken.append(len(rows))
        total += count
    return total, results, taken


def _only(qs: Any, status: str | None, values: Sequence[str]) -> Any:
    return qs.none() if status is not None and status not in values else qs


def alerts_read(
    *, user: Any, status: str | None, offset: int, limit: int
) -> tuple[int, list[dict[str, Any]]]:
    """One page (from `offset`, at most `limit`) of every alert the user may see, with
    `status` if given: (total, results), the listing recorded."""
    with transaction.atomic():
        # The detectors' alerts about single children first (newest first), then the
        # partner-event detectors', then intel's.
        mos = missed_opportunity_list(
            user=user, status=status if status in MissedOpportunityStatus.values else None
        )
        events = event_alert_list(user=user)
        if status is not None:
            events = events.filter(status=status)
        qs = intel_selectors.alert_list(
            user=user, status=status if status in AlertStatus.values else None
        )

        def intel_out(page: list[Any]) -> list[dict[str, Any]]:
            views = intel_selectors.children_views(
                user=user, child_id_lists=[a.child_ids for a in page]
            )
            return [alert_out(a, user, v) for a, v in zip(page, views, strict=True)]

        total, results, taken = _page(
            [
                (_only(mos, status, MissedOpportunityStatus.values),
                 lambda page: [missed_opportunity_out(m) for m in page]),
                (_only(events, status, EventAlertStatus.values),
                 lambda page: [event_alert_out(a) for a in page]),
                (_only(qs, status, AlertStatus.values), intel_out),
            ],
            offset,
            limit,
        )  # fmt: skip
        audit_record(
            actor=user,
            action=Action.LIST,
            object_type="intel_alert",
            details={
                "status": status or "", "count": taken[2], "offset": offset,
                "missed_opportunities": taken[0], "event_alerts": taken[1],
            },
        )  # fmt: skip
    return total, results

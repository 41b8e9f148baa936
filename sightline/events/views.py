"""Read pages of partner events: a child's events with the missing-episodes panel, and the
partnership's missing-children page (open episodes, return interviews due and overdue,
repeat missing, the monthly measures). Pages that write live in sightline.site.events."""

from __future__ import annotations

import uuid

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from sightline.accounts.http import AuthenticatedHttpRequest
from sightline.accounts.roles import Cap
from sightline.core.permissions import capability_required
from sightline.events import selectors
from sightline.events.choices import EventKind


@capability_required(Cap.EVENT_VIEW)
def child_events(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    user = request.user
    kind = request.GET.get("kind", "")
    if kind not in EventKind.values:
        kind = ""
    child, events = selectors.child_events_read(user=user, child_id=child_id, kind=kind)
    episodes = selectors.child_episodes(user=user, child=child)
    alerts = list(selectors.child_alerts(user=user, child=child)[:50])
    return render(
        request,
        "events/child.html",
        {
            "child": child,
            "events": [(e, selectors.headline(e)) for e in events],
            "episodes": episodes,
            "alerts": alerts,
            "kinds": EventKind.choices,
            "kind": kind,
            "now": timezone.now(),
            "may_record": user.has_capability(Cap.RETURN_INTERVIEW_RECORD),
            "may_act": user.has_capability(Cap.ALERT_ACTION),
            # whose stored language flags the page shows (one read for them all)
            "flag_ids": [x.pk for x in (*events, *episodes, *alerts)],
        },
    )


@capability_required(Cap.MISSING_VIEW)
def missing_children(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    overview = selectors.missing_overview_read(user=user)
    alerts = list(selectors.alerts_list(user=user)[:30])
    months = overview.months
    chart = {
        "title": "Return interviews by month: offered within 72 hours and completed (per cent "
        "of returns)",
        "labels": [m.month for m in months],
        "series": [
            {
                "label": "Offered within 72 hours",
                "values": [_share(m.offered_in_72h, m.returns) for m in months],
            },
            {"label": "Completed", "values": [_share(m.completed, m.returns) for m in months]},
        ],
        "unit": "%",
    }
    return render(
        request,
        "events/missing.html",
        {"o": overview, "alerts": alerts, "chart": chart, "now": timezone.now()},
    )


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None

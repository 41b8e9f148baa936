"""Intel pages: alerts, person/place/vehicle records, network view, groups, hotspots. Each
view declares its capability; what a page shows is read through `intel.reads`, whose
selectors apply the scope and record the read (ADR 0010)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from sightline.accounts.roles import Cap
from sightline.core.errors import NotFound
from sightline.core.permissions import capability_required
from sightline.intel import reads, selectors
from sightline.intel.choices import AlertStatus, EntityType

PAGE_SIZE = 50


@capability_required(Cap.ALERT_VIEW)
def alert_list(request: HttpRequest) -> HttpResponse:
    found = reads.alert_list_read(
        user=request.user, status=request.GET.get("status") or None, page=request.GET.get("page")
    )
    return render(
        request,
        "intel/alert_list.html",
        {
            "page": found.page,
            "rows": found.rows,
            "status": found.status,
            "statuses": AlertStatus.choices,
        },
    )


@capability_required(Cap.ALERT_VIEW)
def alert_detail(request: HttpRequest, alert_id: uuid.UUID) -> HttpResponse:
    shown = reads.alert_read(user=request.user, alert_id=alert_id)
    return render(
        request,
        "intel/alert_detail.html",
        {
            "alert": shown.alert,
            "children": shown.children,
            "evidence": shown.evidence,
            "can_act": request.user.has_capability(Cap.ALERT_ACTION),  # type: ignore[union-attr]
            "entity_url": f"intel:{shown.alert.entity_type}",
        },
    )


def _entity_page(request: HttpRequest, entity_type: str, entity_id: uuid.UUID) -> HttpResponse:
    user = request.user
    try:
        entity = reads.entity_read(user=user, entity_type=entity_type, entity_id=entity_id)
    except NotFound:
        if entity_type == EntityType.PERSON:
            moved = selectors.person_moved_to(user=user, person_id=entity_id)
            if moved is not None:  # a merged person's old page: the surviving person's
                return redirect("intel:person", entity_id=moved.pk, permanent=True)
        raise
    mentions = Paginator(
        selectors.entity_mentions(user=user, entity_id=entity.pk), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    shown = list(mentions)
    can_link = user.has_capability(Cap.INTEL_LINK)  # type: ignore[union-attr]
    candidates = selectors.candidates_for(user=user, mentions=shown) if can_link else {}
    rows = [{"mention": m, "candidates": candidates.get(m.pk, [])} for m in shown]
    alerts = selectors.alert_list(user=user).filter(entity_id=entity.pk)
    return render(
        request,
        "intel/entity_detail.html",
        {
            "entity": entity,
            "entity_type": entity_type,
            "type_label": EntityType(entity_type).label,
            "rows": rows,
            "page": mentions,
            "alerts": list(alerts[:20]),
            "can_link": can_link,
            "changes": selectors.person_changes(user=user, person_id=entity.pk)
            if entity_type == EntityType.PERSON
            else [],
        },
    )


@capability_required(Cap.INTEL_VIEW)
def person_detail(request: HttpRequest, entity_id: uuid.UUID) -> HttpResponse:
    return _entity_page(request, EntityType.PERSON, entity_id)


@capability_required(Cap.INTEL_VIEW)
def place_detail(request: HttpRequest, entity_id: uuid.UUID) -> HttpResponse:
    return _entity_page(request, EntityType.PLACE, entity_id)


@capability_required(Cap.INTEL_VIEW)
def vehicle_detail(request: HttpRequest, entity_id: uuid.UUID) -> HttpResponse:
    return _entity_page(request, EntityType.VEHICLE, entity_id)


@capability_required(Cap.NETWORK_VIEW)
def network_page(request: HttpRequest, node_type: str, node_id: uuid.UUID) -> HttpResponse:
    root, linked = reads.network_page_read(user=request.user, node_type=node_type, node_id=node_id)
    return render(
        request,
        "intel/network.html",
        {"node_type": node_type, "node_id": node_id, "reference": root.reference, "linked": linked},
    )


@capability_required(Cap.NETWORK_VIEW)
def network_json(request: HttpRequest, node_type: str, node_id: uuid.UUID) -> JsonResponse:
    network = reads.network_read(user=request.user, node_type=node_type, node_id=node_id)
    return JsonResponse(network.__dict__)


@capability_required(Cap.NETWORK_VIEW)
def group_list(request: HttpRequest) -> HttpResponse:
    page = reads.group_list_read(user=request.user, page=request.GET.get("page"))
    return render(request, "intel/groups.html", {"page": page})


@capability_required(Cap.INTEL_VIEW)
def hotspots(request: HttpRequest) -> HttpResponse:
    try:
        days = max(1, min(int(request.GET.get("days", "90")), 3660))
    except ValueError:
        days = 90
    rows = reads.hotspot_list_read(user=request.user, days=days)
    points = [
        {
            "name": r["name"] or r["reference"],
            "reference": r["reference"],
            "lat": r["latitude"],
            "lng": r["longitude"],
            "children": r["children"],
            "concerns": r["concerns"],
            "url": f"/intel/places/{r['id']}/",
        }
        for r in rows
        if r["latitude"] is not None
    ]
    return render(
        request,
        "intel/hotspots.html",
        {
            "rows": rows,
            "days": days,
            "points": points,
            "tile_url": getattr(settings, "SIGHTLINE_MAP_TILE_URL", ""),
        },
    )

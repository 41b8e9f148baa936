"""Intel pages: alerts, person/place/vehicle records, network view, groups, hotspots. Each
view declares its capability, reads through scoped selectors and audits the read."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sightline.accounts.roles import Cap
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.permissions import capability_required
from sightline.intel import selectors, services
from sightline.intel.choices import AlertStatus, EntityType
from sightline.intel.services.persons import person_split as person_split_service
from sightline.referrals.selectors import child_get

PAGE_SIZE = 50


def _audit(request: HttpRequest, action: Action, object_type: str, **kw: Any) -> None:
    audit_record(actor=request.user, action=action, object_type=object_type, **kw)


@capability_required(Cap.ALERT_VIEW)
def alert_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    if status is not None and status not in AlertStatus.values:
        status = None
    with transaction.atomic():
        page = Paginator(
            selectors.alert_list(user=request.user, status=status), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        alerts = list(page)
        views = selectors.children_views(
            user=request.user, child_id_lists=[a.child_ids for a in alerts]
        )
        rows = [{"alert": a, "children": v} for a, v in zip(alerts, views, strict=True)]
        _audit(
            request,
            Action.LIST,
            "intel_alert",
            details={"status": status or "", "page": page.number},
        )
        return render(
            request,
            "intel/alert_list.html",
            {"page": page, "rows": rows, "status": status, "statuses": AlertStatus.choices},
        )


@capability_required(Cap.ALERT_VIEW)
def alert_detail(request: HttpRequest, alert_id: uuid.UUID) -> HttpResponse:
    with transaction.atomic():
        alert = selectors.alert_get(user=request.user, alert_id=alert_id)
        if alert is None:
            raise Http404
        children = selectors.children_view(user=request.user, child_ids=alert.child_ids)
        shown = {c["reference"] for c in children.shown}
        evidence = [
            {**e, "children": [c for c in e.get("children", []) if c in shown]}
            for e in alert.evidence
        ]
        _audit(request, Action.VIEW, "intel_alert", object_id=alert.pk, object_ref=alert.reference)
        return render(
            request,
            "intel/alert_detail.html",
            {
                "alert": alert,
                "children": children,
                "evidence": evidence,
                "can_act": request.user.has_capability(Cap.ALERT_ACTION),  # type: ignore[union-attr]
                "entity_url": f"intel:{alert.entity_type}",
            },
        )


@require_POST
@capability_required(Cap.ALERT_ACTION)
def alert_status(request: HttpRequest, alert_id: uuid.UUID) -> HttpResponse:
    alert = selectors.alert_get(user=request.user, alert_id=alert_id)
    if alert is None:
        raise Http404
    try:
        services.alert_status_set(
            acting_user=request.user,
            alert=alert,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, f"Alert {alert.reference} updated.")
    except services.IntelError as exc:
        messages.error(request, str(exc))
    return redirect("intel:alert", alert_id=alert.pk)


def _entity_page(request: HttpRequest, entity_type: str, entity_id: uuid.UUID) -> HttpResponse:
    with transaction.atomic():
        entity = selectors.entity_get(
            user=request.user, entity_type=entity_type, entity_id=entity_id
        )
        if entity is None and entity_type == EntityType.PERSON:
            moved = selectors.person_moved_to(user=request.user, person_id=entity_id)
            if moved is not None:  # a merged person's old page: the surviving person's
                return redirect("intel:person", entity_id=moved.pk, permanent=True)
        if entity is None:
            raise Http404
        mentions = Paginator(
            selectors.entity_mentions(user=request.user, entity_id=entity.pk), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        shown = list(mentions)
        can_link = request.user.has_capability(Cap.INTEL_LINK)  # type: ignore[union-attr]
        candidates = selectors.candidates_for(user=request.user, mentions=shown) if can_link else {}
        rows = [{"mention": m, "candidates": candidates.get(m.pk, [])} for m in shown]
        alerts = selectors.alert_list(user=request.user).filter(entity_id=entity.pk)
        _audit(
            request,
            Action.VIEW,
            f"intel_{entity_type}",
            object_id=entity.pk,
            object_ref=entity.reference,
        )
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
                "changes": selectors.person_changes(user=request.user, person_id=entity.pk)
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


@capability_required(Cap.INTEL_LINK)
def person_split(request: HttpRequest, entity_id: uuid.UUID) -> HttpResponse:
    """Choose mentions of a person that are someone else, and say why (ADR 0205)."""
    with transaction.atomic():
        person = selectors.entity_get(
            user=request.user, entity_type=EntityType.PERSON, entity_id=entity_id
        )
        if person is None:
            raise Http404
        mentions = list(selectors.entity_mentions(user=request.user, entity_id=person.pk)[:200])
        error = ""
        if request.method == "POST":
            chosen, error = _chosen(request, {m.pk for m in mentions})
            if not error:
                try:
                    new, _change, _alerts = person_split_service(
                        acting_user=request.user,
                        person=person,  # type: ignore[arg-type]
                        mention_ids=chosen,
                        reason=request.POST.get("reason", ""),
                    )
                except services.IntelError as exc:
                    error = str(exc)
                else:
                    messages.success(
                        request,
                        f"{len(chosen)} mention{'s' if len(chosen) != 1 else ''} moved to a new "
                        f"person, {new.reference}.",
                    )
                    return redirect("intel:person", entity_id=new.pk)
        _audit(
            request,
            Action.VIEW,
            "intel_person",
            object_id=person.pk,
            object_ref=person.reference,
        )
        return render(
            request,
            "intel/person_split.html",
            {
                "entity": person,
                "mentions": mentions,
                "error": error,
                "chosen": set(request.POST.getlist("mention")),
                "reason": request.POST.get("reason", ""),
            },
            status=422 if error else 200,
        )


def _chosen(request: HttpRequest, shown: set[uuid.UUID]) -> tuple[list[uuid.UUID], str]:
    chosen: list[uuid.UUID] = []
    for value in request.POST.getlist("mention"):
        try:
            pk = uuid.UUID(value)
        except ValueError:
            return [], "Choose mentions from the list."
        if pk not in shown:
            return [], "Choose mentions from the list."
        chosen.append(pk)
    if not chosen:
        return [], "Choose at least one mention to split out."
    return chosen, ""


@require_POST
@capability_required(Cap.INTEL_LINK)
def mention_decide(request: HttpRequest, mention_id: uuid.UUID, verdict: str) -> HttpResponse:
    mention = selectors.mention_get(user=request.user, mention_id=mention_id)
    if mention is None or verdict not in ("confirm", "reject"):
        raise Http404
    try:
        entity_id = uuid.UUID(request.POST.get("entity_id", ""))
    except ValueError as exc:
        raise Http404 from exc
    if (
        selectors.entity_get(
            user=request.user, entity_type=mention.entity_type, entity_id=entity_id
        )
        is None
    ):
        raise Http404
    action = services.mention_confirm if verdict == "confirm" else services.mention_reject
    try:
        action(
            acting_user=request.user,
            mention=mention,
            entity_id=entity_id,
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, "Link confirmed." if verdict == "confirm" else "Match rejected.")
    except services.IntelError as exc:
        messages.error(request, str(exc))
    return redirect(f"intel:{mention.entity_type}", entity_id=entity_id)


_NETWORK_TYPES = {"person", "place", "vehicle", "child"}


@capability_required(Cap.NETWORK_VIEW)
def network_page(request: HttpRequest, node_type: str, node_id: uuid.UUID) -> HttpResponse:
    if node_type not in _NETWORK_TYPES:
        raise Http404
    with transaction.atomic():
        reference = _network_root(request, node_type, node_id)
        _audit(
            request,
            Action.VIEW,
            "intel_network_page",
            object_id=node_id,
            object_ref=reference,
            child_id=node_id if node_type == "child" else None,
        )
        # why each mention of a person is joined to them: the link explanations
        linked = (
            list(selectors.entity_mentions(user=request.user, entity_id=node_id)[:PAGE_SIZE])
            if node_type == "person"
            else []
        )
    return render(
        request,
        "intel/network.html",
        {"node_type": node_type, "node_id": node_id, "reference": reference, "linked": linked},
    )


def _network_root(request: HttpRequest, node_type: str, node_id: uuid.UUID) -> str:
    if node_type == "child":
        child = child_get(user=request.user, child_id=node_id)
        if child is None:
            raise Http404
        return child.reference
    entity = selectors.entity_get(user=request.user, entity_type=node_type, entity_id=node_id)
    if entity is None:
        raise Http404
    return entity.reference


@capability_required(Cap.NETWORK_VIEW)
def network_json(request: HttpRequest, node_type: str, node_id: uuid.UUID) -> JsonResponse:
    if node_type not in _NETWORK_TYPES:
        raise Http404
    with transaction.atomic():
        reference = _network_root(request, node_type, node_id)
        network = selectors.network_around(user=request.user, node_type=node_type, node_id=node_id)
        _audit(
            request,
            Action.VIEW,
            "intel_network",
            object_id=node_id,
            object_ref=reference,
            child_id=node_id if node_type == "child" else None,
            details={"nodes": len(network.nodes)},
        )
        return JsonResponse(
            {
                "nodes": network.nodes,
                "edges": network.edges,
                "withheld_children": network.withheld_children,
                "truncated": network.truncated,
            }
        )


@capability_required(Cap.NETWORK_VIEW)
def group_list(request: HttpRequest) -> HttpResponse:
    with transaction.atomic():
        page = Paginator(selectors.group_list(user=request.user), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        _audit(request, Action.LIST, "intel_groups", details={"page": page.number})
        return render(request, "intel/groups.html", {"page": page})


@capability_required(Cap.INTEL_VIEW)
def hotspots(request: HttpRequest) -> HttpResponse:
    try:
        days = max(1, min(int(request.GET.get("days", "90")), 3660))
    except ValueError:
        days = 90
    with transaction.atomic():
        rows = selectors.hotspot_list(user=request.user, days=days)
        _audit(request, Action.SEARCH, "intel_hotspots", details={"days": days, "count": len(rows)})
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

"""The child's record as a hub, and its chronology downloads (reads: reporting.child_hub and
reporting.exports, each writing its own audit row)."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sightline.accounts.roles import Cap
from sightline.core.permissions import capability_required
from sightline.intel.choices import EntityType
from sightline.reporting.child_hub import child_hub_view
from sightline.reporting.exports import chronology_export

DOWNLOADS = ("csv", "pdf")


@capability_required(Cap.CHILD_VIEW)
def child_detail(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    hub = child_hub_view(user=request.user, child_id=child_id)
    if hub is None:
        raise Http404
    linked = [
        (EntityType(kind).label, kind, entities)
        for kind, entities in hub.linked.items()
        if entities
    ]
    return render(
        request,
        "children/hub.html",
        {
            "hub": hub,
            "child": hub.child,
            "record": hub.record,
            "linked": linked,
            "can_escalation": request.user.has_capability(Cap.ESCALATION_VIEW),  # type: ignore[union-attr]
            "can_alerts": request.user.has_capability(Cap.ALERT_VIEW),  # type: ignore[union-attr]
        },
    )


@capability_required(Cap.CHILD_VIEW)
def chronology_download(request: HttpRequest, child_id: uuid.UUID, fmt: str) -> HttpResponse:
    if fmt not in DOWNLOADS:
        raise Http404
    export = chronology_export(user=request.user, child_id=child_id, fmt=fmt)
    if export is None:
        raise Http404
    content = export.content if isinstance(export.content, bytes | str) else b""
    response = HttpResponse(content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response

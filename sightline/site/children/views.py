"""The child's record as a hub, and its chronology downloads (reads: reporting.child_hub and
reporting.exports, each writing its own audit row)."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sightline.accounts.roles import Cap
from sightline.core.permissions import capability_required
from sightline.intel.choices import EntityType
from sightline.referrals.selectors import child_get
from sightline.reporting.child_hub import child_hub_view
from sightline.reporting.exports import chronology_export
from sightline.reviews.views.flags import tell_flags
from sightline.workflows import mace_child_propose

DOWNLOADS = ("csv", "pdf")


@capability_required(Cap.CHILD_VIEW)
def child_detail(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    return _hub_page(request, child_id)


def _hub_page(
    request: HttpRequest, child_id: uuid.UUID, *, status: int = 200, **extra: Any
) -> HttpResponse:
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
            **extra,
        },
        status=status,
    )


REASON_MAX = 5000


@capability_required(Cap.MEETING_PROPOSE)
@require_POST
def mace_propose(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    """Propose the child for the next MACE meeting (the child in the user's scope, else 404);
    a missing or overlong reason is an error on the child's page and stores nothing."""
    child = child_get(user=request.user, child_id=child_id)
    if child is None or not request.user.has_capability(Cap.CHILD_VIEW):  # type: ignore[union-attr]
        raise Http404
    reason = request.POST.get("reason", "")
    error = ""
    if not reason.strip():
        error = "Say why the meeting should discuss this child."
    elif len(reason) > REASON_MAX:
        error = f"Keep the reason to {REASON_MAX:,} characters."
    if error:
        return _hub_page(
            request, child.pk, status=422, propose_error=error, propose_reason=reason[:REASON_MAX]
        )
    proposal = mace_child_propose(acting_user=request.user, child=child, reason=reason)
    messages.success(
        request, "Proposed for the next MACE meeting: the chair sees it on the agenda."
    )
    tell_flags(request, proposal.pk)
    return redirect("children:detail", child_id=child.pk)  # the messages show at the top


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

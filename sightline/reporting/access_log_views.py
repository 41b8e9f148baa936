from __future__ import annotations

import csv
import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sightline.accounts.roles import Cap
from sightline.core.errors import NotFound
from sightline.core.permissions import capability_required
from sightline.reporting.access_log import (
    access_log_child_find,
    access_log_export_read,
    access_log_page_read,
)

EXPORT_COLUMNS = (
    "seq", "occurred_at", "action", "actor_username", "actor_agency", "actor_role",
    "object_type", "object_ref", "reason", "channel", "ip_address", "request_id",
)  # fmt: skip


REFERENCE_MAX = 20  # Child.reference's length


@capability_required(Cap.AUDIT_VIEW)
def access_log_start(request: HttpRequest) -> HttpResponse:
    """Find a child's access log by the reference on the request (GET `reference`)."""
    reference = request.GET.get("reference")
    if reference is None:
        return render(request, "audit/access_log_start.html", {"reference": ""})
    reference = reference.strip()
    if not reference:
        error, status = "Enter the child's reference, for example CH-2026-0000042.", 400
    elif len(reference) > REFERENCE_MAX:
        error, status = f"A child's reference is at most {REFERENCE_MAX} characters.", 400
    else:
        try:
            child_id = access_log_child_find(user=request.user, reference=reference)
        except NotFound as exc:
            error, status = str(exc), 404
        else:
            return redirect("audit:child_access_log", child_id=child_id)
    context = {"reference": reference[:REFERENCE_MAX], "error": error}
    return render(request, "audit/access_log_start.html", context, status=status)


@capability_required(Cap.AUDIT_VIEW)
def child_access_log(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child, page = access_log_page_read(
        user=request.user, child_id=child_id, page=request.GET.get("page")
    )
    return render(request, "audit/child_access_log.html", {"child": child, "page": page})


@capability_required(Cap.AUDIT_VIEW)
def child_access_log_export(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    """CSV of who has seen the child's record, for a subject access request."""
    child, events = access_log_export_read(user=request.user, child_id=child_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-log-{child.reference}.csv"'
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    for event in events:
        writer.writerow([getattr(event, column) for column in EXPORT_COLUMNS])
    return response

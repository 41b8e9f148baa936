from __future__ import annotations

import csv
import uuid

from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from sightline.accounts.roles import Cap
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.permissions import capability_required
from sightline.people.models import Child
from sightline.referrals.models import ReferralChild
from sightline.reporting.access_log import access_log_for_child

EXPORT_COLUMNS = (
    "seq", "occurred_at", "action", "actor_username", "actor_agency", "actor_role",
    "object_type", "object_ref", "reason", "channel", "ip_address", "request_id",
)  # fmt: skip


def _child_and_referrals(child_id: uuid.UUID) -> tuple[Child, list[uuid.UUID]]:
    child = Child.objects.filter(pk=child_id).first()
    if child is None:
        raise Http404
    referral_ids = list(
        ReferralChild.objects.filter(child=child).values_list("referral_id", flat=True)
    )
    return child, referral_ids


@capability_required(Cap.AUDIT_VIEW)
def child_access_log(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    with transaction.atomic():
        child, referral_ids = _child_and_referrals(child_id)
        events = access_log_for_child(
            user=request.user, child_id=child.pk, referral_ids=referral_ids
        )
        page = Paginator(events, 100).get_page(request.GET.get("page"))
        audit_record(
            actor=request.user,
            action=Action.VIEW,
            object_type="access_log",
            object_id=child.pk,
            object_ref=child.reference,
            child_id=child.pk,
            details={"page": page.number},
        )
        return render(request, "audit/child_access_log.html", {"child": child, "page": page})


@capability_required(Cap.AUDIT_VIEW)
def child_access_log_export(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    """CSV of who has seen the child's record, for a subject access request."""
    with transaction.atomic():
        child, referral_ids = _child_and_referrals(child_id)
        events = list(
            access_log_for_child(user=request.user, child_id=child.pk, referral_ids=referral_ids)
        )
        audit_record(
            actor=request.user,
            action=Action.EXPORT,
            object_type="access_log",
            object_id=child.pk,
            object_ref=child.reference,
            child_id=child.pk,
            details={"rows": len(events), "format": "csv"},
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="access-log-{child.reference}.csv"'
        writer = csv.writer(response)
        writer.writerow(EXPORT_COLUMNS)
        for event in events:
            writer.writerow([getattr(event, column) for column in EXPORT_COLUMNS])
        return response

"""Who has seen a child's record (information governance): the log and its audited reads."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Q, QuerySet

from sightline.accounts.roles import Cap
from sightline.audit.choices import Action
from sightline.audit.models import AuditEvent
from sightline.audit.services import audit_record
from sightline.core.errors import NotFound
from sightline.people.models import Child
from sightline.referrals.models import ReferralChild

PAGE_SIZE = 100


def access_log_for_child(
    *, user: Any, child_id: uuid.UUID, referral_ids: list[uuid.UUID]
) -> QuerySet[AuditEvent]:
    """Every recorded event about a child, directly or through a referral naming them.
    Only the information-governance role may read it."""
    if not user.has_capability(Cap.AUDIT_VIEW):
        return AuditEvent.objects.none()
    return (
        AuditEvent.objects.filter(Q(child_id=child_id) | Q(referral_id__in=referral_ids))
        .select_related("actor")
        .order_by("-seq")
    )


NO_REFERENCE = (
    "No child with that reference. Check it against the request (for example CH-2026-0000042)."
)


def access_log_child_find(*, user: Any, reference: str) -> uuid.UUID:
    """The id of the child whose reference this is (the information-governance role's way in
    to a child's log, from the reference on a subject access request). Shows nothing of the
    child; the log it leads to records its own view. NotFound without the role, or for a
    reference no child has."""
    if not user.has_capability(Cap.AUDIT_VIEW):
        raise NotFound(NO_REFERENCE)
    found = (
        Child.objects.filter(reference__iexact=reference.strip())
        .values_list("pk", flat=True)
        .first()
    )
    if found is None:
        raise NotFound(NO_REFERENCE)
    return found


# The audited reads (ADR 0010): each returns what is shown and writes its access row in the
# same call, so neither the page, its CSV nor the API can show the log unrecorded.

NO_CHILD = "No child with that id that you can see."


def _child_log(*, user: Any, child_id: uuid.UUID) -> tuple[Child, QuerySet[AuditEvent]]:
    if not user.has_capability(Cap.AUDIT_VIEW):
        raise NotFound(NO_CHILD)
    child = Child.objects.filter(pk=child_id).first()
    if child is None:
        raise NotFound(NO_CHILD)
    referral_ids = list(
        ReferralChild.objects.filter(child=child).values_list("referral_id", flat=True)
    )
    return child, access_log_for_child(user=user, child_id=child.pk, referral_ids=referral_ids)


def _record(user: Any, action: str, child: Child, details: dict[str, Any]) -> None:
    audit_record(
        actor=user,
        action=action,
        object_type="access_log",
        object_id=child.pk,
        object_ref=child.reference,
        child_id=child.pk,
        details=details,
    )


def access_log_page_read(*, user: Any, child_id: uuid.UUID, page: Any) -> tuple[Child, Page[Any]]:
    """One page (100 rows) of the child's access log, for the page, its view recorded."""
    with transaction.atomic():
        child, events = _child_log(user=user, child_id=child_id)
        found = Paginator(events, PAGE_SIZE).get_page(page)
        _record(user, Action.VIEW, child, {"page": found.number})
    return child, found


def access_log_slice_read(
    *, user: Any, child_id: uuid.UUID, offset: int, limit: int
) -> tuple[Child, int, list[AuditEvent]]:
    """`limit` rows from `offset` of the child's access log and their total, for the API,
    its view recorded."""
    with transaction.atomic():
        child, events = _child_log(user=user, child_id=child_id)
        rows = list(events[offset : offset + limit])
        count = events.count()
        _record(user, Action.VIEW, child, {"offset": offset, "limit": limit})
    return child, count, rows


def access_log_export_read(*, user: Any, child_id: uuid.UUID) -> tuple[Child, list[AuditEvent]]:
    """Every row of the child's access log, for its CSV, recorded as an export."""
    with transaction.atomic():
        child, events = _child_log(user=user, child_id=child_id)
        rows = list(events)
        _record(user, Action.EXPORT, child, {"rows": len(rows), "format": "csv"})
    return child, rows

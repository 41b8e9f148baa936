from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet

from sightline.accounts.roles import Cap
from sightline.audit.models import AuditEvent


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

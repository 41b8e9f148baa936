"""Shared pieces of the escalation services: errors, the system actor, audit helpers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import timezone

from sightline.accounts.choices import AgencyKind
from sightline.accounts.models import Agency
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import Conflict, Invalid, NotPermitted

SYSTEM_ACTOR = "system:escalation-sweep"


class EscalationError(Invalid):
    """The request is not valid (422): a reason missing, an unknown outcome."""


__all__ = ["Conflict", "EscalationError", "NotPermitted"]


def require_reason(reason: str, *, what: str = "reason", limit: int = 10_000) -> str:
    text = (reason or "").strip()
    if not text:
        raise EscalationError(f"Give the {what}: nothing is dismissed without one.")
    if len(text) > limit:
        raise EscalationError(f"The {what} must be {limit:,} characters or fewer.")
    return text


def audit(
    *,
    actor: Any,
    action: Action | str,
    object_type: str,
    object_id: Any,
    referral: Any,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_ref=referral.reference,
        referral_id=referral.pk,
        reason=reason,
        details=details or {},
        actor_username="" if actor is not None else SYSTEM_ACTOR,
    )


def front_door_agency() -> Agency | None:
    """The agency that runs the front door (its ladder applies to decision clocks):
    settings.SIGHTLINE_FRONT_DOOR_AGENCY (a code) if set, else the first active children's
    social care agency."""
    agencies = Agency.objects.filter(is_active=True)
    code = getattr(settings, "SIGHTLINE_FRONT_DOOR_AGENCY", "")
    if code:
        found = agencies.filter(code=code).first()
        if found is not None:
            return found
    return agencies.filter(kind=AgencyKind.CHILDRENS_SOCIAL_CARE).order_by("name").first()


def local(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%d %b %Y %H:%M}"

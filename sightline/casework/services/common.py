"""What the casework services share: their errors and the audit helper."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import ForeignKey, Model

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import Conflict, Invalid, NotPermitted


class CaseworkInvalid(Invalid):
    """Bad input (422): a missing reason, an unknown outcome, a bad date."""


class CaseworkConflict(Conflict):
    """Not in this state (409): a conference before its enquiry, a second open CP plan."""


class CaseworkRefused(NotPermitted):
    """Not for this user (403): a sign-off of one's own proposal."""


def text(value: str | None, *, what: str, required: bool = True, limit: int = 10_000) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise CaseworkInvalid(f"Give the {what}.")
    if len(cleaned) > limit:
        raise CaseworkInvalid(f"The {what} must be {limit:,} characters or fewer.")
    return cleaned


def choice(value: str | None, allowed: Any, *, what: str, blank: bool = False) -> str:
    if blank and not value:
        return ""
    if value not in allowed.values:
        raise CaseworkInvalid(f"The {what} must be one of: {', '.join(allowed.values)}.")
    return str(value)


M = TypeVar("M", bound=Model)


def locked(record: M) -> M:
    """The record read again under a row lock, keeping the referral and child the caller's
    copy had already read (one statement where the audit row and the clocks would have read
    them again)."""
    fresh = type(record)._default_manager.select_for_update().get(pk=record.pk)
    for name in ("referral", "child"):
        field = record._meta.get_field(name)
        if not isinstance(field, ForeignKey) or not field.is_cached(record):
            continue
        if getattr(fresh, field.attname) == getattr(record, field.attname):
            field.set_cached_value(fresh, field.get_cached_value(record))
    return fresh


def audit_step(
    *,
    actor: Any,
    action: str,
    object_type: str,
    record: Any,
    referral: Any,
    child_id: Any = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=record.pk,
        object_ref=referral.reference if referral is not None else "",
        child_id=child_id,
        referral_id=referral.pk if referral is not None else None,
        reason=reason,
        details=details or {},
    )


__all__ = [
    "Action",
    "CaseworkConflict",
    "CaseworkInvalid",
    "CaseworkRefused",
    "audit_step",
    "choice",
    "locked",
    "text",
]

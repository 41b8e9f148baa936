"""Writes of the partnership's configuration rows (core.models), audited with old and new."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.config import screening_min_age
from sightline.core.errors import Invalid
from sightline.core.models import SCREENING_MIN_AGE_CEILING, AlertThreshold, PartnershipSetting


class ConfigInvalid(Invalid):
    pass


def screening_min_age_set(*, acting_user: Any, age: int) -> PartnershipSetting:
    """Set the age from which every referral is screened for CSE. Never above 12: the
    partnership's own finding is that every referral of a child over 12 must be screened."""
    if not isinstance(age, int) or isinstance(age, bool):
        raise ConfigInvalid("The screening age must be a whole number of years.")
    if age > SCREENING_MIN_AGE_CEILING:
        raise ConfigInvalid(
            f"The screening age cannot be above {SCREENING_MIN_AGE_CEILING}: every referral of "
            f"a child over {SCREENING_MIN_AGE_CEILING} must be screened for CSE."
        )
    if age < 0:
        raise ConfigInvalid("The screening age cannot be negative.")
    with transaction.atomic():
        old = screening_min_age()
        row, _ = PartnershipSetting.objects.select_for_update().get_or_create(
            pk=1, defaults={"screening_min_age": age}
        )
        row.screening_min_age = age
        row.save()
        audit_record(
            actor=acting_user,
            action=Action.CONFIG_CHANGED,
            object_type="setting",
            object_ref="screening_min_age",
            details={"old": old, "new": age, "default": settings.SIGHTLINE_SCREENING_MIN_AGE},
        )
    return row


def alert_threshold_set(
    *, acting_user: Any, key: str, value: int, description: str = ""
) -> AlertThreshold:
    key = key.strip()
    if not key or len(key) > 60 or not all(c.isalnum() or c in "-_" for c in key):
        raise ConfigInvalid("A threshold's key is letters, digits, '-' and '_' (at most 60).")
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ConfigInvalid("A threshold is a whole number, zero or more.")
    with transaction.atomic():
        row = AlertThreshold.objects.select_for_update().filter(key=key).first()
        old = None if row is None else row.value
        if row is None:
            row = AlertThreshold(key=key)
        row.value = value
        if description.strip() or not row.description:
            row.description = description.strip()[:200]
        row.save()
        audit_record(
            actor=acting_user,
            action=Action.CONFIG_CHANGED,
            object_type="alert_threshold",
            object_ref=key[:40],
            details={"old": old, "new": value},
        )
    return row

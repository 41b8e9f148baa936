"""Reads of the partnership's configuration rows, with the Django settings as defaults."""

from __future__ import annotations

from django.conf import settings

from sightline.core.models import SCREENING_MIN_AGE_CEILING, AlertThreshold, PartnershipSetting
from sightline.core.rows import first_of


def screening_min_age() -> int:
    """The age from which every referral is screened: the configured row, else the
    SIGHTLINE_SCREENING_MIN_AGE setting; never above 12 whatever either says."""
    value = first_of(
        PartnershipSetting.objects.filter(pk=1).values_list("screening_min_age", flat=True)
    )
    age = int(settings.SIGHTLINE_SCREENING_MIN_AGE if value is None else value)
    return min(age, SCREENING_MIN_AGE_CEILING)


def threshold(key: str, default: int) -> int:
    value = first_of(AlertThreshold.objects.filter(key=key).values_list("value", flat=True))
    return default if value is None else int(value)

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register


def screening_age_check(app_configs: Any, **kwargs: Any) -> list[Error]:
    age = settings.SIGHTLINE_SCREENING_MIN_AGE
    if not isinstance(age, int) or age > 12 or age < 0:
        return [
            Error(
                f"SIGHTLINE_SCREENING_MIN_AGE is {age!r}; it must be a whole number no higher "
                "than 12 (every referral of a child over 12 must be screened for CSE).",
                id="sightline.E001",
            )
        ]
    return []


def register_all() -> None:
    """Called from the app's ready(): register the partnership's system checks."""
    register(screening_age_check)

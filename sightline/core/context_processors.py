from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": settings.SIGHTLINE_SERVICE_NAME,
        "partnership_name": settings.SIGHTLINE_PARTNERSHIP_NAME,
        "demo_mode": settings.SIGHTLINE_DEMO_MODE,
        "screening_min_age": settings.SIGHTLINE_SCREENING_MIN_AGE,
    }

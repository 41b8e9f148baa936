from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from sightline.core.config import screening_min_age


def service(request: HttpRequest) -> dict[str, Any]:
    return {
        "service_name": settings.SIGHTLINE_SERVICE_NAME,
        "partnership_name": settings.SIGHTLINE_PARTNERSHIP_NAME,
        "demo_mode": settings.SIGHTLINE_DEMO_MODE,
        "screening_min_age": screening_min_age(),
    }

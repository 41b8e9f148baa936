from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from sightline.accounts.models import ApiToken
from sightline.accounts.services import token_authenticate
from sightline.core.throttle import throttle


class TokenAuth(HttpBearer):
    """`Authorization: Bearer sl_…` tokens issued by `manage.py api_token USERNAME`. Each token
    is held to SIGHTLINE_API_RATE_PER_TOKEN requests (429 with Retry-After past it)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_authenticate(token)
        if user is None:
            return None
        request.user = user
        if not getattr(request, "sightline_rate_counted", False):
            # A request the error middleware runs a second time counts once.
            request.sightline_rate_counted = True  # type: ignore[attr-defined]
            throttle(
                request,
                group="api.token",
                key=ApiToken.digest_of(token),
                rate=settings.SIGHTLINE_API_RATE_PER_TOKEN,
            )
        return user

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

ALLOWED_PREFIXES = ("/accounts/", "/static/", "/api/")


class TwoFactorRequiredMiddleware:
    """With SIGHTLINE_REQUIRE_2FA (production), a signed-in member of staff who has not
    completed a TOTP check this session is sent to the two-factor page for every page.
    The API uses per-agency tokens, not sessions, so it is not affected."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.SIGHTLINE_REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            return redirect("accounts:two_factor")
        return self.get_response(request)

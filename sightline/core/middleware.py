from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse

from sightline.core.context import RequestContext, reset_context, set_context

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: {tiles}; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)


class RequestContextMiddleware:
    """Gives every request an id (echoed as X-Request-ID) and the audit trail its context."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = str(uuid.uuid4())
        channel = "api" if request.path.startswith("/api/") else "web"
        token = set_context(
            RequestContext(
                request_id=request_id, ip_address=request.META.get("REMOTE_ADDR"), channel=channel
            )
        )
        try:
            response = self.get_response(request)
        finally:
            reset_context(token)
        response["X-Request-ID"] = request_id
        return response


class AbsoluteSessionLimitMiddleware:
    """Ends a session older than SIGHTLINE_SESSION_ABSOLUTE_SECONDS (or with no sign-in time),
    and the session of an account deactivated since it signed in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get("signed_in_at")
            limit = settings.SIGHTLINE_SESSION_ABSOLUTE_SECONDS
            if started is None or time.time() - float(started) > limit:
                logout(request)
        elif user is not None and SESSION_KEY in request.session:
            # Signed in, but the account has since been deactivated: end the session for
            # good, so that reactivating the account does not bring it back.
            request.session.flush()
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """CSP with no inline script, and no-store on everything except static assets."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        tiles = getattr(settings, "SIGHTLINE_MAP_TILE_ORIGIN", "")
        self.csp = CSP.format(tiles=tiles).replace("  ", " ")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.csp)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response

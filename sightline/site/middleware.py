"""Errors mapped once for pages and the API outside ninja's own handlers.

Under /api/ every error answer is JSON `{"detail": ...}`, whoever made it (Django's URL
resolver, ninja's 405, the error handlers in sightline.site.views). A database connection lost
while a request ran is retried once for a request that is safe to repeat, and otherwise
answers 503 with Retry-After (ADR 0007)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from psycopg import InterfaceError as PsycopgInterfaceError
from psycopg import OperationalError as PsycopgOperationalError

from sightline.audit.services import AuditUnavailableError, audit_access_denied
from sightline.core.errors import DomainError

logger = logging.getLogger("sightline.site")

AUDIT_UNAVAILABLE = (
    "The record cannot be shown because access to it could not be recorded. Try again in a "
    "few minutes; if this keeps happening, tell the service desk."
)
DATABASE_UNAVAILABLE = (
    "The service could not reach its database. Nothing was saved by this request unless you "
    "saw a confirmation; try again in a few seconds."
)

TITLES = {
    403: "You cannot do this",
    404: "Page not found",
    409: "This cannot be done now",
    422: "There is a problem",
}

# What the database driver raises when the connection drops or cannot be made.
CONNECTION_LOST = (OperationalError, InterfaceError, PsycopgOperationalError, PsycopgInterfaceError)

API_DETAILS = {
    400: "The request was not understood.",
    403: "You cannot do this.",
    404: "Not found.",
    405: "This method is not allowed here.",
    413: "The request body is too large.",
    500: "Sorry, there is a problem with the service. Try again later.",
}


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _is_json(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return content_type == "application/json" or content_type.endswith("+json")


def json_error(response: HttpResponse) -> JsonResponse:
    """The same answer as JSON: its status and headers (Allow, Retry-After...) kept."""
    status = response.status_code
    detail = API_DETAILS.get(status, response.reason_phrase)
    if status == 405 and response.get("Allow"):
        detail = f"{detail} Allowed: {response['Allow']}."
    answer = JsonResponse({"detail": detail}, status=status)
    for header, value in response.headers.items():
        if header.lower() not in {"content-type", "content-length"}:
            answer[header] = value
    return answer


def safe_to_repeat(request: HttpRequest) -> bool:
    """A read, or an API write whose Idempotency-Key makes a second run return the first's
    answer instead of doing the work twice (sightline.api.idempotency)."""
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return True
    return is_api(request) and bool(request.headers.get("Idempotency-Key", "").strip())


def database_unavailable(request: HttpRequest) -> HttpResponse:
    response: HttpResponse
    if is_api(request):
        response = JsonResponse({"detail": DATABASE_UNAVAILABLE}, status=503)
    else:
        # Rendered without the request: its context processors may need the database.
        html = render_to_string(
            "core/error.html",
            {"title": "Sorry, the service is unavailable", "text": DATABASE_UNAVAILABLE},
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(settings.SIGHTLINE_UNAVAILABLE_RETRY_AFTER_SECONDS)
    return response


def _drop_broken_connections() -> None:
    """Close the connections so the next query opens a fresh one (not inside an atomic block,
    which only a test holds around a request)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


class ErrorMiddleware:
    """A read that cannot be audited is not served: 503, never the record. A domain refusal
    that a page did not handle itself answers its status with its message, never a 500. A lost
    database connection is retried once when the request is safe to repeat, else 503. Under
    /api/ no error answer is HTML."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_api(request) and response.status_code >= 400 and not _is_json(response):
            return json_error(response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, CONNECTION_LOST):
            return self._connection_lost(request, exception)
        refused = isinstance(exception, Http404) or (
            isinstance(exception, DomainError) and exception.status == 404 and not exception.audited
        )
        if refused:
            # A record out of scope answers as a missing one does; either way the attempt is
            # recorded, so that enumeration is visible to information governance.
            audit_access_denied(
                actor=getattr(request, "user", None), method=request.method or "", path=request.path
            )
        if isinstance(exception, AuditUnavailableError):
            status, text, title = 503, AUDIT_UNAVAILABLE, "Sorry, the service is unavailable"
        elif isinstance(exception, DomainError):
            status, text = exception.status, str(exception)
            title = TITLES.get(status, "There is a problem")
        else:
            return None
        if is_api(request):
            return JsonResponse({"detail": text}, status=status)
        return render(request, "core/error.html", {"title": title, "text": text}, status=status)

    def _connection_lost(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        _drop_broken_connections()
        match = request.resolver_match
        if match is None or not safe_to_repeat(request) or getattr(request, "_db_retried", False):
            logger.warning("database unavailable: %s %s answered 503", request.method, request.path)
            return database_unavailable(request)
        request._db_retried = True  # type: ignore[attr-defined]
        logger.warning("database connection lost: %s %s run again", request.method, request.path)
        try:
            response = match.func(request, *match.args, **match.kwargs)
        except Exception as again:  # the second run's error, mapped as the first's would be
            handled = self.process_exception(request, again)
            if handled is None:
                raise
            return handled
        render_later = getattr(response, "render", None)
        if callable(render_later) and not getattr(response, "is_rendered", True):
            response = render_later()
        return response

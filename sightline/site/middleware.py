"""Errors mapped once for pages and the API outside ninja's own handlers."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from sightline.audit.services import AuditUnavailableError
from sightline.core.errors import DomainError

AUDIT_UNAVAILABLE = (
    "The record cannot be shown because access to it could not be recorded. Try again in a "
    "few minutes; if this keeps happening, tell the service desk."
)

TITLES = {
    403: "You cannot do this",
    404: "Page not found",
    409: "This cannot be done now",
    422: "There is a problem",
}


class ErrorMiddleware:
    """A read that cannot be audited is not served: 503, never the record. A domain refusal
    that a page did not handle itself answers its status with its message, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, AuditUnavailableError):
            status, text, title = 503, AUDIT_UNAVAILABLE, "Sorry, the service is unavailable"
        elif isinstance(exception, DomainError):
            status, text = exception.status, str(exception)
            title = TITLES.get(status, "There is a problem")
        else:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": text}, status=status)
        return render(request, "core/error.html", {"title": title, "text": text}, status=status)

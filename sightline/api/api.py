"""The JSON API: one NinjaAPI, routers living beside their app's services."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from sightline.api.auth import TokenAuth
from sightline.api.hub import router as hub_router
from sightline.api.referrals import router as referrals_router
from sightline.core.errors import DomainError
from sightline.escalation.api import router as escalation_router
from sightline.intel.api import router as intel_router
from sightline.referrals.api import access_router
from sightline.reporting.access_log_api import router as audit_router
from sightline.screening.api import router as screening_router

api = NinjaAPI(
    title="Sightline API",
    version="1",
    description=(
        "The front door for partner systems. Authenticate with `Authorization: Bearer <token>` "
        '(tokens from `manage.py api_token USERNAME`). Errors are JSON `{"detail": ...}`.'
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,
)
api.add_router("/referrals", referrals_router)
api.add_router("/screening", screening_router)
api.add_router("", audit_router)
api.add_router("", access_router)
api.add_router("", escalation_router)
api.add_router("", intel_router)
api.add_router("", hub_router)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """Every domain refusal, mapped once: Invalid 422, Conflict 409, NotPermitted 403,
    NotFound 404, and an ApiError's own status."""
    return api.create_response(request, {"detail": exc.detail}, status=exc.status)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    detail = [
        {"loc": list(e.get("loc", [])), "msg": e.get("msg", "Invalid value"), "type": e.get("type")}
        for e in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=422)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Authentication required: send a valid bearer token."}, status=401
    )

"""The JSON API: one NinjaAPI, routers living beside their app's services."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser

from sightline.api.admin import router as admin_router
from sightline.api.auth import TokenAuth
from sightline.api.casework import router as casework_router
from sightline.api.casework_plans import router as casework_plans_router
from sightline.api.casework_steps import router as casework_steps_router
from sightline.api.dashboard import router as dashboard_router
from sightline.api.escalations import router as escalations_text_router
from sightline.api.events import router as events_router
from sightline.api.hub import router as hub_router
from sightline.api.intel_writes import router as intel_writes_router
from sightline.api.meetings_text import router as meetings_text_router
from sightline.api.openapi import document_common_errors
from sightline.api.referrals import router as referrals_router
from sightline.api.returns import router as returns_router
from sightline.audit.services import audit_access_denied
from sightline.core.errors import ApiError, DomainError
from sightline.core.throttle import ThrottledError
from sightline.escalation.api import router as escalation_router
from sightline.intel.api import router as intel_router
from sightline.intel.api_persons import router as intel_persons_router
from sightline.meetings.api import router as meetings_router
from sightline.referrals.api import access_router
from sightline.reporting.access_log_api import router as audit_router
from sightline.reporting.alerts_api import router as alerts_router
from sightline.retention.api import router as retention_router
from sightline.reviews.api import router as reviews_router
from sightline.reviews.detectors_api import router as detectors_router
from sightline.screening.api import router as screening_router
from sightline.workforce.api import router as workforce_router

NOT_JSON = "Send the request body as JSON, with Content-Type: application/json."


class JsonBodyParser(Parser):
    """Request bodies are JSON: a body sent as another media type (text/plain, a form) is
    refused with 415 before it is read as JSON."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        content_type = request.content_type or ""
        if content_type != "application/json" and not content_type.endswith("+json"):
            raise ApiError(415, NOT_JSON)
        return super().parse_body(request)


class SightlineAPI(NinjaAPI):
    """Its OpenAPI document lists the error answers every operation can give (see
    sightline.api.openapi), added once here rather than route by route."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_common_errors(schema)
        return schema


api = SightlineAPI(
    title="Sightline API",
    version="1",
    description=(
        "The front door for partner systems. Authenticate with `Authorization: Bearer <token>` "
        '(tokens from `manage.py api_token USERNAME`). Errors are JSON `{"detail": ...}`. '
        "Request bodies are JSON (`Content-Type: application/json`). Each token is rate "
        "limited: past the limit the answer is 429 with `Retry-After` in seconds."
    ),
    auth=TokenAuth(),
    parser=JsonBodyParser(),
    urls_namespace="api",
    docs_url=None,
)
api.add_router("/referrals", referrals_router)
api.add_router("/screening", screening_router)
api.add_router("", audit_router)
api.add_router("", access_router)
api.add_router("", escalation_router)
api.add_router("", escalations_text_router)
api.add_router("", alerts_router)
api.add_router("", intel_router)
api.add_router("", intel_persons_router)
api.add_router("", intel_writes_router)
api.add_router("", workforce_router)
api.add_router("", reviews_router)
api.add_router("", detectors_router)
api.add_router("", meetings_router)
api.add_router("", meetings_text_router)
api.add_router("", events_router)
api.add_router("", retention_router)
api.add_router("", admin_router)
api.add_router("", casework_router)
api.add_router("", returns_router)
api.add_router("", casework_steps_router)
api.add_router("", casework_plans_router)
api.add_router("", hub_router)
api.add_router("", dashboard_router)


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """Every domain refusal, mapped once: Invalid 422, Conflict 409, NotPermitted 403,
    NotFound 404, and an ApiError's own status. A 404 (a record missing or out of scope,
    answered alike) is recorded as a refused access unless the step recorded it already."""
    if exc.status == 404 and not exc.audited:
        audit_access_denied(
            actor=getattr(request, "user", None),
            method=request.method or "",
            path=request.path,
        )
    return api.create_response(request, {"detail": exc.detail}, status=exc.status)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja turns anything the body parser raises into 400; a refusal of ours keeps its status.
    if isinstance(exc.__cause__, DomainError):
        return _domain_error(request, exc.__cause__)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


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


@api.exception_handler(ThrottledError)
def _throttled(request: HttpRequest, exc: ThrottledError) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.detail}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response

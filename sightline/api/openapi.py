"""The error answers every operation can give, documented once for the whole API.

Routes document their own answers (`response={201: ..., 409: Detail}`); what any route can
answer because of the machinery around it is added here to every operation of the document,
from what the operation takes: a bearer token (401, 403, 429), a path (404), parameters (422),
a JSON body (400, 413, 415, 422), an unsafe method (400 for a bad Idempotency-Key, 409), and a
database that could not be reached (503)."""

from __future__ import annotations

from typing import Any

DETAIL_REF = {"$ref": "#/components/schemas/Detail"}
DETAIL_SCHEMA = {
    "description": 'Every error answer: `{"detail": ...}`.',
    "properties": {"detail": {"title": "Detail"}},
    "required": ["detail"],
    "title": "Detail",
    "type": "object",
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before sending the request again.",
        "schema": {"type": "integer", "minimum": 1},
    }
}
DESCRIPTIONS = {
    400: "Bad Request: the body is not JSON, or the Idempotency-Key header is malformed",
    401: "Unauthorized: no valid bearer token",
    403: "Forbidden: the token's user may not do this",
    404: "Not Found: no such record, or none this user may see",
    409: "Conflict: the record's state does not allow this now",
    413: "Content Too Large: the body is over the size limit",
    415: "Unsupported Media Type: the body is not application/json",
    422: "Unprocessable Content: the request breaks a rule of the API or the domain",
    429: "Too Many Requests: this token is past its rate limit",
    503: "Service Unavailable: the database could not be reached; retry after Retry-After",
}


def common_error_codes(method: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses an operation can answer whatever its handler does."""
    codes = {503}
    where = {parameter.get("in") for parameter in operation.get("parameters", [])}
    if operation.get("security"):
        codes |= {401, 403, 429}
    if "path" in where:
        codes.add(404)
    if where & {"path", "query"}:
        codes.add(422)
    if "requestBody" in operation:
        codes |= {400, 413, 415, 422}
    if method.lower() not in {"get", "head", "options"}:
        codes |= {400, 409}
    return codes


def document_common_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the common error answers to every operation of an OpenAPI document, leaving the
    answers a route documents itself as they are."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Detail", DETAIL_SCHEMA)
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in sorted(common_error_codes(method, operation)):
                if code in responses or str(code) in responses:
                    continue
                response: dict[str, Any] = {
                    "description": DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": DETAIL_REF}},
                }
                if code in {429, 503}:
                    response["headers"] = RETRY_AFTER
                responses[code] = response
    return schema

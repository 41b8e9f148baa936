"""Deny by default: every URL the project serves declares who may use it.

Each pattern in the root resolver (through every include) resolves to a view that carries
`sightline_permission`: a capability name (set by `capability_required`), `"public"` (set by
the `public` marker) or `"authenticated"` (the home page, which only sends people on). The
ninja API's views are checked through the OpenAPI document instead: every operation must
require the bearer token. Django admin is not mounted; if it ever is, it must be listed in
ADMIN_MOUNTS below.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.module_loading import import_string

from sightline.accounts.roles import Cap
from sightline.api.api import api
from sightline.core.permissions import capability_required, public

CAPABILITIES = {v for k, v in vars(Cap).items() if k.isupper() and isinstance(v, str)}
MARKERS = {"public", "authenticated"}

API_PREFIX = "api/v1/"
# Views ninja mounts beside the operations: the schema itself (no data, published on
# purpose: DESIGN.md) and the API root (404 with docs switched off).
API_PUBLIC_ROUTES = {f"{API_PREFIX}openapi.json", API_PREFIX}
# Views that run without signing in, by route: the sign-in journey only.
# The sign-in journey, and the health page for monitors (counts only, no data).
PUBLIC_ROUTES = {"accounts/sign-in/", "accounts/sign-out/", "accounts/two-factor/", "health/"}
# Mounted Django admin sites, by route prefix; none today.
ADMIN_MOUNTS: set[str] = set()


def all_patterns(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from all_patterns(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def _is_ninja(callback: Any) -> bool:
    target = getattr(callback, "func", callback)  # functools.partial for the schema views
    return str(getattr(target, "__module__", "")).startswith("ninja.")


def _is_admin(callback: Any) -> bool:
    return str(getattr(callback, "__module__", "")).startswith("django.contrib.admin")


ROUTES = list(all_patterns(get_resolver().url_patterns))


def test_the_enumeration_finds_the_project() -> None:
    routes = {route for route, _ in ROUTES}
    assert len(ROUTES) > 40
    assert {"referrals/<str:reference>/", "intel/alerts/<uuid:alert_id>/"} <= routes
    assert f"{API_PREFIX}referrals" in routes


def test_every_view_declares_its_permission() -> None:
    missing = []
    for route, pattern in ROUTES:
        callback = pattern.callback
        if route.startswith(API_PREFIX) and _is_ninja(callback):
            continue  # covered by the OpenAPI tests below
        if _is_admin(callback):
            assert any(route.startswith(m) for m in ADMIN_MOUNTS), f"admin mounted at {route}"
            continue
        permission = getattr(callback, "sightline_permission", None)
        if permission not in CAPABILITIES | MARKERS:
            missing.append(f"{route} ({pattern.name}): {permission!r}")
    assert missing == []


def test_public_views_are_only_the_sign_in_journey() -> None:
    public_routes = {
        route
        for route, p in ROUTES
        if getattr(p.callback, "sightline_permission", None) == "public"
    }
    assert public_routes == PUBLIC_ROUTES


def test_the_api_mounts_only_operations_and_its_schema() -> None:
    others = {
        route for route, p in ROUTES if route.startswith(API_PREFIX) and not _is_ninja(p.callback)
    }
    assert others == set()
    schema_views = {
        route
        for route, p in ROUTES
        if route.startswith(API_PREFIX) and p.name in ("openapi-json", "api-root")
    }
    assert schema_views == API_PUBLIC_ROUTES


def test_every_api_operation_requires_the_bearer_token() -> None:
    schema = api.get_openapi_schema()
    assert "TokenAuth" in schema["components"]["securitySchemes"]
    unsecured = [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if operation.get("security") != [{"TokenAuth": []}]
    ]
    assert schema["paths"] and unsecured == []


def test_every_ninja_route_is_an_operation_in_the_schema() -> None:
    """No API view escapes the OpenAPI check (an operation hidden from the schema would)."""
    schema_paths = {
        path.removeprefix("/").replace("{", "<").replace("}", ">")
        for path in api.get_openapi_schema()["paths"]
    }
    ninja_routes = {
        route
        for route, p in ROUTES
        if route.startswith(API_PREFIX) and route not in API_PUBLIC_ROUTES
    }
    assert ninja_routes == schema_paths


def test_error_handlers_are_public() -> None:
    from config import urls

    for name in ("handler400", "handler403", "handler404", "handler500"):
        view = import_string(getattr(urls, name))
        assert view.sightline_permission == "public", name


def test_markers_set_the_attribute() -> None:
    """The check above reads the attribute these decorators set."""

    def view(request: Any) -> Any:
        return None

    assert public(view).sightline_permission == "public"  # type: ignore[attr-defined]
    wrapped = capability_required(Cap.AUDIT_VIEW)(view)
    assert wrapped.sightline_permission == Cap.AUDIT_VIEW  # type: ignore[attr-defined]

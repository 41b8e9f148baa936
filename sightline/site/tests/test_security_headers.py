"""Every page and API answer, signed in or out, carries the security headers: a CSP with no
inline script and no framing, nosniff, a referrer policy, no-store (every answer may carry a
child's data), HSTS when configured; and no rendered page holds an inline script."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from sightline.accounts.tests.clients import signed_in, token_client
from sightline.site.tests.world import build_world

pytestmark = pytest.mark.django_db

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def _plain_routes() -> list[str]:
    """Every page URL that takes no parameter, from the resolver (so new pages are walked)."""
    routes: list[str] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if "<" not in route and not route.startswith("api/"):
                    routes.append("/" + route)

    walk(get_resolver().url_patterns, "")
    return sorted(set(routes))


PLAIN_PAGES = _plain_routes()
OBJECT_PAGES = [
    "/referrals/{ref}/",
    "/referrals/{ref}/children/{child_id}/screening/",
    "/children/{child_id}/",
    "/escalation/referrals/{ref}/",
    "/escalation/escalations/{escalation}/",
    "/intel/alerts/{alert}/",
    "/intel/persons/{person}/",
    "/intel/network/child/{child_id}/",
    "/intel/network/child/{child_id}.json",
    "/referrals/SL-0000-000000/",  # a 404
]
API_ANSWERS = [
    "/api/v1/referrals/{ref}",
    "/api/v1/referrals/{ref}/clocks",
    "/api/v1/alerts",
    "/api/v1/escalations",
    "/api/v1/networks/child/{child_id}",
    "/api/v1/hotspots",
    "/api/v1/screening/indicators",
    "/api/v1/referrals/SL-0000-000000",  # a 404
]


@pytest.fixture
def world(police_officer: Any, teacher: Any, manager: Any) -> dict[str, Any]:
    return build_world(police_officer=police_officer, teacher=teacher, manager=manager)


def assert_security_headers(response: Any, where: str) -> None:
    csp = response.get("Content-Security-Policy", "")
    directives = {
        d.strip().split(" ")[0]: d.strip().split(" ")[1:] for d in csp.split(";") if d.strip()
    }
    assert "script-src" in directives, where
    assert "'unsafe-inline'" not in directives["script-src"], where
    assert "'unsafe-eval'" not in directives["script-src"], where
    assert "'unsafe-inline'" not in directives.get("default-src", []), where
    assert directives.get("frame-ancestors") == ["'none'"], where
    assert directives.get("object-src") == ["'none'"], where
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("Referrer-Policy") in {"same-origin", "no-referrer"}, where
    assert response.get("X-Frame-Options") == "DENY" or "frame-ancestors" in csp, where
    assert "no-store" in response.get("Cache-Control", ""), where


def assert_no_inline_script(response: Any, where: str) -> None:
    if "text/html" not in response.get("Content-Type", ""):
        return
    html = response.content.decode()
    for attributes in SCRIPT_TAG.findall(html):
        # A src'd script, or a JSON data block (json_script), which the browser never runs.
        assert "src=" in attributes or 'type="application/json"' in attributes, (where, attributes)
    assert not INLINE_HANDLER.search(html), where
    assert not JAVASCRIPT_URL.search(html), where


@pytest.mark.parametrize("path", PLAIN_PAGES)
def test_page_headers_signed_out(path: str, db: Any) -> None:
    response = Client().get(path)
    assert response.status_code in {200, 302, 405}, (path, response.status_code)
    assert_security_headers(response, path)
    assert_no_inline_script(response, path)


@pytest.mark.parametrize("path", PLAIN_PAGES)
def test_page_headers_signed_in(path: str, world: dict[str, Any], manager: Any) -> None:
    response = signed_in(manager).get(path)
    assert response.status_code in {200, 302, 404, 405}, (path, response.status_code)
    assert_security_headers(response, path)
    assert_no_inline_script(response, path)


def test_plain_page_walk_includes_the_main_pages() -> None:
    for page in ("/referrals/", "/referrals/new/", "/intel/", "/accounts/sign-in/"):
        assert page in PLAIN_PAGES


@pytest.mark.parametrize("path", OBJECT_PAGES)
def test_object_page_headers(path: str, world: dict[str, Any], manager: Any) -> None:
    url = path.format(**world)
    signed_in_answer = signed_in(manager).get(url)
    assert signed_in_answer.status_code in {200, 404}, (url, signed_in_answer.status_code)
    assert_security_headers(signed_in_answer, url)
    assert_no_inline_script(signed_in_answer, url)
    signed_out_answer = Client().get(url)
    assert signed_out_answer.status_code == 302
    assert_security_headers(signed_out_answer, url)


def test_access_log_and_its_export_are_not_cached(world: dict[str, Any], auditor: Any) -> None:
    client = signed_in(auditor)
    for url in (
        f"/audit/children/{world['child_id']}/",
        f"/audit/children/{world['child_id']}/export.csv",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response, url)
        assert_no_inline_script(response, url)


@pytest.mark.parametrize("path", API_ANSWERS)
def test_api_answer_headers(path: str, world: dict[str, Any], manager: Any) -> None:
    url = path.format(**world)
    response = token_client(manager).get(url)
    assert response.status_code in {200, 404}, (url, response.status_code)
    assert_security_headers(response, url)
    unauthenticated = Client().get(url)
    assert unauthenticated.status_code == 401
    assert_security_headers(unauthenticated, url)


def test_api_validation_error_is_not_cached(world: dict[str, Any], manager: Any) -> None:
    response = token_client(manager).post(
        "/api/v1/referrals", data="{not json", content_type="application/json"
    )
    assert 400 <= response.status_code < 500
    assert_security_headers(response, "POST /api/v1/referrals")


def test_static_assets_may_be_cached() -> None:
    response = Client().get("/static/css/sightline.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert response.get("X-Content-Type-Options") == "nosniff"


@override_settings(SECURE_HSTS_SECONDS=31_536_000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_is_sent_over_https_when_configured(db: Any) -> None:
    response = Client().get("/accounts/sign-in/", secure=True)
    hsts = response.get("Strict-Transport-Security", "")
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts


@override_settings(SECURE_HSTS_SECONDS=0)
def test_no_hsts_when_not_configured(db: Any) -> None:
    response = Client().get("/accounts/sign-in/", secure=True)
    assert "Strict-Transport-Security" not in response


def test_production_settings_turn_on_hsts_and_secure_cookies() -> None:
    from pathlib import Path

    source = (Path(__file__).resolve().parents[3] / "config/settings/production.py").read_text()
    for name in ("SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        assert re.search(rf"^{name}\s*=", source, re.MULTILINE), name

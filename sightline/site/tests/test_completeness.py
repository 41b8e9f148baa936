"""Audit completeness: every page and API operation that shows a child's data writes exactly one
access row (view, list, search or export) naming the actor and the child or referral, and a read
whose audit row cannot be written is never served.

The tables below are checked against the URL resolver and the ninja router, so a new endpoint
that reads records fails here until it is added to a table (or exempted with a reason)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import DatabaseError
from django.urls import URLPattern, URLResolver, get_resolver

from sightline.accounts.tests.clients import signed_in, token_client
from sightline.accounts.tests.factories import UserFactory
from sightline.api.api import api as ninja_api
from sightline.audit.choices import Action
from sightline.audit.models import AuditEvent
from sightline.audit.services import AuditUnavailableError
from sightline.site.tests.world import FAMILY, GIVEN, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(police_officer: Any, teacher: Any, manager: Any) -> dict[str, Any]:
    return build_world(police_officer=police_officer, teacher=teacher, manager=manager)


@dataclass(frozen=True)
class Read:
    route: str  # the resolver's route, or "api:<METHOD> <path>"
    url: str  # formatted with the world
    persona: str
    action: str
    object_type: str
    child: str | None = None  # world key of the child the row must name
    referral: str | None = None  # world key of the referral the row must name


PAGES = [
    Read("referrals/", "/referrals/", "manager", Action.LIST, "referral_queue"),
    Read("referrals/mine/", "/referrals/mine/", "police_officer", Action.LIST, "my_referrals"),
    Read(
        "referrals/<str:reference>/", "/referrals/{ref}/", "manager", Action.VIEW, "referral",
        referral="referral_id",
    ),
    Read(
        "referrals/<str:reference>/children/<uuid:child_id>/screening/",
        "/referrals/{ref}/children/{child_id}/screening/", "manager", Action.VIEW,
        "screening_form", child="child_id", referral="referral_id",
    ),
    Read(
        "children/<uuid:child_id>/", "/children/{child_id}/", "manager", Action.VIEW, "child",
        child="child_id",
    ),
    Read(
        "children/<uuid:child_id>/chronology.<str:fmt>", "/children/{child_id}/chronology.csv",
        "manager", Action.EXPORT, "chronology", child="child_id",
    ),
    Read("search/", "/search/?q=" + GIVEN + "&purpose=case_work", "manager", Action.SEARCH,
         "search"),
    Read(
        "audit/children/<uuid:child_id>/", "/audit/children/{child_id}/", "auditor",
        Action.VIEW, "access_log", child="child_id",
    ),
    Read(
        "audit/children/<uuid:child_id>/export.csv", "/audit/children/{child_id}/export.csv",
        "auditor", Action.EXPORT, "access_log", child="child_id",
    ),
    Read("escalation/", "/escalation/", "manager", Action.LIST, "overdue_work"),
    Read("escalation/inbox/", "/escalation/inbox/", "manager", Action.LIST, "inbox"),
    Read("escalation/escalations/", "/escalation/escalations/", "manager", Action.LIST,
         "escalations"),
    Read(
        "escalation/escalations/<uuid:escalation_id>/", "/escalation/escalations/{escalation}/",
        "manager", Action.VIEW, "escalation", referral="escalation_referral",
    ),
    Read("escalation/performance/", "/escalation/performance/", "manager", Action.LIST,
         "performance"),
    Read("escalation/challenges/", "/escalation/challenges/", "teacher", Action.LIST,
         "challenges"),
    Read(
        "escalation/challenges/<uuid:challenge_id>/", "/escalation/challenges/{challenge}/",
        "teacher", Action.VIEW, "challenge", referral="young_referral",
    ),
    Read(
        "escalation/referrals/<str:reference>/", "/escalation/referrals/{ref}/", "manager",
        Action.VIEW, "referral_clocks", referral="referral_id",
    ),
    Read(
        "escalation/referrals/<str:reference>/challenge/",
        "/escalation/referrals/{young_ref}/challenge/", "teacher", Action.VIEW,
        "challenge_form", referral="young_referral",
    ),
    Read(
        "escalation/referrals/<str:reference>/review/", "/escalation/referrals/{ref}/review/",
        "manager", Action.VIEW, "rereferral_history", referral="referral_id",
    ),
    Read("intel/", "/intel/", "manager", Action.LIST, "intel_alert"),
    Read("intel/alerts/<uuid:alert_id>/", "/intel/alerts/{alert}/", "manager", Action.VIEW,
         "intel_alert"),
    Read("intel/persons/<uuid:entity_id>/", "/intel/persons/{person}/", "manager", Action.VIEW,
         "intel_person"),
    Read(
        "intel/network/<str:node_type>/<uuid:node_id>/", "/intel/network/child/{child_id}/",
        "manager", Action.VIEW, "intel_network_page", child="child_id",
    ),
    Read(
        "intel/network/<str:node_type>/<uuid:node_id>.json",
        "/intel/network/child/{child_id}.json", "manager", Action.VIEW, "intel_network",
        child="child_id",
    ),
    Read("intel/groups/", "/intel/groups/", "manager", Action.LIST, "intel_groups"),
    Read("intel/hotspots/", "/intel/hotspots/", "manager", Action.SEARCH, "intel_hotspots"),
]  # fmt: skip

API_READS = [
    Read(
        "api:GET /api/v1/referrals/{reference}", "/api/v1/referrals/{ref}", "manager",
        Action.VIEW, "referral", referral="referral_id",
    ),
    Read(
        "api:GET /api/v1/children/{child_id}/access-log",
        "/api/v1/children/{child_id}/access-log", "auditor", Action.VIEW, "access_log",
        child="child_id",
    ),
    Read(
        "api:GET /api/v1/children/{child_id}", "/api/v1/children/{child_id}", "manager",
        Action.VIEW, "child", child="child_id",
    ),
    Read(
        "api:GET /api/v1/children/{child_id}/chronology",
        "/api/v1/children/{child_id}/chronology?format=pdf", "manager", Action.EXPORT,
        "chronology", child="child_id",
    ),
    Read("api:GET /api/v1/search", "/api/v1/search?q=" + GIVEN + "+" + FAMILY
         + "&purpose=review", "manager", Action.SEARCH, "search"),
    Read(
        "api:GET /api/v1/referrals/{reference}/clocks", "/api/v1/referrals/{ref}/clocks",
        "manager", Action.VIEW, "referral_clocks", referral="referral_id",
    ),
    Read("api:GET /api/v1/escalations", "/api/v1/escalations", "manager", Action.LIST,
         "escalations"),
    Read("api:GET /api/v1/alerts", "/api/v1/alerts", "manager", Action.LIST, "intel_alert"),
    Read(
        "api:GET /api/v1/persons/{person_id}/network", "/api/v1/persons/{person}/network",
        "manager", Action.VIEW, "intel_network",
    ),
    Read(
        "api:GET /api/v1/networks/{node_type}/{node_id}", "/api/v1/networks/child/{child_id}",
        "manager", Action.VIEW, "intel_network", child="child_id",
    ),
    Read("api:GET /api/v1/hotspots", "/api/v1/hotspots", "manager", Action.SEARCH,
         "intel_hotspots"),
    Read(
        "api:GET /api/v1/mentions/{mention_id}/candidates",
        "/api/v1/mentions/{mention}/candidates", "manager", Action.SEARCH, "intel_mention",
        referral="referral_id",
    ),
]  # fmt: skip

# Endpoints that show no child's data, or that change a record (their service writes the
# audit row for the change; the services' own tests cover it).
NOT_READS = {
    "": "home redirects to the user's list",
    "accounts/sign-in/": "sign-in form",
    "accounts/sign-out/": "sign-out (audited as auth.sign_out)",
    "accounts/two-factor/": "the user's own authenticator",
    "referrals/new/": "blank referral form; submission audited by referral_submit",
    "referrals/<str:reference>/decision/": "POST only; audited by referral_decide",
    "referrals/matches/<uuid:candidate_id>/<str:verdict>/": "POST only; child_match_*",
    "access/break-glass/": "reason form; audited by break_glass_open",
    "escalation/inbox/<uuid:item_id>/read/": "POST: marks the user's own message read",
    "escalation/escalations/<uuid:escalation_id>/<str:verb>/": "POST only; audited service",
    "escalation/challenges/<uuid:challenge_id>/respond/": "POST only; challenge_respond",
    "escalation/challenges/<uuid:challenge_id>/escalate/": "POST only; challenge_escalate",
    "intel/alerts/<uuid:alert_id>/status/": "POST only; alert_status_set",
    "intel/mentions/<uuid:mention_id>/<str:verdict>/": "POST only; mention_confirm/reject",
    "intel/places/<uuid:entity_id>/": "same view as persons (place, no child named)",
    "intel/vehicles/<uuid:entity_id>/": "same view as persons (vehicle, no child named)",
    "api:GET /api/v1/screening/indicators": "the indicator catalogue, no case data",
    "api:POST /api/v1/referrals": "audited by referral_submit",
    "api:POST /api/v1/referrals/{reference}/screening": "audited by referral_screen",
    "api:POST /api/v1/referrals/{reference}/decision": "audited by referral_decide",
    "api:POST /api/v1/break-glass": "audited by break_glass_open",
    "api:POST /api/v1/escalations/{escalation_id}/resolve": "audited service",
    "api:POST /api/v1/referrals/{reference}/challenge": "audited by challenge_raise",
    "api:POST /api/v1/alerts/{alert_id}/status": "audited by alert_status_set",
    "api:POST /api/v1/mentions/{mention_id}/confirm": "audited by mention_confirm",
    "api:POST /api/v1/mentions/{mention_id}/reject": "audited by mention_reject",
    "api:POST /api/v1/link-decisions/{decision_id}/undo": "audited by decision_undo",
}


def _page_routes() -> set[str]:
    routes: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                routes.add(prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "")
    return {r for r in routes if not r.startswith("api/v1/")}


def _api_routes() -> set[str]:
    routes: set[str] = set()
    for prefix, router in ninja_api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    full = "/api/v1/" + "/".join(
                        part.strip("/") for part in (prefix, path) if part.strip("/")
                    )
                    routes.add(f"api:{method} {full}")
    return routes


def test_every_endpoint_is_either_an_audited_read_or_named_as_not_a_read() -> None:
    covered = {r.route for r in PAGES + API_READS} | set(NOT_READS)
    endpoints = _page_routes() | _api_routes()
    assert endpoints - covered == set(), "new endpoint: add it to PAGES, API_READS or NOT_READS"
    assert covered - endpoints == set(), "a listed endpoint no longer exists"


def _persona(request: pytest.FixtureRequest, name: str) -> Any:
    return request.getfixturevalue(name)


def _check_one_row(read: Read, world: dict[str, Any], user: Any, fetch: Callable[[], Any]) -> None:
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    response = fetch()
    assert response.status_code == 200, (read.url, response.status_code)
    rows = list(AuditEvent.objects.filter(seq__gt=before))
    assert len(rows) == 1, [(r.action, r.object_type) for r in rows]
    row = rows[0]
    assert (row.action, row.object_type) == (str(read.action), read.object_type)
    assert row.actor_id == user.pk and row.actor_username == user.username
    assert row.actor_role == user.role
    expected_child = world[read.child] if read.child else None
    expected_referral = world[read.referral] if read.referral else None
    if read.child or read.referral:
        assert row.child_id == expected_child
        assert row.referral_id == expected_referral
    if read.action == Action.SEARCH:
        # What was searched and how many, never who: no name or date of birth in the row.
        text = str(row.details) + row.reason + row.object_ref
        assert GIVEN not in text and FAMILY not in text and "2011-06-07" not in text


@pytest.mark.parametrize("read", PAGES, ids=[r.route for r in PAGES])
def test_page_read_writes_exactly_one_access_row(
    read: Read, world: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    user = _persona(request, read.persona)
    client = signed_in(user)
    _check_one_row(read, world, user, lambda: client.get(read.url.format(**world)))


@pytest.mark.parametrize("read", API_READS, ids=[r.route for r in API_READS])
def test_api_read_writes_exactly_one_access_row(
    read: Read, world: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    user = _persona(request, read.persona)
    client = token_client(user)
    _check_one_row(read, world, user, lambda: client.get(read.url.format(**world)))


def test_hotspot_search_records_the_terms_and_the_count(
    world: dict[str, Any], manager: Any
) -> None:
    response = signed_in(manager).get("/intel/hotspots/?days=30")
    assert response.status_code == 200
    row = AuditEvent.objects.order_by("-seq").first()
    assert row is not None and row.action == Action.SEARCH
    assert set(row.details) == {"days", "count"}
    assert row.details["days"] == 30 and isinstance(row.details["count"], int)


def test_access_log_shows_every_read_of_the_child(
    world: dict[str, Any], manager: Any, auditor: Any
) -> None:
    signed_in(manager).get(f"/children/{world['child_id']}/")
    signed_in(manager).get(f"/referrals/{world['ref']}/")
    body = token_client(auditor).get(f"/api/v1/children/{world['child_id']}/access-log").json()
    seen = [(e["actor_username"], e["object_type"]) for e in body["events"]]
    assert (manager.username, "child") in seen and (manager.username, "referral") in seen


def test_out_of_scope_read_is_404_and_writes_no_access_row(
    world: dict[str, Any], agencies: dict[str, Any]
) -> None:
    outsider = UserFactory(username="other-referrer", agency=agencies["health"], role="referrer")
    before = AuditEvent.objects.filter(action=Action.VIEW).count()
    response = signed_in(outsider).get(f"/referrals/{world['ref']}/")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action=Action.VIEW).count() == before


def _audit_fails(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    def boom(*args: Any, **kwargs: Any) -> str:
        raise error

    # Every caller imports audit_record by name; the hash step inside it is shared.
    monkeypatch.setattr("sightline.audit.services.chain_hash", boom)


UNAUDITABLE = [
    ("manager", "/referrals/{ref}/", False),
    ("manager", "/children/{child_id}/", False),
    ("manager", "/referrals/{ref}/children/{child_id}/screening/", False),
    ("auditor", "/audit/children/{child_id}/export.csv", False),
    ("manager", "/intel/network/child/{child_id}.json", False),
    ("manager", "/children/{child_id}/chronology.pdf", False),
    ("manager", "/search/?q=" + GIVEN + "&purpose=case_work", False),
    ("manager", "/api/v1/children/{child_id}/chronology?format=csv", True),
    ("manager", "/api/v1/referrals/{ref}", True),
    ("auditor", "/api/v1/children/{child_id}/access-log", True),
]


@pytest.mark.parametrize(("persona", "path", "is_api"), UNAUDITABLE)
def test_read_is_refused_with_503_when_its_audit_row_cannot_be_written(
    persona: str,
    path: str,
    is_api: bool,
    world: dict[str, Any],
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = _persona(request, persona)
    client = token_client(user) if is_api else signed_in(user)
    reference = world["ref"]
    _audit_fails(monkeypatch, AuditUnavailableError("audit store unavailable"))
    before = AuditEvent.objects.count()
    response = client.get(path.format(**world))
    assert response.status_code == 503
    body = response.content.decode()
    assert "could not be recorded" in body
    assert GIVEN not in body and FAMILY not in body and reference not in body
    assert str(world["child_id"]) not in body
    assert AuditEvent.objects.count() == before


def test_database_failure_while_auditing_serves_the_error_page_not_the_record(
    world: dict[str, Any], manager: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed_in(manager)
    client.raise_request_exception = False
    _audit_fails(monkeypatch, DatabaseError("disk full"))
    response = client.get(f"/referrals/{world['ref']}/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "problem with the service" in body
    assert GIVEN not in body and world["ref"] not in body


@pytest.mark.django_db(transaction=True)
def test_audit_record_outside_a_transaction_is_refused(manager: Any) -> None:
    from sightline.audit.services import audit_record

    with pytest.raises(AuditUnavailableError):
        audit_record(actor=manager, action=Action.VIEW, object_type="child", child_id=uuid.uuid4())
    assert not AuditEvent.objects.filter(actor=manager).exists()

"""Refused reads leave a trace: a 404 for a record out of scope (or missing) and a refused
break-glass write an access_denied audit row naming what was asked for; a restricted record
refuses break-glass exactly as a reference that does not exist."""

from __future__ import annotations

from typing import Any

import pytest

from sightline.accounts.tests.clients import signed_in, token_client
from sightline.accounts.tests.factories import UserFactory
from sightline.audit.choices import Action
from sightline.audit.models import AuditEvent
from sightline.people.models import Child
from sightline.site.tests.world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(police_officer: Any, teacher: Any, manager: Any) -> dict[str, Any]:
    return build_world(police_officer=police_officer, teacher=teacher, manager=manager)


def denied() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=Action.ACCESS_DENIED).order_by("seq"))


def test_an_out_of_scope_page_is_404_and_recorded(
    world: dict[str, Any], agencies: dict[str, Any]
) -> None:
    outsider: Any = UserFactory(
        username="other-referrer", agency=agencies["health"], role="referrer"
    )
    response = signed_in(outsider).get(f"/referrals/{world['ref']}/")
    assert response.status_code == 404
    [row] = denied()
    assert row.actor_id == outsider.pk
    assert row.details["path"] == f"/referrals/{world['ref']}/"


def test_an_out_of_scope_api_read_is_404_and_recorded(
    world: dict[str, Any], agencies: dict[str, Any]
) -> None:
    outsider = UserFactory(username="other-api", agency=agencies["health"], role="referrer")
    response = token_client(outsider).get(f"/api/v1/referrals/{world['ref']}")
    assert response.status_code == 404
    [row] = denied()
    assert row.details == {"method": "GET", "path": f"/api/v1/referrals/{world['ref']}"}


def test_break_glass_on_a_restricted_record_answers_as_a_missing_one(
    world: dict[str, Any], agencies: dict[str, Any]
) -> None:
    analyst = UserFactory(username="bg-analyst", agency=agencies["police"], role="police_analyst")
    client = token_client(analyst)
    reason = "Checking a named adult against this referral for a strategy meeting."
    missing = client.post(
        "/api/v1/break-glass",
        {"reference": "SL-2026-999999", "reason": reason},
        content_type="application/json",
    )
    Child.objects.filter(pk=world["child_id"]).update(is_restricted=True)
    restricted = client.post(
        "/api/v1/break-glass",
        {"reference": world["ref"], "reason": reason},
        content_type="application/json",
    )
    assert (restricted.status_code, restricted.json()) == (missing.status_code, missing.json())
    assert restricted.status_code == 404
    rows = denied()
    assert [r.details.get("why") for r in rows] == ["not_found", "restricted"]
    assert [r.object_ref for r in rows] == ["SL-2026-999999", world["ref"]]

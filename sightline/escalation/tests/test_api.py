from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from sightline.accounts.services import api_token_issue
from sightline.audit.models import AuditEvent
from sightline.escalation import services
from sightline.escalation.models import Escalation
from sightline.escalation.tests.factories import decided, received

pytestmark = pytest.mark.django_db

LONG_AGO = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def api(user: Any) -> Client:
    _token, secret = api_token_issue(acting_user=None, user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def post(client: Client, path: str, body: Any) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def escalated(police_officer: Any) -> Any:
    referral = received(police_officer, at=LONG_AGO)
    services.sweep(at=LONG_AGO + dt.timedelta(days=3))
    return referral


def test_open_escalations_in_scope(escalated: Any, front_door: Any) -> None:
    response = api(front_door).get("/api/v1/escalations?status=open")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    item = body["items"][0]
    assert item["subject"] == escalated.reference
    assert {"id", "subject", "rung", "raised_at", "reason"} <= set(item)
    assert AuditEvent.objects.filter(object_type="escalations", actor=front_door).exists()


def test_escalations_need_the_capability(escalated: Any, police_officer: Any) -> None:
    response = api(police_officer).get("/api/v1/escalations")
    assert response.status_code == 403
    assert "detail" in response.json()


def test_escalations_need_a_token() -> None:
    assert Client().get("/api/v1/escalations").status_code == 401


def test_resolve_escalation(escalated: Any, manager: Any, front_door: Any) -> None:
    escalation = Escalation.objects.filter(referral=escalated).first()
    assert escalation is not None
    path = f"/api/v1/escalations/{escalation.pk}/resolve"
    assert post(api(manager), path, {"reason": "  "}).status_code == 422
    assert post(api(front_door), path, {"reason": "Done."}).status_code == 403
    response = post(api(manager), path, {"reason": "Decision made by phone; recorded."})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "resolved"
    assert post(api(manager), path, {"reason": "Again."}).status_code == 409
    unknown = "/api/v1/escalations/00000000-0000-0000-0000-000000000000/resolve"
    assert post(api(manager), unknown, {"reason": "x"}).status_code == 404


def test_challenge_via_api(police_officer: Any, front_door: Any, teacher: Any) -> None:
    referral = received(police_officer)
    path = f"/api/v1/referrals/{referral.reference}/challenge"
    assert post(api(police_officer), path, {"reason": "Too soon."}).status_code == 409
    decided(referral, front_door, "no_further_action")
    assert post(api(teacher), path, {"reason": "Not mine."}).status_code == 404
    assert post(api(front_door), path, {"reason": "Not mine."}).status_code == 404
    response = post(api(police_officer), path, {"reason": "Still at risk.", "immediate_risk": True})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == 4
    assert body["referral"] == referral.reference
    assert body["stage_due_at"]
    assert post(api(police_officer), path, {"reason": "Again."}).status_code == 409


def test_challenge_on_unknown_referral_is_404(police_officer: Any) -> None:
    path = "/api/v1/referrals/SL-2026-999999/challenge"
    response = post(api(police_officer), path, {"reason": "x"})
    assert response.status_code == 404
    assert response.json() == {"detail": "No referral with that reference that you can see."}


def test_referral_clocks(
    escalated: Any, police_officer: Any, front_door: Any, teacher: Any
) -> None:
    path = f"/api/v1/referrals/{escalated.reference}/clocks"
    response = api(front_door).get(path)
    assert response.status_code == 200
    rows = response.json()
    assert {r["name"] for r in rows} == {"decision", "rag"}
    assert set(rows[0]) == {"name", "started_at", "due_at", "met_at", "status"}
    assert api(police_officer).get(path).status_code == 200  # the referrer's own referral
    assert api(teacher).get(path).status_code == 404
    assert AuditEvent.objects.filter(object_type="referral_clocks", actor=front_door).exists()

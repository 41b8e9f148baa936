"""Regression tests for server errors the API fuzzing found on PostgreSQL: text holding a NUL
character (which PostgreSQL text columns cannot store) answered 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from sightline.accounts.services import api_token_issue
from sightline.referrals.models import Referral

pytestmark = pytest.mark.django_db


def _api(user: Any) -> Client:
    _token, secret = api_token_issue(acting_user=None, user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_a_referral_with_a_nul_character_in_its_text_is_refused_with_422(
    police_officer: Any,
) -> None:
    body = {
        "narrative": "Seen with older men near the station.",
        "children": [{"given_name": "Wren", "family_name": "Altby", "address": "1 Mill\x00Lane"}],
    }
    response = _api(police_officer).post(
        "/api/v1/referrals", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    assert "NUL" in json.dumps(response.json()["detail"])
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/referrals/SL-2026%00",
        "/api/v1/referrals/SL-2026%00/clocks",
        "/api/v1/alerts/a%00b/status",
        "/api/v1/persons/a%00b/network",
        "/api/v1/networks/person/a%00b",
        "/api/v1/networks/pl%00ace/abc",
        "/api/v1/mentions/a%00b/candidates",
    ],
)
def test_a_nul_character_in_a_path_answers_404(front_door: Any, path: str) -> None:
    client = _api(front_door)
    if path.endswith("/status"):
        response = client.post(
            path, data=json.dumps({"status": "reviewed"}), content_type="application/json"
        )
    else:
        response = client.get(path)
    assert response.status_code == 404


def test_a_nul_character_in_any_request_body_is_refused_with_422(front_door: Any) -> None:
    from sightline.referrals.tests.factories import submit

    reference = submit(front_door).referral.reference
    client = _api(front_door)
    for path, body in [
        (f"/api/v1/referrals/{reference}/decision", {"outcome": "early_help", "reason": "a\x00"}),
        (f"/api/v1/referrals/{reference}/challenge", {"reason": "\x00"}),
        ("/api/v1/break-glass", {"reference": reference, "reason": "Ten chars \x00 or more"}),
        ("/api/v1/alerts/x/status", {"status": "reviewed", "reason": "\x00"}),
    ]:
        response = client.post(path, data=json.dumps(body), content_type="application/json")
        assert response.status_code == 422, path
        assert "NUL" in json.dumps(response.json()["detail"]), path

"""Regression tests for server errors the API fuzzing found: paging offsets past what the
database's OFFSET accepts, and a referral received in year 1, answered 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sightline.accounts.services import api_token_issue

pytestmark = pytest.mark.django_db

HUGE = 10**20


def _api(user: Any) -> Client:
    _token, secret = api_token_issue(acting_user=None, user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_escalations_offset_past_the_database_range_is_refused_with_422(front_door: Any) -> None:
    response = _api(front_door).get("/api/v1/escalations", {"offset": HUGE})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "offset"


def test_alerts_offset_past_the_database_range_answers_an_empty_page(front_door: Any) -> None:
    response = _api(front_door).get("/api/v1/alerts", {"offset": HUGE})
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_access_log_offset_past_the_database_range_answers_an_empty_page(
    auditor: Any, police_officer: Any
) -> None:
    from sightline.referrals.tests.factories import submit

    child_id = submit(police_officer).children[0].referral_child.child_id
    response = _api(auditor).get(f"/api/v1/children/{child_id}/access-log", {"offset": HUGE})
    assert response.status_code == 200
    assert response.json()["events"] == []
    assert response.json()["count"] >= 1


def test_a_referral_received_in_year_one_is_refused_with_422(police_officer: Any) -> None:
    import json

    from sightline.referrals.models import Referral

    body = {
        "narrative": "Seen with older men near the station.",
        "children": [{"given_name": "Wren", "family_name": "Altby"}],
        "received_at": "0001-01-01T00:00:00Z",
    }
    response = _api(police_officer).post(
        "/api/v1/referrals", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 422
    assert "too far in the past" in json.dumps(response.json()["detail"])
    assert not Referral.objects.exists()

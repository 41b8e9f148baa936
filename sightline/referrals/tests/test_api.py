from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from sightline.accounts.services import api_token_issue
from sightline.audit.models import AuditEvent
from sightline.people.models import Child
from sightline.referrals.models import ChildMatchCandidate, Referral

pytestmark = pytest.mark.django_db

PAYLOAD: dict[str, Any] = {
    "narrative": "She was picked up in a car by older men near the Golden Grill and went missing "
    "overnight. She has a new phone and talks about an older 'boyfriend'.",
    "children": [
        {
            "given_name": "Ruby",
            "family_name": "Okafor",
            "date_of_birth": "2012-02-03",
            "sex": "female",
            "postcode": "NB3 1AA",
        }
    ],
    "persons_named": [
        {
            "name": "Carl Venn",
            "nickname": "Big C",
            "approximate_age": 35,
            "phone": "07700 900456",
            "vehicle_registration": "NB21 KLM",
            "address": "",
        }
    ],
    "places_named": [
        {
            "name": "Golden Grill",
            "kind": "takeaway",
            "address": "12 High Street",
            "postcode": "NB3 2BB",
        }
    ],
    "urgency": "urgent",
}


def api(user: Any) -> Client:
    _token, secret = api_token_issue(acting_user=None, user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def post(client: Client, path: str, body: Any) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(path, data=data, content_type="application/json")


def test_referral_create_answers_201_with_reference_children_and_suggestions(
    police_officer: Any,
) -> None:
    response = post(api(police_officer), "/api/v1/referrals", PAYLOAD)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("SL-")
    assert body["screening_required"] is True
    assert body["children"][0]["matched_existing"] is False
    assert body["children"][0]["age_on_day"] >= 10
    codes = {s["code"] for s in body["suggested_indicators"]}
    assert "C2" in codes  # picked up in a car
    assert Referral.objects.get(reference=body["reference"]).source_agency == police_officer.agency


def test_second_referral_for_same_child_matches_existing_record(police_officer: Any) -> None:
    client = api(police_officer)
    first = post(client, "/api/v1/referrals", PAYLOAD).json()
    second = post(client, "/api/v1/referrals", PAYLOAD).json()
    assert second["children"][0]["matched_existing"] is True
    # Same child record (its reference); a referrer who may not open child records is given
    # the referral-child's id, never a child id that would answer 404 (issue 11, section 8).
    assert second["children"][0]["reference"] == first["children"][0]["reference"]
    assert second["children"][0]["id"] != str(Child.objects.get().pk)
    assert Child.objects.count() == 1


def test_similar_child_is_offered_as_candidate_not_merged(police_officer: Any) -> None:
    client = api(police_officer)
    post(client, "/api/v1/referrals", PAYLOAD)
    variant = json.loads(json.dumps(PAYLOAD))
    variant["children"][0]["given_name"] = "Rubie"
    body = post(client, "/api/v1/referrals", variant).json()
    child = body["children"][0]
    assert child["matched_existing"] is False
    # Matching is the front door's work (issue 11, section 8): the candidate is recorded for
    # roles with child.match, and the referrer, who may not open child records, is not shown it.
    assert child["candidates"] == []
    candidate = ChildMatchCandidate.objects.get()
    assert "same date of birth" in candidate.reasons
    assert Child.objects.count() == 2


@pytest.mark.parametrize(
    ("mutate", "status"),
    [
        (lambda p: p.update(children=[]), 422),
        (lambda p: p["children"][0].update(date_of_birth="2099-01-01"), 422),
        (lambda p: p["children"][0].update(date_of_birth="1990-01-01"), 422),
        (lambda p: p.update(narrative=""), 422),
        (lambda p: p.update(narrative="   "), 422),
        (lambda p: p.update(narrative="x" * 50_001), 422),
        (lambda p: p.update(agency="no-such-agency"), 422),
        (lambda p: p.pop("children"), 422),
    ],
    ids=[
        "no-child",
        "future-dob",
        "dob-over-25-years",
        "empty-narrative",
        "blank-narrative",
        "narrative-too-long",
        "unknown-agency",
        "children-missing",
    ],
)
def test_bad_referral_is_refused_with_a_clear_4xx_and_nothing_stored(
    police_officer: Any, mutate: Any, status: int
) -> None:
    body = json.loads(json.dumps(PAYLOAD))
    mutate(body)
    client = api(police_officer)
    before = AuditEvent.objects.count()
    response = post(client, "/api/v1/referrals", body)
    assert response.status_code == status, response.content
    assert "detail" in response.json()
    assert Referral.objects.count() == 0
    assert Child.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_malformed_json_gets_400_not_500(police_officer: Any) -> None:
    response = post(api(police_officer), "/api/v1/referrals", "{not json")
    assert response.status_code == 400
    assert "detail" in response.json()
    assert Referral.objects.count() == 0


def test_no_token_gets_401(db: Any) -> None:
    response = post(Client(), "/api/v1/referrals", PAYLOAD)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_unknown_indicator_code_is_refused(police_officer: Any, front_door: Any) -> None:
    ref = post(api(police_officer), "/api/v1/referrals", PAYLOAD).json()["reference"]
    response = post(
        api(front_door),
        f"/api/v1/referrals/{ref}/screening",
        {"indicators": [{"code": "Z99", "status": "present"}]},
    )
    assert response.status_code == 422
    assert "Z99" in json.dumps(response.json())


def test_decision_before_screening_is_409_with_reason(police_officer: Any, front_door: Any) -> None:
    ref = post(api(police_officer), "/api/v1/referrals", PAYLOAD).json()["reference"]
    response = post(
        api(front_door),
        f"/api/v1/referrals/{ref}/decision",
        {"outcome": "early_help", "reason": "Support at school"},
    )
    assert response.status_code == 409
    assert "screening" in response.json()["detail"]


def test_full_journey_screen_decide_and_referrer_sees_outcome(
    police_officer: Any, front_door: Any, manager: Any
) -> None:
    referrer = api(police_officer)
    ref = post(referrer, "/api/v1/referrals", PAYLOAD).json()["reference"]
    practitioner = api(front_door)
    screening = post(
        practitioner,
        f"/api/v1/referrals/{ref}/screening",
        {
            "indicators": [
                {"code": "C2", "status": "present", "basis": "evidence", "note": "seen by teacher"},
                {"code": "B1", "status": "present", "basis": "evidence", "note": ""},
            ]
        },
    )
    assert screening.status_code == 200, screening.content
    assert screening.json()["level"] == "high"
    nfa = {"outcome": "no_further_action", "reason": "Family engaging with school"}
    proposed = post(practitioner, f"/api/v1/referrals/{ref}/decision", nfa)
    # Not thrown away: kept as a proposal for a team manager's sign-off.
    assert proposed.status_code == 201, proposed.content
    assert proposed.json()["status"] == "awaiting_sign_off"
    assert proposed.json()["outcome"] == "no_further_action"
    decided = post(
        api(manager),
        f"/api/v1/referrals/{ref}/decision",
        {"outcome": "strategy_discussion", "reason": "Two high indicators"},
    )
    assert decided.status_code == 200, decided.content
    seen = referrer.get(f"/api/v1/referrals/{ref}")
    assert seen.status_code == 200
    body = seen.json()
    assert body["status"] == "decided"
    assert body["decision"]["outcome"] == "strategy_discussion"
    assert body["decision"]["reason"] == "Two high indicators"
    assert body["screening"] is None  # the hub's assessment is not the referrer's to see
    hub = practitioner.get(f"/api/v1/referrals/{ref}").json()
    assert hub["screening"]["level"] == "high"
    assert {i["code"] for i in hub["screening"]["indicators"]} == {"C2", "B1"}


def test_out_of_scope_referral_is_404(police_officer: Any, teacher: Any) -> None:
    ref = post(api(police_officer), "/api/v1/referrals", PAYLOAD).json()["reference"]
    assert api(teacher).get(f"/api/v1/referrals/{ref}").status_code == 404


def test_catalogue_lists_indicators_with_version(front_door: Any) -> None:
    body = api(front_door).get("/api/v1/screening/indicators").json()
    assert body["version"]
    codes = {i["code"] for i in body["indicators"]}
    assert {"A1", "B1", "C2", "H3"} <= codes


def test_openapi_document_is_served(db: Any) -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/referrals" in response.json()["paths"]

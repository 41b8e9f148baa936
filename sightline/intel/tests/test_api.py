from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from sightline.accounts.services import api_token_issue
from sightline.audit.models import AuditEvent
from sightline.intel.choices import EntityType, LinkStatus
from sightline.intel.models import Alert, Mention
from sightline.intel.tests.conftest import Refer

pytestmark = pytest.mark.django_db

CARL = {"name": "Carl Venn", "nickname": "Big C", "approximate_age": 35, "phone": "07700 900456"}


def api(user: Any) -> Client:
    _token, secret = api_token_issue(acting_user=None, user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def post(client: Client, path: str, body: Any) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def linked(police_officer: Any, teacher: Any, refer: Refer) -> Mention:
    refer(police_officer, persons=[CARL], places=[{"name": "Golden Grill", "kind": "takeaway"}])
    second = refer(
        teacher,
        child=("Jade", "Marsh"),
        persons=[{"name": "Carl Ven", "approximate_age": 36}],
    )
    return next(m for m in second.mentions if m.entity_type == EntityType.PERSON)


def test_alert_list_names_children_by_reference_with_evidence(
    analyst: Any, linked: Mention
) -> None:
    response = api(analyst).get("/api/v1/alerts?status=new")
    assert response.status_code == 200, response.content
    body = response.json()
    alert = next(a for a in body["results"] if a["kind"] == "person_multiple_children")
    assert alert["entity"]["type"] == "person"
    assert len(alert["children"]) == 2
    assert all(c["reference"].startswith("CH-") for c in alert["children"])
    assert alert["evidence"] and alert["certainty"] == "probable"
    assert "Marsh" not in response.content.decode()
    assert AuditEvent.objects.filter(action="record.list", object_type="intel_alert").exists()


def test_alert_list_refuses_roles_without_alert_capability(teacher: Any, linked: Mention) -> None:
    assert api(teacher).get("/api/v1/alerts").status_code == 403


def test_bad_status_filter_is_422(analyst: Any, linked: Mention) -> None:
    response = api(analyst).get("/api/v1/alerts?status=nonsense")
    assert response.status_code == 422
    assert "detail" in response.json()


def test_person_network_has_children_places_and_audits(analyst: Any, linked: Mention) -> None:
    response = api(analyst).get(f"/api/v1/persons/{linked.entity_id}/network?depth=2")
    assert response.status_code == 200, response.content
    body = response.json()
    types = {n["type"] for n in body["nodes"]}
    assert {"person", "child", "place", "phone"} <= types
    assert body["edges"]
    assert AuditEvent.objects.filter(object_type="intel_network", action="record.view").exists()


def test_person_network_is_404_for_roles_without_intel_and_for_unknown_ids(
    teacher: Any, analyst: Any, linked: Mention
) -> None:
    assert api(teacher).get(f"/api/v1/persons/{linked.entity_id}/network").status_code == 404
    missing = api(analyst).get("/api/v1/persons/00000000-0000-0000-0000-000000000000/network")
    assert missing.status_code == 404
    assert missing.json()["detail"]


def test_hotspots_ranked_with_counts(analyst: Any, police_officer: Any, refer: Refer) -> None:
    grill = {"name": "Golden Grill", "kind": "takeaway", "postcode": "NB3 2BB"}
    refer(police_officer, places=[grill])
    refer(police_officer, child=("Jade", "Marsh"), places=[grill])
    refer(
        police_officer,
        child=("Kim", "Lowe"),
        places=[{"name": "Bus station", "kind": "bus_station"}],
    )
    body = api(analyst).get("/api/v1/hotspots?days=90").json()
    assert body["results"][0]["name"] == "Golden Grill"
    assert body["results"][0]["children"] == 2
    assert body["results"][0]["latitude"] is not None


def test_confirm_reject_and_undo_through_the_api(front_door: Any, linked: Mention) -> None:
    client = api(front_door)
    url = f"/api/v1/mentions/{linked.pk}"
    confirmed = post(client, f"{url}/confirm", {"entity_id": str(linked.entity_id), "reason": "ok"})
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["link_status"] == LinkStatus.CONFIRMED
    assert Alert.objects.get(trigger="children2").certainty == "confirmed"
    again = post(client, f"{url}/confirm", {"entity_id": str(linked.entity_id)})
    assert again.status_code == 409
    undo = post(client, f"/api/v1/link-decisions/{confirmed.json()['decision_id']}/undo", {})
    assert undo.status_code == 200 and undo.json()["undone"] is True
    rejected = post(client, f"{url}/reject", {"entity_id": str(linked.entity_id), "reason": "no"})
    assert rejected.status_code == 200
    assert rejected.json()["linked_to"] != str(linked.entity_id)
    assert Alert.objects.get(trigger="children2").status == "withdrawn"


def test_link_decisions_are_404_for_users_who_cannot_link(
    teacher: Any, analyst: Any, linked: Mention
) -> None:
    body = {"entity_id": str(linked.entity_id)}
    assert post(api(teacher), f"/api/v1/mentions/{linked.pk}/confirm", body).status_code == 404
    assert post(api(analyst), "/api/v1/mentions/not-a-uuid/reject", body).status_code == 404


def test_candidates_for_a_mention_come_back_ranked_with_reasons(
    front_door: Any, linked: Mention
) -> None:
    body = api(front_door).get(f"/api/v1/mentions/{linked.pk}/candidates").json()
    assert body[0]["reasons"] and body[0]["score"] >= 0.75
    search = AuditEvent.objects.get(action="record.search", object_type="intel_mention")
    assert search.details["results"] == len(body)
    assert search.actor_username == front_door.username

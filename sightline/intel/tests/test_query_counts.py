"""The intel pages and endpoints run a number of statements that does not grow with the rows
they show: each is read once with a few rows and again after more are added, and the two
counts must be equal. A restricted child (hidden from the analyst) is on record throughout, so
the visibility checks are live, not skipped."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sightline.accounts.services import api_token_issue
from sightline.accounts.tests.clients import signed_in
from sightline.intel.choices import EntityType
from sightline.intel.models import Alert, Mention
from sightline.intel.tests.conftest import Refer
from sightline.people.models import Child

pytestmark = pytest.mark.django_db

CARL = {"name": "Carl Venn", "nickname": "Big C", "approximate_age": 35, "phone": "07700 900456"}
GRILL = {"name": "Golden Grill", "kind": "takeaway", "postcode": "NB3 2BB"}
FAMILIES = ["Marsh", "Lowe", "Adeyemi", "Novak", "Quinn", "Ferris", "Hale", "Pryce"]


def _statements(client: Client, url: str) -> int:
    client.get(url)  # warm: the first request of a session may set it up
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    return len(ctx.captured_queries)


def _api(user: Any) -> Client:
    _token, secret = api_token_issue(acting_user=None, user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def carl(police_officer: Any, teacher: Any, refer: Refer) -> Any:
    """Carl named on two referrals (an alert), and a restricted child's referral naming him."""
    refer(police_officer, persons=[CARL], places=[GRILL])
    refer(teacher, child=("Jade", "Marsh"), persons=[CARL], places=[GRILL])
    hidden = refer(police_officer, child=("Rae", "Hidden"), persons=[CARL], places=[GRILL])
    Child.objects.filter(referral_links__referral=hidden.referral).update(is_restricted=True)
    return Mention.objects.filter(entity_type=EntityType.PERSON).first()


def _more_referrals(user: Any, refer: Refer, count: int) -> None:
    for i in range(count):
        refer(user, child=("Kid", FAMILIES[i % len(FAMILIES)]), persons=[CARL], places=[GRILL])


def _more_alerts(count: int) -> None:
    """Copies of the standing alert over other children, as a busy partnership would have."""
    template = Alert.objects.order_by("created_at").first()
    assert template is not None
    children = [str(c) for c in Child.objects.values_list("pk", flat=True)]
    for i in range(count):
        template.pk = None
        template._state.adding = True
        template.id = None
        template.reference = f"AL-TEST-{i:04d}"
        template.child_ids = children[: 2 + i % 3]
        template.save()


def test_alert_page_statements_do_not_grow_with_alerts(analyst: Any, carl: Any) -> None:
    client = signed_in(analyst)
    few = _statements(client, "/intel/")
    _more_alerts(12)
    assert Alert.objects.count() >= 14
    assert _statements(client, "/intel/") == few


def test_alert_api_statements_do_not_grow_with_alerts(analyst: Any, carl: Any) -> None:
    client = _api(analyst)
    few = _statements(client, "/api/v1/alerts")
    _more_alerts(12)
    body = json.loads(client.get("/api/v1/alerts").content)
    assert body["count"] >= 14
    assert _statements(client, "/api/v1/alerts") == few


def test_person_page_statements_do_not_grow_with_mentions(
    front_door: Any, police_officer: Any, carl: Any, refer: Refer
) -> None:
    client = signed_in(front_door)
    url = f"/intel/persons/{carl.entity_id}/"
    few = _statements(client, url)
    _more_referrals(police_officer, refer, 5)
    assert Mention.objects.filter(entity_id=carl.entity_id).count() >= 8
    assert _statements(client, url) == few


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/networks/person/{p}",
        "/api/v1/persons/{p}/network",
        "/intel/network/person/{p}.json",
    ],
)
def test_network_statements_do_not_grow_with_the_network(
    analyst: Any, police_officer: Any, carl: Any, refer: Refer, path: str
) -> None:
    client = _api(analyst) if path.startswith("/api/") else signed_in(analyst)
    url = path.format(p=carl.entity_id)
    few = _statements(client, url)
    _more_referrals(police_officer, refer, 5)
    body = json.loads(client.get(url).content)
    assert len([n for n in body["nodes"] if n["type"] == "child"]) >= 7
    assert body["withheld_children"] == 1
    assert _statements(client, url) == few

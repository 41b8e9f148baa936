from __future__ import annotations

from typing import Any

import pytest

from sightline.accounts.tests.clients import signed_in
from sightline.audit.models import AuditEvent
from sightline.intel.choices import EntityType
from sightline.intel.models import Alert
from sightline.intel.services import groups_refresh
from sightline.intel.tests.conftest import Refer

pytestmark = pytest.mark.django_db

CARL = {"name": "Carl Venn", "nickname": "Big C", "approximate_age": 35, "phone": "07700 900456"}
GRILL = {"name": "Golden Grill", "kind": "takeaway", "postcode": "NB3 2BB"}


@pytest.fixture
def alert(police_officer: Any, teacher: Any, refer: Refer) -> Alert:
    refer(police_officer, persons=[CARL], places=[GRILL])
    refer(teacher, child=("Jade", "Marsh"), persons=[CARL], places=[GRILL])
    return Alert.objects.get(kind="person_multiple_children", trigger="children2")


@pytest.mark.parametrize(
    "path",
    [
        "/intel/",
        "/intel/alerts/{a}/",
        "/intel/persons/{p}/",
        "/intel/network/person/{p}/",
        "/intel/network/person/{p}.json",
        "/intel/groups/",
        "/intel/hotspots/",
    ],
)
def test_intel_pages_render_for_analyst_and_audit_the_read(
    analyst: Any, alert: Alert, path: str
) -> None:
    groups_refresh()
    before = AuditEvent.objects.count()
    url = path.format(a=alert.pk, p=alert.entity_id)
    response = signed_in(analyst).get(url)
    assert response.status_code == 200, url
    assert AuditEvent.objects.count() > before
    assert b"Okafor" not in response.content and b"Marsh" not in response.content


@pytest.mark.parametrize("path", ["/intel/", "/intel/persons/{p}/", "/intel/hotspots/"])
def test_intel_pages_are_404_for_roles_without_intel(teacher: Any, alert: Alert, path: str) -> None:
    assert signed_in(teacher).get(path.format(p=alert.entity_id)).status_code == 404


def test_confirm_from_the_person_page(front_door: Any, alert: Alert) -> None:
    from sightline.intel.models import Mention

    mention = Mention.objects.filter(
        entity_id=alert.entity_id, entity_type=EntityType.PERSON
    ).last()
    assert mention is not None
    response = signed_in(front_door).post(
        f"/intel/mentions/{mention.pk}/confirm/", {"entity_id": str(alert.entity_id), "reason": "x"}
    )
    assert response.status_code == 302
    mention.refresh_from_db()
    assert mention.link_status == "confirmed"


def test_alert_list_query_count_is_bounded(
    analyst: Any, alert: Alert, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(analyst)
    with django_assert_max_num_queries(40):
        assert client.get("/intel/").status_code == 200


def test_alert_list_shows_four_children_and_how_many_more(
    analyst: Any, police_officer: Any, refer: Refer
) -> None:
    """A network adult's alert names many children: the list shows four references, each
    kept on one line, and says how many more the alert holds (the page was 10,000 pixels
    tall on the demo borough)."""
    for given in ("Amy", "Bea", "Cara", "Dana", "Eve", "Fay"):
        refer(police_officer, child=(given, "Quill"), persons=[CARL], days_ago=10)
    alert = Alert.objects.filter(entity_type=EntityType.PERSON).order_by("-created_at").first()
    assert alert is not None and len(alert.child_ids) == 6
    page = signed_in(analyst).get("/intel/").content.decode()
    row = page[page.index(alert.reference) :]
    row = row[: row.index("</tr>")]
    assert row.count('<span class="sl-nowrap">CH-') == 4
    assert "and 2 more (on the alert)" in row
    assert alert.possible_at is not None

"""The intel app's audited reads (ADR 0010): each shows what is in the user's scope and writes
exactly its access row; a record missing or out of scope is NotFound and writes none."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from sightline.accounts.tests.clients import signed_in
from sightline.audit.choices import Action
from sightline.audit.models import AuditEvent
from sightline.core.errors import NotFound
from sightline.intel import reads
from sightline.intel.choices import EntityType
from sightline.intel.models import Alert, Mention, PersonChange
from sightline.intel.tests.conftest import Refer

pytestmark = pytest.mark.django_db

CARL = {"name": "Carl Venn", "nickname": "Big C", "approximate_age": 35, "phone": "07700 900456"}


@pytest.fixture
def alert(police_officer: Any, teacher: Any, refer: Refer) -> Alert:
    refer(police_officer, persons=[CARL], places=[{"name": "Golden Grill", "kind": "takeaway"}])
    refer(teacher, child=("Jade", "Marsh"), persons=[CARL])
    return Alert.objects.get(kind="person_multiple_children", trigger="children2")


def _rows(**kw: Any) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**kw).order_by("seq"))


def test_entity_read_records_one_view_and_out_of_scope_records_none(
    analyst: Any, teacher: Any, alert: Alert
) -> None:
    person = reads.entity_read(
        user=analyst, entity_type=EntityType.PERSON, entity_id=alert.entity_id
    )
    [row] = _rows(object_type="intel_person", action=Action.VIEW)
    assert (row.actor_id, row.object_id, row.object_ref) == (
        analyst.pk, str(person.pk), person.reference
    )  # fmt: skip
    before = AuditEvent.objects.count()
    for user, entity_id in ((teacher, alert.entity_id), (analyst, uuid.uuid4()), (analyst, "x")):
        with pytest.raises(NotFound):
            reads.entity_read(user=user, entity_type=EntityType.PERSON, entity_id=entity_id)
    assert AuditEvent.objects.count() == before


def test_alert_read_cuts_evidence_to_the_children_shown_and_records_the_view(
    analyst: Any, alert: Alert
) -> None:
    shown = reads.alert_read(user=analyst, alert_id=alert.pk)
    assert shown.alert == alert and len(shown.children.shown) == 2
    [row] = _rows(object_type="intel_alert", action=Action.VIEW)
    assert row.object_ref == alert.reference
    with pytest.raises(NotFound):
        reads.alert_read(user=analyst, alert_id=uuid.uuid4())
    assert len(_rows(object_type="intel_alert", action=Action.VIEW)) == 1


def test_alert_list_read_ignores_an_unknown_status_and_records_the_page(
    analyst: Any, alert: Alert
) -> None:
    found = reads.alert_list_read(user=analyst, status="nonsense", page=None)
    assert found.status is None and alert in [r["alert"] for r in found.rows]
    [row] = _rows(object_type="intel_alert", action=Action.LIST)
    assert row.details == {"status": "", "page": 1}


def test_network_read_records_the_child_and_the_depth_only_when_chosen(
    manager: Any, teacher: Any, alert: Alert
) -> None:
    child_id = uuid.UUID(str(alert.child_ids[0]))
    network = reads.network_read(user=manager, node_type="child", node_id=child_id)
    reads.network_read(user=manager, node_type="person", node_id=alert.entity_id, depth=1)
    by_child, by_person = _rows(object_type="intel_network")
    assert by_child.child_id == child_id and by_child.details == {"nodes": len(network.nodes)}
    assert by_person.child_id is None and by_person.details["depth"] == 1
    before = AuditEvent.objects.count()
    for user, node_type, node_id in (
        (teacher, "person", alert.entity_id),  # no network capability
        (manager, "child", "not-an-id"),
        (manager, "phone", alert.entity_id),  # not a type a network is drawn around
        (manager, "place", alert.entity_id),  # a person's id asked for as a place
    ):
        with pytest.raises(NotFound):
            reads.network_read(user=user, node_type=node_type, node_id=node_id)
    assert AuditEvent.objects.count() == before


def test_network_page_read_lists_the_persons_linked_mentions(analyst: Any, alert: Alert) -> None:
    root, linked = reads.network_page_read(
        user=analyst, node_type="person", node_id=alert.entity_id
    )
    assert root.child_id is None and {m.entity_id for m in linked} == {alert.entity_id}
    [row] = _rows(object_type="intel_network_page")
    assert row.object_ref == root.reference


def test_mention_reads_need_the_link_capability_and_record_the_referral(
    front_door: Any, teacher: Any, alert: Alert
) -> None:
    mention = Mention.objects.filter(entity_id=alert.entity_id).first()
    assert mention is not None
    candidates = reads.mention_candidates_read(user=front_door, mention_id=mention.pk)
    reads.mention_explanation_read(user=front_door, mention_id=mention.pk)
    search, view = _rows(object_type="intel_mention")
    assert (search.action, search.details["results"]) == (Action.SEARCH, len(candidates))
    assert view.action == Action.VIEW and view.referral_id == mention.referral_id
    with pytest.raises(NotFound):
        reads.mention_explanation_read(user=teacher, mention_id=mention.pk)
    with pytest.raises(NotFound):
        reads.mention_candidates_read(user=front_door, mention_id=uuid.uuid4())
    assert len(_rows(object_type="intel_mention")) == 2


def test_hotspot_and_group_reads_record_the_search_and_the_list(analyst: Any, alert: Alert) -> None:
    rows = reads.hotspot_list_read(user=analyst, days=30)
    reads.group_list_read(user=analyst, page="9")
    [search] = _rows(object_type="intel_hotspots", action=Action.SEARCH)
    assert search.details == {"days": 30, "count": len(rows)}
    [listing] = _rows(object_type="intel_groups", action=Action.LIST)
    assert listing.details == {"page": 1}


def test_split_page_records_a_view_when_shown_and_none_when_the_split_is_made(
    police_officer: Any, teacher: Any, front_door: Any, refer: Refer
) -> None:
    """ADR 0010: the form, and the form shown again with what was refused, are each one view;
    a split made redirects and records its change, not a view."""
    refer(police_officer, persons=[CARL])
    refer(teacher, child=("Jade", "Marsh"), persons=[CARL])
    third = refer(police_officer, child=("Mia", "Stone"), persons=[CARL])
    last = next(m for m in third.mentions if m.entity_type == EntityType.PERSON)
    path = f"/intel/persons/{last.entity_id}/split/"
    client = signed_in(front_door)
    views = {"object_type": "intel_person", "action": Action.VIEW}
    assert client.get(path).status_code == 200
    assert client.post(path, {"reason": "Two men."}).status_code == 422
    assert len(_rows(**views)) == 2
    done = client.post(path, {"mention": [str(last.pk)], "reason": "Two men."})
    assert done.status_code == 302 and PersonChange.objects.count() == 1
    assert len(_rows(**views)) == 2
    assert client.get(f"/intel/persons/{uuid.uuid4()}/split/").status_code == 404
    assert len(_rows(**views)) == 2

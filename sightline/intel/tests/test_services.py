from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sightline.audit.models import AuditEvent
from sightline.core.models import OutboxMessage
from sightline.intel import services
from sightline.intel.choices import AlertStatus, Certainty, EntityType, LinkStatus
from sightline.intel.models import Alert, Mention, PersonOfConcern, Suggestion
from sightline.intel.services.alerts import alerts_notify
from sightline.intel.tests.conftest import Refer

pytestmark = pytest.mark.django_db

CARL = {"name": "Carl Venn", "nickname": "Big C", "approximate_age": 35, "phone": "07700 900456"}


def person_mention(result: Any) -> Mention:
    return next(m for m in result.mentions if m.entity_type == EntityType.PERSON)


def test_second_child_naming_same_adult_by_phone_raises_alert_to_cse_lead_and_analysts(
    police_officer: Any, teacher: Any, analyst: Any, cse_worker: Any, refer: Refer
) -> None:
    refer(police_officer, child=("Ruby", "Okafor"), persons=[CARL])
    second = refer(
        teacher,
        child=("Jade", "Marsh"),
        persons=[{"nickname": "big c", "phone": "+447700900456"}],
    )
    assert person_mention(second).link_status == LinkStatus.EXACT
    kinds = {(a.kind, a.trigger) for a in second.alerts}
    assert ("person_multiple_children", "children2") in kinds
    assert ("person_multiple_children", "agencies2") in kinds  # police, then education
    alert = Alert.objects.get(trigger="children2")
    assert alert.certainty == Certainty.CONFIRMED
    assert len(alert.child_ids) == 2
    assert {e["referral"] for e in alert.evidence} == {
        m.referral.reference  # type: ignore[union-attr]
        for m in Mention.objects.filter(entity_id=alert.entity_id)
    }
    recipients = set(
        OutboxMessage.objects.filter(kind="intel_alert").values_list(
            "recipient__username", flat=True
        )
    )
    assert recipients == {"police-analyst", "cse-worker"}
    assert "Okafor" not in alert.summary and "Venn" not in alert.summary


def test_spelling_variant_with_similar_age_is_a_probable_link_and_probable_alert(
    police_officer: Any, teacher: Any, refer: Refer
) -> None:
    refer(police_officer, persons=[{"name": "Stephen Ashworth", "approximate_age": 30}])
    second = refer(
        teacher,
        child=("Jade", "Marsh"),
        persons=[{"name": "Steve Ashwerth", "approximate_age": 32}],
    )
    mention = person_mention(second)
    assert mention.link_status == LinkStatus.PROBABLE
    assert "first name a spelling or short form of one given before" in mention.reasons
    alert = next(a for a in second.alerts if a.trigger == "children2")
    assert alert.certainty == Certainty.PROBABLE


def test_confirm_makes_alert_confirmed_and_undo_puts_it_back(
    police_officer: Any, teacher: Any, front_door: Any, refer: Refer
) -> None:
    refer(police_officer, persons=[{"name": "Stephen Ashworth", "approximate_age": 30}])
    mention = person_mention(
        refer(
            teacher,
            child=("Jade", "Marsh"),
            persons=[{"name": "Steve Ashwerth", "approximate_age": 31}],
        )
    )
    before = AuditEvent.objects.count()
    decision = services.mention_confirm(
        acting_user=front_door, mention=mention, entity_id=mention.entity_id, reason="Same phone"
    )
    mention.refresh_from_db()
    assert mention.link_status == LinkStatus.CONFIRMED
    assert Alert.objects.get(trigger="children2").certainty == Certainty.CONFIRMED
    events = AuditEvent.objects.filter(seq__gt=before)
    assert events.filter(
        action="record.link", object_type="intel_mention", reason="Same phone"
    ).exists()
    services.mention_link_undo(acting_user=front_door, decision=decision, reason="Wrong record")
    mention.refresh_from_db()
    assert mention.link_status == LinkStatus.PROBABLE
    assert Alert.objects.get(trigger="children2").certainty == Certainty.PROBABLE
    assert AuditEvent.objects.filter(action="record.unlink", object_type="intel_mention").exists()
    with pytest.raises(services.IntelError):
        services.mention_link_undo(acting_user=front_door, decision=decision)


def test_rejecting_probable_match_withdraws_probable_alert_and_separates_the_person(
    police_officer: Any, teacher: Any, front_door: Any, refer: Refer
) -> None:
    refer(police_officer, persons=[{"name": "Stephen Ashworth", "approximate_age": 30}])
    mention = person_mention(
        refer(
            teacher,
            child=("Jade", "Marsh"),
            persons=[{"name": "Steve Ashwerth", "approximate_age": 31}],
        )
    )
    linked_to = mention.entity_id
    services.mention_reject(
        acting_user=front_door, mention=mention, entity_id=linked_to, reason="Different man"
    )
    mention.refresh_from_db()
    assert mention.entity_id != linked_to
    assert mention.link_status == LinkStatus.ORIGIN
    assert Alert.objects.get(trigger="children2").status == AlertStatus.WITHDRAWN
    assert PersonOfConcern.objects.filter(is_active=True).count() == 2
    assert AuditEvent.objects.filter(action="record.unlink", reason="Different man").exists()


def test_siblings_at_one_address_do_not_raise_a_person_alert(
    police_officer: Any, teacher: Any, refer: Refer
) -> None:
    refer(police_officer, child=("Amy", "Cole"), address="4 Elm Road", persons=[CARL])
    second = refer(teacher, child=("Ben", "Cole"), address="4 Elm Road", persons=[CARL])
    assert not [a for a in second.alerts if a.entity_type == EntityType.PERSON]


def test_third_child_raises_again_at_higher_priority(
    police_officer: Any, teacher: Any, refer: Refer
) -> None:
    refer(police_officer, persons=[CARL])
    refer(police_officer, child=("Jade", "Marsh"), persons=[CARL])
    third = refer(police_officer, child=("Kim", "Lowe"), persons=[CARL])
    escalated = next(a for a in third.alerts if a.trigger == "children3")
    assert escalated.priority == 1
    assert escalated.supersedes is not None and escalated.supersedes.trigger == "children2"


def test_shared_vehicle_raises_vehicle_alert_and_escalates_person_alert(
    police_officer: Any, teacher: Any, refer: Refer
) -> None:
    refer(police_officer, persons=[{**CARL, "vehicle_registration": "NB21 KLM"}])
    second = refer(
        police_officer,
        child=("Jade", "Marsh"),
        persons=[{"name": "Carl Venn", "vehicle_registration": "nb21klm"}],
    )
    triggers = {(a.kind, a.trigger) for a in second.alerts}
    assert ("vehicle_multiple_children", "children2") in triggers
    assert ("person_multiple_children", "vehicle") in triggers


def test_place_named_in_exploitation_concerns_about_two_children_is_a_hotspot(
    police_officer: Any, teacher: Any, refer: Refer
) -> None:
    grill = {"name": "Golden Grill", "kind": "takeaway", "postcode": "NB3 2BB"}
    refer(police_officer, places=[grill], days_ago=30)
    second = refer(
        teacher, child=("Jade", "Marsh"), places=[{"name": "golden grill", "kind": "takeaway"}]
    )
    assert [a.kind for a in second.alerts] == ["place_hotspot"]


def test_place_concerns_more_than_90_days_apart_are_not_a_hotspot(
    police_officer: Any, teacher: Any, refer: Refer
) -> None:
    grill = {"name": "Golden Grill", "kind": "takeaway"}
    refer(police_officer, places=[grill], days_ago=200)
    second = refer(teacher, child=("Jade", "Marsh"), places=[grill])
    assert second.alerts == []


def test_place_in_non_exploitation_concerns_is_not_a_hotspot(
    police_officer: Any, teacher: Any, refer: Refer
) -> None:
    park = {"name": "Millgate Park", "kind": "park"}
    refer(police_officer, places=[park], categories=("neglect",))
    second = refer(teacher, child=("Jade", "Marsh"), places=[park], categories=("education",))
    assert second.alerts == []


def test_narrative_identifiers_are_suggestions_not_links(police_officer: Any, refer: Refer) -> None:
    result = refer(
        police_officer,
        narrative="She gets calls from 07700 900999 and was seen in a car, registration KX19 LMN.",
    )
    kinds = {(s.kind, s.value) for s in Suggestion.objects.filter(referral=result.referral)}
    assert ("phone", "+447700900999") in kinds and ("vehicle", "KX19LMN") in kinds
    assert not Mention.objects.filter(referral=result.referral).exists()


def test_alert_status_needs_reason_to_dismiss_and_follows_transitions(
    police_officer: Any, front_door: Any, refer: Refer
) -> None:
    refer(police_officer, persons=[CARL])
    alert = refer(police_officer, child=("Jade", "Marsh"), persons=[CARL]).alerts[0]
    with pytest.raises(services.IntelError):
        services.alert_status_set(acting_user=front_door, alert=alert, status="dismissed")
    services.alert_status_set(
        acting_user=front_door, alert=alert, status="dismissed", reason="Known family friend"
    )
    with pytest.raises(services.IntelError):
        services.alert_status_set(acting_user=front_door, alert=alert, status="reviewed")
    assert AuditEvent.objects.filter(
        object_type="intel_alert", reason="Known family friend"
    ).exists()


def test_entity_str_is_a_reference_never_a_name(police_officer: Any, refer: Refer) -> None:
    result = refer(police_officer, persons=[CARL])
    person = PersonOfConcern.objects.get(pk=person_mention(result).entity_id)
    assert str(person).startswith("POC-") and "Carl" not in str(person)


def test_alerts_are_sent_to_every_reader_in_two_statements_however_many(
    police_officer: Any, teacher: Any, analyst: Any, cse_worker: Any, refer: Refer
) -> None:
    refer(police_officer, child=("Ruby", "Okafor"), persons=[CARL])
    refer(teacher, child=("Jade", "Marsh"), persons=[CARL])
    alerts = list(Alert.objects.order_by("created_at"))
    assert len(alerts) >= 2
    OutboxMessage.objects.filter(kind="intel_alert").delete()
    with CaptureQueriesContext(connection) as captured:
        alerts_notify(alerts)
    assert len(captured) == 2  # the readers, then every message in one insert
    sent = OutboxMessage.objects.filter(kind="intel_alert")
    assert sorted(sent.values_list("subject", "recipient__username")) == sorted(
        (f"Sightline alert {a.reference} ({a.get_priority_display()})", reader)
        for a in alerts
        for reader in ("police-analyst", "cse-worker")
    )
    with CaptureQueriesContext(connection) as captured:
        alerts_notify(alerts)  # already queued: the same two statements, nothing added
        alerts_notify([])  # nothing raised: nothing read
    assert len(captured) == 2
    assert sent.count() == 2 * len(alerts)

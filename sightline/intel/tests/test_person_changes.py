"""Persons of concern merged and split (ADR 0205): each is an event with history; a merged
person's old id still finds the surviving person (API 301, page redirect); a practitioner's
split moves mentions to a new person with a reason, audited, alerts worked out again, and
indexing does not join the two again."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client

from sightline.accounts.roles import Role
from sightline.accounts.tests.clients import signed_in, token_client
from sightline.accounts.tests.factories import UserFactory
from sightline.audit.choices import Action
from sightline.audit.models import AuditEvent
from sightline.intel.choices import (
    AlertStatus,
    CandidateStatus,
    EntityType,
    LinkStatus,
    PersonChangeKind,
)
from sightline.intel.models import Alert, MatchCandidate, Mention, PersonChange, PersonOfConcern
from sightline.intel.services import IntelError
from sightline.intel.services.persons import person_split
from sightline.intel.tests.conftest import Refer

pytestmark = pytest.mark.django_db

NAMED = {"name": "Carl Venn", "approximate_age": 35}
NICKNAMED = {"nickname": "Big C", "approximate_age": 35}
BOTH = {"name": "Carl Venn", "nickname": "Big C", "approximate_age": 35}


def _person_of(result: Any) -> uuid.UUID:
    return next(m.entity_id for m in result.mentions if m.entity_type == EntityType.PERSON)


def _post(client: Client, path: str, body: Any) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


@pytest.fixture
def merged(police_officer: Any, teacher: Any, refer: Refer) -> tuple[uuid.UUID, uuid.UUID]:
    """Two persons (one named, one known only by a nickname), then a mention giving both the
    name and the nickname: indexing merges the second into the first."""
    named = _person_of(refer(police_officer, child=("Ruby", "Okafor"), persons=[NAMED]))
    nicknamed = _person_of(refer(teacher, child=("Jade", "Marsh"), persons=[NICKNAMED]))
    assert named != nicknamed
    third = refer(police_officer, child=("Mia", "Stone"), persons=[BOTH])
    survivor = _person_of(third)
    other = nicknamed if survivor == named else named
    return survivor, other


def test_a_merge_is_recorded_and_the_old_person_is_retired(
    merged: tuple[uuid.UUID, uuid.UUID],
) -> None:
    survivor, old = merged
    change = PersonChange.objects.get(kind=PersonChangeKind.MERGE)
    assert (change.from_person, change.into_person) == (old, survivor)
    assert change.decided_by is None and "probably the same person" in change.reason
    moved = set(Mention.objects.filter(entity_id=survivor).values_list("pk", flat=True))
    assert {uuid.UUID(m) for m in change.mention_ids} <= moved
    assert not PersonOfConcern.objects.get(pk=old).is_active
    # Alerts follow: the surviving person holds the three children's alert; the old none.
    alert = Alert.objects.get(entity_id=survivor, trigger="children3")
    assert len(alert.child_ids) == 3
    assert not Alert.objects.filter(entity_id=old).exclude(status=AlertStatus.WITHDRAWN).exists()


def test_the_old_id_answers_301_on_the_api_and_redirects_the_page(
    merged: tuple[uuid.UUID, uuid.UUID], manager: Any
) -> None:
    survivor, old = merged
    api = token_client(manager)
    moved = api.get(f"/api/v1/persons/{old}")
    assert moved.status_code == 301
    assert moved["Location"] == f"/api/v1/persons/{survivor}"
    shown = api.get(moved["Location"])
    assert shown.status_code == 200
    body = shown.json()
    assert body["id"] == str(survivor) and body["mentions"] == 3
    assert [c["kind"] for c in body["changes"]] == ["merge"]
    assert body["changes"][0]["from_person"]["id"] == str(old)
    page = signed_in(manager).get(f"/intel/persons/{old}/")
    assert page.status_code == 301 and page["Location"] == f"/intel/persons/{survivor}/"
    html = signed_in(manager).get(page["Location"]).content.decode()
    reference = PersonOfConcern.objects.get(pk=old).reference
    assert "Merges and splits" in html and reference in html


def test_an_id_never_merged_or_out_of_scope_is_404_not_a_redirect(
    merged: tuple[uuid.UUID, uuid.UUID], manager: Any, teacher: Any
) -> None:
    _survivor, old = merged
    assert token_client(manager).get(f"/api/v1/persons/{uuid.uuid4()}").status_code == 404
    assert token_client(manager).get("/api/v1/persons/not-an-id").status_code == 404
    # A role without intelligence gets no hint that the person exists, nor where it went.
    assert token_client(teacher).get(f"/api/v1/persons/{old}").status_code == 404


def test_a_person_given_its_mentions_back_is_itself_again(
    merged: tuple[uuid.UUID, uuid.UUID], manager: Any, front_door: Any
) -> None:
    """Rejecting the merge sends the mention back to the person it made: no redirect then."""
    from sightline.intel.services import mention_reject

    survivor, old = merged
    mention = Mention.objects.get(origin_entity_id=old, entity_id=survivor)
    mention_reject(acting_user=front_door, mention=mention, entity_id=survivor, reason="Not him")
    assert token_client(manager).get(f"/api/v1/persons/{old}").status_code == 200


def _three_children(police_officer: Any, teacher: Any, refer: Refer) -> list[Any]:
    results = [
        refer(police_officer, child=("Ruby", "Okafor"), persons=[NAMED]),
        refer(teacher, child=("Jade", "Marsh"), persons=[NAMED]),
        refer(police_officer, child=("Mia", "Stone"), persons=[NAMED]),
    ]
    assert len({_person_of(r) for r in results}) == 1
    return results


def test_split_moves_mentions_to_a_new_person_with_history_audit_and_alerts(
    police_officer: Any, teacher: Any, front_door: Any, refer: Refer
) -> None:
    results = _three_children(police_officer, teacher, refer)
    person = PersonOfConcern.objects.get(pk=_person_of(results[0]))
    assert Alert.objects.filter(entity_id=person.pk, trigger="children3").exists()
    last = next(m for m in results[2].mentions if m.entity_type == EntityType.PERSON)
    new, change, changed = person_split(
        acting_user=front_door,
        person=person,
        mention_ids=[last.pk],
        reason="Different date of birth on the police record.",
    )
    last.refresh_from_db()
    assert last.entity_id == new.pk and last.link_status == LinkStatus.CONFIRMED
    assert (change.kind, change.from_person, change.into_person) == ("split", person.pk, new.pk)
    assert change.decided_by == front_door
    assert Mention.objects.filter(entity_id=person.pk).count() == 2
    assert new.is_active and new.names == ["Carl Venn"]
    # The third child's alert rested on the moved mention: withdrawn; the second stands.
    third = Alert.objects.get(entity_id=person.pk, trigger="children3")
    assert third.status == AlertStatus.WITHDRAWN and third in changed
    assert (
        Alert.objects.get(entity_id=person.pk, trigger="children2").status != AlertStatus.WITHDRAWN
    )
    row = AuditEvent.objects.filter(action=Action.CHANGE, object_type="intel_person").get()
    assert row.object_id == str(person.pk) and row.details["into"] == new.reference
    assert row.reason == "Different date of birth on the police record."


def test_split_persons_are_not_merged_again_by_indexing(
    police_officer: Any, teacher: Any, front_door: Any, refer: Refer
) -> None:
    results = _three_children(police_officer, teacher, refer)
    person = PersonOfConcern.objects.get(pk=_person_of(results[0]))
    last = next(m for m in results[2].mentions if m.entity_type == EntityType.PERSON)
    new, _change, _alerts = person_split(
        acting_user=front_door, person=person, mention_ids=[last.pk], reason="Two men."
    )
    later = refer(teacher, child=("Ava", "Lane"), persons=[NAMED])
    # The same details now fit both persons equally: linked to one of them, or (the ambiguity
    # rule, ADR 0203) to neither, flagged ambiguous with both as candidates; never re-merged.
    mention = next(m for m in later.mentions if m.entity_type == EntityType.PERSON)
    ambiguous = set(
        MatchCandidate.objects.filter(
            mention=mention, status=CandidateStatus.AMBIGUOUS
        ).values_list("entity_id", flat=True)
    )
    assert _person_of(later) in {person.pk, new.pk} or ambiguous == {person.pk, new.pk}
    assert PersonOfConcern.objects.get(pk=new.pk).is_active
    assert PersonOfConcern.objects.get(pk=person.pk).is_active
    assert not PersonChange.objects.filter(kind=PersonChangeKind.MERGE).exists()


def test_split_refuses_bad_input_and_stores_nothing(
    police_officer: Any, teacher: Any, front_door: Any, refer: Refer
) -> None:
    results = _three_children(police_officer, teacher, refer)
    person = PersonOfConcern.objects.get(pk=_person_of(results[0]))
    every = list(Mention.objects.filter(entity_id=person.pk).values_list("pk", flat=True))
    for ids, reason in (
        ([every[0]], "  "),  # no reason
        ([], "A reason."),  # nothing chosen
        ([uuid.uuid4()], "A reason."),  # not this person's
        (every, "A reason."),  # nothing left behind
    ):
        with pytest.raises(IntelError):
            person_split(acting_user=front_door, person=person, mention_ids=ids, reason=reason)
    assert not PersonChange.objects.exists()
    assert PersonOfConcern.objects.count() == 1


def test_split_api_answers_201_and_refuses_without_the_link_capability(
    police_officer: Any, teacher: Any, front_door: Any, refer: Refer, agencies: dict[str, Any]
) -> None:
    results = _three_children(police_officer, teacher, refer)
    person_id = _person_of(results[0])
    last = next(m for m in results[2].mentions if m.entity_type == EntityType.PERSON)
    path = f"/api/v1/persons/{person_id}/split"
    lead = UserFactory(username="lead", agency=agencies["csc"], role=Role.SAFEGUARDING_LEAD)
    refused = _post(token_client(lead), path, {"mention_ids": [str(last.pk)], "reason": "x"})
    assert refused.status_code == 403
    api = token_client(front_door)
    assert _post(api, path, {"mention_ids": [str(last.pk)], "reason": ""}).status_code == 422
    assert _post(api, path, {"mention_ids": ["nope"], "reason": "x"}).status_code == 422
    assert not PersonChange.objects.exists()
    done = _post(api, path, {"mention_ids": [str(last.pk)], "reason": "Two men."})
    assert done.status_code == 201
    body = done.json()
    assert body["from_person"]["id"] == str(person_id)
    assert body["person"]["mentions"] == 1 and body["alerts_changed"] >= 1
    assert [c["kind"] for c in body["person"]["changes"]] == ["split"]


def test_split_page_shows_the_mentions_and_splits_with_a_reason(
    police_officer: Any, teacher: Any, front_door: Any, refer: Refer
) -> None:
    results = _three_children(police_officer, teacher, refer)
    person_id = _person_of(results[0])
    last = next(m for m in results[2].mentions if m.entity_type == EntityType.PERSON)
    client = signed_in(front_door)
    form = client.get(f"/intel/persons/{person_id}/split/")
    assert form.status_code == 200 and str(last.pk) in form.content.decode()
    missing = client.post(f"/intel/persons/{person_id}/split/", {"reason": "Two men."})
    assert missing.status_code == 422 and "Choose at least one" in missing.content.decode()
    done = client.post(
        f"/intel/persons/{person_id}/split/", {"mention": [str(last.pk)], "reason": "Two men."}
    )
    new = PersonChange.objects.get().into_person
    assert done.status_code == 302 and done["Location"] == f"/intel/persons/{new}/"


@pytest.mark.parametrize("first", ["named", "nicknamed"])
def test_the_person_recorded_first_survives_a_merge_whichever_the_mention_fits_best(
    police_officer: Any, teacher: Any, refer: Refer, first: str
) -> None:
    # ADR 0911: the reference practitioners already use stays, and a much-named person's
    # history is not moved onto one made yesterday; the bridging mention joins the survivor.
    order = [NAMED, NICKNAMED] if first == "named" else [NICKNAMED, NAMED]
    older = _person_of(refer(police_officer, child=("Ruby", "Okafor"), persons=[order[0]]))
    newer = _person_of(refer(teacher, child=("Jade", "Marsh"), persons=[order[1]]))
    third = refer(police_officer, child=("Mia", "Stone"), persons=[BOTH])
    assert _person_of(third) == older
    change = PersonChange.objects.get(kind=PersonChangeKind.MERGE)
    assert (change.from_person, change.into_person) == (newer, older)
    assert Mention.objects.filter(entity_id=older, entity_type=EntityType.PERSON).count() == 3
    assert not PersonOfConcern.objects.get(pk=newer).is_active

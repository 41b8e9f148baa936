"""Second-order context (ADR 0214): a child on this referral was named before with a person of
concern who has been named with the candidate counts for the candidate, as context only, and
only along firm links. Intake, the one-by-one path and the bulk indexer answer alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from sightline.intel import associates
from sightline.intel.choices import EntityType, LinkStatus
from sightline.intel.models import (
    Alert,
    Edge,
    MatchCandidate,
    Mention,
    PersonChange,
    PersonKey,
    PersonOfConcern,
    Phone,
    Place,
    Suggestion,
    Vehicle,
)
from sightline.intel.resolution import CONTEXT_REASON
from sightline.intel.services import IndexResult, intel_bulk_index
from sightline.intel.services.bulk import intel_index_one_by_one
from sightline.intel.services.bulk_store import MemoryStore
from sightline.referrals.inputs import ChildInput, PersonInput, ReferralInput
from sightline.referrals.models import ReferralChild
from sightline.workflows import referral_intake

pytestmark = pytest.mark.django_db

ASSOCIATE = CONTEXT_REASON["associate"]
CHILD = CONTEXT_REASON["child"]
AHMED = {"name": "Abdirahman Ahmed", "phone": "07700 900123"}


def _kid(given: str, family: str) -> ChildInput:
    """The same child each time it is named (same name, birth date and address)."""
    n = sum(map(ord, given + family))
    return ChildInput(
        given_name=given,
        family_name=family,
        date_of_birth=dt.date(2010, 1, 1) + dt.timedelta(days=n),
        address=f"{n} Test Street",
        postcode="NB3 1AA",
    )


def _refer(
    user: Any,
    child: tuple[str, str],
    *persons: dict[str, Any],
    days_ago: int = 0,
    exploitation: bool = True,
) -> IndexResult:
    return referral_intake(
        acting_user=user,
        data=ReferralInput(
            narrative="Concerns about older adults." if exploitation else "Attendance has dropped.",
            children=[_kid(*child)],
            received_at=dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=days_ago),
            concern_categories=["sexual_exploitation"] if exploitation else ["education"],
            persons_named=[PersonInput(**p) for p in persons],
        ),
    ).intel


def _person(result: Any, name: str = "") -> Mention:
    return next(
        m
        for m in result.mentions
        if m.entity_type == EntityType.PERSON and (not name or m.details["name"] == name)
    )


def _circle(officer: Any) -> tuple[Mention, Mention]:
    """Leslie Robinson named with Abdirahman Ahmed about one child; later Ahmed (by his
    phone) about Ruby, with nobody else; another Robinson on record, so the surname is
    common here and "Les Robinson" alone is a candidate, not a link."""
    _refer(officer, ("Ella", "Price"), {"name": "Lisa Robinson"}, days_ago=60)
    first = _refer(officer, ("Maya", "Stone"), {"name": "Leslie Robinson"}, AHMED, days_ago=40)
    again = _refer(officer, ("Ruby", "Okafor"), AHMED, days_ago=20)
    return _person(first, "Leslie Robinson"), _person(again)


def _les(officer: Any, child: tuple[str, str]) -> Mention:
    # not an exploitation concern, so the only-candidate rule (ADR 0213) stays out of it
    result = _refer(officer, child, {"name": "Les Robinson"}, exploitation=False)
    return _person(result)


def test_a_child_named_before_with_a_co_accused_links_the_mention_to_the_candidate(
    police_officer: Any,
) -> None:
    leslie, ahmed_again = _circle(police_officer)
    assert ahmed_again.link_status == LinkStatus.EXACT  # a firm link, by the phone
    les = _les(police_officer, ("Ruby", "Okafor"))
    assert les.entity_id == leslie.entity_id
    assert les.link_status == LinkStatus.PROBABLE
    assert ASSOCIATE in les.reasons
    kinds = [(c["comparison"], c["level"]) for c in les.explanation["contributions"]]
    assert ("context", "associate") in kinds
    assert les.explanation["probability"] >= 0.8


def test_the_same_mention_about_another_child_stays_a_candidate(police_officer: Any) -> None:
    leslie, _ = _circle(police_officer)
    les = _les(police_officer, ("Jade", "Marsh"))
    assert les.link_status == LinkStatus.ORIGIN
    offered = MatchCandidate.objects.get(mention=les, entity_id=leslie.entity_id)
    assert ASSOCIATE not in offered.reasons
    assert offered.score < 0.8


def test_second_order_context_does_not_link_a_surname_alone(police_officer: Any) -> None:
    leslie, _ = _circle(police_officer)
    mr = _refer(police_officer, ("Ruby", "Okafor"), {"name": "Mr Robinson"})
    mention = _person(mr)
    assert mention.entity_id != leslie.entity_id
    offered = MatchCandidate.objects.get(mention=mention, entity_id=leslie.entity_id)
    assert ASSOCIATE in offered.reasons  # shown as a reason, and still not enough
    assert offered.score < 0.8


def test_a_probable_link_below_the_threshold_carries_no_second_order_context(
    police_officer: Any,
) -> None:
    leslie, ahmed_again = _circle(police_officer)
    children = {_child_of(ahmed_again)}
    assert associates.associates_shared({leslie.entity_id}, frozenset(children)) == {
        leslie.entity_id
    }
    # Ahmed's mention about Ruby as if made by the only-candidate rule (ADR 0213): not firm
    Mention.objects.filter(pk=ahmed_again.pk).update(link_status=LinkStatus.PROBABLE, score=0.6)
    assert associates.associates_shared({leslie.entity_id}, frozenset(children)) == set()
    store = MemoryStore(references=None)
    store.load()
    assert store._associates({leslie.entity_id}, frozenset(children)) == set()
    les = _les(police_officer, ("Ruby", "Okafor"))
    assert les.link_status == LinkStatus.ORIGIN
    assert ASSOCIATE not in les.reasons


def test_the_setting_turns_second_order_context_off(police_officer: Any) -> None:
    leslie, ahmed_again = _circle(police_officer)
    children = frozenset({_child_of(ahmed_again)})
    store = MemoryStore(references=None)
    store.load()
    assert associates.associates_shared({leslie.entity_id}, children) == {leslie.entity_id}
    assert store._associates({leslie.entity_id}, children) == {leslie.entity_id}
    # read when asked, not when the modules were imported
    with override_settings(SIGHTLINE_LINK_SECOND_ORDER=False):
        assert associates.associates_shared({leslie.entity_id}, children) == set()
        assert store._associates({leslie.entity_id}, children) == set()
        les = _les(police_officer, ("Ruby", "Okafor"))
    assert les.link_status == LinkStatus.ORIGIN
    assert ASSOCIATE not in les.reasons
    offered = MatchCandidate.objects.get(mention=les, entity_id=leslie.entity_id)
    assert ASSOCIATE not in offered.reasons


def test_a_candidate_already_linked_to_the_child_counts_it_once(police_officer: Any) -> None:
    leslie, _ = _circle(police_officer)
    _refer(police_officer, ("Ruby", "Okafor"), {"name": "Leslie Robinson"}, days_ago=10)
    les = _les(police_officer, ("Ruby", "Okafor"))
    assert les.entity_id == leslie.entity_id
    assert CHILD in les.reasons
    assert ASSOCIATE not in les.reasons  # the same fact, one step removed


def _child_of(mention: Mention) -> Any:
    return ReferralChild.objects.get(referral=mention.referral).child_id


def _unindex() -> None:
    for model in (
        Alert,
        MatchCandidate,
        Suggestion,
        Mention,
        Edge,
        PersonKey,
        PersonChange,
        PersonOfConcern,
        Place,
        Vehicle,
        Phone,
    ):
        model.objects.all().delete()


def _links() -> set[tuple[Any, ...]]:
    """Each person mention by what was said on which referral, with its link, score and
    reasons, and which other mentions share its entity."""
    mentions = list(Mention.objects.filter(entity_type=EntityType.PERSON))
    said = {m.pk: (str(m.referral_id), m.said) for m in mentions}
    groups: dict[Any, set[tuple[str, str]]] = {}
    for m in mentions:
        groups.setdefault(m.entity_id, set()).add(said[m.pk])
    return {
        (
            said[m.pk],
            m.link_status,
            round(m.score, 9),
            tuple(m.reasons),
            frozenset(groups[m.entity_id]),
        )
        for m in mentions
    }


def test_intake_bulk_and_one_by_one_give_the_same_second_order_links(police_officer: Any) -> None:
    _circle(police_officer)
    _les(police_officer, ("Ruby", "Okafor"))
    _refer(police_officer, ("Ruby", "Okafor"), {"name": "Mr Robinson"})
    at_intake = _links()
    assert any(ASSOCIATE in reasons for _s, _l, _sc, reasons, _g in at_intake)
    with transaction.atomic():
        _unindex()
        intel_bulk_index()
        in_bulk = _links()
        transaction.set_rollback(True)
    _unindex()
    intel_index_one_by_one()
    assert in_bulk == at_intake
    assert _links() == at_intake

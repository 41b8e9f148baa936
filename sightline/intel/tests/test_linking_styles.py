"""Ways of writing an adult that the linking benchmark showed were missed although the
mention shared a name with an earlier one (ADR 0211): a street form of the first name
("Dez Scott" after "Dennis Scott"), and one name written once as a first name and once as a
nickname ("Briz Berry", then known as "Briz"). Each links now; the near misses beside them
must still not."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from sightline.intel.choices import EntityType, LinkStatus
from sightline.intel.keys import person_keys, search_keys
from sightline.intel.normalise import given_short_form
from sightline.intel.ranking import Ranked
from sightline.intel.resolution import CANDIDATE, HIGH_CONFIDENCE, PersonFeatures, Profile, compare
from sightline.intel.services.mentions import to_merge
from sightline.intel.tests.conftest import Refer


def features(**kwargs: Any) -> PersonFeatures:
    return PersonFeatures.from_named(year=2025, **kwargs)


def profile_of(*mentions: dict[str, Any]) -> Profile:
    p = Profile()
    for m in mentions:
        p.add(features(**m))
    return p


def _keys_meet(earlier: dict[str, Any], later: dict[str, Any]) -> bool:
    """Whether a later mention's search keys find a person made by the earlier mention."""
    return bool(set(person_keys(features(**earlier))) & set(search_keys(features(**later))))


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("Dez", "Dennis"),
        ("Baz", "Barry"),
        ("Gazza", "Gary"),
        ("Briz", "Brian"),
        ("Jonno", "Jonathan"),
        ("Robbo", "Robert"),
        ("Olivo", "Oliver"),
    ],
)
def test_street_forms_of_a_first_name_are_short_forms_of_it(short: str, full: str) -> None:
    assert given_short_form(short, full)
    assert given_short_form(full, short)


@pytest.mark.parametrize(
    ("one", "other"),
    [("Jay", "James"), ("Kelly", "Kelvin"), ("Olivia", "Oliver"), ("Dez", "Barry"), ("Mo", "Tom")],
)
def test_names_in_their_own_right_are_not_street_forms(one: str, other: str) -> None:
    assert not given_short_form(one, other)


def test_a_street_form_with_the_same_surname_links_but_not_with_another_surname() -> None:
    known = profile_of({"name": "Dennis Scott", "approximate_age": 43})
    same = compare(features(name="Dez Scott", approximate_age=46), known)
    assert same.levels["first_name"] == "short_form"
    assert same.score >= HIGH_CONFIDENCE
    other = compare(features(name="Dez Patel", approximate_age=46), known)
    assert other.score < CANDIDATE


def test_a_name_written_as_first_name_then_as_nickname_links_either_way() -> None:
    named = profile_of({"name": "Briz Berry", "approximate_age": 30})
    nicknamed = compare(features(nickname="Briz"), named)
    assert nicknamed.levels == {"nickname": "as_name"}
    assert nicknamed.score >= HIGH_CONFIDENCE
    assert "once as a first name and once as a nickname" in " ".join(nicknamed.reasons)
    called = profile_of({"nickname": "Ike", "approximate_age": 29})
    full = compare(features(name="Ike Webb-Boateng", approximate_age=32), called)
    assert full.levels["nickname"] == "as_name"
    assert full.score >= HIGH_CONFIDENCE


def test_a_nickname_that_is_not_the_name_written_before_does_not_link() -> None:
    # "Briz" is a street form of Brian: it fits the name (ADR 0212), but alone it is weak
    brian = profile_of({"name": "Brian Berry", "approximate_age": 30})
    assert compare(features(nickname="Briz"), brian).levels == {"nickname": "fits_name"}
    assert compare(features(nickname="Briz"), brian).score < CANDIDATE
    # the same common first name as a nickname, with an age far from the person's
    john = profile_of({"name": "John Berry", "approximate_age": 30})
    far = compare(features(nickname="John", approximate_age=52), john)
    assert far.levels["nickname"] == "as_name"
    assert far.score < CANDIDATE
    # a first name compared with first names is not counted again as a nickname
    both = profile_of({"name": "Ike Okafor", "nickname": "Ike"})
    assert compare(features(name="Ike Okafor"), both).levels.get("nickname") != "as_name"


def test_a_street_form_nickname_and_a_plate_link_though_the_phone_is_his_other_one() -> None:
    # ADR 0212: "Irez" (Irene) with her car, giving her second phone
    irene = profile_of(
        {"name": "Irene Goddard", "phone": "07700 900137", "vehicle_registration": "AA58 SFB"}
    )
    later = features(nickname="Irez", phone="07700 900852", vehicle_registration="AA58 SFB")
    score = compare(later, irene)
    assert score.levels == {"nickname": "fits_name", "phone": "different", "plate": "exact"}
    assert score.score >= HIGH_CONFIDENCE
    # a first name is not weighed again against a nickname's street form (ADR 0212: an
    # ordinary "Marcus Jones" joined "Marc Jones", known as "Maro")
    marc = profile_of({"name": "Marc Jones", "nickname": "Maro", "approximate_age": 25})
    assert "nickname" not in compare(features(name="Marcus Jones"), marc).levels
    # a different phone still counts against: the nickname alone with it is not a link
    alone = compare(features(nickname="Irez", phone="07700 900852"), irene)
    assert alone.score < compare(features(nickname="Irez"), irene).score < CANDIDATE


def test_a_common_first_name_as_a_nickname_weighs_less_than_a_rare_one() -> None:
    def weight(name: str) -> float:
        result = compare(features(nickname=name), profile_of({"name": f"{name} Berry"}))
        return {c.comparison: c.weight for c in result.contributions}["nickname"]

    assert weight("John") < weight("Briz")


def test_the_blocking_keys_find_a_name_written_the_other_way() -> None:
    assert _keys_meet({"name": "Briz Berry"}, {"nickname": "Briz"})
    assert _keys_meet({"nickname": "Ike"}, {"name": "Ike Webb-Boateng"})
    assert not _keys_meet({"name": "Brian Berry"}, {"nickname": "Briz"})
    assert not _keys_meet({"nickname": "Ike"}, {"name": "Chidi Webb-Boateng"})


def _person(result: Any) -> Any:
    return next(m for m in result.mentions if m.entity_type == EntityType.PERSON)


@pytest.mark.django_db
def test_a_nickname_that_is_the_first_name_before_alerts_at_the_second_child(
    police_officer: Any, teacher: Any, refer: Refer
) -> None:
    first = refer(police_officer, persons=[{"name": "Briz Berry", "approximate_age": 30}])
    second = refer(teacher, child=("Jade", "Marsh"), persons=[{"nickname": "Briz"}])
    assert _person(second).link_status == LinkStatus.PROBABLE
    assert _person(second).entity_id == _person(first).entity_id
    assert "children2" in {a.trigger for a in second.alerts}


@pytest.mark.django_db
def test_a_street_form_alone_does_not_reach_a_man_of_that_name(
    police_officer: Any, teacher: Any, refer: Refer
) -> None:
    first = refer(police_officer, persons=[{"name": "Brian Berry", "approximate_age": 30}])
    second = refer(teacher, child=("Jade", "Marsh"), persons=[{"nickname": "Briz"}])
    assert _person(second).link_status == LinkStatus.ORIGIN
    assert _person(second).entity_id != _person(first).entity_id
    assert not second.alerts


def _ranked(ref: str, givens: set[str], *levels: tuple[str, str]) -> Ranked:
    contributions = tuple({"comparison": c, "level": lv, "weight": 3.0} for c, lv in levels)
    return Ranked(uuid.uuid4(), ref, 0.9, (), 0.9, contributions, frozenset(givens))


def test_a_mention_fitting_two_persons_of_unrelated_first_names_does_not_merge_them() -> None:
    # "Ben Bentley, about 40, designer clothing, 07700 900123": a Benjamin on the name, age
    # and description, a Brandon on the surname and the phone: two men, not one recorded twice
    named = (("first_name", "exact"), ("surname", "exact"), ("age", "close"))
    phoned = (("surname", "exact"), ("phone", "exact"))
    benjamin = _ranked("POC-1", {"benjamin", "ben"}, *named, ("description", "details"))
    brandon = _ranked("POC-2", {"brandon"}, *phoned)
    assert to_merge(benjamin, [benjamin, brandon]) == []
    # the same mention bridging a Benjamin and a "Benno" (a street form of his name), or a
    # person known only by a nickname, still makes them one
    benno = _ranked("POC-3", {"benno"}, *phoned)
    nicknamed = _ranked("POC-4", set(), ("nickname", "exact"))
    assert to_merge(benjamin, [benjamin, benno]) == [benno]
    assert to_merge(benjamin, [benjamin, nicknamed]) == [nicknamed]
    # "B. Bentley, about 40" identifies neither by an initial and an age: nobody is joined
    initial = (("first_name", "initial"), ("surname", "exact"), ("age", "close"))
    by_initial = _ranked("POC-5", {"benjamin"}, *initial, ("description", "details"))
    other = _ranked("POC-6", {"benno"}, *initial)
    assert to_merge(by_initial, [by_initial, other]) == []

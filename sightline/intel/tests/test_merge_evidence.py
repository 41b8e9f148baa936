"""A merge joins two persons' histories, so the mention that bridges them must identify both,
one at least by an identifier (issue 12: at 100,000 referrals, merges on a name and an age, or
on a first name and a nickname despite different surnames, made one person of hundreds of
adults). Pure tests of `to_merge` on ranked candidates."""

from __future__ import annotations

import dataclasses
import uuid

from sightline.intel import entities
from sightline.intel.ranking import GENERIC_HOLDERS, generic_values
from sightline.intel.resolution import PersonFeatures
from sightline.intel.services.mentions import to_merge
from sightline.intel.services.mentions.linking import merge_evidence


def _ranked(
    ref: str,
    *levels: tuple[str, str],
    givens: frozenset[str] = frozenset(),
    families: frozenset[str] = frozenset(),
) -> entities.Ranked:
    return entities.Ranked(
        uuid.uuid4(),
        ref,
        0.97,
        (),
        0.97,
        tuple(
            {"comparison": c, "level": lv, "weight": -2.0 if lv in ("different", "near") else 3.0}
            for c, lv in levels
        ),
        givens,
        families,
    )


PHONE = ("phone", "exact")
NAME = (("first_name", "exact"), ("surname", "exact"))


def test_a_name_and_a_phone_join_the_named_and_the_phoned() -> None:
    named = _ranked("POC-1", *NAME, ("age", "close"))
    phoned = _ranked("POC-2", ("nickname", "fits_initial"), PHONE)
    assert merge_evidence(named) == "name" and merge_evidence(phoned) == "identifier"
    assert to_merge(phoned, [phoned, named]) == [named]


def test_two_namesakes_are_not_joined_by_a_name_alone() -> None:
    # "RAHMAN Abdul" fits two Abdul Rahmans on the name: no identifier on either side
    first = _ranked("POC-1", *NAME, ("age", "close"))
    second = _ranked("POC-2", *NAME, ("nickname", "fits_initial"))
    assert to_merge(first, [first, second]) == []


def test_a_name_with_an_age_apart_does_not_identify() -> None:
    # "Abdullahi Ahmed", 41, with the phone of one: the other Abdullahi Ahmed is 35
    phoned = _ranked("POC-1", PHONE, ("age", "close"))
    other = _ranked("POC-2", *NAME, ("age", "near"))
    assert merge_evidence(other) == ""
    assert to_merge(phoned, [phoned, other]) == []


def test_half_a_surname_or_a_sibling_short_form_does_not_identify() -> None:
    # "Roger Wood-Kelly" with his phone: an ordinary "Roger Wood" is not shown to be him; nor
    # is a "Roy Jones" a "Lee Jones" (two short forms of Leroy). A short form of the name
    # itself ("Tom" for Thomas) still identifies.
    phoned = _ranked("POC-1", *NAME, PHONE)
    half = _ranked("POC-2", ("first_name", "exact"), ("surname", "part"), ("age", "close"))
    sibling = _ranked("POC-3", ("first_name", "variant"), ("surname", "exact"))
    short = _ranked("POC-4", ("first_name", "short_form"), ("surname", "exact"))
    assert merge_evidence(half) == merge_evidence(sibling) == ""
    assert merge_evidence(short) == "name"
    assert to_merge(phoned, [phoned, half, sibling, short]) == [short]


def test_a_first_name_and_an_age_do_not_identify() -> None:
    phoned = _ranked("POC-1", PHONE)
    other = _ranked("POC-2", ("first_name", "exact"), ("age", "close"))
    assert to_merge(phoned, [phoned, other]) == []


def test_a_detail_that_disagrees_leaves_the_merge_unproven() -> None:
    # the nickname "Queenie" of one person, the phone of another: two women, one nickname
    plated = _ranked("POC-1", ("nickname", "exact"), ("plate", "partial"))
    other = _ranked("POC-2", ("nickname", "exact"), ("phone", "different"))
    assert to_merge(plated, [plated, other]) == []


def test_a_fit_despite_a_different_surname_never_merges() -> None:
    phoned = _ranked("POC-1", ("first_name", "exact"), PHONE)
    other = _ranked(
        "POC-2", ("first_name", "exact"), ("surname", "different"), ("nickname", "exact")
    )
    assert to_merge(phoned, [phoned, other]) == []


def test_persons_whose_surnames_do_not_relate_are_not_merged() -> None:
    # "Abdul", known as "Lil A", with a phone: an Abdul Brookes and an Abdul Jones stay two
    brookes = _ranked(
        "POC-1",
        ("first_name", "exact"),
        PHONE,
        givens=frozenset({"abdul"}),
        families=frozenset({"brookes"}),
    )
    jones = _ranked(
        "POC-2",
        ("first_name", "exact"),
        ("nickname", "exact"),
        givens=frozenset({"abdul"}),
        families=frozenset({"jones"}),
    )
    assert to_merge(brookes, [brookes, jones]) == []
    # one half of a hyphenated surname relates: "Pearce-Warsame" and "Warsame"
    hyphen = _ranked(
        "POC-3",
        ("first_name", "exact"),
        ("nickname", "exact"),
        givens=frozenset({"abdul"}),
        families=frozenset({"pearce-warsame", "pearce", "warsame"}),
    )
    warsame = _ranked(
        "POC-4",
        ("first_name", "exact"),
        PHONE,
        givens=frozenset({"abdul"}),
        families=frozenset({"warsame"}),
    )
    assert to_merge(warsame, [warsame, hyphen]) == [hyphen]


def test_a_nickname_many_persons_hold_bridges_nobody() -> None:
    # "Lil A", 30: a street name three or more persons on record go by
    named = _ranked("POC-1", *NAME, ("age", "close"))
    nicknamed = _ranked("POC-2", ("nickname", "exact"), ("age", "close"))
    assert to_merge(named, [named, nicknamed]) == [nicknamed]
    common = dataclasses.replace(nicknamed, common_nickname=True)
    assert merge_evidence(common) == ""
    assert to_merge(named, [named, common]) == []


def test_a_nickname_held_by_several_persons_is_marked_common() -> None:
    held = {"nick:lila": [uuid.uuid4() for _ in range(GENERIC_HOLDERS)], "nick:red": [uuid.uuid4()]}

    def holders(key: str) -> list[uuid.UUID]:
        return held.get(key, [])

    common = PersonFeatures.from_named(name="", nickname="Lil A")
    rare = PersonFeatures.from_named(name="", nickname="Red")
    assert "nick:lila" in generic_values(common, holders)
    assert not generic_values(rare, holders)

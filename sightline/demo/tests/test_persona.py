"""The persona generator (ADR 0212): a network adult presents himself consistently, so each
mention of him after the first shares a detail with an earlier one; the independent draws stay
available and give the same borough as before."""

from __future__ import annotations

import random
from typing import Any

import pytest

from sightline.demo.generator import Borough, PersonNamed, generate_borough
from sightline.demo.generator.persona import details, repaired
from sightline.demo.generator.plans import Adult

SEEDS = (2026, 4, 9)


def _adult(truth: dict[str, Any]) -> Adult:
    given, _, family = truth["canonical_name"].partition(" ")
    phones = truth["phones"]
    return Adult(
        key=truth["adult_key"],
        given=given,
        family=family,
        sex=truth["sex"],
        age=truth["age_at_start"],
        nickname=truth["nickname"],
        phone=phones[0],
        vehicle=truth["vehicle_registration"] or None,
        vehicle_desc="",
        looks=(),
        address=truth["address"],
        second_phone=phones[1] if len(phones) > 1 else "",
    )


def _histories(borough: Borough) -> list[tuple[Adult, list[PersonNamed]]]:
    """Each network adult with his mentions in the order they were written."""
    persons = {p.mention_key: p for r in borough.referrals for p in r.persons_named}
    return [
        (_adult(a), [persons[k] for k in a["mention_keys"]])
        for n in borough.truth["networks"]
        for a in n["adults"]
    ]


def _sharing_nothing(borough: Borough) -> int:
    count = 0
    for adult, mentions in _histories(borough):
        seen: set[str] = set()
        for mention in mentions:
            carried = details(adult, mention)
            count += bool(seen) and not carried & seen
            seen |= carried
    return count


@pytest.fixture(scope="module")
def pairs() -> list[tuple[Borough, Borough]]:
    """(persona, independent) for the same seeds."""
    return [
        (
            generate_borough(children=300, years=2, seed=s, networks=2),
            generate_borough(children=300, years=2, seed=s, networks=2, persona=False),
        )
        for s in SEEDS
    ]


def test_every_later_mention_shares_a_detail_with_an_earlier_one(
    pairs: list[tuple[Borough, Borough]],
) -> None:
    for persona, independent in pairs:
        assert persona.truth["adult_details"] == "persona"
        assert independent.truth["adult_details"] == "independent"
        assert _sharing_nothing(persona) == 0
    # the independent draws are kept, and they do leave later mentions sharing nothing
    assert sum(_sharing_nothing(independent) for _, independent in pairs) > 0


def test_the_persona_changes_only_network_mentions_that_needed_it(
    pairs: list[tuple[Borough, Borough]],
) -> None:
    changed = total = 0
    for persona, independent in pairs:
        assert [r.key for r in persona.referrals] == [r.key for r in independent.referrals]
        for a, b in zip(persona.referrals, independent.referrals, strict=True):
            assert a.received_at == b.received_at and a.child_keys == b.child_keys
            if a.network_key is None:
                assert a == b  # ordinary referrals and their namesakes are untouched
                continue
            for p, q in zip(a.persons_named, b.persons_named, strict=True):
                total += 1
                if p != q:
                    changed += 1
                    added = any(s.startswith("persona:added_") for s in p.styles)
                    # else it is the same mention giving the adult's second phone
                    assert added or (p.phone != q.phone and p.styles == q.styles)
    assert 0 < changed < total // 5  # not cleaner than before beyond the rule


def test_repair_adds_one_earlier_detail_and_says_so() -> None:
    adult = Adult("N1-A1", "Kevin", "Attwell-Boateng", "male", 30, "Uncle K", "07700 900001",
                  "AB12 CDE", "", (), "1 High Street", second_phone="07700 900002")  # fmt: skip
    mention = PersonNamed("P1", "Mr Attwell", "", 31, "", "", "starts AB12", "", (
        "name:title_hyphen_half", "plate:words_starts"))  # fmt: skip
    assert details(adult, mention) == {"surname:Attwell", "plate:front"}
    rng = random.Random(1)
    assert repaired(rng, adult, mention, {"plate:front", "nickname"}) is mention
    for earlier in ({"surname:Boateng"}, {"plate:back"}, {"phone:07700 900002"}, {"given"}):
        fixed = repaired(rng, adult, mention, set(earlier))
        assert details(adult, fixed) & earlier
        kind = next(iter(earlier)).partition(":")[0]
        assert f"persona:added_{kind}" in fixed.styles
        assert fixed.approximate_age == 31  # everything else as drawn

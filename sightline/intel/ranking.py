"""Ranking a mention's blocked candidates (ADR 0203, 0206): the model's score with the
co-mentioned context, near-equal scores ordered by whether the age fits; and the values so
many persons give that they no longer count as strong evidence. Pure functions."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler

from sightline.intel.keys import nickname_key
from sightline.intel.resolution import (
    CANDIDATE,
    PersonFeatures,
    Profile,
    compare,
    with_context,
)


@dataclass(frozen=True)
class Ranked:
    entity_id: uuid.UUID
    reference: str
    score: float
    reasons: tuple[str, ...]
    # the score on the mention's own details, before co-mentioned context (persons only)
    identity: float | None = None
    # each comparison's part in the score (persons only): resolution.Score.explanation()
    contributions: tuple[dict[str, object], ...] = ()
    # the first names on the person's record (persons only): two persons whose first names
    # do not relate are never merged by a mention that fits both (ADR 0211)
    givens: frozenset[str] = frozenset()
    # its surnames and their halves (persons only): two persons whose surnames do not relate
    # are never merged either
    families: frozenset[str] = frozenset()
    # persons of concern on record when it was ranked: the bar a link must clear rises with
    # it (`linkmodel.register_bits`, ADR 0216)
    persons: int = 0
    # the mention's nickname is held by GENERIC_HOLDERS or more persons ("Lil A", "Benny"):
    # it still scores, but identifies nobody for a merge (ADR 0215)
    common_nickname: bool = False


# A phone or address that this many persons on record give is shared by unrelated people (a
# hostel, a taxi firm's switchboard): it stops counting as strong evidence (ADR 0203).
GENERIC_HOLDERS = 3


def generic_keys(features: PersonFeatures) -> dict[str, str]:
    """The keys whose holders `generic_values` counts, each with what it marks as generic: the
    nickname (as its key, `nick:...`, which no phone or address equals, so scoring is
    unchanged; read by merges only), the phone and the address."""
    keys: dict[str, str] = {}
    if features.nickname:
        keys[nickname_key(features.nickname)] = nickname_key(features.nickname)
    if features.phone:
        keys[f"tel:{features.phone}"[:60]] = features.phone
    if features.address:
        keys[f"adr:{features.address[:50]}"[:60]] = features.address
    return keys


def generic_values(
    features: PersonFeatures, holders: Callable[[str], list[uuid.UUID]]
) -> frozenset[str]:
    """The mention's phone and address, when GENERIC_HOLDERS or more persons hold them; and its
    nickname's key likewise: a street name many adults go by bridges nobody (`generic_keys`;
    `holders(key)` need read no more than GENERIC_HOLDERS of them)."""
    return frozenset(
        marks
        for key, marks in generic_keys(features).items()
        if len(holders(key)) >= GENERIC_HOLDERS
    )


def rank_persons(
    features: PersonFeatures,
    rows: Iterable[tuple[uuid.UUID, str, Profile]],
    *,
    sole: uuid.UUID | None,
    shared: dict[uuid.UUID, frozenset[str]],
    limit: int = 10,
    generic: frozenset[str] = frozenset(),
    persons: int = 0,
) -> list[Ranked]:
    """Score the blocked candidates (id, reference, profile), best first, at most `limit`.
    `persons`: how many persons of concern are on record, carried on each candidate for the
    link decision (the score is the same whatever the register's size, and so the order)."""
    ranked: list[Ranked] = []
    gaps: dict[uuid.UUID, int] = {}  # years between the mention's age and the person's
    spelt: dict[uuid.UUID, float] = {}  # how near the person's surname is to the one written
    for pk, reference, profile in rows:
        own = compare(features, profile, rare_surname=pk == sole, generic=generic)
        result = with_context(own, shared.get(pk, frozenset()))
        if result.score >= CANDIDATE:
            ranked.append(
                Ranked(
                    pk,
                    reference,
                    result.score,
                    result.reasons,
                    own.score,
                    tuple(result.explanation()),
                    frozenset(profile.givens),
                    frozenset(profile.families | profile.family_parts),
                    persons,
                    bool(features.nickname) and nickname_key(features.nickname) in generic,
                )
            )
            if features.birth_year and profile.birth_years:
                years = sorted(profile.birth_years)
                gaps[pk] = abs(features.birth_year - years[len(years) // 2])
            if features.family and profile.families:
                spelt[pk] = max(
                    JaroWinkler.similarity(features.family, family) for family in profile.families
                )
    # Near-equal scores are common in a large register (several "John Smith"s of a similar
    # age, one written "Jon"): within a tenth of each other, a person whose recorded age is
    # within AGE_FITS years of the mention's (an estimate) comes first, then one within
    # AGE_NEAR, then the higher score, then the surname nearer in spelling to the one written
    # (the model rates "Welch", "Wells" and "Wallace" alike against "Welce"), then the
    # reference (ADR 0206).
    ranked.sort(
        key=lambda r: (
            -int(r.score * 10 + 1e-9),
            _age_band(gaps.get(r.entity_id)),
            -r.score,
            -spelt.get(r.entity_id, 0.0),
            r.reference,
        )
    )
    return ranked[:limit]


AGE_FITS = 2
AGE_NEAR = 5


def _age_band(gap: int | None) -> int:
    if gap is None:
        return 1  # no age on one side: between a fitting age and a distant one
    return 0 if gap <= AGE_FITS else 1 if gap <= AGE_NEAR else 2

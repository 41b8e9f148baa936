"""The comparison levels: where a mention and a profile land on each comparison of the model
(first name, surname, nickname, phone, plate, age, address, description, place), the first
level that holds; and whether two persons' recorded first names, or surnames, conflict. Pure
functions."""

from __future__ import annotations

import re

from rapidfuzz.distance import OSA, JaroWinkler

from sightline.intel.normalise import (
    given_names_equivalent,
    given_short_form,
    normalise_nickname,
    phonetic,
    plates_agree,
)
from sightline.intel.resolution.features import PersonFeatures, Profile

_NICK_PREFIX = re.compile(r"^(?:big|uncle|little|lil|young|old)([a-z])$")


def _nickname_initial(nickname: str) -> str:
    """'Uncle T' (normalised 'unclet') -> 't': the first-name initial such a nickname uses."""
    found = _NICK_PREFIX.match(nickname)
    return found.group(1) if found else ""


def _family_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    sim = float(JaroWinkler.similarity(a, b))
    if phonetic(a) == phonetic(b) or (len(a) >= 4 and OSA.distance(a, b) <= 1):
        sim = max(sim, 0.92)
    return sim


def comparison_levels(
    m: PersonFeatures, p: Profile, *, generic: frozenset[str] = frozenset()
) -> dict[str, str]:
    """The level each comparison lands on; a comparison either side lacks is left out (its
    weight would be 0). Also what `bench/estimate_link_model.py` counts."""
    levels: dict[str, str] = {}
    first = _first_name(m, p)
    for comparison, level in (
        ("first_name", first),
        ("surname", _surname(m, p, first_differs=first == "different")),
        ("nickname", _nickname(m, p)),
        ("phone", _phone(m, p, generic)),
        ("plate", _plate(m, p)),
        ("age", _age(m, p)),
        ("address", _address(m, p, generic)),
        ("description", _description(m, p)),
        ("place", "same" if m.place_ids & p.place_ids else ""),
    ):
        if level:
            levels[comparison] = level
    return levels


def _first_name(m: PersonFeatures, p: Profile) -> str:  # noqa: PLR0911 (a comparison's levels, first that holds)
    if m.given and p.givens:
        if m.given in p.givens:
            return "exact"
        if any(given_names_equivalent(g, m.given) for g in p.givens):
            return "variant"
        if any(given_short_form(g, m.given) for g in p.givens):
            return "short_form"
        if any(JaroWinkler.similarity(g, m.given) >= 0.9 for g in p.givens):
            return "similar"
        return "different"
    if m.initial and p.initials:
        return "initial" if m.initial in p.initials else "initial_differs"
    return ""


def first_names_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two persons' recorded first names, each side's unrelated to every one of the other's
    (not the same, a variant, a short form, spelt alike): two people, whatever detail a
    mention fits them both by ("B. Bentley" fits a Benjamin and a Brandon Bentley)."""
    if not a or not b:
        return False
    return not any(
        g == h
        or given_names_equivalent(g, h)
        or given_short_form(g, h)
        or JaroWinkler.similarity(g, h) >= 0.9
        for g in a
        for h in b
    )


def surnames_conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two persons' recorded surnames (and the halves of hyphenated ones), each side's unrelated
    to every one of the other's (not the same, not one half of the other, not spelt alike): two
    people, whatever first name or nickname a mention fits them both by ("Abdul", known as
    "Lil A", fits an Abdul Brookes and an Abdul Rahman). A person with no surname on record
    conflicts with nobody ("Red" and Jay Walsh)."""
    if not a or not b:
        return False
    return not any(g == h or _family_similarity(g, h) >= 0.9 for g in a for h in b)


def _surname(m: PersonFeatures, p: Profile, *, first_differs: bool = False) -> str:
    """The surname's level. An exact surname with a first name that differs is a level of its
    own: families share surnames, so it is evidence of a relative as much as of the person,
    and its weight is estimated on such pairs, with no term frequency."""
    if not m.family or not (p.families or p.family_parts):
        return ""
    if m.family in p.families:
        return "exact_first_differs" if first_differs else "exact"
    mine = {m.family, *m.family_parts}
    theirs = p.families | p.family_parts
    if mine & theirs:
        return "part"
    best = max((_family_similarity(m.family, f) for f in p.families), default=0.0)
    return "similar" if best >= 0.9 else "different"


def called_as_written(m: PersonFeatures, p: Profile) -> str:
    """The name the mention and the profile both use, once as a first name and once as a
    nickname ("Briz Berry", then known as "Briz"; known as "Ike", then "Ike Webb-Boateng"),
    or "" when there is none. A first name compared with first names is not counted here."""
    if m.nickname and not m.given and m.nickname in {normalise_nickname(g) for g in p.givens}:
        return m.nickname
    own = normalise_nickname(m.given)
    if own and m.given not in p.givens and own in p.nicknames:
        return own
    return ""


def _nickname(m: PersonFeatures, p: Profile) -> str:  # noqa: PLR0911 (a comparison's levels, first that holds)
    if m.nickname and m.nickname in p.nicknames:
        return "exact"
    if called_as_written(m, p):
        return "as_name"
    if m.nickname and any(_fits(m.nickname, g) for g in p.givens):
        return "fits_name"
    # a first name is weighed against first names already: against nicknames only a table's
    # variant counts ("Marcus" is not to fit the street form "Maro" of another man's Marc)
    if m.given and any(given_names_equivalent(m.given, n) for n in p.nicknames):
        return "fits_name"
    mine = _nickname_initial(m.nickname) if m.nickname else ""
    if (m.initial and any(_nickname_initial(n) == m.initial for n in p.nicknames)) or (
        mine and mine in p.initials
    ):
        return "fits_initial"
    if m.nickname and p.nicknames:
        return "different"
    return ""


def _fits(nickname: str, given: str) -> bool:
    """A mention's nickname that is a form of a recorded first name: a table's variant
    ("Steve", Steven) or a short form no table lists ("Irez", the street form of Irene; ADR
    0212)."""
    return given_names_equivalent(nickname, given) or given_short_form(nickname, given)


def _phone(m: PersonFeatures, p: Profile, generic: frozenset[str]) -> str:
    if not m.phone or not p.phones:
        return ""
    if m.phone in p.phones:
        return "generic" if m.phone in generic else "exact"
    return "different"


def _plate(m: PersonFeatures, p: Profile) -> str:  # noqa: PLR0911 (a comparison's levels, first that holds)
    plate = m.plate
    if plate is None or not (p.plates or p.partial_plates):
        return ""
    if not plate.is_partial:
        found = {plates_agree(plate.value, full) for full in p.plates}
        if "exact" in found:
            return "exact"
        fits = {part.fits(plate.value) for part in p.partial_plates}
        if "exact" in fits:
            return "partial"
        if "confusable" in found:
            return "confusable"
        if "confusable" in fits:
            return "partial_confusable"
        return "different" if p.plates else ""
    fits = {plate.fits(full) for full in p.plates}
    fits |= {
        plates_agree(plate.value, o.value) for o in p.partial_plates if o.anchor == plate.anchor
    }
    if "exact" in fits:
        return "partial"
    if "confusable" in fits:
        return "partial_confusable"
    return ""


def _age(m: PersonFeatures, p: Profile) -> str:
    if not m.birth_year or not p.birth_years:
        return ""
    mid = sorted(p.birth_years)[len(p.birth_years) // 2]
    gap = abs(m.birth_year - mid)
    return "close" if gap <= 5 else "near" if gap <= 12 else "far"


def _address(m: PersonFeatures, p: Profile, generic: frozenset[str]) -> str:
    if not m.address or not p.addresses:
        return ""
    if m.address in p.addresses:
        return "generic" if m.address in generic else "exact"
    return "different"


def _description(m: PersonFeatures, p: Profile) -> str:
    if len(m.details & p.details) >= 2:
        return "details"
    if len(m.description & p.description) >= 2:
        return "similar"
    return ""

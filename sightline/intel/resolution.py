"""Longer than 400 lines because the features, the profile, every comparison's levels and the
context rule of one model belong together.

Scoring a person mention against a person of concern's profile. Pure functions.

One Fellegi-Sunter model (`linkmodel`): each comparison lands on a level whose weight is
log2(m / u); the score is the match probability. HIGH_CONFIDENCE or more links the mention at
once as *probable* (and may raise a probable alert); CANDIDATE or more is offered for
confirmation only. Both are probabilities in settings. Every score keeps its contributions
(comparison, level, weight, reason) for the explanation. See ADR 0203.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from rapidfuzz.distance import OSA, JaroWinkler

from sightline.intel.choices import LinkStatus
from sightline.intel.keys import CAPPED_KEYS, person_keys, plate_read_key, search_keys
from sightline.intel.linkmodel import (
    Contribution,
    level_weight,
    model,
    probability,
    tf_weight,
)
from sightline.intel.normalise import (
    Plate,
    description_details,
    description_tokens,
    fold,
    given_names_equivalent,
    given_short_form,
    normalise_nickname,
    normalise_phone,
    normalise_plate,
    phonetic,
    plates_agree,
    split_name,
)

# The blocking keys live in `intel.keys` (ADR 0206); they are read from here as before.
__all__ = ["CAPPED_KEYS", "person_keys", "plate_read_key", "search_keys"]

HIGH_CONFIDENCE: float = settings.SIGHTLINE_LINK_PROBABLE
CANDIDATE: float = settings.SIGHTLINE_LINK_CANDIDATE
SOLE_CANDIDATE: float = settings.SIGHTLINE_LINK_SOLE


@dataclass(frozen=True)
class PersonFeatures:
    """What one mention says about a person."""

    given: str = ""
    family: str = ""
    initial: str = ""
    nickname: str = ""
    family_parts: tuple[str, ...] = ()
    birth_year: int | None = None
    phone: str = ""
    plate: Plate | None = None
    address: str = ""
    description: frozenset[str] = frozenset()
    details: frozenset[str] = frozenset()
    place_ids: frozenset[str] = frozenset()

    @classmethod
    def from_named(
        cls,
        *,
        name: str = "",
        nickname: str = "",
        approximate_age: int | None = None,
        year: int | None = None,
        phone: str = "",
        vehicle_registration: str = "",
        address: str = "",
        description: str = "",
        place_ids: frozenset[str] = frozenset(),
    ) -> PersonFeatures:
        parts = split_name(name)
        birth = year - approximate_age if (approximate_age and year) else None
        return cls(
            given=parts.given,
            family=parts.family,
            initial=parts.initial,
            nickname=normalise_nickname(nickname) or parts.nickname,
            family_parts=parts.family_parts,
            birth_year=birth,
            phone=normalise_phone(phone),
            plate=normalise_plate(vehicle_registration),
            address=fold(address),
            description=description_tokens(description),
            details=description_details(description),
            place_ids=place_ids,
        )

    @property
    def has_identity(self) -> bool:
        return bool(
            self.given or self.family or self.nickname or self.phone or self.plate or self.address
        )


@dataclass
class Profile:
    """The union of what a person of concern's mentions say."""

    givens: set[str] = field(default_factory=set)
    families: set[str] = field(default_factory=set)
    family_parts: set[str] = field(default_factory=set)
    initials: set[str] = field(default_factory=set)
    nicknames: set[str] = field(default_factory=set)
    birth_years: list[int] = field(default_factory=list)
    phones: set[str] = field(default_factory=set)
    plates: set[str] = field(default_factory=set)
    partial_plates: list[Plate] = field(default_factory=list)
    addresses: set[str] = field(default_factory=set)
    description: set[str] = field(default_factory=set)
    details: set[str] = field(default_factory=set)
    place_ids: set[str] = field(default_factory=set)

    def to_json(self) -> dict[str, object]:
        return {
            "givens": sorted(self.givens),
            "families": sorted(self.families),
            "family_parts": sorted(self.family_parts),
            "initials": sorted(self.initials),
            "nicknames": sorted(self.nicknames),
            "birth_years": self.birth_years,
            "phones": sorted(self.phones),
            "plates": sorted(self.plates),
            "partial_plates": [[p.value, p.anchor] for p in self.partial_plates],
            "addresses": sorted(self.addresses),
            "description": sorted(self.description),
            "details": sorted(self.details),
            "place_ids": sorted(self.place_ids),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Profile:
        return cls(
            givens=set(data.get("givens", [])),
            families=set(data.get("families", [])),
            family_parts=set(data.get("family_parts", [])),
            initials=set(data.get("initials", [])),
            nicknames=set(data.get("nicknames", [])),
            birth_years=list(data.get("birth_years", [])),
            phones=set(data.get("phones", [])),
            plates=set(data.get("plates", [])),
            partial_plates=[Plate(v, True, a) for v, a in data.get("partial_plates", [])],
            addresses=set(data.get("addresses", [])),
            description=set(data.get("description", [])),
            details=set(data.get("details", [])),
            place_ids=set(data.get("place_ids", [])),
        )

    def add(self, f: PersonFeatures) -> None:
        if f.given:
            self.givens.add(f.given)
        if f.family:
            self.families.add(f.family)
        self.family_parts.update(f.family_parts)
        if f.initial:
            self.initials.add(f.initial)
        if f.nickname:
            self.nicknames.add(f.nickname)
        if f.birth_year:
            self.birth_years.append(f.birth_year)
        if f.phone:
            self.phones.add(f.phone)
        if f.plate is not None:
            if f.plate.is_partial:
                self.partial_plates.append(f.plate)
            else:
                self.plates.add(f.plate.value)
        if f.address:
            self.addresses.add(f.address)
        self.description |= f.description
        self.details |= f.details
        self.place_ids |= f.place_ids


@dataclass(frozen=True)
class Score:
    score: float  # match probability
    reasons: tuple[str, ...]
    contributions: tuple[Contribution, ...] = ()

    @property
    def levels(self) -> dict[str, str]:
        return {c.comparison: c.level for c in self.contributions}

    def explanation(self) -> list[dict[str, object]]:
        return [c.to_json() for c in self.contributions]


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


READABLE = {
    ("first_name", "exact"): "same first name",
    ("first_name", "variant"): "first name a spelling or short form of one given before",
    ("first_name", "short_form"): "first name the start of one given before",
    ("first_name", "similar"): "first name spelt similarly",
    ("first_name", "initial"): "initial fits the first name",
    ("first_name", "initial_differs"): "initial differs",
    ("first_name", "different"): "different first name",
    ("surname", "exact"): "same surname",
    ("surname", "exact_first_differs"): "same surname, but the first name differs (a relative?)",
    ("surname", "part"): "one half of a hyphenated surname agrees",
    ("surname", "similar"): "surname spelt similarly (sounds alike or one letter out)",
    ("surname", "different"): "different surname",
    ("nickname", "exact"): "same nickname",
    ("nickname", "as_name"): "called by the same name, once as a first name and once as a nickname",
    ("nickname", "fits_name"): "nickname is a short form of the first name",
    ("nickname", "fits_initial"): "nickname fits the first name",
    ("nickname", "different"): "different nickname",
    ("phone", "exact"): "same phone number",
    ("phone", "generic"): "same phone number, but many unrelated people give it",
    ("phone", "different"): "different phone number",
    ("plate", "exact"): "same vehicle registration",
    ("plate", "confusable"): "registration the same but for misread characters",
    ("plate", "partial"): "partial registration fits",
    ("plate", "partial_confusable"): "partial registration fits but for misread characters",
    ("plate", "different"): "different vehicle registration",
    ("age", "close"): "similar age",
    ("age", "near"): "age within 12 years",
    ("age", "far"): "age differs",
    ("address", "exact"): "same address",
    ("address", "generic"): "same address, but many unrelated people give it",
    ("address", "different"): "different address",
    ("description", "details"): "two or more details of the description agree",
    ("description", "similar"): "similar description",
    ("place", "same"): "named with the same place",
}
RARE_SURNAME_REASON = "few people have this surname, and nobody else on record"
DAMPED_REASON = "different first name, weighing less because a strong identifier agrees"


def compare(
    m: PersonFeatures,
    p: Profile,
    *,
    rare_surname: bool = False,
    generic: frozenset[str] = frozenset(),
) -> Score:
    """Score a mention against a profile: the match probability of one Fellegi-Sunter model,
    with each comparison's contribution. `rare_surname`: nobody else on record has a surname
    like this one (the caller checks); otherwise an exact surname is at least as common as
    one on record held by several (term frequency from the population and the record).
    `generic`: phones and addresses many unrelated people give (a hostel, a switchboard),
    which then agree only weakly."""
    levels = comparison_levels(m, p, generic=generic)
    strong = levels.get("phone") == "exact" or levels.get("plate") in ("exact", "confusable")
    out: list[Contribution] = []
    for comparison, level in levels.items():
        weight = _weight(comparison, level, m, rare_surname=rare_surname, p=p)
        reason = READABLE.get((comparison, level), f"{comparison}: {level}")
        if comparison == "first_name" and level == "different" and strong:
            weight *= float(model()["conflict_damping_with_identifier"])
            reason = DAMPED_REASON
        if comparison == "surname" and level == "exact" and rare_surname:
            reason = RARE_SURNAME_REASON
        out.append(Contribution(comparison, level, weight, reason))
    return _score(out)


def _score(contributions: list[Contribution]) -> Score:
    total = sum(c.weight for c in contributions)
    return Score(
        round(probability(total), 4),
        tuple(c.reason for c in contributions),
        tuple(contributions),
    )


def _weight(
    comparison: str, level: str, m: PersonFeatures, *, rare_surname: bool, p: Profile
) -> float:
    if comparison == "nickname" and level == "as_name":
        # the same name, written once as a first name: weighed as an exact first name is,
        # by how common that name is
        name = called_as_written(m, p)
        return tf_weight("first_name", "exact", "first_name", name, common_here=False)
    if comparison == "surname" and level == "exact":
        return tf_weight(comparison, level, "surname", m.family, common_here=not rare_surname)
    if comparison == "first_name" and level == "exact":
        return tf_weight(comparison, level, "first_name", m.given, common_here=False)
    return level_weight(comparison, level)


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


# Co-mentioned context: what else this referral names (a child on it, a vehicle, phone or
# person of concern named with this mention) that is already joined to a candidate through
# another referral. It raises only a candidate the mention's own identifiers already point to
# (a name, an initial and surname, a first name, a nickname, a phone, a plate, an address) with
# nothing in conflict; it never links alone and never joins two persons (the caller merges on
# the identity score only). Being named around the same children says two people move in the
# same circle, which co-offenders do: it is support for an identity, not an identity. ADR 0203.
# Worded for any source: the record may be a referral or a partner event.
# "associate" is second-order (ADR 0214): a child on this record was named before with a
# person of concern who has been named with the candidate, every link on that path a firm one
# (`firm_link`). It is the "child" fact one step removed, so it counts only without it.
CONTEXT_REASON = {
    "child": "already linked to a child on this record",
    "vehicle": "named with the same vehicle on another record",
    "phone": "named with the same phone on another record",
    "person": "named with the same person of concern on another record",
    "associate": (
        "a child on this record was named before with a person of concern"
        " who has been named with this person"
    ),
}
SECOND_ORDER: bool = settings.SIGHTLINE_LINK_SECOND_ORDER


def firm_link(link_status: str, score: float) -> bool:
    """Whether a mention's link is firm enough for second-order context to rest on: anything
    but a probable link below the probable threshold (one made as the only candidate, ADR
    0213, is a question to a practitioner, not a fact to build on)."""
    return link_status != LinkStatus.PROBABLE or score >= HIGH_CONFIDENCE


_IDENTIFYING = {
    ("first_name", "exact"),
    ("first_name", "variant"),
    ("first_name", "short_form"),
    ("first_name", "similar"),
    ("first_name", "initial"),
    ("surname", "exact"),
    ("surname", "exact_first_differs"),
    ("surname", "part"),
    ("surname", "similar"),
    ("nickname", "exact"),
    ("nickname", "as_name"),
    ("nickname", "fits_name"),
    ("nickname", "fits_initial"),
    ("phone", "exact"),
    ("plate", "exact"),
    ("plate", "confusable"),
    ("plate", "partial"),
    ("plate", "partial_confusable"),
    ("address", "exact"),
}
_CONFLICTS = {
    ("first_name", "different"),
    ("first_name", "initial_differs"),
    ("surname", "different"),
    ("age", "far"),
}


def in_conflict(contributions: Iterable[dict[str, object]]) -> bool:
    """Whether a score's contributions (`Score.explanation()`) hold a detail in conflict: a
    different first name, initial or surname, or an age far apart."""
    return any((c["comparison"], c["level"]) in _CONFLICTS for c in contributions)


def beyond_surname(contributions: Iterable[dict[str, object]]) -> bool:
    """Whether something of the mention's own besides the surname agrees (a first name or
    initial, a nickname, an age, a description, a phone, a plate, an address, a place): a
    surname is a family's, not a person's (ADR 0203, 0213). Co-mentioned context does not
    count."""
    return any(
        c["comparison"] not in ("surname", "context") and float(str(c["weight"])) > 0
        for c in contributions
    )


def with_context(base: Score, shared: frozenset[str]) -> Score:
    """`base` raised by the kinds of co-mentioned context (`CONTEXT_REASON` keys) that this
    referral shares with the candidate, by at most the model's context cap, each with its
    contribution; unchanged unless `base` rests on an identifier of the mention and has no
    conflicting detail."""
    levels = set(base.levels.items())
    if not shared or not (_IDENTIFYING & levels) or _CONFLICTS & levels:
        return base
    if "child" in shared:
        shared = shared - {"associate"}  # the same fact, one step removed
    cap = float(model()["context_cap"])
    added: list[Contribution] = []
    room = cap
    for kind, reason in CONTEXT_REASON.items():
        if kind in shared and room > 0:
            weight = min(level_weight("context", kind), room)
            room -= weight
            added.append(Contribution("context", kind, weight, reason))
    if not added:
        return base
    return _score([*base.contributions, *added])

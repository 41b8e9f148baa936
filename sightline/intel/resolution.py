"""Scoring a person mention against a person of concern's profile. Pure functions.

Each piece of evidence adds weight and a reason a practitioner can read; conflicts subtract.
A score of HIGH_CONFIDENCE or more links the mention at once as *probable* (and may raise a
probable alert); CANDIDATE or more is offered for confirmation only. See ADR 0201.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import OSA, JaroWinkler

from sightline.intel.keys import CAPPED_KEYS, person_keys, plate_read_key, search_keys
from sightline.intel.normalise import (
    Plate,
    description_details,
    description_tokens,
    fold,
    given_names_equivalent,
    normalise_nickname,
    normalise_phone,
    normalise_plate,
    phonetic,
    split_name,
)

# The blocking keys live in `intel.keys` (ADR 0206); they are read from here as before.
__all__ = ["CAPPED_KEYS", "person_keys", "plate_read_key", "search_keys"]

HIGH_CONFIDENCE = 0.75
CANDIDATE = 0.3
# Half a registration ("…CDE", "AB12") that agrees is one in thousands of vehicles: alone it
# is not enough to link, but with a first name or an age that fits it is (ADR 0201).
PARTIAL_PLATE = 0.5


@dataclass(frozen=True)
class PersonFeatures:
    """What one mention says about a person."""

    given: str = ""
    family: str = ""
    initial: str = ""
    nickname: str = ""
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
            nickname=normalise_nickname(nickname),
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
    score: float
    reasons: tuple[str, ...]


_NICK_PREFIX = re.compile(r"^(?:big|uncle|little|lil|young|old)([a-z])$")


def _nickname_initial(nickname: str) -> str:
    """'Uncle T' (normalised 'unclet') -> 't': the first-name initial such a nickname uses."""
    found = _NICK_PREFIX.match(nickname)
    return found.group(1) if found else ""


def _family_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    sim = float(JaroWinkler.similarity(a, b))
    if phonetic(a) == phonetic(b):
        sim = max(sim, 0.92)
    return sim


def _one_letter_apart(family: str, known: set[str]) -> bool:
    return len(family) >= 4 and any(OSA.distance(family, f) <= 1 for f in known)


def _plates(m: PersonFeatures, p: Profile) -> tuple[float, str]:
    plate = m.plate
    if plate is None:
        return 0.0, ""
    if not plate.is_partial:
        if plate.value in p.plates:
            return 0.9, "same vehicle registration"
        if any(part.matches(plate.value) for part in p.partial_plates):
            return PARTIAL_PLATE, "registration fits a partial plate given before"
        return 0.0, ""
    if any(plate.matches(full) for full in p.plates):
        return PARTIAL_PLATE, "partial registration fits a known vehicle"
    if any(o.value == plate.value and o.anchor == plate.anchor for o in p.partial_plates):
        return PARTIAL_PLATE, "same partial registration"
    return 0.0, ""


RARE_SURNAME_BONUS = 0.25


def compare(m: PersonFeatures, p: Profile, *, rare_surname: bool = False) -> Score:
    """Score a mention against a profile. `rare_surname`: nobody else on record has a surname
    like this one (the caller checks), so a surname that agrees says more (a term-frequency
    adjustment: agreeing on a rare value is stronger evidence than agreeing on a common one)."""
    evidence: list[tuple[float, str]] = []
    if m.phone and m.phone in p.phones:
        evidence.append((0.9, "same phone number"))
    plate_weight, plate_reason = _plates(m, p)
    if plate_weight:
        evidence.append((plate_weight, plate_reason))
    if m.nickname and m.nickname in p.nicknames:
        evidence.append((0.75, "same nickname"))
    evidence += _names(m, p, rare_surname=rare_surname)
    # A nickname built on an initial ("Uncle T", "Big G") fits a first name with that initial,
    # whichever side the nickname is on; a nickname both sides share already counted above.
    if not (m.nickname and m.nickname in p.nicknames):
        mine = _nickname_initial(m.nickname) if m.nickname else ""
        if (m.initial and any(_nickname_initial(n) == m.initial for n in p.nicknames)) or (
            mine and mine in p.initials
        ):
            evidence.append((0.15, "nickname fits the first name"))
    evidence += _age_and_details(m, p)
    score = sum(weight for weight, _reason in evidence)
    return Score(round(max(0.0, min(score, 1.0)), 3), tuple(r for _w, r in evidence))


def _names(m: PersonFeatures, p: Profile, *, rare_surname: bool) -> list[tuple[float, str]]:
    """What the names say: agreement or conflict of first name, surname and initial."""
    evidence: list[tuple[float, str]] = []
    given_match = bool(m.given) and any(
        g == m.given or given_names_equivalent(g, m.given) for g in p.givens
    )
    given_exact = bool(m.given) and m.given in p.givens
    family_sim = max((_family_similarity(m.family, f) for f in p.families), default=0.0)
    family_strong = bool(m.family) and family_sim >= 0.9
    initial_fits = bool(m.initial) and m.initial in p.initials
    if given_match and family_strong:
        if given_exact and family_sim == 1.0:
            evidence.append((0.75, "same name"))
        elif given_exact and _one_letter_apart(m.family, p.families):
            # One dropped, added, changed or swapped letter in a surname is how a name is
            # misheard or mistyped; two people whose names differ only so are rare.
            evidence.append((0.75, "same name, surname one letter different"))
        else:
            evidence.append((0.7, "similar name (spelling or short form)"))
    elif family_strong and initial_fits and (not m.given or not p.givens):
        evidence.append((0.5, "same surname and initial"))
    elif family_strong and m.given and p.givens and not given_match:
        evidence.append((-0.2, "same surname, different first name"))
        rare_surname = False
    elif family_strong:
        evidence.append((0.3, "similar surname"))
    elif given_match and (not m.family or not p.families):
        evidence.append((0.25, "same first name"))
    elif m.given and m.family and p.givens and p.families and not given_match:
        evidence.append((-0.3, "different name"))
    if rare_surname and family_strong and (given_match or initial_fits):
        evidence.append((RARE_SURNAME_BONUS, "nobody else on record has this surname"))
    return evidence


def _age_and_details(m: PersonFeatures, p: Profile) -> list[tuple[float, str]]:
    """What the age, address, description and places named with the person say."""
    evidence: list[tuple[float, str]] = []
    # Age
    if m.birth_year and p.birth_years:
        mid = sorted(p.birth_years)[len(p.birth_years) // 2]
        gap = abs(m.birth_year - mid)
        if gap <= 5:
            evidence.append((0.1, "similar age"))
        elif gap > 12:
            evidence.append((-0.4, "age differs"))
    # Address, description, places
    if m.address and m.address in p.addresses:
        evidence.append((0.3, "same address"))
    agreed = m.details & p.details
    shared = m.description & p.description
    if len(agreed) >= 2:
        evidence.append((0.2, "two or more details of the description agree"))
    elif len(shared) >= 2:
        evidence.append((0.1, "similar description"))
    if m.place_ids & p.place_ids:
        evidence.append((0.15, "named with the same place"))
    return evidence


# Co-mentioned context: what else this referral names (a child on it, a vehicle, phone or
# person of concern named with this mention) that is already joined to a candidate through
# another referral. It raises only a candidate the mention's own identifiers already point to
# (a name, an initial and surname, a first name, a nickname, a phone, a plate, an address) with
# nothing in conflict; it never links alone and never joins two persons (the caller merges on
# the identity score only). Being named around the same children says two people move in the
# same circle, which co-offenders do: it is support for an identity, not an identity. ADR 0201.
CONTEXT_WEIGHT = {
    "child": (0.3, "already linked to a child on this referral"),
    "vehicle": (0.2, "named with the same vehicle on another referral"),
    "phone": (0.2, "named with the same phone on another referral"),
    "person": (0.15, "named with the same person of concern on another referral"),
}
CONTEXT_CAP = 0.35
_IDENTIFYING = {
    "same phone number",
    "same vehicle registration",
    "registration fits a partial plate given before",
    "partial registration fits a known vehicle",
    "same partial registration",
    "same nickname",
    "same name",
    "similar name (spelling or short form)",
    "same name, surname one letter different",
    "same surname and initial",
    "similar surname",
    "same first name",
    "same address",
}
_CONFLICTS = {"different name", "age differs", "same surname, different first name"}


def with_context(base: Score, shared: frozenset[str]) -> Score:
    """`base` raised by the kinds of co-mentioned context (`CONTEXT_WEIGHT` keys) that this
    referral shares with the candidate, by at most CONTEXT_CAP, each with its reason; unchanged
    unless `base` rests on an identifier of the mention and has no conflicting detail."""
    reasons = set(base.reasons)
    if not shared or not (_IDENTIFYING & reasons) or _CONFLICTS & reasons:
        return base
    added = 0.0
    why = list(base.reasons)
    for kind, (weight, reason) in CONTEXT_WEIGHT.items():
        if kind in shared:
            added += weight
            why.append(reason)
    if not added:
        return base
    return Score(round(min(base.score + min(added, CONTEXT_CAP), 1.0), 3), tuple(why))

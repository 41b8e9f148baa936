"""What is compared: `PersonFeatures` (what one mention says about a person), `Profile` (the
union of what a person of concern's mentions say, stored as JSON on the person) and `Score`
(a match probability with each comparison's contribution). Pure, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sightline.intel.linkmodel import Contribution
from sightline.intel.normalise import (
    Plate,
    description_details,
    description_tokens,
    fold,
    normalise_nickname,
    normalise_phone,
    normalise_plate,
    split_name,
)


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

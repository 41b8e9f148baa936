"""Internal planning records: mutable working state before the output records are made."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from sightline.demo.generator.specs import Sex


@dataclass
class Street:
    name: str
    locality: str
    postcodes: tuple[str, ...]


@dataclass
class Adult:
    key: str
    given: str
    family: str
    sex: Literal["female", "male"]
    age: int
    nickname: str
    phone: str
    vehicle: str | None
    vehicle_desc: str
    looks: tuple[str, ...]
    address: str
    # what makes the adult hard to link: "community", "common_surname", "hyphenated",
    # "street_nickname" (recorded in the ground truth)
    traits: tuple[str, ...] = ()
    # a second phone he gives some children (persona generator only, ADR 0212)
    second_phone: str = ""

    @property
    def phones(self) -> tuple[str, ...]:
        return (self.phone, self.second_phone) if self.second_phone else (self.phone,)


@dataclass
class Place:
    key: str
    name: str
    kind: str
    street: str
    address: str
    postcode: str


@dataclass
class Network:
    key: str
    adults: list[Adult]
    places: list[Place]
    children: list[int] = field(default_factory=list)
    start: date = date.min
    end: date = date.min


@dataclass
class ChildPlan:
    index: int
    key: str
    given: str
    family: str
    sex: Sex
    address: str
    locality: str
    postcode: str
    carer: str
    unit: int
    network: int | None = None
    learning_disability: bool = False
    dates: list[date] = field(default_factory=list)
    date_of_birth: date = date.min
    school: str = ""
    gp: str = ""


@dataclass
class OrdinaryAdult:
    role: str
    sentence: str
    name: str
    age: int | None
    address: str
    phone: str
    given: str = ""
    family: str = ""
    sex: str = "male"
    # "shares_surname" / "shares_initial" with a network adult, "common_surname"
    traits: tuple[str, ...] = ()


@dataclass
class Draft:
    order: int
    local: datetime
    agency: str
    children: tuple[int, ...]
    network: int | None = None
    adults: tuple[int, ...] = ()
    places: tuple[int, ...] = ()

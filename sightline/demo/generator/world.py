"""The borough's shared means of drawing: its random source, Faker, calendar, identifiers and
streets. Every builder draws from one ``World`` in a fixed order, which keeps a seed's output
the same."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from faker import Faker

from sightline.demo.generator.identifiers import Identifiers
from sightline.demo.generator.period import Calendar
from sightline.demo.generator.plans import Place, Street
from sightline.demo.generator.vocab import (
    BUILDINGS,
    INWARD_LETTERS,
    LOCALITIES,
    ORDINARY_PLACES,
    STREET_STEMS,
    STREET_SUFFIXES,
)


class Geography:
    """Streets with their localities and postcodes, and the ordinary places on them."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.streets: list[Street] = []
        self.ordinary_places: list[Place] = []

    def postcode(self, outward: str) -> str:
        letters = "".join(self.rng.choice(INWARD_LETTERS) for _ in range(2))
        return f"{outward} {self.rng.randint(1, 9)}{letters}"

    def build(self) -> None:
        combos = [f"{a} {b}" for a in STREET_STEMS for b in STREET_SUFFIXES]
        self.rng.shuffle(combos)
        for i, name in enumerate(combos[:180]):
            locality, outward = LOCALITIES[i % len(LOCALITIES)]
            codes = tuple(sorted({self.postcode(outward) for _ in range(2)}))
            self.streets.append(Street(name, locality, codes))
        for name, kind in ORDINARY_PLACES:
            street = self.rng.choice(self.streets)
            self.ordinary_places.append(
                Place(
                    key="",
                    name=name,
                    kind=kind,
                    street=street.name,
                    address=f"{street.name}, {street.locality}",
                    postcode=street.postcodes[0],
                )
            )

    def home(self) -> tuple[str, str, str]:
        """(address, locality, postcode) of a home on one of the streets."""
        street = self.rng.choice(self.streets)
        number = self.rng.randint(1, 180)
        if self.rng.random() < 0.15:
            building = self.rng.choice(BUILDINGS)
            address = f"Flat {self.rng.randint(1, 40)}, {building}, {street.name}"
        else:
            address = f"{number} {street.name}"
        return f"{address}, {street.locality}", street.locality, self.rng.choice(street.postcodes)


@dataclass
class World:
    seed: int
    rng: random.Random
    fake: Faker
    calendar: Calendar
    ids: Identifiers
    geo: Geography
    # the persona's own draws (ADR 0212), so that the rest of the borough is the same with or
    # without them
    persona_rng: random.Random

    @classmethod
    def new(cls, *, seed: int, end: date, years: int) -> World:
        rng = random.Random(seed)
        fake = Faker("en_GB")
        fake.seed_instance(seed)
        calendar = Calendar(rng, end=end, years=years)
        persona_rng = random.Random(f"persona-{seed}")
        return cls(seed, rng, fake, calendar, Identifiers(rng), Geography(rng), persona_rng)

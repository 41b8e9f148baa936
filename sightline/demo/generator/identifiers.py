"""Identifiers handed out once each: usernames, phones, registrations, nicknames, place names
and NHS numbers."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from sightline.demo.generator.names import (
    FEMALE_NICKNAMES,
    NICKNAMES,
    REG_AREA_FIRST,
    REG_LETTERS,
    surname_nickname,
)
from sightline.demo.generator.vocab import ORDINARY_PLACES

_REG_AGES = [f"{y:02d}" for y in range(5, 25)] + [str(y) for y in range(55, 75)]


class Identifiers:
    """Remembers what has been given out so that no identifier is given twice (phones from the
    drama range first, in a shuffled order)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.usernames: set[str] = set()
        self.nhs_numbers: set[str] = set()
        self.registrations: set[str] = set()
        self.place_names: set[str] = {name for name, _ in ORDINARY_PLACES}
        self.nicknames: set[str] = set()
        self.phone_pool = [f"07700 {n}" for n in range(900000, 901000)]
        self.rng.shuffle(self.phone_pool)
        self.phone_overflow = 901000

    def username(self, given: str, family: str) -> str:
        base = re.sub("[^a-z]", "", given.lower()) + "." + re.sub("[^a-z]", "", family.lower())
        name, n = base, 1
        while name in self.usernames:
            n += 1
            name = f"{base}{n}"
        self.usernames.add(name)
        return name

    @property
    def has_drama_phones(self) -> bool:
        return bool(self.phone_pool)

    def phone(self) -> str:
        if self.phone_pool:
            return self.phone_pool.pop()
        self.phone_overflow += 1
        return f"07700 {self.phone_overflow}"

    def spare_phone(self) -> str:
        """A phone from the end of the queue: the numbers given out before are unchanged."""
        if len(self.phone_pool) > 1:
            return self.phone_pool.pop(0)
        return self.phone()

    def registration(self) -> str:
        while True:
            area = self.rng.choice(REG_AREA_FIRST) + self.rng.choice(REG_LETTERS)
            age = self.rng.choice(_REG_AGES)
            tail = "".join(self.rng.choice(REG_LETTERS) for _ in range(3))
            reg = f"{area}{age} {tail}"
            if reg not in self.registrations:
                self.registrations.add(reg)
                return reg

    def nickname(self, given: str, family: str, sex: str) -> str:
        for _ in range(30):
            style = self.rng.random()
            if sex == "female":
                nick = self.rng.choice(FEMALE_NICKNAMES)
            elif style < 0.35:
                prefix = self.rng.choice(("Big", "Uncle", "Little", "Lil"))
                nick = f"{prefix} {given[0]}"
            elif style < 0.7:
                nick = self.rng.choice(NICKNAMES)
            else:
                nick = surname_nickname(family)
            if nick not in self.nicknames:
                self.nicknames.add(nick)
                return nick
        return nick

    def place_name(self, a: Sequence[str], b: Sequence[str]) -> str:
        """ "<one of a> <one of b>", numbered if every pairing tried was taken."""
        for _ in range(50):
            name = f"{self.rng.choice(a)} {self.rng.choice(b)}"
            if name not in self.place_names:
                self.place_names.add(name)
                return name
        n = 2
        while f"{name} {n}" in self.place_names:
            n += 1
        self.place_names.add(f"{name} {n}")
        return f"{name} {n}"

    def flat_name(self, building: str) -> str:
        name = f"Flat {self.rng.randint(1, 40)}, {building}"
        while name in self.place_names:
            name = f"Flat {self.rng.randint(1, 60)}, {building}"
        self.place_names.add(name)
        return name

    def nhs_number(self) -> str:
        """A valid NHS number in the 999 test range."""
        while True:
            body = "999" + "".join(str(self.rng.randint(0, 9)) for _ in range(6))
            total = sum(int(d) * (10 - i) for i, d in enumerate(body))
            check = 11 - total % 11
            if check == 10:
                continue
            number = body + str(0 if check == 11 else check)
            if number not in self.nhs_numbers:
                self.nhs_numbers.add(number)
                return number

"""How adults are written down in referrals: a network adult as each referrer records them
(variants, typos, nicknames, partial registrations), and the ordinary adults around a child."""

from __future__ import annotations

import random
from typing import Any

from sightline.demo.generator.helpers import age_band, weighted
from sightline.demo.generator.names import NAME_VARIANTS, phone_format, surname_typo
from sightline.demo.generator.plans import Adult, ChildPlan, OrdinaryAdult
from sightline.demo.generator.specs import PersonNamed
from sightline.demo.generator.templates import ORDINARY_ROLES
from sightline.demo.generator.world import World

_AGE_SLIP: tuple[tuple[int, float], ...] = (
    (0, 3.0),
    (-2, 2.0),
    (2, 2.0),
    (-4, 1.0),
    (4, 1.0),
    (-1, 2.0),
    (1, 2.0),
)


def _written_name(rng: random.Random, adult: Adult) -> str:
    r = rng.random()
    if r < 0.3:
        return f"{adult.given} {adult.family}"
    if r < 0.45 and adult.given in NAME_VARIANTS:
        return f"{rng.choice(NAME_VARIANTS[adult.given])} {adult.family}"
    if r < 0.55:
        return f"{adult.given} {surname_typo(rng, adult.family)}"
    if r < 0.63:
        return adult.given
    if r < 0.68:
        return f"{adult.given[0]}. {adult.family}"
    return ""


def _written_nickname(rng: random.Random, adult: Adult, name: str) -> str:
    # one draw either way: mostly the nickname when there is no name, sometimes beside it
    if not ((not name and rng.random() < 0.8) or (name and rng.random() < 0.4)):
        return ""
    nickname = adult.nickname
    v = rng.random()
    if v < 0.1:
        return nickname.lower()
    if v < 0.2 and " " in nickname:
        return nickname.replace(" ", "")
    return nickname


def _written_vehicle(rng: random.Random, adult: Adult, force_identifier: bool) -> str:
    if not (adult.vehicle and (force_identifier or rng.random() < 0.5)):
        return ""
    v = rng.random()
    if v < 0.5:
        return adult.vehicle
    if v < 0.6:
        return adult.vehicle.replace(" ", "")
    if v < 0.8:
        return adult.vehicle.split(" ")[0]
    return "\u2026" + adult.vehicle.split(" ")[1]


def network_mention(
    rng: random.Random, key: str, adult: Adult, force_identifier: bool
) -> PersonNamed:
    """``adult`` as one referral records them; ``force_identifier`` gives a phone number and
    any registration, so that the first referrals about an adult can be joined."""
    name = _written_name(rng, adult)
    nickname = _written_nickname(rng, adult, name)
    vehicle = _written_vehicle(rng, adult, force_identifier)
    phone = ""
    unnamed = not (name or nickname)
    if force_identifier or rng.random() < 0.35 or (unnamed and len(vehicle) < 7):
        # An adult recorded by neither name nor nickname is identified by a phone number
        # or a full registration.
        phone = phone_format(rng, adult.phone)
    age: int | None = None
    if rng.random() < 0.7:
        age = max(17, adult.age + weighted(rng, _AGE_SLIP))
    description = ""
    if rng.random() < 0.5:
        parts = rng.sample(adult.looks, k=rng.randint(1, 3))
        description = ", ".join(parts)
    address = adult.address if rng.random() < 0.12 else ""
    return PersonNamed(key, name, nickname, age, description, phone, vehicle, address)


def person_text(adult: Adult, mention: PersonNamed) -> str:
    """The adult as a narrative names them: 'Dan Smith (known as "Smithy")', 'an adult man'."""
    noun = "man" if adult.sex == "male" else "woman"
    if mention.name and mention.nickname:
        return f'{mention.name} (known as "{mention.nickname}")'
    if mention.name:
        return mention.name
    if mention.nickname:
        return f'a {noun} known as "{mention.nickname}"'
    return f"an adult {noun}"


def _vehicle_sentence(rng: random.Random, adult: Adult, reg: str, he: str) -> str:
    if reg.replace(" ", "") == (adult.vehicle or "").replace(" ", ""):
        return rng.choice(
            (
                f"{he} drives a {adult.vehicle_desc}, registration {reg}.",
                f"The car was a {adult.vehicle_desc}, registration {reg}.",
            )
        )
    return f"The car was a {adult.vehicle_desc}; the registration was partially noted as {reg}."


def person_details(
    rng: random.Random, adult: Adult, mention: PersonNamed, ctx: dict[str, Any]
) -> list[str]:
    """The sentences giving what the mention records: age, description, car, phone, address."""
    he, his = ("He", "his") if adult.sex == "male" else ("She", "her")
    out: list[str] = []
    if mention.approximate_age is not None:
        out.append(
            rng.choice(
                (
                    f"{he} is thought to be about {mention.approximate_age} years old.",
                    f"{he} is believed to be in {his} {age_band(mention.approximate_age)}.",
                    f"{he} was said to be around {mention.approximate_age}.",
                )
            )
        )
    if mention.description:
        out.append(f"Description given: {mention.description}.")
    if mention.vehicle_registration:
        out.append(_vehicle_sentence(rng, adult, mention.vehicle_registration, he))
    if mention.phone:
        label = mention.nickname or mention.name.split(" ")[0] or "a contact"
        out.append(
            rng.choice(
                (
                    f'{ctx["name"]} has this number saved in {ctx["poss"]} phone as "{label}": '
                    f"{mention.phone}.",
                    f"Calls and messages to {ctx['name']}'s phone come from {mention.phone}.",
                    f"{he} contacts {ctx['name']} on {mention.phone}.",
                )
            )
        )
    if mention.address:
        out.append(f"{he} is believed to live at {mention.address}.")
    return out


class OrdinaryAdults:
    """The ordinary adults around each household (a parent's partner, a neighbour, a coach),
    made when first named and named again in later referrals."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.by_unit: dict[int, dict[str, OrdinaryAdult]] = {}

    def for_child(self, plan: ChildPlan) -> OrdinaryAdult:
        rng = self.world.rng
        unit = self.by_unit.setdefault(plan.unit, {})
        if unit and rng.random() < 0.5:
            return unit[rng.choice(sorted(unit))]
        role, sex, sentence = rng.choice(ORDINARY_ROLES)
        if role in unit:
            return unit[role]
        unit[role] = self._new(plan, role, sex, sentence)
        return unit[role]

    def _new(self, plan: ChildPlan, role: str, sex: str, sentence: str) -> OrdinaryAdult:
        rng, fake = self.world.rng, self.world.fake
        female = sex == "female" or (sex == "any" and rng.random() < 0.5)
        given = fake.first_name_female() if female else fake.first_name_male()
        family = plan.family if role in ("uncle", "father", "aunt") else fake.last_name()
        if role == "grandmother":
            age: int | None = rng.randint(55, 75)
        else:
            age = rng.randint(25, 55) if rng.random() < 0.6 else None
        ids = self.world.ids
        return OrdinaryAdult(
            role=role,
            sentence=sentence,
            name=f"{given} {family}",
            age=age,
            address=self.world.geo.home()[0] if role == "neighbour" else "",
            phone=ids.phone() if rng.random() < 0.08 and ids.has_drama_phones else "",
        )

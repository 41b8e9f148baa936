"""How adults are written down in referrals: a network adult as each referrer records them
(variants, typos, nicknames, partial registrations), and the ordinary adults around a child."""

from __future__ import annotations

import random
from typing import Any

from sightline.demo.generator.helpers import age_band, weighted
from sightline.demo.generator.names import NAME_VARIANTS
from sightline.demo.generator.people import COMMON_SURNAMES, community_name, short_forms
from sightline.demo.generator.plans import Adult, ChildPlan, OrdinaryAdult
from sightline.demo.generator.specs import PersonNamed
from sightline.demo.generator.templates import ORDINARY_ROLES
from sightline.demo.generator.world import World
from sightline.demo.generator.writing import (
    WHOLE_PLATE_STYLES,
    written_name,
    written_phone,
    written_plate,
)

_AGE_SLIP: tuple[tuple[int, float], ...] = (
    (0, 3.0),
    (-2, 2.0),
    (2, 2.0),
    (-4, 1.0),
    (4, 1.0),
    (-1, 2.0),
    (1, 2.0),
)


def _written_nickname(rng: random.Random, adult: Adult, name: str) -> tuple[str, str]:
    # one draw either way: mostly the nickname when there is no name, sometimes beside it
    if not ((not name and rng.random() < 0.8) or (name and rng.random() < 0.4)):
        return "", ""
    return nickname_as_written(rng, adult)


def nickname_as_written(rng: random.Random, adult: Adult) -> tuple[str, str]:
    """The adult's nickname as one referrer writes it, and the style."""
    nickname = adult.nickname
    kind = "street_short" if "street_nickname" in adult.traits else "as_known"
    v = rng.random()
    if v < 0.1:
        return nickname.lower(), "lower"
    if v < 0.2 and " " in nickname:
        return nickname.replace(" ", ""), "joined"
    return nickname, kind


def network_mention(
    rng: random.Random, key: str, adult: Adult, force_identifier: bool
) -> PersonNamed:
    """``adult`` as one referral records them; ``force_identifier`` gives a phone number and
    any registration, so that the first referrals about an adult can be joined. The styles
    the mention is written in are on ``PersonNamed.styles`` ("name:surname_first",
    "phone:no_zero", "plate:words_starts", ...)."""
    name, name_style = written_name(rng, adult.given, adult.family, adult.sex)
    styles = [f"name:{name_style}"]
    nickname, nickname_style = _written_nickname(rng, adult, name)
    if nickname:
        styles.append(f"nickname:{nickname_style}")
    vehicle = plate_style = ""
    if adult.vehicle and (force_identifier or rng.random() < 0.5):
        vehicle, plate_style = written_plate(rng, adult.vehicle)
        styles.append(f"plate:{plate_style}")
    phone = ""
    unnamed = not (name or nickname)
    if (
        force_identifier
        or rng.random() < 0.35
        or (unnamed and plate_style not in WHOLE_PLATE_STYLES)
    ):
        # An adult recorded by neither name nor nickname is identified by a phone number
        # or a full registration.
        phone, phone_style = written_phone(rng, adult.phone)
        styles.append(f"phone:{phone_style}")
    age: int | None = None
    if rng.random() < 0.7:
        age = max(17, adult.age + weighted(rng, _AGE_SLIP))
    description = ""
    if rng.random() < 0.5:
        parts = rng.sample(adult.looks, k=rng.randint(1, 3))
        description = ", ".join(parts)
    address = adult.address if rng.random() < 0.12 else ""
    return PersonNamed(
        key, name, nickname, age, description, phone, vehicle, address, tuple(styles)
    )


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
    if reg.replace(" ", "") == (adult.vehicle or "").replace(" ", "") or len(reg) == 8:
        return rng.choice(
            (
                f"{he} drives a {adult.vehicle_desc}, registration {reg}.",
                f"The car was a {adult.vehicle_desc}, registration {reg}.",
            )
        )
    if reg[0].islower():  # "starts AB12", "ends in CDE"
        return f"The car was a {adult.vehicle_desc}; the registration {reg}."
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
        label = mention.nickname or _phone_label(mention.name)
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


def _phone_label(name: str) -> str:
    """How a child saves a contact named ``name``: the given name where it is written."""
    words = name.replace(",", "").split()
    if not words or words[0] in ("Mr", "Ms", "Mrs", "Miss") or words[0].endswith("."):
        return "a contact"
    if name.count(",") or (words[0].isupper() and len(words) > 1):
        return words[-1]
    return words[0]


class OrdinaryAdults:
    """The ordinary adults around each household (a parent's partner, a neighbour, a coach),
    made when first named and named again in later referrals."""

    def __init__(self, world: World, network_adults: list[Adult]) -> None:
        self.world = world
        self.by_unit: dict[int, dict[str, OrdinaryAdult]] = {}
        self.network_adults = network_adults
        self.network_names = {f"{a.given} {a.family}" for a in network_adults}

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
        rng = self.world.rng
        female = sex == "female" or (sex == "any" and rng.random() < 0.5)
        given, family, traits = self._name(plan, role, female)
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
            given=given,
            family=family,
            sex="female" if female else "male",
            traits=traits,
        )

    def _given(self, female: bool) -> str:
        fake = self.world.fake
        return fake.first_name_female() if female else fake.first_name_male()

    def _name(self, plan: ChildPlan, role: str, female: bool) -> tuple[str, str, tuple[str, ...]]:
        """(given, family, traits). Outside the child's family, three in ten share a network
        adult's surname (half of those the initial too) and two in ten have one of the
        commonest surnames or a community's name: namesakes the matcher must keep apart."""
        rng = self.world.rng
        given = self._given(female)
        if role in ("uncle", "father", "aunt"):
            return given, plan.family, ()
        family = self.world.fake.last_name()
        traits: tuple[str, ...] = ()
        draw = rng.random()
        same_sex = [a for a in self.network_adults if (a.sex == "female") == female]
        if draw < 0.3 and same_sex:
            adult = rng.choice(same_sex)
            family, traits = adult.family, ("shares_surname",)
            if "-" in family and rng.random() < 0.5:
                family = rng.choice(family.split("-"))
            if rng.random() < 0.5:
                given, traits = self._same_initial(adult.given, female, given, traits)
        elif draw < 0.4:
            community, given, family = community_name(rng, "female" if female else "male")
            traits = (f"community:{community}",)
        elif draw < 0.5:
            family = rng.choice(COMMON_SURNAMES)
        if family in COMMON_SURNAMES:
            traits = (*traits, "common_surname")
        for _ in range(20):  # never a network adult's own name
            if f"{given} {family}" not in self.network_names:
                break
            given = self._given(female)
        return given, family, traits

    def _same_initial(
        self, other: str, female: bool, given: str, traits: tuple[str, ...]
    ) -> tuple[str, tuple[str, ...]]:
        """A given name with ``other``'s initial that is neither ``other`` nor a form of it."""
        related = {other, *NAME_VARIANTS.get(other, ()), *short_forms(other)}
        for _ in range(60):
            candidate = self._given(female)
            if candidate[0] == other[0] and candidate not in related:
                return candidate, (*traits, "shares_initial")
        return given, traits

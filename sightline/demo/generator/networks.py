"""Planted exploitation networks: their adults, their places and the children they touch."""

from __future__ import annotations

from typing import Literal

from sightline.demo.generator.children import given_name
from sightline.demo.generator.helpers import weighted
from sightline.demo.generator.names import BUILDS, CLOTHES, COLOURS, FEATURES, HAIR, VEHICLES
from sightline.demo.generator.people import COMMON_SURNAMES, community_name, hyphenated, short_forms
from sightline.demo.generator.plans import Adult, ChildPlan, Network, Place
from sightline.demo.generator.vocab import (
    BUILDINGS,
    HOTEL_A,
    HOTEL_B,
    NETWORK_CHILD_SEX_WEIGHTS,
    PARK_A,
    PARK_B,
    SHOP_A,
    SHOP_B,
    TAKEAWAY_A,
    TAKEAWAY_B,
    TAXI_A,
    TAXI_B,
)
from sightline.demo.generator.world import World

_PLACE_NAME_POOLS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "takeaway": (TAKEAWAY_A, TAKEAWAY_B),
    "taxi_firm": (TAXI_A, TAXI_B),
    "hotel": (HOTEL_A, HOTEL_B),
    "park": (PARK_A, PARK_B),
    "shop": (SHOP_A, SHOP_B),
}
_PLACE_KINDS = ["takeaway", "taxi_firm", "flat", "park", "hotel", "shop"]
_PLACE_KIND_COUNTS = [5, 4, 5, 2, 2, 1]


def network_place(world: World, key: str, kind: str) -> Place:
    rng = world.rng
    street = rng.choice(world.geo.streets)
    number = rng.randint(1, 160)
    postcode = rng.choice(street.postcodes)
    if kind == "flat":
        name = world.ids.flat_name(rng.choice(BUILDINGS))
        street_text = f"{number} {street.name}"
        address = f"{name}, {street_text}, {street.locality}"
        return Place(key, name, kind, street_text, address, postcode)
    name = world.ids.place_name(*_PLACE_NAME_POOLS[kind])
    if kind == "park":
        return Place(key, name, kind, street.name, f"{street.name}, {street.locality}", postcode)
    street_text = f"{number} {street.name}"
    return Place(key, name, kind, street.name, f"{street_text}, {street.locality}", postcode)


def _adult_name(world: World, sex: str) -> tuple[str, str, tuple[str, ...]]:
    """(given, family, traits): a third from the borough's communities, a quarter of the rest
    with one of the commonest surnames, and about one in six with a hyphenated surname."""
    rng, fake = world.rng, world.fake
    traits: list[str] = []
    if rng.random() < 0.35:
        community, given, family = community_name(rng, sex)
        traits.append(f"community:{community}")
    else:
        given = fake.first_name_male() if sex == "male" else fake.first_name_female()
        family = fake.last_name()
        if rng.random() < 0.3:
            family = rng.choice(COMMON_SURNAMES)
    if family in COMMON_SURNAMES:
        traits.append("common_surname")
    if rng.random() < 0.18:
        family = hyphenated(fake.last_name(), family)
        traits.append("hyphenated")
    return given, family, tuple(traits)


def _nickname(world: World, given: str, family: str, sex: str) -> tuple[str, bool]:
    """(nickname, whether it is an unseen short form of the given name: "Kev", "Seun")."""
    rng, ids = world.rng, world.ids
    if rng.random() < 0.3:
        nick = rng.choice(short_forms(given))
        if nick not in ids.nicknames and nick != given:
            ids.nicknames.add(nick)
            return nick, True
    return ids.nickname(given, family, sex), False


def network_adult(
    world: World, key: str, principal: bool, flat: Place | None, persona: bool = True
) -> Adult:
    """An adult of a network; the principal (the first) lives at the network's flat if any.
    With ``persona`` (ADR 0212) two in five give some children a second phone."""
    rng, ids = world.rng, world.ids
    sex: Literal["female", "male"] = "male" if rng.random() < 0.85 else "female"
    given, family, traits = _adult_name(world, sex)
    nickname, street = _nickname(world, given, family, sex)
    age = rng.randint(24, 50) if principal else rng.randint(18, 45)
    has_vehicle = rng.random() < (0.75 if principal else 0.45)
    looks = (
        rng.choice(BUILDS),
        rng.choice(HAIR),
        rng.choice(FEATURES[sex]),
        rng.choice(CLOTHES),
    )
    address = flat.address if flat is not None and principal else world.geo.home()[0]
    adult = Adult(
        key=key,
        given=given,
        family=family,
        sex=sex,
        age=age,
        nickname=nickname,
        phone=ids.phone(),
        vehicle=ids.registration() if has_vehicle else None,
        vehicle_desc=f"{rng.choice(COLOURS)} {rng.choice(VEHICLES)}",
        looks=looks,
        address=address,
        traits=(*traits, "street_nickname") if street else traits,
    )
    if persona and world.persona_rng.random() < 0.4:
        adult.second_phone = ids.spare_phone()
    return adult


def _single_children(children: list[ChildPlan], units: list[list[int]], needed: int) -> list[int]:
    """Children with no sibling in the borough; in a small borough sibling pairs are split
    until there are ``needed`` of them."""
    singles = [unit[0] for unit in units if len(unit) == 1]
    while len(singles) < needed:
        at = next(i for i, unit in enumerate(units) if len(unit) == 2)
        first, second = units[at]
        units[at] = [first]
        children[second].unit = len(units)
        units.append([second])
        singles += [first, second]
    return singles


def _network(world: World, key: str, members: list[int], persona: bool) -> Network:
    rng = world.rng
    kinds = rng.sample(_PLACE_KINDS, k=rng.randint(1, 3), counts=_PLACE_KIND_COUNTS)
    kinds = list(dict.fromkeys(kinds))
    places = [network_place(world, f"{key}-L{i + 1}", kind) for i, kind in enumerate(kinds)]
    flat = next((p for p in places if p.kind == "flat"), None)
    adults = [
        network_adult(world, f"{key}-A{i + 1}", i == 0, flat, persona)
        for i in range(rng.randint(2, 5))
    ]
    network = Network(key, adults, places, members)
    length = rng.randint(120, 420)
    network.start, network.end = world.calendar.window(length)
    return network


def networks_build(
    world: World,
    children: list[ChildPlan],
    units: list[list[int]],
    *,
    n_networks: int,
    persona: bool = True,
) -> list[Network]:
    """``n_networks`` networks of 3 to 8 children each, drawn from children without siblings
    (network children are redrawn: mostly girls, more often with a learning disability).
    ``persona``: adults may have a second phone (ADR 0212)."""
    if n_networks * 3 > len(children):
        raise ValueError(f"{n_networks} networks need at least {n_networks * 3} children")
    rng = world.rng
    pool = _single_children(children, units, n_networks * 3)
    rng.shuffle(pool)
    networks: list[Network] = []
    for n in range(n_networks):
        spare = len(pool) - 3 * (n_networks - n - 1)
        k = min(rng.randint(3, 8), spare)
        members, pool = pool[:k], pool[k:]
        networks.append(_network(world, f"N{n + 1:03d}", members, persona))
        for child in members:
            plan = children[child]
            plan.network = n
            plan.sex = weighted(rng, NETWORK_CHILD_SEX_WEIGHTS)
            plan.given = given_name(world, plan.sex)
            plan.learning_disability = rng.random() < 0.12
    return networks

"""Drafts of referrals: who is referred, when, by which agency and, in a network referral,
which of the network's adults and places it names. Composed into referrals later."""

from __future__ import annotations

import math
from datetime import date, timedelta

from sightline.demo.generator.helpers import weighted
from sightline.demo.generator.plans import ChildPlan, Draft, Network
from sightline.demo.generator.vocab import AGENCY_WEIGHTS, NETWORK_AGENCY_WEIGHTS
from sightline.demo.generator.world import World

_Item = tuple[str, int]  # ("a", adult index) or ("p", place index)

_SIBLING_AGENCIES: tuple[tuple[str, float], ...] = (
    ("csc", 3.0),
    ("police", 3.0),
    ("education", 2.0),
    ("housing", 1.0),
)
_SIBLING_OWN_REFERRALS: tuple[tuple[int, float], ...] = ((0, 40.0), (1, 45.0), (2, 15.0))
_SINGLE_REFERRALS: tuple[tuple[int, float], ...] = (
    (1, 38.0),
    (2, 34.0),
    (3, 18.0),
    (4, 7.0),
    (5, 3.0),
)


class Drafts:
    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng
        self.items: list[Draft] = []

    def add(
        self,
        day: date,
        agency: str,
        children: tuple[int, ...],
        network: int | None = None,
        adults: tuple[int, ...] = (),
        places: tuple[int, ...] = (),
    ) -> Draft:
        local = self.world.calendar.stamp(day, agency)
        draft = Draft(len(self.items), local, agency, children, network, adults, places)
        self.items.append(draft)
        return draft

    # ---- network referrals -------------------------------------------------------------------

    def _assignments(self, network: Network) -> tuple[list[set[int]], list[set[int]]]:
        """For each network child, the adults and the places named about them."""
        rng, k = self.rng, len(network.children)
        adults: list[set[int]] = [set() for _ in range(k)]
        for c in rng.sample(range(k), max(2, math.ceil(k * 0.6))):
            adults[c].add(0)  # the principal adult touches most of the children
        for a in range(1, len(network.adults)):
            for c in rng.sample(range(k), rng.randint(2, min(k, 4))):
                adults[c].add(a)
        for c in range(k):
            if not adults[c]:
                adults[c].add(0)
        places: list[set[int]] = [set() for _ in range(k)]
        for p in range(len(network.places)):
            for c in rng.sample(range(k), rng.randint(2, min(k, 4))):
                places[c].add(p)
        return adults, places

    def _slots(self, adults: set[int], places: set[int]) -> list[list[_Item]]:
        """A child's 2 to 5 network referrals, sharing out what is named about them."""
        rng = self.rng
        items: list[_Item] = [("a", a) for a in sorted(adults)]
        items += [("p", p) for p in sorted(places)]
        rng.shuffle(items)
        m = rng.randint(2, 5)
        slots: list[list[_Item]] = [[] for _ in range(m)]
        for i, item in enumerate(items):
            slots[i % m].append(item)
        for slot in slots:
            if not slot or rng.random() < 0.3:
                extra = rng.choice(items)
                if extra not in slot:
                    slot.append(extra)
        return slots

    def for_network(self, n: int, network: Network) -> None:
        rng, calendar = self.rng, self.world.calendar
        assigned_adults, assigned_places = self._assignments(network)
        first_draft = len(self.items)
        for c, child in enumerate(network.children):
            for slot in self._slots(assigned_adults[c], assigned_places[c]):
                day = calendar.day_in(network.start, network.end)
                agency = weighted(rng, NETWORK_AGENCY_WEIGHTS)
                adults = tuple(sorted(i for kind, i in slot if kind == "a"))
                places = tuple(sorted(i for kind, i in slot if kind == "p"))
                self.add(day, agency, (child,), n, adults, places)
            for _ in range(rng.randint(0, 2)):  # other referrals about the child
                day = calendar.day_in(
                    network.start - timedelta(days=180), network.end + timedelta(days=90)
                )
                self.add(day, weighted(rng, AGENCY_WEIGHTS), (child,))
        self._two_agencies_at_least(n, self.items[first_draft:])

    def _two_agencies_at_least(self, n: int, drafts: list[Draft]) -> None:
        mine = [d for d in drafts if d.network == n]
        if len({d.agency for d in mine}) < 2:
            victim = self.rng.choice(mine)
            options = [(a, w) for a, w in NETWORK_AGENCY_WEIGHTS if a != victim.agency]
            victim.agency = weighted(self.rng, options)
            victim.local = self.world.calendar.stamp(victim.local.date(), victim.agency)

    # ---- ordinary referrals ------------------------------------------------------------------

    def for_siblings(self, members: list[int]) -> None:
        rng, calendar = self.rng, self.world.calendar
        first, last = calendar.window(rng.randint(0, 540))
        for _ in range(rng.randint(1, 2)):
            day = calendar.day_in(first, last)
            self.add(day, weighted(rng, _SIBLING_AGENCIES), tuple(members))
        for child in members:
            for _ in range(weighted(rng, _SIBLING_OWN_REFERRALS)):
                self.add(calendar.day_in(first, last), weighted(rng, AGENCY_WEIGHTS), (child,))

    def for_child(self, child: int) -> None:
        rng, calendar = self.rng, self.world.calendar
        count = weighted(rng, _SINGLE_REFERRALS)
        first, last = calendar.window(rng.randint(0, 540) if count > 1 else 0)
        for _ in range(count):
            self.add(calendar.day_in(first, last), weighted(rng, AGENCY_WEIGHTS), (child,))


def drafts_build(
    world: World, children: list[ChildPlan], units: list[list[int]], networks: list[Network]
) -> list[Draft]:
    """Every referral's draft: each network's first, then each household's."""
    drafts = Drafts(world)
    for n, network in enumerate(networks):
        drafts.for_network(n, network)
    for members in units:
        if children[members[0]].network is not None:
            continue
        if len(members) == 2:
            drafts.for_siblings(members)
        else:
            drafts.for_child(members[0])
    return drafts.items

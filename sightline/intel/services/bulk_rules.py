"""The alert rules over the bulk indexer's picture, kept up to date as the picture grows
(ADR 0905).

`rules.evaluate` reads an entity's whole history each time it runs. The bulk indexer runs it
for every entity a referral touches, so a person named on N referrals cost N²/2 links built
and counted: at 100,000 referrals the planted networks' adults and places are named hundreds
of times, and the rules took most of the index's time. Here each entity's links (exactly
`MemoryStore.links_of`) are kept in a `Book` that a new mention is put into in its place,
with what the rules count of them (households, referrals and agencies over every link and
over the firm ones, the children, and when each rule first held), so a rule reads only what
changed. A mention older than the newest (a partner event dated before referrals already
indexed) and one a merge moves onto a person are put in their place too (ADR 0911: dropping
the book for them rebuilt a much-named adult's history at each partner event); anything else
(a mention leaving, an ambiguous fit) drops the entity's book, and it is rebuilt from
`links_of` when next read. An alert's evidence, referrals and summary are built once, at
the end of the run, from its links as they stood when it last changed.

`BulkStore.check = True` (the tests) evaluates every entity both ways and fails on any
difference."""

from __future__ import annotations

import datetime as dt
import uuid
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sightline.intel import rules
from sightline.intel.choices import CandidateStatus, EntityType, LinkStatus
from sightline.intel.concerns import EXPLOITATION_CATEGORIES
from sightline.intel.models import Alert, MatchCandidate, Mention
from sightline.intel.rules import Link, Outcome
from sightline.intel.services.alerts import alert_changed, alert_describe
from sightline.intel.services.bulk_store import MemoryStore

Rule = tuple[int, int]  # households, agencies
RULES: tuple[Rule, ...] = ((2, 1), (3, 1), (2, 2))
SPAN = dt.timedelta(days=rules.HOTSPOT_DAYS)


@dataclass(eq=False)
class Counted(Outcome):
    """An outcome with the children of its links, counted as they came."""

    children: frozenset[str] | set[str] = frozenset()


class Tally:
    """What `rules._count_ok` counts of a list of links, for a list that only grows."""

    __slots__ = ("agencies", "households", "referrals")

    def __init__(self) -> None:
        self.households: set[str] = set()
        self.referrals: set[uuid.UUID] = set()
        self.agencies: set[str] = set()

    def add(self, link: Link) -> None:
        self.households.update(h for _c, _r, h in link.children)
        self.referrals.add(link.referral_id)
        self.agencies.add(link.agency)

    def holds(self, households: int, agencies: int = 1) -> bool:
        return (
            len(self.households) >= households
            and len(self.referrals) >= 2
            and len(self.agencies) >= agencies
        )


def outcome_of(links: list[Link], households: int) -> Counted:
    """`rules._outcome(links, households)` in one pass (the window of a place)."""
    every, firm = Tally(), Tally()
    children: set[str] = set()
    first: dt.datetime | None = None
    for link in links:
        every.add(link)
        if link.status != LinkStatus.PROBABLE:
            firm.add(link)
        children.update(c for c, _r, _h in link.children)
        if first is None and every.holds(households):
            first = link.occurred_at
    if first is None:
        return Counted()
    return Counted(True, firm.holds(households), links, first, children)


class Book:
    """One entity's links in order and what the rules count of them. A link is put in its
    place by its order (`MemoryStore.order`); one older than the newest makes a new `links`
    list rather than changing it, so an alert can keep (links, how many) as the links it was
    built from."""

    def __init__(self, links: list[Link], orders: list[tuple[dt.datetime, int]]) -> None:
        self.links: list[Link] = []
        self.orders: list[tuple[dt.datetime, int]] = []  # each link's order, ascending
        self.every, self.firm = Tally(), Tally()
        self.children: set[str] = set()
        self.first: dict[Rule, dt.datetime] = {}  # when each rule first held (possible_at)
        self.concerns: list[Link] = []  # the links a place's rules count, and their times
        self.times: list[dt.datetime] = []
        self.concern_orders: list[tuple[dt.datetime, int]] = []
        # households -> windows final so far, the last confirmed and last holding of them
        self.windows: dict[int, tuple[int, Counted | None, Counted | None]] = {}
        for link, order in zip(links, orders, strict=True):
            self.add(link, order)

    def add(self, link: Link, order: tuple[dt.datetime, int]) -> None:
        if self.orders and order < self.orders[-1]:
            self._insert(link, order)
            return
        self.links.append(link)
        self.orders.append(order)
        self._tally(link)
        for rule in RULES:
            if rule not in self.first and self.every.holds(*rule):
                self.first[rule] = link.occurred_at
        if link.concern or link.categories & EXPLOITATION_CATEGORIES:
            self.concerns.append(link)
            self.times.append(link.occurred_at)
            self.concern_orders.append(order)

    def _tally(self, link: Link) -> None:
        self.every.add(link)
        if link.status != LinkStatus.PROBABLE:
            self.firm.add(link)
        self.children.update(c for c, _r, _h in link.children)

    def _insert(self, link: Link, order: tuple[dt.datetime, int]) -> None:
        """A link older than the newest (a partner event dated before the referrals already
        indexed, a mention moved here by a merge): the counts take it as they are; when a
        rule first held is read again only if the link could move it earlier or make it
        hold; a place's windows are counted again."""
        at = bisect_right(self.orders, order)
        self.links = [*self.links[:at], link, *self.links[at:]]
        self.orders.insert(at, order)
        self._tally(link)
        when = link.occurred_at
        if any(
            when < self.first[rule] if rule in self.first else self.every.holds(*rule)
            for rule in RULES
        ):
            self._first_again()
        if link.concern or link.categories & EXPLOITATION_CATEGORIES:
            at = bisect_right(self.concern_orders, order)
            self.concerns.insert(at, link)
            self.times.insert(at, when)
            self.concern_orders.insert(at, order)
            self.windows.clear()

    def _first_again(self) -> None:
        tally, self.first = Tally(), {}
        for link in self.links:
            tally.add(link)
            for rule in RULES:
                if rule not in self.first and tally.holds(*rule):
                    self.first[rule] = link.occurred_at
            if len(self.first) == len(RULES):
                return

    def outcome(self, households: int, agencies: int = 1) -> Counted:
        """`rules._outcome` over every link."""
        if not self.every.holds(households, agencies):
            return Counted()
        confirmed = self.firm.holds(households, agencies)
        return Counted(
            True, confirmed, self.links, self.first[(households, agencies)], self.children
        )

    def windowed(self, households: int) -> Counted:
        """`rules._windowed` over the concerns: of the 90-day windows ending at each concern,
        the last that holds on firm links, else the last that holds. A window ending before
        the newest concern is final (a later link falls outside it) and is read once."""
        if not self.concerns:
            return Counted()
        done, confirmed, holding = self.windows.get(households, (0, None, None))
        newest = self.times[-1]
        while done < len(self.times) and self.times[done] < newest:
            confirmed, holding = _fold(self._window(done, households), confirmed, holding)
            done += 1
        self.windows[households] = (done, confirmed, holding)
        if done < len(self.times):  # every window ending at the newest time is the same one
            confirmed, holding = _fold(self._window(done, households), confirmed, holding)
        return confirmed or holding or Counted()

    def _window(self, end: int, households: int) -> Counted:
        at = self.times[end]
        lo, hi = bisect_left(self.times, at - SPAN), bisect_right(self.times, at)
        return outcome_of(self.concerns[lo:hi], households)


def _fold(
    result: Counted, confirmed: Counted | None, holding: Counted | None
) -> tuple[Counted | None, Counted | None]:
    if result.holds:
        holding = result
        if result.confirmed:
            confirmed = result
    return confirmed, holding


class BulkStore(MemoryStore):
    """The bulk indexer's `MemoryStore`, with each entity's `Book` kept as mentions arrive."""

    check = False  # the tests: evaluate every entity both ways, and fail on a difference

    def __init__(self, references: Any) -> None:
        super().__init__(references)
        self.books: dict[uuid.UUID, Book] = {}
        self.vehicle_sets: dict[uuid.UUID, set[uuid.UUID]] = {}
        self.fitted: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)  # mention -> persons
        # alert -> (entity reference, links, how many of them) to describe it by at the end
        self.pending: dict[uuid.UUID, tuple[Alert, str, list[Link], int]] = {}

    def load(self) -> None:
        super().load()
        for entity_id, fits in self.ambiguous.items():
            for mention in fits:
                self.fitted[mention.pk].add(entity_id)

    def book(self, entity_id: uuid.UUID) -> Book:
        book = self.books.get(entity_id)
        if book is None:
            links = self.links_of(entity_id)
            orders = [self.order[link.mention_id] for link in links]
            book = self.books[entity_id] = Book(links, orders)
        return book

    def mention_add(self, **fields: Any) -> Mention:
        mention = super().mention_add(**fields)
        order = self.order[mention.pk]
        book = self.books.get(mention.entity_id)
        if book is not None:
            book.add(self.link(mention, fit=False), order)
        if mention.via_id is not None and mention.entity_type == EntityType.VEHICLE:
            owned = self.vehicle_sets.get(self.located.get(mention.via_id))  # type: ignore[arg-type]
            if owned is not None:
                owned.add(mention.entity_id)
        return mention

    def candidates_add(
        self, rows: list[MatchCandidate], *, ignore_conflicts: bool = False
    ) -> list[MatchCandidate]:
        for row in rows:
            if row.status == CandidateStatus.AMBIGUOUS:
                self.books.pop(row.entity_id, None)
                self.fitted[row.mention.pk].add(row.entity_id)
        return super().candidates_add(rows, ignore_conflicts=ignore_conflicts)

    def mentions_moved(self, moving: list[Mention]) -> None:
        """The entity a mention leaves (or changes on) is read again when next wanted; the
        one it joins takes it as a new link (a merge moves a few mentions onto a person
        named hundreds of times), unless it was an ambiguous fit of that entity."""
        joining = []
        for mention in moving:
            before, after = self.located[mention.pk], mention.entity_id
            fits = self.fitted.get(mention.pk, ())
            self.books.pop(before, None)
            for eid in (before, after):
                self.vehicle_sets.pop(eid, None)
            if before != after and after in self.books and after not in fits:
                joining.append(mention)
            else:
                self.books.pop(after, None)
            for eid in fits:
                self.books.pop(eid, None)
        super().mentions_moved(moving)
        for mention in joining:
            book = self.books.get(mention.entity_id)
            if book is not None:
                book.add(self.link(mention, fit=False), self.order[mention.pk])

    def vehicles_of(self, person_id: uuid.UUID) -> set[uuid.UUID]:
        found = self.vehicle_sets.get(person_id)
        if found is None:
            found = self.vehicle_sets[person_id] = super().vehicles_of(person_id)
        return found

    def alerts_describe(self) -> None:
        """Every alert raised or changed in the run, described by the links it was last
        changed on (`alerts.alert_describe`, as intake's path does at once)."""
        for alert, entity_ref, links, count in self.pending.values():
            alert_describe(alert, entity_ref, links[:count])
        self.pending.clear()


def evaluate(store: BulkStore, entity_type: str, entity_id: uuid.UUID) -> dict[str, Counted]:
    """`rules.evaluate` over the store's books."""
    book = store.book(entity_id)
    result: dict[str, Counted]
    if entity_type == EntityType.PERSON:
        result = {
            "children2": book.outcome(2),
            "children3": book.outcome(3),
            "agencies2": book.outcome(2, 2),
        }
        vehicle = Counted()
        base = result["children2"]
        if base.holds:
            seen = [store.book(vid).outcome(2) for vid in sorted(store.vehicles_of(entity_id))]
            if any(s.holds for s in seen):
                firm = any(s.holds and s.confirmed for s in seen)
                vehicle = Counted(
                    True, base.confirmed and firm, base.links, base.possible_at, base.children
                )
        result["vehicle"] = vehicle
    elif entity_type == EntityType.PLACE:
        result = {"children2": book.windowed(2), "children3": book.windowed(3)}
    elif entity_type == EntityType.VEHICLE:
        result = {"children2": book.outcome(2), "children3": book.outcome(3)}
    else:
        result = {}
    if store.check:
        _check(store, entity_type, entity_id, result)
    return result


def _check(
    store: BulkStore, entity_type: str, entity_id: uuid.UUID, got: dict[str, Counted]
) -> None:
    want = rules.evaluate(
        entity_type,
        entity_id,
        links_of=MemoryStore.links_of.__get__(store),
        vehicles_of=MemoryStore.vehicles_of.__get__(store),
    )
    assert want.keys() == got.keys(), (entity_id, want.keys(), got.keys())
    for trigger, w in want.items():
        g = got[trigger]
        children = {c for link in w.links for c, _r, _h in link.children}
        assert (g.holds, g.confirmed, list(g.links), g.possible_at, set(g.children)) == (
            w.holds,
            w.confirmed,
            w.links,
            w.possible_at,
            children,
        ), (entity_type, entity_id, trigger)


def alert_apply(
    store: BulkStore,
    alert: Alert,
    entity_ref: str,
    outcome: Counted,
) -> str | None:
    """`alerts.alert_update` for the bulk path: certainty, children and date now, the
    description at the end of the run. None when nothing changed."""
    what = alert_changed(alert, outcome, sorted(outcome.children))
    if what is not None:
        store.pending[alert.pk] = (alert, entity_ref, outcome.links, len(outcome.links))
    return what

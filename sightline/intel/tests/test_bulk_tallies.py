"""The bulk indexer's running tallies (issue 10 §4) answer what reading the whole picture
answers: `MemoryStore.near` (what each node's referrals name beside it, for the context of
person matching) through mentions added, moved by a merge and removed, and the index of full
registrations by their ends (for a partial plate). Each is compared with the full reading
after every step, on a picture built in memory; a tally that drifted fails here."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import uuid
from itertools import combinations

from sightline.intel.choices import LinkStatus
from sightline.intel.models import Mention, Vehicle
from sightline.intel.normalise import Plate
from sightline.intel.rules import Link
from sightline.intel.services.bulk_rules import RULES, Book, Counted
from sightline.intel.services.bulk_store import MemoryStore

TYPES = ("person", "place", "vehicle", "phone")


def _store() -> MemoryStore:
    return MemoryStore(references=lambda prefix: f"{prefix}-1")


def _assert_same(store: MemoryStore, nodes: list[uuid.UUID], kids: list[uuid.UUID]) -> int:
    """Every pair of candidates against contexts of nodes and children; returns how many
    non-empty answers were compared (so the test knows it compared something)."""
    compared = 0
    contexts = [frozenset(c) for c in combinations(nodes[:5] + kids[:3], 3)]
    contexts += [frozenset(nodes + kids)]
    for context in contexts:
        for pair in combinations(nodes, 2):
            got = store._context_shared(set(pair), context)
            assert got == store._context_shared_full(set(pair), context)
            compared += bool(got)
    return compared


def test_context_tally_matches_reading_every_referral_through_adds_moves_and_removals() -> None:
    rng = random.Random(7)
    store = _store()
    kinds = {uuid.uuid4(): TYPES[i % 4] for i in range(10)}
    nodes = list(kinds)
    kids = [uuid.uuid4() for _ in range(6)]
    referrals = [uuid.uuid4() for _ in range(25)]
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for rid in referrals:
        for cid in rng.sample(kids, rng.randint(0, 2)):
            store.kids[rid].append((str(cid), "C-1", f"h{cid}"))
    compared = 0
    for step, rid in enumerate(referrals):
        for eid in rng.sample(nodes, rng.randint(1, 4)):
            store._mention_add(
                Mention(entity_type=kinds[eid], entity_id=eid, referral_id=rid, occurred_at=at)
            )
        store.edges_rebuild([rid])
        compared += _assert_same(store, nodes, kids)
        if step % 5 == 4:  # a merge: one node's mentions move to another, snapshots rebuilt
            gone, into = rng.sample([n for n in nodes if kinds[n] == "person"], 2)
            moved = list(store.by_entity[gone])
            for m in moved:
                m.entity_id = into
            store.mentions_moved(moved)
            store.edges_rebuild(sorted({m.referral_id for m in moved if m.referral_id}))
            compared += _assert_same(store, nodes, kids)
    for rid in referrals[::3]:  # a referral's mentions removed altogether
        store.by_referral[rid] = []
        store.edges_rebuild([rid])
    compared += _assert_same(store, nodes, kids)
    assert compared > 100
    empty = [eid for eid, near in store.near.items() if any(not k for k in near.values())]
    assert empty == []  # uncounted entries are dropped, not left at zero


def test_partial_plate_index_fits_what_reading_every_registration_fits() -> None:
    store = _store()
    regs = ["AB12CDE", "AB12CDF", "XY99ABC", "AB34CDE", "QQ12CDE"]
    vehicles = [Vehicle(registration=r, is_partial=False, anchor="full") for r in regs]
    for v in vehicles:
        store._vehicle_add(v)
    store._vehicle_add(Vehicle(registration="AB12CDE", is_partial=False, anchor="full"))  # dup
    vehicles[1].is_active = False
    asked = 0
    for anchor in ("start", "end"):
        for value in ("AB", "AB12", "CDE", "12CDE", "AB12CDF", "AB12CDE", "ZZ", "E", ""):
            plate = Plate(value=value, is_partial=True, anchor=anchor)
            got = store._plates_fit_indexed(plate)
            assert got == store._plates_fit(plate), (anchor, value)
            asked += len(got)
    assert asked > 5
    assert store.vehicle_resolve(Plate("XY9", True, "start"))[0] is vehicles[2]


def test_alerts_are_written_in_batches_cut_by_their_evidence() -> None:
    """`alert_batches`: no UPDATE carries more than EVIDENCE_PER_STATEMENT evidence items (an
    alert above the limit goes alone), every alert once, in order."""
    from sightline.intel.models import Alert
    from sightline.intel.services.bulk import EVIDENCE_PER_STATEMENT, alert_batches

    sizes = [
        3,
        EVIDENCE_PER_STATEMENT // 2,
        EVIDENCE_PER_STATEMENT // 2,
        0,
        EVIDENCE_PER_STATEMENT * 2,
        5,
    ]
    alerts = [
        Alert(reference=f"AL-{n}", evidence=[{"n": i} for i in range(k)])
        for n, k in enumerate(sizes)
    ]
    batches = list(alert_batches(iter(alerts)))
    assert [a for b in batches for a in b] == alerts
    for batch in batches:
        if len(batch) > 1:
            assert sum(len(a.evidence) + 1 for a in batch) <= EVIDENCE_PER_STATEMENT
    assert [len(b) for b in batches] == [2, 2, 1, 1]
    assert list(alert_batches([])) == []


def _link(rng: random.Random, when: dt.datetime) -> Link:
    child = rng.randrange(6)
    return Link(
        mention_id=uuid.uuid4(),
        referral_id=uuid.uuid4() if rng.random() < 0.8 else uuid.UUID(int=rng.randrange(3)),
        referral_ref="REF",
        agency=rng.choice(("police", "health", "school")),
        occurred_at=when,
        status=rng.choice((LinkStatus.EXACT, LinkStatus.PROBABLE, LinkStatus.CONFIRMED)),
        score=1.0,
        reasons=(),
        said="",
        categories=frozenset({"sexual_exploitation"}) if rng.random() < 0.5 else frozenset(),
        children=((f"c{child}", f"C-{child}", f"h{child // 2}"),),
    )


def _counts(book: Book) -> tuple[object, ...]:
    def plain(c: Counted) -> tuple[object, ...]:
        return (c.holds, c.confirmed, list(c.links), c.possible_at, set(c.children))

    return (
        book.links,
        book.first,
        book.concerns,
        book.times,
        [plain(book.outcome(h, a)) for h, a in RULES],
        [plain(book.windowed(h)) for h in (2, 3)],
    )


def test_a_book_taking_links_out_of_order_counts_what_one_built_in_order_counts() -> None:
    # ADR 0911: a partner event older than the history, or a merge, puts a link in the middle
    # of an entity's book; rules, first times and a place's 90-day windows must come out as
    # from the links in order, after each link (windows read in between, so cached ones are
    # tested too), and the links an alert kept (a list and a count) are not changed under it.
    rng = random.Random(11)
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    for _round in range(40):
        links = [_link(rng, start + dt.timedelta(days=rng.randrange(400))) for _ in range(25)]
        orders = [(link.occurred_at, i) for i, link in enumerate(links)]
        arrival = list(range(len(links)))
        rng.shuffle(arrival)
        book = Book([], [])
        kept: list[tuple[list[Link], list[Link]]] = []
        for step, i in enumerate(arrival, 1):
            book.add(links[i], orders[i])
            seen = sorted(arrival[:step], key=lambda j: orders[j])
            assert _counts(book) == _counts(
                Book([links[j] for j in seen], [orders[j] for j in seen])
            )
            kept.append((book.links, list(book.links)))
        # an alert keeps (links, how many): appends may grow the list, nothing else changes it
        assert all(held[: len(copy)] == copy for held, copy in kept)


def test_a_place_window_already_counted_takes_a_link_older_than_the_newest() -> None:
    # Two children in ten days hold a place's rule; nothing near it since. A 90-day window
    # counted before an older link arrives must be counted again with it.
    rng = random.Random(3)
    start = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    links = []
    for day, child in ((0, 0), (10, 2), (200, 4), (400, 4), (5, 5)):
        link = _link(rng, start + dt.timedelta(days=day))
        links.append(
            dataclasses.replace(
                link,
                categories=frozenset({"sexual_exploitation"}),
                children=((f"c{child}", f"C-{child}", f"h{child}"),),
                referral_id=uuid.uuid4(),
            )
        )
    orders = [(link.occurred_at, i) for i, link in enumerate(links)]
    book = Book(links[:4], orders[:4])
    assert book.windowed(2).children == {"c0", "c2"}
    book.add(links[4], orders[4])
    assert book.windowed(2).children == {"c0", "c2", "c5"}
    assert _counts(book) == _counts(Book([links[i] for i in (0, 4, 1, 2, 3)], sorted(orders)))

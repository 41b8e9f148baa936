"""The bulk indexer's running tallies (issue 10 §4) answer what reading the whole picture
answers: `MemoryStore.near` (what each node's referrals name beside it, for the context of
person matching) through mentions added, moved by a merge and removed, and the index of full
registrations by their ends (for a partial plate). Each is compared with the full reading
after every step, on a picture built in memory; a tally that drifted fails here."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from itertools import combinations

from sightline.intel.models import Mention, Vehicle
from sightline.intel.normalise import Plate
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

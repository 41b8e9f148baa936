"""Indexing many referrals at once: the demo loader and back-filling a region's history.

The referrals are indexed one at a time in the order they arrived, by the same steps intake
runs (`mentions.index_referral`), and the alert rules run after each one as of that referral,
so entities, links and alerts come out as intake would have made them. What differs is where
the picture lives meanwhile: in memory (`bulk_store.MemoryStore`), loaded with a handful of
reads and written at the end with bulk inserts and updates, in one transaction with no
savepoint per referral and one audit row."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.bulk import bulk_insert
from sightline.core.collection import few_collections
from sightline.core.models import ReferenceCounter
from sightline.core.references import references_reserve
from sightline.intel import rules
from sightline.intel.models import (
    Alert,
    Edge,
    MatchCandidate,
    Mention,
    PersonChange,
    PersonKey,
    PersonOfConcern,
    Phone,
    Place,
    Suggestion,
    Vehicle,
)
from sightline.intel.services.alerts import alert_new, alert_withdraw, alerts_apply, alerts_notify
from sightline.intel.services.bulk_rules import BulkStore, alert_apply, evaluate
from sightline.intel.services.bulk_store import MemoryStore
from sightline.intel.services.groups import groups_compute
from sightline.intel.services.mentions import index_referral
from sightline.referrals.models import Referral

BATCH = 2000
# What `alert_changed`, `alert_describe` and `alert_withdraw` may change in an alert on record.
ALERT_FIELDS = [
    "certainty",
    "possible_at",
    "child_ids",
    "evidence",
    "referral_ids",
    "summary",
    "status",
    "status_reason",
]
PERSON_FIELDS = [
    "profile",
    "names",
    "nicknames",
    "description",
    "addresses",
    "phones",
    "plates",
    "estimated_birth_year",
    "is_active",
]


class ReferenceBlock:
    """Readable references for one bulk run, taken from `core.references` BLOCK at a time
    per prefix (one statement each). On PostgreSQL they come from the prefix's sequence, as
    intake's do, so a bulk run after live intake carries on after it (the counter row there
    only names the sequence); numbers left over at the end are a gap, as a rolled-back
    intake leaves. On SQLite the run holds the write lock throughout, so the counter is put
    back to the last number handed out and the numbering stays gap-free."""

    BLOCK = 1000

    def __init__(self, year: int) -> None:
        self.year = year
        self.free: dict[str, list[str]] = {}
        self.last: dict[str, str] = {}

    def __call__(self, prefix: str) -> str:
        free = self.free.setdefault(prefix, [])
        if not free:
            free.extend(reversed(references_reserve(prefix, self.year, count=self.BLOCK, width=7)))
        self.last[prefix] = free.pop()
        return self.last[prefix]

    def save(self) -> None:
        if connection.vendor == "postgresql":
            return
        for prefix, reference in self.last.items():
            ReferenceCounter.objects.filter(prefix=prefix, year=self.year).update(
                last_value=int(reference.rsplit("-", 1)[1])
            )


def _unindexed(referrals: Iterable[Referral] | None) -> QuerySet[Referral]:
    queryset = Referral.objects.exclude(
        pk__in=Mention.objects.filter(referral__isnull=False).values("referral_id")
    )
    if referrals is not None:
        queryset = queryset.filter(pk__in=[r.pk for r in referrals])
    return queryset.order_by("received_at", "reference")


def _batches(store: MemoryStore, queryset: QuerySet[Referral]) -> Iterator[Referral]:
    """The referrals in order, with what each names read a batch at a time."""
    rows = queryset.iterator(chunk_size=BATCH)
    while batch := list(islice(rows, BATCH)):
        store.named_read(batch)
        for referral in batch:
            yield referral
            del store.named[referral.pk]


@few_collections()  # a history's index is a large, long-lived heap (ADR 0910)
@transaction.atomic
def intel_bulk_index(
    *, referrals: Iterable[Referral] | None = None, acting_user: Any = None, notify: bool = False
) -> dict[str, int]:
    """Index referrals not yet indexed, oldest first, exactly as intake would have (so alerts
    fire at the referral that would have fired them), in one transaction with one audit row.
    For the demo loader and for back-filling; `referrals=None` means every referral."""
    references = ReferenceBlock(timezone.localdate().year)
    store = BulkStore(references)
    store.load()
    counts = {"referrals": 0, "mentions": 0, "alerts": 0, "suggestions": 0}
    raised: list[Alert] = []
    for referral in _batches(store, _unindexed(referrals)):
        result, touched = index_referral(referral, store=store)
        for entity_type, entity_id in sorted(touched):
            changes = alerts_in_memory(store, entity_type, entity_id, referral, raised)
            result.alerts += [alert for alert, _what in changes]
        counts["referrals"] += 1
        counts["mentions"] += len(result.mentions)
        counts["alerts"] += len(result.alerts)
        counts["suggestions"] += len(result.suggestions)
    picture_write(store, raised)
    references.save()
    if notify:
        alerts_notify(raised)
    return _finish(counts, acting_user, "intel_bulk_index")


def _finish(counts: dict[str, int], acting_user: Any, what: str) -> dict[str, int]:
    groups = groups_compute()
    audit_record(
        actor=acting_user,
        action=Action.IMPORT,
        object_type="intel_bulk_index",
        actor_username="" if acting_user else what,
        details={**counts, "groups": groups},
    )
    return counts


@transaction.atomic
def intel_index_one_by_one(
    *, referrals: Iterable[Referral] | None = None, acting_user: Any = None, notify: bool = False
) -> dict[str, int]:
    """The same as `intel_bulk_index`, reading and writing the database referral by referral
    as intake does: the reference the bulk path is held to, and the slow way round."""
    counts = {"referrals": 0, "mentions": 0, "alerts": 0, "suggestions": 0}
    queryset = _unindexed(referrals).prefetch_related("persons_named", "places_named")
    for referral in queryset.iterator(chunk_size=500):
        result, touched = index_referral(referral)
        for entity_type, entity_id in sorted(touched):
            result.alerts += alerts_apply(
                entity_type,
                entity_id,
                fired_by=referral,
                acting_user=acting_user,
                notify=notify,
                audit=False,
            )
        counts["referrals"] += 1
        counts["mentions"] += len(result.mentions)
        counts["alerts"] += len(result.alerts)
        counts["suggestions"] += len(result.suggestions)
    return _finish(counts, acting_user, "intel_bulk_index")


def alerts_in_memory(
    store: BulkStore,
    entity_type: str,
    entity_id: uuid.UUID,
    fired_by: Referral | None,
    raised: list[Alert],
) -> list[tuple[Alert, str]]:
    """`alerts.alerts_apply` over the in-memory picture, the rules reading only what changed
    (`bulk_rules`); a changed alert is described at the end of the run. Each alert changed,
    with what `alerts_apply` would audit of it ("raised", "confirmed", "updated",
    "withdrawn")."""
    if entity_type not in rules.KIND_FOR:
        return []
    outcomes = evaluate(store, entity_type, entity_id)
    current = store.alerts[entity_id]
    before = dict(current)
    entity_ref = store.reference_of(entity_type, entity_id)
    changed: list[tuple[Alert, str]] = []
    for trigger, outcome in outcomes.items():
        alert = before.get(trigger)
        what = "raised"
        if outcome.holds and alert is None:
            reference = store.references("AL")
            alert = alert_new(
                entity_type, entity_id, entity_ref, trigger, outcome, fired_by, reference=reference
            )
            alert.supersedes = before.get("children2") if trigger != "children2" else None
            current[trigger] = alert
            store.new.add(alert.pk)
            raised.append(alert)
        elif outcome.holds and alert is not None:
            updated = alert_apply(store, alert, entity_ref, outcome)
            if updated is None:
                continue
            what = updated
            store.touch(alert.pk)
        elif alert is not None and alert_withdraw(alert):
            what = "withdrawn"
            del current[trigger]
            store.touch(alert.pk)
        else:
            continue
        changed.append((alert, what))
    return changed


def picture_write(store: BulkStore, raised: list[Alert]) -> None:
    """Everything the run made or changed, in bulk, parents before children."""
    store.persons_finish()
    store.alerts_describe()
    new, dirty = store.new, store.dirty

    def made(rows: Iterable[Any]) -> list[Any]:
        return [r for r in rows if r.pk in new]

    def changed(rows: Iterable[Any]) -> list[Any]:
        return [r for r in rows if r.pk in dirty]

    persons = list(store.persons.values())
    bulk_insert(PersonOfConcern, made(persons))
    PersonOfConcern.objects.bulk_update(changed(persons), PERSON_FIELDS)
    _write_keys(store)
    bulk_insert(PersonChange, store.changes)
    places = list(store.places.values())
    bulk_insert(Place, made(places))
    Place.objects.bulk_update(
        changed(places),
        ["postcode", "postcode_key", "latitude", "longitude", "address"],
        batch_size=BATCH,
    )
    bulk_insert(Vehicle, made(store.vehicles.values()))
    bulk_insert(Phone, made(store.phone_ids.values()))
    mentions = list(store.mentions.values())
    bulk_insert(Mention, made(mentions))
    Mention.objects.bulk_update(
        changed(mentions),
        ["entity_id", "link_status", "reasons", "score", "origin_entity_id"],
        batch_size=BATCH,
    )
    bulk_insert(MatchCandidate, store.candidates)
    bulk_insert(Suggestion, store.suggestions)
    _write_edges(store)
    bulk_insert(Alert, raised)
    for alerts in alert_batches(changed(store.loaded_alerts.values())):
        Alert.objects.bulk_update(alerts, ALERT_FIELDS, batch_size=BATCH)


# An alert's evidence lists every link it counts (a network adult's run to hundreds, each
# with its reasons and contributions), so alerts are updated in batches cut by evidence items,
# not by count: one UPDATE stays within tens of megabytes. By count (2,000 alerts), a
# 100,000-referral build sent one statement past PostgreSQL's 1 GB message limit and the
# server closed the connection.
EVIDENCE_PER_STATEMENT = 20_000


def alert_batches(alerts: Iterable[Alert]) -> Iterator[list[Alert]]:
    batch: list[Alert] = []
    items = 0
    for alert in alerts:
        size = len(alert.evidence or ()) + 1
        if batch and items + size > EVIDENCE_PER_STATEMENT:
            yield batch
            batch, items = [], 0
        batch.append(alert)
        items += size
    if batch:
        yield batch


def _write_keys(store: MemoryStore) -> None:
    """Blocking keys of every person the run made or refreshed, re-written in the order they
    were last refreshed, so the oldest row for a key is the one online lookups find first."""
    refreshed = [p for p in store.persons if p in store.new or p in store.dirty]
    PersonKey.objects.filter(person_id__in=[p for p in refreshed if p in store.dirty]).delete()
    rows = sorted(
        (store.holders[key][p], p, key)
        for p in refreshed
        for key in store.keys_of[p]
        if p in store.holders.get(key, {})
    )
    bulk_insert(PersonKey, (PersonKey(person_id=p, key=key) for _seq, p, key in rows))


def _write_edges(store: MemoryStore) -> None:
    """`entities.edges_rebuild` for every referral whose adjacency the run rebuilt."""
    referral_ids = sorted(store.edges_dirty)
    for start in range(0, len(referral_ids), BATCH):
        Edge.objects.filter(referral_id__in=referral_ids[start : start + BATCH]).delete()
    rows: list[Edge] = []
    for rid in referral_ids:
        ents = sorted(store.snapshot[rid])
        children = sorted({uuid.UUID(c) for c, _r, _h in store.kids.get(rid, ())})
        for etype, eid in ents:
            for cid in children:
                rows.append(Edge(a_type=etype, a_id=eid, b_type="child", b_id=cid, referral_id=rid))
                rows.append(Edge(a_type="child", a_id=cid, b_type=etype, b_id=eid, referral_id=rid))
            for otype, oid in ents:
                if oid != eid:
                    rows.append(
                        Edge(a_type=etype, a_id=eid, b_type=otype, b_id=oid, referral_id=rid)
                    )
    bulk_insert(Edge, rows)

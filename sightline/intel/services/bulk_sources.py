"""Indexing many partner events at once (an event import, ADR 0909): each event's names are
indexed by the single path's steps (`sources.source_index`) and the alert rules run for each
entity it touched, one event after another in the file's order, as `mentions_on_source`
does for an event arriving on its own; but over the bulk indexer's picture in memory
(`BulkStore`, ADR 0905 and 0907), so a rule reads only what changed of an entity instead of
its whole history from the database at every event (quadratic in a network adult's
mentions: most of the 100k build's partner-events phase). Written once per chunk, with the
same audit rows and notifications as the events arriving one by one.

The picture is read once for an import (`SourcesPicture`) and kept across its chunks. Before
each chunk a digest of what it was read from (a count and the latest change of each table)
is compared with the one taken after the previous chunk's write: if anybody else indexed a
referral, decided a link or changed an alert meanwhile, the picture is read again."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Model
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.intel.models import (
    Alert,
    MatchCandidate,
    Mention,
    PersonChange,
    PersonKey,
    PersonOfConcern,
    Phone,
    Place,
    Vehicle,
)
from sightline.intel.services.alerts import alert_audit, alert_notify
from sightline.intel.services.bulk import ReferenceBlock, alerts_in_memory, picture_write
from sightline.intel.services.bulk_rules import BulkStore
from sightline.intel.services.common import IntelError
from sightline.intel.services.sources import Source, SourceIndexResult, source_audit, source_index
from sightline.referrals.models import Referral, ReferralChild

# What `MemoryStore.load` reads, and so what another user's write would make stale.
READ_FROM: tuple[type[Model], ...] = (
    Referral,
    ReferralChild,
    PersonOfConcern,
    PersonKey,
    PersonChange,
    Place,
    Vehicle,
    Phone,
    Mention,
    MatchCandidate,
    Alert,
)


@dataclass(frozen=True)
class SourceNames:
    """One source (a partner event) and the names it gives, as `mentions_on_source` takes."""

    source: Source
    persons: Sequence[dict[str, Any]] = ()
    places: Sequence[dict[str, Any]] = ()
    vehicles: Sequence[str] = ()
    phones: Sequence[str] = ()


def picture_digest() -> tuple[tuple[Any, ...], ...]:
    """Per table the picture is read from: its rows and its latest insert and change (the
    id, for the keys). One aggregate each; no rows come back."""
    digest = []
    for model in READ_FROM:
        names = {f.name for f in model._meta.get_fields()}
        wanted: dict[str, Any] = {"n": Count("pk")}
        if "updated_at" in names:
            wanted |= {"c": Max("created_at"), "u": Max("updated_at")}
        else:
            wanted["c"] = Max("pk")
        digest.append(tuple(model._default_manager.aggregate(**wanted).values()))
    return tuple(digest)


@dataclass
class SourcesPicture:
    """The intelligence picture an import keeps in memory across its chunks, read when the
    first chunk naming someone needs it and again only when the database changed under it."""

    store: BulkStore | None = None
    digest: tuple[tuple[Any, ...], ...] | None = None
    reads: int = 0  # how many times the picture was read (the tests)
    references: ReferenceBlock = field(
        default_factory=lambda: ReferenceBlock(timezone.localdate().year)
    )

    def ready(self) -> BulkStore:
        if self.store is None or picture_digest() != self.digest:
            self.references = ReferenceBlock(timezone.localdate().year)
            self.store = BulkStore(self.references)
            self.store.load()
            self.reads += 1
        return self.store

    def written(self, raised: list[Alert]) -> None:
        assert self.store is not None
        self.store.written(raised)
        self.references.save()
        if connection.vendor != "postgresql":  # the counter was put back: reserve from it
            self.references.free.clear()
        self.digest = picture_digest()


def mentions_on_sources(
    *,
    picture: SourcesPicture,
    sources: Sequence[SourceNames],
    acting_user: Any,
    notify: bool = True,
) -> list[SourceIndexResult]:
    """`mentions_on_source` for each source in order, in the caller's transaction (a chunk
    of an import), over `picture`: the same mentions, candidates, merges, alerts, audit rows
    and notifications, written in bulk at the end."""
    if not sources:
        return []
    ids = [s.source.id for s in sources]
    if Mention.objects.filter(source_id__in=ids).exists():
        raise IntelError("This source has already been indexed.")
    store = picture.ready()
    store.sources_children({s.source.id: [str(c) for c in s.source.child_ids] for s in sources})
    raised: list[Alert] = []
    results: list[SourceIndexResult] = []
    for names in sources:
        result, touched = source_index(
            store,
            names.source,
            persons=names.persons,
            places=names.places,
            vehicles=names.vehicles,
            phones=names.phones,
        )
        for entity_type, entity_id in sorted(touched):
            result.alerts += _alerts(store, entity_type, entity_id, raised, acting_user, notify)
        source_audit(acting_user, result)
        results.append(result)
    picture_write(store, raised)
    picture.written(raised)
    return results


def _alerts(
    store: BulkStore,
    entity_type: str,
    entity_id: uuid.UUID,
    raised: list[Alert],
    acting_user: Any,
    notify: bool,
) -> list[Alert]:
    """`alerts_apply` in memory, each change audited (and a new alert notified) as it is
    made, with the alert as it stands then."""
    changed = []
    for alert, what in alerts_in_memory(store, entity_type, entity_id, None, raised):
        action = Action.CREATE if what == "raised" else Action.CHANGE
        alert_audit(alert, acting_user, action, what, True)
        if notify and what == "raised":
            alert_notify(alert)
        changed.append(alert)
    return changed

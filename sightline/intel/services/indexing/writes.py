"""The intake store's writes: real references for the placeholders (every prefix in one
statement, put in place in alert summaries too), then everything the referral made or changed
with one bulk statement per table and kind (persons and their blocking keys, merges, places,
vehicles, phones, mentions, candidates, suggestions, adjacency rows, alerts). The reads are
`IntakeStore`'s (`store`), which is this class with its loading."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from sightline.core.references import references_reserve_many
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
from sightline.intel.services.bulk_store import MemoryStore

WIDTH = 7  # intel references: POC-2026-0000001
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
    "updated_at",
]


class IntakeWrites(MemoryStore):
    """What `IntakeStore` writes (the attributes are the store's; `year` and `tokens`, the
    placeholder references handed out, are set by `IntakeStore`)."""

    year: int
    tokens: dict[str, str]

    # ---- writing ----------------------------------------------------------------------------

    def _references(self, alerts: list[Alert]) -> None:
        """Real references for the placeholders, every prefix in one statement."""
        counts: dict[str, int] = defaultdict(int)
        for prefix in self.tokens.values():
            counts[prefix] += 1
        if not counts:
            return
        taken = references_reserve_many(self.year, counts, width=WIDTH)
        real = {p: iter(refs) for p, refs in taken.items()}
        given = {token: next(real[prefix]) for token, prefix in self.tokens.items()}
        tables: list[Iterable[Any]] = [
            self.persons.values(),
            self.places.values(),
            self.vehicles.values(),
            self.phone_ids.values(),
        ]
        for table in tables:
            for row in table:
                if row.pk in self.new and row.reference in given:
                    row.reference = given[row.reference]

        def swap(text: str) -> str:
            for token in sorted(given, key=len, reverse=True):
                if token in text:
                    text = text.replace(token, given[token])
            return text

        for alert in [*alerts, *self.loaded_alerts.values()]:
            alert.reference = swap(alert.reference)
            alert.entity_ref = swap(alert.entity_ref)
            alert.summary = swap(alert.summary)

    def write(self, raised: list[Alert], *, fresh_referral: uuid.UUID | None) -> None:
        """Everything this referral made or changed, one statement per table and kind."""
        self._references(raised)
        self.persons_finish()
        new, dirty = self.new, self.dirty
        now = timezone.now()
        persons = list(self.persons.values())
        PersonOfConcern.objects.bulk_create([p for p in persons if p.pk in new])
        changed = [p for p in persons if p.pk in dirty]
        for person in changed:
            person.updated_at = now
        PersonOfConcern.objects.bulk_update(changed, PERSON_FIELDS)
        self._write_keys()
        if self.changes:
            PersonChange.objects.bulk_create(self.changes)
        place_rows = list(self.places.values())
        Place.objects.bulk_create([p for p in place_rows if p.pk in new])
        filled = [p for p in place_rows if p.pk in dirty]
        for place in filled:
            place.updated_at = now
        Place.objects.bulk_update(
            filled,
            ["postcode", "postcode_key", "latitude", "longitude", "address", "updated_at"],
        )
        Vehicle.objects.bulk_create([v for v in self.vehicles.values() if v.pk in new])
        Phone.objects.bulk_create([p for p in self.phone_ids.values() if p.pk in new])
        mentions = list(self.mentions.values())
        Mention.objects.bulk_create([m for m in mentions if m.pk in new])
        Mention.objects.bulk_update(
            [m for m in mentions if m.pk in dirty],
            ["entity_id", "link_status", "reasons", "score", "origin_entity_id"],
        )
        MatchCandidate.objects.bulk_create(self.candidates, ignore_conflicts=True)
        Suggestion.objects.bulk_create(self.suggestions)
        self._write_edges(fresh_referral)
        Alert.objects.bulk_create(raised)
        moved = [a for a in self.loaded_alerts.values() if a.pk in dirty]
        for alert in moved:
            alert.updated_at = now
        Alert.objects.bulk_update(
            moved,
            [
                "certainty",
                "possible_at",
                "child_ids",
                "evidence",
                "referral_ids",
                "summary",
                "status",
                "status_reason",
                "updated_at",
            ],
        )

    def _write_keys(self) -> None:
        refreshed = [p for p in self.persons if p in self.new or p in self.dirty]
        stale = [p for p in refreshed if p in self.dirty]
        if stale:
            PersonKey.objects.filter(person_id__in=stale).delete()
        rows = sorted(
            (self.holders[key][p], p, key)
            for p in refreshed
            for key in self.keys_of[p]
            if p in self.holders.get(key, {})
        )
        PersonKey.objects.bulk_create(PersonKey(person_id=p, key=key) for _seq, p, key in rows)

    def _write_edges(self, fresh_referral: uuid.UUID | None) -> None:
        """`entities.edges_rebuild` for the referrals rebuilt (a referral made in this
        transaction has no rows to delete)."""
        referral_ids = sorted(self.edges_dirty)
        stale = [rid for rid in referral_ids if rid != fresh_referral]
        if stale:
            Edge.objects.filter(referral_id__in=stale).delete()
        rows: list[Edge] = []
        for rid in referral_ids:
            ents = sorted(self.snapshot[rid])
            children = sorted({uuid.UUID(c) for c, _r, _h in self.kids.get(rid, ())})
            for etype, eid in ents:
                for cid in children:
                    rows.append(
                        Edge(a_type=etype, a_id=eid, b_type="child", b_id=cid, referral_id=rid)
                    )
                    rows.append(
                        Edge(a_type="child", a_id=cid, b_type=etype, b_id=eid, referral_id=rid)
                    )
                for otype, oid in ents:
                    if oid != eid:
                        rows.append(
                            Edge(a_type=etype, a_id=eid, b_type=otype, b_id=oid, referral_id=rid)
                        )
        Edge.objects.bulk_create(rows)

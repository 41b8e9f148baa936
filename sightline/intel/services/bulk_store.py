"""The bulk indexer's picture, held in memory: entities, blocking keys, mentions, adjacency and
alerts, loaded once, changed by the same steps intake runs (`mentions.index_referral` against
this store), and written once at the end with bulk inserts and updates.

Each lookup answers as the database would, in its order: blocking keys oldest row first (a
person's keys are re-written with its profile), places in the order made. Phones, vehicles:
`bulk_plates.py`; the adjacency and what the alert rules read: `bulk_links.py`."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from itertools import islice
from typing import Any

from sightline.accounts.models import Agency
from sightline.intel import entities, places
from sightline.intel.associates import with_associates
from sightline.intel.choices import CandidateStatus, EntityType, LinkStatus, PersonChangeKind
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
from sightline.intel.normalise import phonetic
from sightline.intel.resolution import PersonFeatures, Profile, person_keys
from sightline.intel.rules import household
from sightline.intel.services.bulk_links import LinksMixin, Node
from sightline.intel.services.bulk_plates import PlatesMixin
from sightline.intel.services.store import PlaceFound
from sightline.intel.services.suggest import suggestion_rows
from sightline.people.matching import normalise_postcode
from sightline.people.models import Child
from sightline.referrals.models import PersonNamed, PlaceNamed, Referral, ReferralChild


class MemoryStore(LinksMixin, PlatesMixin):
    """A `Store` over an in-memory picture; `load()` reads what is already indexed."""

    check = False  # the tests: answer running tallies both ways, and fail on a difference

    def __init__(self, references: Any) -> None:
        self.references = references  # prefix -> next readable reference
        self.persons: dict[uuid.UUID, PersonOfConcern] = {}
        self.profiles: dict[uuid.UUID, Profile] = {}
        self.keys_of: dict[uuid.UUID, set[str]] = {}
        self.holders: dict[str, dict[uuid.UUID, int]] = defaultdict(dict)
        self.key_seq = 0
        self.places: dict[uuid.UUID, Place] = {}
        self.places_by: dict[str, list[Place]] = defaultdict(list)
        self.place_rank: dict[uuid.UUID, int] = {}
        self.vehicles: dict[uuid.UUID, Vehicle] = {}
        self.full_plates: dict[str, Vehicle] = {}
        self.partial_plates: dict[tuple[str, str], Vehicle] = {}
        # (anchor, a full registration's start or end) -> its vehicles, in `full_plates` order
        self.plate_ends: dict[tuple[str, str], list[Vehicle]] = defaultdict(list)
        self.phones: dict[str, Phone] = {}
        self.phone_ids: dict[uuid.UUID, Phone] = {}
        self.mentions: dict[uuid.UUID, Mention] = {}
        self.order: dict[uuid.UUID, tuple[dt.datetime, int]] = {}
        self.by_entity: dict[uuid.UUID, list[Mention]] = defaultdict(list)
        self.located: dict[uuid.UUID, uuid.UUID] = {}  # mention -> the entity list it is in
        self.by_referral: dict[uuid.UUID, list[Mention]] = defaultdict(list)
        self.parts: dict[uuid.UUID, list[Mention]] = defaultdict(list)  # via -> vehicle mentions
        self.snapshot: dict[uuid.UUID, frozenset[Node]] = {}
        self.node_referrals: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
        # child -> the records indexed with it (second-order context reads them, ADR 0214)
        self.child_sources: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
        # node -> what its referrals name beside it: id -> kind ("child" or an entity type)
        # -> on how many of its referrals (`_context_shared` reads it instead of every one)
        self.near: dict[uuid.UUID, dict[uuid.UUID, dict[str, int]]] = defaultdict(dict)
        self.kids: dict[uuid.UUID, list[tuple[str, str, str]]] = defaultdict(list)
        # referral -> the persons and places it names, read a batch at a time (`named_read`)
        self.named: dict[uuid.UUID, tuple[list[PersonNamed], list[PlaceNamed]]] = {}
        self.referral_info: dict[uuid.UUID, tuple[str, frozenset[str]]] = {}
        self.agency_code: dict[uuid.UUID, str] = {}
        self.candidates: list[MatchCandidate] = []
        # persons -> the ambiguous mentions that fit them (linked to neither, reaching each)
        self.ambiguous: dict[uuid.UUID, list[Mention]] = {}
        self.candidate_pairs: set[tuple[uuid.UUID, uuid.UUID]] = set()
        self.suggestions: list[Any] = []
        self.alerts: dict[uuid.UUID, dict[str, Alert]] = defaultdict(dict)  # standing only
        self.loaded_alerts: dict[uuid.UUID, Alert] = {}
        self.new: set[uuid.UUID] = set()  # ids of rows made in this run
        self.dirty: set[uuid.UUID] = set()  # ids of rows on record changed in this run
        self.edges_dirty: set[uuid.UUID] = set()
        # person -> the mentions its in-memory profile and keys were built from
        # person -> how many of its mentions (from the front of `by_entity`) its profile holds;
        # a person one of those mentions left is rebuilt whole (`person_refresh`)
        self.folded: dict[uuid.UUID, int] = {}
        self.shrunk: set[uuid.UUID] = set()
        self.unfinished: set[uuid.UUID] = set()  # persons whose display fields are stale
        self.changes: list[PersonChange] = []  # merges made in this run
        self.apart: set[frozenset[uuid.UUID]] | None = None  # persons split apart
        self.summaries = 0  # mention details read to build profiles (the complexity test)

    # ---- loading ----------------------------------------------------------------------------

    def load(self) -> None:
        self.agency_code = dict(Agency.objects.values_list("pk", "code"))
        for rid, ref, categories in Referral.objects.values_list(
            "pk", "reference", "concern_categories"
        ).iterator(chunk_size=5000):
            self.referral_info[rid] = (ref, frozenset(categories or ()))
        rows = ReferralChild.objects.order_by("created_at").values_list(
            "referral_id",
            "child_id",
            "child__reference",
            "child__address",
            "child__postcode",
            "child__family_name",
        )
        for rid, cid, ref, address, postcode, family in rows.iterator(chunk_size=5000):
            self.kids[rid].append((str(cid), ref, household(address, postcode, family, cid)))
        for person in PersonOfConcern.objects.order_by("created_at"):
            self.persons[person.pk] = person
            self.profiles[person.pk] = Profile.from_json(person.profile)
            self.keys_of[person.pk] = set()
        for person_id, key in PersonKey.objects.order_by("id").values_list("person_id", "key"):
            self._hold(person_id, {key})
        for place in Place.objects.order_by("created_at"):
            self._place_add(place)
        for vehicle in Vehicle.objects.order_by("created_at"):
            self._vehicle_add(vehicle)
        for phone in Phone.objects.order_by("created_at"):
            self.phones.setdefault(phone.number, phone)
            self.phone_ids[phone.pk] = phone
        for mention in Mention.objects.order_by("occurred_at", "created_at").iterator(2000):
            self._mention_add(mention)
        self._source_children()
        for rid in list(self.by_referral):
            self._snapshot(rid)
        self.candidate_pairs.update(MatchCandidate.objects.values_list("mention_id", "entity_id"))
        # The ambiguous fits on record reach their persons, as `rules.entity_links` reads them
        # (without them, an alert of a person a stored mention fits lost that link).
        fits = MatchCandidate.objects.filter(status=CandidateStatus.AMBIGUOUS).order_by(
            "created_at"
        )
        for mention_id, entity_id in fits.values_list("mention_id", "entity_id"):
            if mention_id in self.mentions:
                self.ambiguous.setdefault(entity_id, []).append(self.mentions[mention_id])
        for alert in Alert.objects.exclude(status="withdrawn").order_by("created_at"):
            self.alerts[alert.entity_id][alert.trigger] = alert
            self.loaded_alerts[alert.pk] = alert

    def _source_children(self) -> None:
        """The children of the mentions from another source (a partner event: `child_ids`,
        no referral), by source id, as `rules.entity_links` reads them."""
        sourced = {m.source_key: m.child_ids for m in self.mentions.values() if not m.referral_id}
        self.sources_children(sourced)

    def sources_children(self, sources: dict[uuid.UUID, list[str]]) -> None:
        """`kids` of these sources (not referrals), from their children's ids, one read."""
        wanted = {c for ids in sources.values() for c in ids}
        found: dict[str, tuple[str, str, str]] = {}
        rows = Child.objects.filter(pk__in=wanted).values_list(
            "pk", "reference", "address", "postcode", "family_name"
        )
        for cid, ref, address, postcode, family in rows.iterator(chunk_size=5000):
            found[str(cid)] = (str(cid), ref, household(address, postcode, family, cid))
        for sid, ids in sources.items():
            self.kids[sid] = [found[c] for c in ids if c in found]

    def written(self, raised: list[Alert]) -> None:
        """After a write that keeps the picture in use (an event import's chunk, ADR 0909):
        what was made is on record now and what was changed is written; the next write
        starts from nothing made or changed."""
        self.new.clear()
        self.dirty.clear()
        self.edges_dirty.clear()
        self.candidates = []
        self.suggestions = []
        self.changes = []
        self.loaded_alerts.update((alert.pk, alert) for alert in raised)

    def _hold(self, person_id: uuid.UUID, keys: set[str]) -> None:
        for key in sorted(keys):
            self.key_seq += 1
            held = self.holders[key]
            held.pop(person_id, None)
            held[person_id] = self.key_seq
        self.keys_of[person_id] |= keys

    def _place_add(self, place: Place) -> None:
        self.places[place.pk] = place
        self.place_rank[place.pk] = len(self.place_rank)
        for block in (f"n:{place.name_key}", f"p:{place.postcode_key}"):
            if not block.endswith(":"):
                self.places_by[block].append(place)

    def _mention_add(self, mention: Mention) -> None:
        self.mentions[mention.pk] = mention
        self.order[mention.pk] = (mention.occurred_at, len(self.order))
        self.by_entity[mention.entity_id].append(mention)
        self.located[mention.pk] = mention.entity_id
        self.by_referral[mention.source_key].append(mention)
        if mention.via_id is not None and mention.entity_type == EntityType.VEHICLE:
            self.parts[mention.via_id].append(mention)

    def _new_reference(self, entity_type: str) -> str:
        return str(self.references(entities.PREFIX[EntityType(entity_type)]))

    # ---- the Store protocol -----------------------------------------------------------------

    def children(self, referral: Referral) -> set[uuid.UUID]:
        return {uuid.UUID(c) for c, _r, _h in self.kids.get(referral.pk, ())}

    def named_read(self, referrals: list[Referral]) -> None:
        """The persons and places named on a batch of referrals, two statements in all, in
        the order the referral's own `persons_named` and `places_named` give (Django's
        prefetch built a queryset per referral and relation: a sixth of the bulk index)."""
        by_pk = {r.pk: r for r in referrals}
        self.named.update((pk, ([], [])) for pk in by_pk)
        ids = list(by_pk)
        for person in PersonNamed.objects.filter(referral_id__in=ids).order_by("created_at"):
            person._state.fields_cache["referral"] = by_pk[person.referral_id]
            self.named[person.referral_id][0].append(person)
        for place in PlaceNamed.objects.filter(referral_id__in=ids).order_by("created_at"):
            place._state.fields_cache["referral"] = by_pk[place.referral_id]
            self.named[place.referral_id][1].append(place)

    def persons_named(self, referral: Referral) -> list[PersonNamed]:
        if referral.pk not in self.named:
            return list(referral.persons_named.all())
        return self.named[referral.pk][0]

    def places_named(self, referral: Referral) -> list[PlaceNamed]:
        if referral.pk not in self.named:
            return list(referral.places_named.all())
        return self.named[referral.pk][1]

    def place_resolve(self, *, name: str, kind: str, address: str, postcode: str) -> PlaceFound:
        key, pc = places.place_name_key(name), normalise_postcode(postcode)
        found: dict[uuid.UUID, Place] = {}
        for block in ([f"n:{key}"] if key else []) + ([f"p:{pc}"] if pc else []):
            found.update((p.pk, p) for p in self.places_by.get(block, ()) if p.is_active)
        ordered = sorted(found.values(), key=lambda p: self.place_rank[p.pk])[:100]
        best, reasons, others = places.place_match(ordered, key=key, pc=pc, address=address)
        if best is not None:
            before = best.postcode_key
            if places.place_fill(best, postcode=postcode, address=address):
                self.touch(best.pk)
                if best.postcode_key != before:
                    self.places_by[f"p:{best.postcode_key}"].append(best)
            return best, LinkStatus.EXACT, 1.0, reasons, others
        place = places.place_new(
            name=name,
            kind=kind,
            address=address,
            postcode=postcode,
            reference=self._new_reference(EntityType.PLACE),
        )
        self.new.add(place.pk)
        self._place_add(place)
        return place, LinkStatus.ORIGIN, 1.0, (), others

    def person_candidates(
        self, features: PersonFeatures, *, context: frozenset[uuid.UUID]
    ) -> list[entities.Ranked]:
        strong, weak = entities.key_plan(features)
        ids: set[uuid.UUID] = set()
        rows = [p for k in strong for p in self._holders(k, entities.STRONG_KEY_LIMIT)]
        ids.update(rows[: entities.STRONG_KEY_LIMIT])
        for key in weak:
            ids.update(self._holders(key, entities.WEAK_KEY_LIMIT))
        if not ids:
            return []
        sole = None
        if features.family:
            holders = self._holders(f"fam:{phonetic(features.family)}"[:60], 2)
            sole = holders[0] if len(holders) == 1 else None
        active = [p for p in ids if self.persons[p].is_active]
        return entities.rank_persons(
            features,
            ((p, self.persons[p].reference, self.profiles[p]) for p in active),
            sole=sole,
            shared=with_associates(
                self._context_shared(ids, context), self._associates(ids, context)
            ),
            generic=entities.generic_values(features, self._holders),
            persons=self.register_size(),
        )

    def _holders(self, key: str, limit: int | None = None) -> list[uuid.UUID]:
        """Holders of a key, oldest row first: the dict keeps them in that order, since a
        holder is always removed before it is held again (`_hold`)."""
        return list(islice(self.holders.get(key, {}), limit))

    def person_create(self, features: PersonFeatures) -> uuid.UUID:
        person = PersonOfConcern(reference=self._new_reference(EntityType.PERSON))
        self.persons[person.pk] = person
        self.profiles[person.pk] = Profile()
        self.keys_of[person.pk] = set()
        self.new.add(person.pk)
        return person.pk

    def person_refresh(self, person_id: uuid.UUID) -> None:
        """The person's profile and blocking keys after its mentions changed. Linear over a
        run: only the mentions added since the last refresh are read (a full rebuild only
        when one left, as after a merge); the display fields are rebuilt once, at the end
        (`persons_finish`). The keys move behind the other holders', as the database's
        delete-and-insert does."""
        mentions = self.by_entity.get(person_id, [])
        folded = self.folded.get(person_id)
        if folded is None or person_id in self.shrunk:
            profile, keys, folded = Profile(), set(), 0
            self.shrunk.discard(person_id)
        else:
            profile, keys = self.profiles[person_id], self.keys_of[person_id]
        # mentions are only appended (a move appends to the person it goes to), so those not
        # yet folded are the list's tail: no pass over a much-named person's whole history
        added = sorted(mentions[folded:], key=lambda m: self.order[m.pk])
        for mention in added:
            features = entities.features_from_details(mention.details)
            profile.add(features)
            keys = keys | set(person_keys(features))
        self.summaries += len(added)
        self.folded[person_id] = len(mentions)
        self.profiles[person_id] = profile
        self.persons[person_id].is_active = bool(mentions)
        for key in self.keys_of[person_id]:
            self.holders[key].pop(person_id, None)
        self.keys_of[person_id] = set()
        self._hold(person_id, keys)
        self.unfinished.add(person_id)
        self.touch(person_id)

    def persons_finish(self) -> None:
        """The display fields (names, phones, plates, profile as stored) of every person the
        run refreshed, each rebuilt once from its mentions in order."""
        for person_id in sorted(self.unfinished):
            mentions = sorted(self.by_entity.get(person_id, ()), key=lambda m: self.order[m.pk])
            _profile, fields, _keys = entities.person_summary(m.details for m in mentions)
            self.summaries += len(mentions)
            person = self.persons[person_id]
            for name, value in fields.items():
                setattr(person, name, value)
        self.unfinished.clear()

    def mentions_moved(self, moving: list[Mention]) -> None:
        for mention in moving:
            before = self.located[mention.pk]
            if before != mention.entity_id:
                held = self.by_entity[before]
                at = held.index(mention)
                del held[at]
                if at < self.folded.get(before, 0):  # its profile held this mention
                    self.shrunk.add(before)
                self.by_entity[mention.entity_id].append(mention)
                self.located[mention.pk] = mention.entity_id
            self.touch(mention.pk)

    def mention_add(self, **fields: Any) -> Mention:
        mention = Mention(**fields)
        self.new.add(mention.pk)
        self._mention_add(mention)
        return mention

    def candidates_add(
        self, rows: list[MatchCandidate], *, ignore_conflicts: bool = False
    ) -> list[MatchCandidate]:
        for row in rows:
            pair = (row.mention_id, row.entity_id)
            if pair not in self.candidate_pairs:
                self.candidate_pairs.add(pair)
                self.candidates.append(row)
                if row.status == CandidateStatus.AMBIGUOUS:
                    self.ambiguous.setdefault(row.entity_id, []).append(row.mention)
        return rows

    def suggest(self, referral: Referral, mentions: list[Mention]) -> list[Any]:
        rows = suggestion_rows(referral, mentions, self._first_holder)
        self.suggestions += rows
        return rows

    def _first_holder(self, key: str) -> uuid.UUID | None:
        holders = self._holders(key, 1)
        return holders[0] if holders else None

    def person_merged(self, change: PersonChange) -> None:
        self.changes.append(change)

    def kept_apart(self, a: uuid.UUID, b: uuid.UUID) -> bool:
        if self.apart is None:  # read once, when a merge is first considered; splits are few
            pairs = PersonChange.objects.filter(kind=PersonChangeKind.SPLIT).values_list(
                "from_person", "into_person"
            )
            self.apart = {frozenset(pair) for pair in pairs}
        return frozenset((a, b)) in self.apart

    def touch(self, pk: uuid.UUID) -> None:
        if pk not in self.new:
            self.dirty.add(pk)

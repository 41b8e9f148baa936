"""`IntakeStore`: the part of the picture one referral can touch, read up front with a handful
of batched reads (the places, phones and vehicles it names, the blocking keys of the persons
it names and those persons, their links to what the referral names); a person the referral
is linked to has its mentions read when it is linked (one read each); the alert rules read
the mentions, children and standing alerts of what was touched in one read each. Its writes
are `IntakeWrites`'s (`writes`)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connections
from django.db.models import F, Q, prefetch_related_objects
from django.utils import timezone

from sightline.accounts.models import Agency
from sightline.core.keylocks import PICTURE, keys_lock
from sightline.core.prefetch import prefetched
from sightline.intel import entities, places
from sightline.intel.associates import associates_shared
from sightline.intel.choices import EntityType
from sightline.intel.lockkeys import picture_keys
from sightline.intel.models import (
    Alert,
    Edge,
    Mention,
    PersonKey,
    PersonOfConcern,
    Phone,
    Place,
    Vehicle,
)
from sightline.intel.normalise import normalise_phone, normalise_plate, phonetic
from sightline.intel.resolution import Profile, search_keys
from sightline.intel.rules import household
from sightline.intel.services.indexing.writes import IntakeWrites
from sightline.intel.services.mentions import person_details
from sightline.intel.services.suggest import suggestion_rows
from sightline.people.matching import normalise_postcode
from sightline.referrals.models import PersonNamed, PlaceNamed, Referral, ReferralChild


def _recorder(keys: set[str]) -> Callable[[str], uuid.UUID | None]:
    """A `person_for_key` that finds no one and notes each key it is asked for."""

    def record(key: str) -> uuid.UUID | None:
        keys.add(key)
        return None

    return record


def key_holders(keys: list[str], limit: int) -> list[tuple[uuid.UUID, str]]:
    """(person id, key) of the first `limit` rows of each key (oldest first), in row order:
    what the ORM's `Window(RowNumber())` filter answers, written out. Django compiles that
    query (a window, a filter on it, a subquery) in 0.6 ms of CPU on every intake; as text it
    costs nothing to build, and on PostgreSQL the keys go as one array parameter."""
    conn = connections[PersonKey.objects.db]
    q = conn.ops.quote_name
    table, person, key = q(PersonKey._meta.db_table), q("person_id"), q("key")
    params: list[Any]
    if conn.vendor == "postgresql":
        where, params = f"{key} = ANY(%s)", [keys]
    else:
        where, params = f"{key} IN ({', '.join(['%s'] * len(keys))})", [*keys]
    # Names from the model's metadata, quoted by the backend; every value is a parameter.
    sql = (
        f"SELECT {person}, {key} FROM (SELECT {person}, {key}, {q('id')}, ROW_NUMBER() OVER "  # noqa: S608
        f"(PARTITION BY {key} ORDER BY {q('id')}) AS {q('rank')} FROM {table} WHERE {where}) "
        f"AS {q('ranked')} WHERE {q('rank')} <= %s ORDER BY {q('id')}"
    )
    with conn.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        found = cursor.fetchall()
    return [(p if isinstance(p, uuid.UUID) else uuid.UUID(str(p)), k) for p, k in found]


class IntakeStore(IntakeWrites):
    """The picture one referral can touch, in memory; `write()` stores what changed.

    New rows get placeholder references (`PL-2026-~1`) while the steps run; `write()` takes
    the real ones for every prefix in one statement and puts them in place (in alert
    summaries too), so numbering is what one-at-a-time creation would have given."""

    def __init__(self) -> None:
        super().__init__(self._placeholder)
        self.year = timezone.localdate().year
        self.tokens: dict[str, str] = {}  # placeholder -> prefix, in the order handed out
        self.full: set[uuid.UUID] = set()  # entities whose every mention is loaded
        self.referrals_full: set[uuid.UUID] = set()  # referrals whose every mention is loaded
        self.kids_known: set[uuid.UUID] = set()
        self.alerts_known: set[uuid.UUID] = set()
        self.edge_kinds: dict[uuid.UUID, set[tuple[uuid.UUID, str]]] = defaultdict(set)
        self.associated: set[uuid.UUID] = set()  # candidates with second-order context
        self.loaded_seq = -(10**9)  # rows on record sort before this run's at the same time
        self.registered: int | None = None  # persons on record (`register_size`)

    def register_size(self) -> int:
        """Every person of concern on record (this store holds the referral's few): one count,
        once an intake, and only when the register's size counts (ADR 0216)."""
        if self.registered is None:
            self.registered = entities.persons_on_record()
        return self.registered

    def _placeholder(self, prefix: str) -> str:
        token = f"{prefix}-{self.year}-~{len(self.tokens) + 1}"
        self.tokens[token] = prefix
        return token

    # ---- loading ----------------------------------------------------------------------------

    def load_for(
        self,
        referral: Referral,
        *,
        children: Sequence[ReferralChild] | None,
        vehicles: Sequence[str],
        phones: Sequence[str],
        named: tuple[Sequence[PersonNamed], Sequence[PlaceNamed]] | None = None,
    ) -> None:
        if named is None:
            prefetch_related_objects([referral], "persons_named", "places_named")
        else:
            prefetched(referral, persons_named=named[0], places_named=named[1])
        persons = list(referral.persons_named.all())
        named_places = list(referral.places_named.all())
        self.referral_info[referral.pk] = (
            referral.reference,
            frozenset(referral.concern_categories or ()),
        )
        if Referral.source_agency.is_cached(referral):
            self.agency_code[referral.source_agency_id] = referral.source_agency.code
        self.referrals_full.add(referral.pk)
        if children is not None:
            self.kids[referral.pk] = [
                (
                    str(rc.child_id),
                    rc.child.reference,
                    household(
                        rc.child.address, rc.child.postcode, rc.child.family_name, rc.child_id
                    ),
                )
                for rc in children
            ]
            self.kids_known.add(referral.pk)
        else:
            self.kids_ensure([referral.pk])
        plates = [normalise_plate(p.vehicle_registration) for p in persons]
        plates += [normalise_plate(v) for v in vehicles]
        numbers = [normalise_phone(p.phone) for p in persons] + [normalise_phone(v) for v in phones]
        named_keys = self._person_keys(referral, persons)
        # What this intake names, locked before it is read (ADR 0218).
        keys_lock(
            PICTURE,
            picture_keys(
                places=[(p.name, p.postcode) for p in named_places],
                numbers=numbers,
                plates=plates,
                person_keys=named_keys,
            ),
        )
        self._load_places(named_places)
        self._load_phones({n for n in numbers if n})
        self._load_vehicles([p for p in plates if p is not None])
        keys = set(named_keys)
        suggestion_rows(referral, [], _recorder(keys))  # the keys it would look up
        self._load_persons(referral, keys)

    def _load_places(self, named: list[Any]) -> None:
        keys = {places.place_name_key(p.name) for p in named} - {""}
        pcs = {normalise_postcode(p.postcode) for p in named} - {""}
        if not keys and not pcs:
            return
        block = Q(name_key__in=sorted(keys)) | Q(postcode_key__in=sorted(pcs))
        for place in Place.objects.filter(block).order_by("created_at"):
            self._place_add(place)

    def _load_phones(self, numbers: set[str]) -> None:
        if not numbers:
            return
        for phone in Phone.objects.filter(number__in=sorted(numbers)).order_by("created_at"):
            self.phones.setdefault(phone.number, phone)
            self.phone_ids[phone.pk] = phone

    def _load_vehicles(self, plates: list[Any]) -> None:
        if not plates:
            return
        block = Q(pk__in=[])
        full = sorted({p.value for p in plates if not p.is_partial})
        if full:
            block |= Q(registration__in=full, is_partial=False)
        for plate in (p for p in plates if p.is_partial):
            fits = (
                Q(registration__startswith=plate.value)
                if plate.anchor == "start"
                else Q(registration__endswith=plate.value)
            )
            block |= (fits & Q(is_partial=False)) | Q(
                registration=plate.value, is_partial=True, anchor=plate.anchor
            )
        for vehicle in Vehicle.objects.filter(block).order_by("created_at"):
            self._vehicle_add(vehicle)

    @staticmethod
    def _person_keys(referral: Referral, persons: list[Any]) -> set[str]:
        """The blocking keys the persons named can look up."""
        year = timezone.localtime(referral.received_at).year
        keys: set[str] = set()
        for person in persons:
            features = entities.features_from_details(
                person_details(person, year=year, place_ids=[])
            )
            keys.update(search_keys(features))
            if features.family:
                keys.add(f"fam:{phonetic(features.family)}"[:60])
        return keys

    def _load_persons(self, referral: Referral, keys: set[str]) -> None:
        """The rows of `keys` (the persons named and the narrative's names), at most
        STRONG_KEY_LIMIT a key, oldest first; the persons holding them; and their links to
        the children and to the places, phones and vehicles found."""
        if not keys:
            return
        rows = key_holders(sorted(keys), entities.STRONG_KEY_LIMIT)
        if not rows:
            return
        ids = {person_id for person_id, _key in rows}
        for person in PersonOfConcern.objects.filter(pk__in=ids).order_by("created_at"):
            self._person_add(person)
        for person_id, key in rows:
            self._hold(person_id, {key})
        children = frozenset(uuid.UUID(c) for c, _r, _h in self.kids.get(referral.pk, ()))
        self.associated = associates_shared(ids, children)  # one statement (ADR 0214)
        context = {*children, *self.places, *self.phone_ids, *self.vehicles, *ids}
        for a_id, b_id, b_type in (
            Edge.objects.filter(a_id__in=ids, b_id__in=context)
            .values_list("a_id", "b_id", "b_type")
            .distinct()
        ):
            self.edge_kinds[a_id].add((b_id, b_type))

    def _person_add(self, person: PersonOfConcern) -> None:
        self.persons[person.pk] = person
        self.profiles[person.pk] = Profile.from_json(person.profile)
        self.keys_of[person.pk] = set()

    def mentions_ensure(self, entity_ids: Iterable[uuid.UUID]) -> None:
        """Every mention of these entities (and the vehicles named with them), once."""
        missing = sorted({e for e in entity_ids if e not in self.full and e not in self.new})
        if not missing:
            return
        self.full.update(missing)
        # The vehicles named through these entities' mentions, as a second part of one
        # statement (UNION ALL): written as an OR across the join to `via`, PostgreSQL hashed
        # every mention (52,000 at 100,000 referrals) to answer it.
        via = Mention.objects.filter(entity_id__in=missing).values("pk")
        self._mentions_load(
            Q(entity_id__in=missing), Q(entity_type=EntityType.VEHICLE, via_id__in=via)
        )

    def _mentions_load(self, where: Q, *more: Q) -> None:
        def part(condition: Q) -> Any:
            return (
                Mention.objects.filter(condition)
                .annotate(
                    _ref=F("referral__reference"),
                    _categories=F("referral__concern_categories"),
                    _agency=F("agency__code"),
                )
                .order_by()  # a part of a UNION has no order of its own
            )

        rows = part(where)
        if more:
            rows = rows.union(*(part(q) for q in more), all=True)
        for mention in rows.order_by("occurred_at", "created_at"):
            if mention.referral_id is None:  # a partner event's mention: no referral to read
                continue
            self.referral_info.setdefault(
                mention.referral_id,
                (mention._ref, frozenset(mention._categories or ())),
            )
            self.agency_code.setdefault(mention.agency_id, mention._agency)
            if mention.pk in self.mentions:
                continue
            self._mention_add(mention)
            self.loaded_seq += 1
            self.order[mention.pk] = (mention.occurred_at, self.loaded_seq)

    def kids_ensure(self, referral_ids: Iterable[uuid.UUID]) -> None:
        missing = sorted(set(referral_ids) - self.kids_known)
        if not missing:
            return
        self.kids_known.update(missing)
        rows = (
            ReferralChild.objects.filter(referral_id__in=missing)
            .order_by("created_at")
            .values_list(
                "referral_id",
                "child_id",
                "child__reference",
                "child__address",
                "child__postcode",
                "child__family_name",
            )
        )
        for rid, cid, ref, address, postcode, family in rows:
            self.kids[rid].append((str(cid), ref, household(address, postcode, family, cid)))

    def prepare_alerts(self, entity_ids: set[uuid.UUID]) -> None:
        """What the alert rules read of these entities: their mentions, the children on those
        referrals, and their standing alerts (one read each)."""
        self.mentions_ensure(entity_ids)
        self.kids_ensure(
            {
                m.referral_id
                for e in entity_ids
                for m in self.by_entity.get(e, ())
                if m.referral_id is not None
            }
        )
        missing = sorted(entity_ids - self.alerts_known - self.new)
        self.alerts_known.update(entity_ids)
        if missing:
            standing = Alert.objects.filter(entity_id__in=missing).exclude(status="withdrawn")
            for alert in standing.order_by("created_at"):
                self.alerts[alert.entity_id][alert.trigger] = alert
                self.loaded_alerts[alert.pk] = alert
        unknown = {m.agency_id for e in entity_ids for m in self.by_entity.get(e, ())}
        if unknown - set(self.agency_code):
            self.agency_code.update(Agency.objects.values_list("pk", "code"))

    # ---- the Store protocol, where the picture is partial -----------------------------------

    def _context_shared(
        self, person_ids: set[uuid.UUID], context: frozenset[uuid.UUID]
    ) -> dict[uuid.UUID, frozenset[str]]:
        found: dict[uuid.UUID, frozenset[str]] = {}
        for pid in person_ids:
            kinds = {kind for b_id, kind in self.edge_kinds.get(pid, ()) if b_id in context}
            if kinds:
                found[pid] = frozenset(kinds)
        return found

    def _associates(
        self, person_ids: set[uuid.UUID], context: frozenset[uuid.UUID]
    ) -> set[uuid.UUID]:
        # read with the persons (`_load_persons`); a person made on this referral has none
        return self.associated & person_ids

    def person_refresh(self, person_id: uuid.UUID) -> None:
        self.mentions_ensure([person_id])
        super().person_refresh(person_id)

    def mentions_of(self, entity_id: uuid.UUID) -> list[Mention]:
        self.mentions_ensure([entity_id])
        return super().mentions_of(entity_id)

    def edges_rebuild(self, referral_ids: list[uuid.UUID]) -> None:
        missing = sorted(set(referral_ids) - self.referrals_full)
        if missing:
            self.referrals_full.update(missing)
            self._mentions_load(Q(referral_id__in=missing))
        self.kids_ensure(referral_ids)
        super().edges_rebuild(referral_ids)

    def links_of(self, entity_id: uuid.UUID) -> list[Any]:
        if entity_id not in self.full and entity_id not in self.new:
            self.prepare_alerts({entity_id})
        return super().links_of(entity_id)

    def vehicles_of(self, person_id: uuid.UUID) -> set[uuid.UUID]:
        self.mentions_ensure([person_id])
        found = super().vehicles_of(person_id)
        # The vehicle rule reads each of these next (`links_of`): all in one read each of
        # mentions, children and alerts, not two statements a vehicle.
        unread = {v for v in found if v not in self.full and v not in self.new}
        if unread:
            self.prepare_alerts(unread)
        return found

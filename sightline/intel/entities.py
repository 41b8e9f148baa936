"""Finding or making entities for one mention, and keeping derived rows (person profiles and
keys, the adjacency table) in step. Internal to the intel services: every function here runs
inside the caller's transaction and writes no audit rows of its own."""

from __future__ import annotations

import functools
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from sightline.core.references import next_reference
from sightline.intel.associates import associates_shared, with_associates
from sightline.intel.choices import EntityType, LinkStatus
from sightline.intel.models import (
    ENTITY_MODELS,
    Edge,
    Entity,
    Mention,
    PersonKey,
    PersonOfConcern,
    Phone,
    Vehicle,
)
from sightline.intel.normalise import (
    Plate,
    display_phone,
    display_plate,
    normalise_phone,
    phonetic,
)
from sightline.intel.ranking import (
    GENERIC_HOLDERS,
    Ranked,
    generic_keys,
    generic_values,
    rank_persons,
)
from sightline.intel.resolution import (
    CAPPED_KEYS,
    PersonFeatures,
    Profile,
    person_keys,
    search_keys,
)

# Ranking lives in `intel.ranking`; read from here as before.
__all__ = ["GENERIC_HOLDERS", "Ranked", "generic_values", "rank_persons"]
from sightline.referrals.models import ReferralChild

PREFIX = {
    EntityType.PERSON: "POC",
    EntityType.PLACE: "PL",
    EntityType.VEHICLE: "VH",
    EntityType.PHONE: "PH",
    EntityType.HANDLE: "HD",
}
WEAK_KEY_LIMIT = 60
STRONG_KEY_LIMIT = 200


def new_reference(entity_type: str) -> str:
    return next_reference(PREFIX[EntityType(entity_type)], timezone.localdate().year, 7)


# ---- persons -------------------------------------------------------------------------------


def features_from_details(details: dict[str, Any]) -> PersonFeatures:
    """A mention's features. Pure in the details, so the same details (read again to refresh
    a profile, rebuild the display fields, or replay a merge) are parsed once (`_features`:
    a person's name through nameparser was the bulk index's largest cost)."""
    args = (
        details.get("name", ""),
        details.get("nickname", ""),
        details.get("approximate_age"),
        details.get("year"),
        details.get("phone", ""),
        details.get("vehicle_registration", ""),
        details.get("address", ""),
        details.get("description", ""),
        frozenset(details.get("place_ids", [])),
    )
    try:
        return _features(*args)
    except TypeError:  # a value that cannot be a cache key (not what mentions store)
        return _features.__wrapped__(*args)


@functools.lru_cache(maxsize=1 << 16)
def _features(
    name: str,
    nickname: str,
    approximate_age: int | None,
    year: int | None,
    phone: str,
    vehicle_registration: str,
    address: str,
    description: str,
    place_ids: frozenset[str],
) -> PersonFeatures:
    return PersonFeatures.from_named(
        name=name,
        nickname=nickname,
        approximate_age=approximate_age,
        year=year,
        phone=phone,
        vehicle_registration=vehicle_registration,
        address=address,
        description=description,
        place_ids=place_ids,
    )


def key_plan(features: PersonFeatures) -> tuple[list[str], list[str]]:
    """The keys to look up for a mention: exact identifiers (one lookup, at most
    STRONG_KEY_LIMIT rows) and the broader name keys (each at most WEAK_KEY_LIMIT rows)."""
    keys = search_keys(features)
    capped = [k for k in keys if k.startswith(CAPPED_KEYS)]
    return sorted(k for k in keys if not k.startswith(CAPPED_KEYS)), capped


def person_candidates(
    features: PersonFeatures,
    *,
    limit: int = 10,
    context: frozenset[uuid.UUID] = frozenset(),
    persons: int = 0,
) -> list[Ranked]:
    """Existing persons of concern this mention may be, best first (blocking keys, then
    scoring). Broad keys (a surname or first name alone, or with an initial or an age band)
    are capped so a common name costs one bounded index scan: all of them in one statement.
    `context`: the children on the referral and the entities already resolved on it; a
    candidate already joined to one of them (through another referral), or named with a
    person of concern already named with one of its children (`associates`), scores more
    (`resolution.with_context`). `persons`: how many persons of concern are on record
    (`persons_on_record`), for the link decision (ADR 0216)."""
    strong, capped = key_plan(features)
    ids: set[uuid.UUID] = set()
    if strong:
        ids.update(
            PersonKey.objects.filter(key__in=strong).values_list("person_id", flat=True)[
                :STRONG_KEY_LIMIT
            ]
        )
    if capped:
        parts = [
            PersonKey.objects.filter(key=key).values_list("person_id", flat=True)[:WEAK_KEY_LIMIT]
            for key in capped
        ]
        if len(parts) > 1 and connection.features.supports_slicing_ordering_in_compound:
            ids.update(parts[0].union(*parts[1:], all=True))  # one statement (PostgreSQL)
        else:
            for part in parts:
                ids.update(part)
    if not ids:
        return []
    rows = PersonOfConcern.objects.filter(pk__in=ids, is_active=True).values_list(
        "id", "reference", "profile"
    )
    return rank_persons(
        features,
        ((pk, reference, Profile.from_json(profile)) for pk, reference, profile in rows),
        sole=surname_sole_holder(features),
        shared=with_associates(context_shared(ids, context), associates_shared(ids, context)),
        limit=limit,
        generic=generic_values(features, _holders_of(list(generic_keys(features))).__getitem__),
        persons=persons,
    )


def _holders_of(keys: list[str]) -> defaultdict[str, list[uuid.UUID]]:
    """Up to GENERIC_HOLDERS persons holding each key: one statement on PostgreSQL (a union of
    bounded index scans), one a key elsewhere."""
    found: defaultdict[str, list[uuid.UUID]] = defaultdict(list)
    parts = [
        PersonKey.objects.filter(key=key).values_list("key", "person_id")[:GENERIC_HOLDERS]
        for key in keys
    ]
    if len(parts) > 1 and connection.features.supports_slicing_ordering_in_compound:
        parts = [parts[0].union(*parts[1:], all=True)]
    for part in parts:
        for key, person_id in part:
            found[key].append(person_id)
    return found


def persons_on_record() -> int:
    """How many persons of concern are on record (active): the register a mention is matched
    against, whose size raises the bar for a link (ADR 0216). One count on an index, and none
    (0) when `SIGHTLINE_LINK_REGISTER_PRIOR` is off, since then the size counts for nothing."""
    if not settings.SIGHTLINE_LINK_REGISTER_PRIOR:
        return 0
    return PersonOfConcern.objects.filter(is_active=True).count()


def context_shared(
    person_ids: set[uuid.UUID], context: frozenset[uuid.UUID]
) -> dict[uuid.UUID, frozenset[str]]:
    """For each candidate, the kinds of context node ("child", "vehicle", ...) it is already
    joined to in the adjacency table (one indexed lookup on `Edge.a_id`)."""
    if not person_ids or not context:
        return {}
    found: dict[uuid.UUID, set[str]] = {}
    for a_id, b_type in (
        Edge.objects.filter(a_id__in=person_ids, b_id__in=context)
        .values_list("a_id", "b_type")
        .distinct()
    ):
        found.setdefault(a_id, set()).add(b_type)
    return {k: frozenset(v) for k, v in found.items()}


def surname_sole_holder(features: PersonFeatures) -> uuid.UUID | None:
    """The one person of concern on record whose surname sounds like the mention's, or None
    when there are none or several (one indexed lookup, at most two rows read)."""
    if not features.family:
        return None
    holders = list(
        # (person, key) rows are unique, so the index scan stops at the second row
        PersonKey.objects.filter(key=f"fam:{phonetic(features.family)}"[:60]).values_list(
            "person_id", flat=True
        )[:2]
    )
    return holders[0] if len(holders) == 1 else None


def person_create(features: PersonFeatures) -> PersonOfConcern:
    person = PersonOfConcern.objects.create(reference=new_reference(EntityType.PERSON))
    return person


def person_summary(
    mention_details: Iterable[dict[str, Any]],
) -> tuple[Profile, dict[str, Any], set[str]]:
    """A person's profile, display fields and blocking keys from its mentions' details."""
    profile = Profile()
    shown: dict[str, list[str]] = {
        k: [] for k in ("names", "nicknames", "descriptions", "addresses", "phones", "plates")
    }
    keys: set[str] = set()
    count = 0
    for details in mention_details:
        count += 1
        f = features_from_details(details)
        profile.add(f)
        keys.update(person_keys(f))
        values = [
            ("names", details.get("name", "")),
            ("nicknames", details.get("nickname", "")),
            ("descriptions", details.get("description", "")),
            ("addresses", details.get("address", "")),
            ("phones", display_phone(f.phone) if f.phone else ""),
            ("plates", _plate_shown(f.plate) if f.plate is not None else ""),
        ]
        for bucket, value in values:
            if value and value not in shown[bucket]:
                shown[bucket].append(value)
    years = sorted(profile.birth_years)
    fields = {
        "profile": profile.to_json(),
        "names": shown["names"][:20],
        "nicknames": shown["nicknames"][:20],
        "description": "; ".join(shown["descriptions"][:5])[:2000],
        "addresses": shown["addresses"][:10],
        "phones": shown["phones"][:10],
        "plates": shown["plates"][:10],
        "estimated_birth_year": years[len(years) // 2] if years else None,
        "is_active": count > 0,
    }
    return profile, fields, keys


def _plate_shown(plate: Plate) -> str:
    shown = display_plate(plate.value) if not plate.is_partial else plate.value
    return ("…" if plate.anchor == "end" else "") + shown + ("…" if plate.anchor == "start" else "")


def person_refresh(person_id: uuid.UUID) -> None:
    """Rebuild a person's profile and blocking keys from its mentions."""
    mentions = Mention.objects.filter(entity_id=person_id).values_list("details", flat=True)
    _profile, fields, keys = person_summary(mentions)
    PersonOfConcern.objects.filter(pk=person_id).update(**fields, updated_at=timezone.now())
    PersonKey.objects.filter(person_id=person_id).delete()
    PersonKey.objects.bulk_create(PersonKey(person_id=person_id, key=k) for k in sorted(keys))


# ---- vehicles, phones ----------------------------------------------------------------------


def vehicle_resolve(plate: Plate) -> tuple[Vehicle, str, float, tuple[str, ...]]:
    if not plate.is_partial:
        found = Vehicle.objects.filter(registration=plate.value, is_partial=False).first()
        if found is not None:
            return found, LinkStatus.EXACT, 1.0, ("same registration",)
        vehicle = Vehicle.objects.create(
            reference=new_reference(EntityType.VEHICLE), registration=plate.value
        )
        return vehicle, LinkStatus.ORIGIN, 1.0, ()
    lookup = (
        Q(registration__startswith=plate.value)
        if plate.anchor == "start"
        else Q(registration__endswith=plate.value)
    )
    fits = list(Vehicle.objects.filter(lookup, is_partial=False, is_active=True)[:3])
    if len(fits) == 1:
        return fits[0], LinkStatus.PROBABLE, 0.85, ("partial registration fits one vehicle",)
    same = Vehicle.objects.filter(
        registration=plate.value, is_partial=True, anchor=plate.anchor
    ).first()
    if same is not None:
        return same, LinkStatus.EXACT, 1.0, ("same partial registration",)
    vehicle = Vehicle.objects.create(
        reference=new_reference(EntityType.VEHICLE),
        registration=plate.value,
        is_partial=True,
        anchor=plate.anchor,
    )
    return vehicle, LinkStatus.ORIGIN, 1.0, ()


def phone_resolve(number: str) -> tuple[Phone, str]:
    e164 = normalise_phone(number)
    found = Phone.objects.filter(number=e164).first()
    if found is not None:
        return found, LinkStatus.EXACT
    return Phone.objects.create(reference=new_reference(EntityType.PHONE), number=e164), (
        LinkStatus.ORIGIN
    )


def entity_get(entity_type: str, entity_id: Any) -> Entity | None:
    model = ENTITY_MODELS.get(entity_type)
    if model is None:
        return None
    return model.objects.filter(pk=entity_id).first()  # type: ignore[attr-defined]


def entity_set_active(entity_type: str, entity_id: uuid.UUID) -> None:
    """An entity with no mentions left is retired (kept, for audit and undo)."""
    if entity_type == EntityType.PERSON:
        person_refresh(entity_id)
        return
    has = Mention.objects.filter(entity_id=entity_id).exists()
    ENTITY_MODELS[entity_type].objects.filter(pk=entity_id).update(is_active=has)  # type: ignore[attr-defined]


# ---- adjacency -----------------------------------------------------------------------------


def edges_rebuild(referral_ids: list[uuid.UUID]) -> None:
    """Adjacency for these referrals (or other sources, by their id: a partner event): every
    entity named on one is joined to each child on it and to each other entity named on it
    (both directions). `Edge.referral_id` holds the source's id either way."""
    Edge.objects.filter(referral_id__in=referral_ids).delete()
    nodes: dict[uuid.UUID, set[tuple[str, uuid.UUID]]] = {r: set() for r in referral_ids}
    children: dict[uuid.UUID, set[uuid.UUID]] = {r: set() for r in referral_ids}
    for rid, sid, etype, eid, kids in Mention.objects.filter(
        Q(referral_id__in=referral_ids) | Q(source_id__in=referral_ids)
    ).values_list("referral_id", "source_id", "entity_type", "entity_id", "child_ids"):
        key = rid or sid
        if key is None:
            continue
        nodes[key].add((etype, eid))
        if rid is None:
            children[key].update(uuid.UUID(c) for c in kids)
    for rid, cid in ReferralChild.objects.filter(referral_id__in=referral_ids).values_list(
        "referral_id", "child_id"
    ):
        children[rid].add(cid)
    rows: list[Edge] = []
    for rid in referral_ids:
        ents = sorted(nodes[rid])
        for etype, eid in ents:
            for cid in children[rid]:
                rows.append(Edge(a_type=etype, a_id=eid, b_type="child", b_id=cid, referral_id=rid))
                rows.append(Edge(a_type="child", a_id=cid, b_type=etype, b_id=eid, referral_id=rid))
            for otype, oid in ents:
                if oid != eid:
                    rows.append(
                        Edge(a_type=etype, a_id=eid, b_type=otype, b_id=oid, referral_id=rid)
                    )
    Edge.objects.bulk_create(rows, batch_size=2000)

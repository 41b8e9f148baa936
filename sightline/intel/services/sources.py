"""Indexing what another source names (a partner event: a police incident, a missing
episode): the persons, places, vehicles and phones become mentions of shared entities, found
or made, by the same online steps as a referral's (`mentions.py` over the `DatabaseStore`),
and the same alert rules run. The mention holds the source's kind, id and reference and the
children it concerns instead of a referral."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.keylocks import PICTURE, keys_lock
from sightline.intel import entities
from sightline.intel.choices import EntityType, LinkStatus
from sightline.intel.keys import search_keys
from sightline.intel.lockkeys import picture_keys
from sightline.intel.models import Alert, MatchCandidate, Mention
from sightline.intel.normalise import normalise_phone, normalise_plate
from sightline.intel.services.alerts import alerts_apply
from sightline.intel.services.common import IntelError
from sightline.intel.services.mentions import (
    _person_merge,
    _store_candidates,
    as_survivor,
    explain,
    link_of,
    links,
    merge_order,
    pick_top,
    said,
    to_merge,
)
from sightline.intel.services.store import DatabaseStore, Store


@dataclass(frozen=True)
class Source:
    """Where the names came from: its kind ("event"), id, reference, agency, when, which
    children it concerns and its concern categories (the place rule reads exploitation)."""

    kind: str
    id: uuid.UUID
    reference: str
    agency_id: uuid.UUID
    occurred_at: dt.datetime
    child_ids: tuple[uuid.UUID, ...]
    categories: tuple[str, ...] = ()


@dataclass
class SourceIndexResult:
    source: Source
    mentions: list[Mention] = field(default_factory=list)
    candidates: list[MatchCandidate] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)

    def entity_of(self, mention_index: int) -> uuid.UUID:
        return self.mentions[mention_index].entity_id


@transaction.atomic
def mentions_on_source(
    *,
    source: Source,
    acting_user: Any,
    persons: Sequence[dict[str, Any]] = (),
    places: Sequence[dict[str, Any]] = (),
    vehicles: Sequence[str] = (),
    phones: Sequence[str] = (),
    notify: bool = True,
) -> SourceIndexResult:
    """Index one source's names in the caller's transaction, then run the alert rules for
    every entity touched. `persons`: dicts with name, nickname, approximate_age, phone,
    vehicle_registration, address, description (and anything else, kept in details);
    `places`: name, kind, address, postcode. Call once per source."""
    if Mention.objects.filter(source_id=source.id).exists():
        raise IntelError("This source has already been indexed.")
    _lock_what_is_named(source, persons, places, vehicles, phones)
    result, touched = source_index(
        DatabaseStore(), source, persons=persons, places=places, vehicles=vehicles, phones=phones
    )
    for entity_type, entity_id in sorted(touched):
        result.alerts += alerts_apply(
            entity_type, entity_id, fired_by=None, acting_user=acting_user, notify=notify
        )
    source_audit(acting_user, result)
    return result


def _lock_what_is_named(
    source: Source,
    persons: Sequence[dict[str, Any]],
    places: Sequence[dict[str, Any]],
    vehicles: Sequence[str],
    phones: Sequence[str],
) -> None:
    """The keys of what the source names, locked as an intake locks them (ADR 0218), so an
    event and an intake naming the same new place at once make one record of it."""
    year = source.occurred_at.year
    person_keys: set[str] = set()
    for person in persons:
        features = entities.features_from_details({**person, "year": year, "place_ids": []})
        person_keys.update(search_keys(features))
    keys_lock(
        PICTURE,
        picture_keys(
            places=[(p.get("name", ""), p.get("postcode", "")) for p in places],
            numbers=[
                normalise_phone(v or "") for v in [*phones, *(p.get("phone") for p in persons)]
            ],
            plates=[
                normalise_plate(v or "")
                for v in [*vehicles, *(p.get("vehicle_registration") for p in persons)]
            ],
            person_keys=person_keys,
        ),
    )


def source_index(
    store: Store,
    source: Source,
    *,
    persons: Sequence[dict[str, Any]] = (),
    places: Sequence[dict[str, Any]] = (),
    vehicles: Sequence[str] = (),
    phones: Sequence[str] = (),
) -> tuple[SourceIndexResult, set[tuple[str, uuid.UUID]]]:
    """The mentions of one source's names, made against `store` (the database, or the
    picture an event import keeps in memory, `bulk_sources`); the entities touched, for the
    alert rules."""
    result = SourceIndexResult(source)
    touched: set[tuple[str, uuid.UUID]] = set()
    common: dict[str, Any] = {
        "referral": None,
        "source_kind": source.kind,
        "source_id": source.id,
        "source_ref": source.reference,
        "child_ids": [str(c) for c in source.child_ids],
        "agency_id": source.agency_id,
        "occurred_at": source.occurred_at,
    }
    extra = {"categories": list(source.categories)}
    place_ids: list[str] = []
    for named in places:
        place, status, score, reasons, others = store.place_resolve(
            name=named.get("name", ""),
            kind=named.get("kind", "other"),
            address=named.get("address", ""),
            postcode=named.get("postcode", ""),
        )
        mention = store.mention_add(
            **common,
            entity_type=EntityType.PLACE,
            entity_id=place.pk,
            said=said(named.get("name", ""), named.get("address", ""), named.get("postcode", "")),
            details={**extra, **{k: named.get(k, "") for k in ("name", "kind", "postcode")}},
            link_status=status,
            score=score,
            reasons=list(reasons),
            origin_entity_id=place.pk if status == LinkStatus.ORIGIN else None,
        )
        result.mentions.append(mention)
        result.candidates += _store_candidates(store, mention, EntityType.PLACE, others, place.pk)
        touched.add((EntityType.PLACE, place.pk))
        place_ids.append(str(place.pk))
    context: set[uuid.UUID] = set(source.child_ids) | {m.entity_id for m in result.mentions}
    year = source.occurred_at.year
    for person in persons:
        details = {**person, **extra, "year": year, "place_ids": place_ids}
        _person(store, person, details, common, context, result, touched)
    for value in phones:
        if normalise_phone(value):
            _phone(store, common, extra, value, None, result, touched)
    for value in vehicles:
        _vehicle(store, common, extra, value, None, result, touched)
    store.edges_rebuild([source.id])
    return result, touched


def source_audit(acting_user: Any, result: SourceIndexResult) -> None:
    """The source's index row (after its alerts' rows)."""
    source = result.source
    audit_record(
        actor=acting_user,
        action=Action.LINK,
        object_type="intel_index",
        object_id=source.id,
        object_ref=source.reference,
        actor_username="" if acting_user else "intel_index",
        details={
            "source": source.kind,
            "mentions": len(result.mentions),
            "candidates": len(result.candidates),
            "alerts": [a.reference for a in result.alerts],
        },
    )


def _person(
    store: Store,
    person: dict[str, Any],
    details: dict[str, Any],
    common: dict[str, Any],
    context: set[uuid.UUID],
    result: SourceIndexResult,
    touched: set[tuple[str, uuid.UUID]],
) -> None:
    features = entities.features_from_details(details)
    if not features.has_identity and not person.get("description"):
        return
    ranked = store.person_candidates(features, context=frozenset(context))
    top = pick_top(ranked)
    for other in to_merge(top, ranked):
        if top is None:
            break  # to_merge offers nobody without a top
        into, gone = merge_order(top, other)
        result.candidates += _person_merge(store, into=into, other=gone)
        touched.add((EntityType.PERSON, gone.entity_id))
        top = as_survivor(top, into)
    origin: uuid.UUID | None
    # a partner event carries no concern of its own: only the probable threshold links here
    if top is not None and links(top, ranked, concern=lambda: False):
        person_id, origin = top.entity_id, None
        status, score, reasons = link_of(top)
    else:
        person_id = origin = store.person_create(features)
        status, score, reasons = LinkStatus.ORIGIN, 1.0, ()
    nickname = person.get("nickname", "")
    mention = store.mention_add(
        **common,
        entity_type=EntityType.PERSON,
        entity_id=person_id,
        said=said(
            person.get("name", ""),
            f'known as "{nickname}"' if nickname else "",
            person.get("description", ""),
        ),
        details=details,
        link_status=status,
        score=score,
        reasons=list(reasons),
        origin_entity_id=origin,
        explanation=explain(top if origin is None else None, ranked),
    )
    store.person_refresh(person_id)
    result.mentions.append(mention)
    result.candidates += _store_candidates(store, mention, EntityType.PERSON, ranked, person_id)
    touched.add((EntityType.PERSON, person_id))
    context.add(person_id)
    extra = {"categories": details.get("categories", [])}
    if features.phone:
        _phone(store, common, extra, person.get("phone", ""), mention, result, touched)
    _vehicle(store, common, extra, person.get("vehicle_registration", ""), mention, result, touched)


def _phone(
    store: Store,
    common: dict[str, Any],
    extra: dict[str, Any],
    value: str,
    via: Mention | None,
    result: SourceIndexResult,
    touched: set[tuple[str, uuid.UUID]],
) -> None:
    phone, status = store.phone_resolve(value)
    result.mentions.append(
        store.mention_add(
            **common,
            entity_type=EntityType.PHONE,
            entity_id=phone.pk,
            via=via,
            said=value.strip(),
            details={**extra, "phone": value.strip()},
            link_status=status,
            reasons=["same phone number"] if status == LinkStatus.EXACT else [],
            origin_entity_id=phone.pk if status == LinkStatus.ORIGIN else None,
        )
    )
    touched.add((EntityType.PHONE, phone.pk))


def _vehicle(
    store: Store,
    common: dict[str, Any],
    extra: dict[str, Any],
    value: str,
    via: Mention | None,
    result: SourceIndexResult,
    touched: set[tuple[str, uuid.UUID]],
) -> None:
    plate = normalise_plate(value or "")
    if plate is None:
        return
    vehicle, status, score, reasons = store.vehicle_resolve(plate)
    result.mentions.append(
        store.mention_add(
            **common,
            entity_type=EntityType.VEHICLE,
            entity_id=vehicle.pk,
            via=via,
            said=value.strip(),
            details={**extra, "registration": value.strip(), "partial": plate.is_partial},
            link_status=status,
            score=score,
            reasons=list(reasons),
            origin_entity_id=vehicle.pk if status == LinkStatus.ORIGIN else None,
        )
    )
    touched.add((EntityType.VEHICLE, vehicle.pk))

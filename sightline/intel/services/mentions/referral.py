"""Indexing one referral: each person, place, vehicle and phone it names becomes a mention of a
shared entity (found or made), with its candidates and reasons (a person mention linked,
merged, made its own or ambiguous, and explained), and the adjacency rows of the referral are
rebuilt. Runs inside the caller's transaction; writes no audit rows."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import timezone

from sightline.intel import entities
from sightline.intel.choices import CandidateStatus, EntityType, LinkStatus
from sightline.intel.concerns import CONCERN_KEY, referral_concern
from sightline.intel.models import MatchCandidate, Mention
from sightline.intel.normalise import normalise_phone, normalise_plate
from sightline.intel.services.common import IndexResult
from sightline.intel.services.mentions.linking import link_of, links, pick_top, rivals, to_merge
from sightline.intel.services.mentions.merging import _person_merge, as_survivor, merge_order
from sightline.intel.services.store import DatabaseStore, Store
from sightline.referrals.models import PersonNamed, Referral

Touched = set[tuple[str, uuid.UUID]]


def said(*parts: str) -> str:
    return "; ".join(p.strip() for p in parts if p and p.strip())[:1000]


def index_referral(
    referral: Referral,
    *,
    vehicles: Sequence[str] = (),
    phones: Sequence[str] = (),
    store: Store | None = None,
) -> tuple[IndexResult, Touched]:
    """Mentions for one referral's structured fields, candidates, suggestions, adjacency.
    Returns the entities touched, for the alert rules. `store`: where the picture is read
    and written (the database unless the bulk indexer passes its own)."""
    store = store or DatabaseStore()
    result = IndexResult(referral)
    touched: Touched = set()
    common = {"referral": referral, "agency_id": referral.source_agency_id}
    place_ids = _place_mentions(store, referral, common, result, touched)
    # Co-mentioned context for the persons: the children on the referral and what it names
    # that is already resolved (places first, then each person, vehicle and phone in turn).
    context: set[uuid.UUID] = store.children(referral)
    context.update(m.entity_id for m in result.mentions)
    year = timezone.localtime(referral.received_at).year
    for person in store.persons_named(referral):
        details = person_details(person, year=year, place_ids=place_ids)
        _person_mention(store, referral, person, details, common, context, result, touched)
        context.update(m.entity_id for m in result.mentions)
    for value in phones:
        if normalise_phone(value):
            result.mentions.append(_phone_mention(store, common, referral, value, via=None))
            touched.add((EntityType.PHONE, result.mentions[-1].entity_id))
    for value in vehicles:
        vm = _vehicle_mention(store, common, referral, value, via=None)
        if vm is not None:
            result.mentions.append(vm)
            touched.add((EntityType.VEHICLE, vm.entity_id))
    result.suggestions = store.suggest(referral, result.mentions)
    store.edges_rebuild([referral.pk])
    return result, touched


def _place_mentions(
    store: Store,
    referral: Referral,
    common: dict[str, Any],
    result: IndexResult,
    touched: Touched,
) -> list[str]:
    place_ids: list[str] = []
    named_places = store.places_named(referral)
    # read the narrative for indicators only when a place is named (a tenth of the bulk
    # index's time went on referrals naming none)
    concern = bool(named_places) and referral_concern(
        referral.concern_categories, referral.narrative
    )
    for named in named_places:
        place, status, score, reasons, others = store.place_resolve(
            name=named.name, kind=named.kind, address=named.address, postcode=named.postcode
        )
        mention = store.mention_add(
            **common,
            entity_type=EntityType.PLACE,
            entity_id=place.pk,
            place_named=named,
            occurred_at=referral.received_at,
            said=said(named.name, named.address, named.postcode),
            details={
                "name": named.name,
                "kind": named.kind,
                "postcode": named.postcode,
                CONCERN_KEY: concern,
            },
            link_status=status,
            score=score,
            reasons=list(reasons),
            origin_entity_id=place.pk if status == LinkStatus.ORIGIN else None,
        )
        result.mentions.append(mention)
        result.candidates += _store_candidates(store, mention, EntityType.PLACE, others, place.pk)
        touched.add((EntityType.PLACE, place.pk))
        place_ids.append(str(place.pk))
    return place_ids


def person_details(person: PersonNamed, *, year: int, place_ids: list[str]) -> dict[str, Any]:
    return {
        "name": person.name,
        "nickname": person.nickname,
        "approximate_age": person.approximate_age,
        "year": year,
        "phone": person.phone,
        "vehicle_registration": person.vehicle_registration,
        "address": person.address,
        "description": person.description,
        "place_ids": place_ids,
    }


def person_said(person: PersonNamed) -> str:
    return said(
        person.name,
        f'known as "{person.nickname}"' if person.nickname else "",
        f"about {person.approximate_age}" if person.approximate_age else "",
        person.description,
    )


def _person_mention(
    store: Store,
    referral: Referral,
    person: PersonNamed,
    details: dict[str, Any],
    common: dict[str, Any],
    context: set[uuid.UUID],
    result: IndexResult,
    touched: Touched,
) -> None:
    features = entities.features_from_details(details)
    if not features.has_identity and not person.description:
        return
    ranked = store.person_candidates(features, context=frozenset(context))
    top = pick_top(ranked)
    tied = rivals(top, ranked)
    if top is not None and tied:
        _ambiguous_mention(store, person, details, common, [top, *tied], ranked, result, touched)
        return
    for other in to_merge(top, ranked):
        if top is None or store.kept_apart(top.entity_id, other.entity_id):
            continue  # a practitioner split them (ADR 0205)
        into, gone = merge_order(top, other)
        result.candidates += _person_merge(store, into=into, other=gone)
        touched.add((EntityType.PERSON, gone.entity_id))
        top = as_survivor(top, into)
    if top is not None and links(top, ranked, concern=lambda: _concern(referral)):
        person_id = top.entity_id
        status, score, reasons = link_of(top)
        origin = None
    else:
        person_id = origin = store.person_create(features)
        status, score, reasons = LinkStatus.ORIGIN, 1.0, ()
    explanation = explain(top if origin is None else None, ranked)
    mention = store.mention_add(
        **common,
        entity_type=EntityType.PERSON,
        entity_id=person_id,
        person_named=person,
        occurred_at=referral.received_at,
        said=person_said(person),
        details=details,
        link_status=status,
        score=score,
        reasons=list(reasons),
        origin_entity_id=origin,
        explanation=explanation,
    )
    store.person_refresh(person_id)
    result.mentions.append(mention)
    result.candidates += _store_candidates(store, mention, EntityType.PERSON, ranked, person_id)
    touched.add((EntityType.PERSON, person_id))
    context.add(person_id)
    if features.phone:
        result.mentions.append(_phone_mention(store, common, referral, person.phone, via=mention))
        touched.add((EntityType.PHONE, result.mentions[-1].entity_id))
    vm = _vehicle_mention(store, common, referral, person.vehicle_registration, via=mention)
    if vm is not None:
        result.mentions.append(vm)
        touched.add((EntityType.VEHICLE, vm.entity_id))


def _concern(referral: Referral) -> bool:
    """The referral is an exploitation concern, as it says itself (`concerns.referral_concern`:
    a category ticked, or the narrative's indicators)."""
    return referral_concern(referral.concern_categories, referral.narrative)


def _ambiguous_mention(
    store: Store,
    person: PersonNamed,
    details: dict[str, Any],
    common: dict[str, Any],
    fits: list[entities.Ranked],
    ranked: list[entities.Ranked],
    result: IndexResult,
    touched: Touched,
) -> None:
    """A mention that fits two or more persons about equally: linked to neither (it makes its
    own entity), flagged ambiguous with each candidate; the alert rules count it for each."""
    features = entities.features_from_details(details)
    person_id = store.person_create(features)
    referral = common["referral"]
    mention = store.mention_add(
        **common,
        entity_type=EntityType.PERSON,
        entity_id=person_id,
        person_named=person,
        occurred_at=referral.received_at,
        said=person_said(person),
        details=details,
        link_status=LinkStatus.ORIGIN,
        score=1.0,
        reasons=[f"fits {len(fits)} persons about equally; linked to neither"],
        origin_entity_id=person_id,
        explanation={
            **explain(None, ranked),
            "ambiguous": True,
            "candidates": [_candidate_json(r) for r in fits],
        },
    )
    store.person_refresh(person_id)
    result.mentions.append(mention)
    ambiguous = {r.entity_id for r in fits}
    rows = [
        MatchCandidate(
            mention=mention,
            entity_type=EntityType.PERSON,
            entity_id=r.entity_id,
            score=r.score,
            reasons=list(r.reasons),
            status=CandidateStatus.AMBIGUOUS
            if r.entity_id in ambiguous
            else CandidateStatus.PROPOSED,
        )
        for r in ranked
    ]
    result.candidates += store.candidates_add(rows)
    touched.add((EntityType.PERSON, person_id))
    touched.update((EntityType.PERSON, r.entity_id) for r in fits)


def _candidate_json(r: entities.Ranked) -> dict[str, Any]:
    return {
        "entity": r.reference,
        "entity_id": str(r.entity_id),
        "probability": r.score,
        "contributions": list(r.contributions),
    }


def explain(linked: entities.Ranked | None, ranked: list[entities.Ranked]) -> dict[str, Any]:
    """Why this mention is linked where it is ("entity", "probability", each comparison's
    "contributions") and why not to the best other candidate ("runner_up"); a mention that
    made its own entity keeps its nearest candidate as the runner-up (why not linked)."""
    others = [r for r in ranked if linked is None or r.entity_id != linked.entity_id]
    runner_up = _candidate_json(others[0]) if others else None
    if linked is None:
        return {"entity": None, "probability": None, "contributions": [], "runner_up": runner_up}
    return {**_candidate_json(linked), "runner_up": runner_up}


def _phone_mention(
    store: Store, common: dict[str, Any], referral: Referral, value: str, *, via: Mention | None
) -> Mention:
    phone, status = store.phone_resolve(value)
    return store.mention_add(
        **common,
        entity_type=EntityType.PHONE,
        entity_id=phone.pk,
        via=via,
        occurred_at=referral.received_at,
        said=value.strip(),
        details={"phone": value.strip()},
        link_status=status,
        reasons=["same phone number"] if status == LinkStatus.EXACT else [],
        origin_entity_id=phone.pk if status == LinkStatus.ORIGIN else None,
    )


def _vehicle_mention(
    store: Store, common: dict[str, Any], referral: Referral, value: str, *, via: Mention | None
) -> Mention | None:
    plate = normalise_plate(value)
    if plate is None:
        return None
    vehicle, status, score, reasons = store.vehicle_resolve(plate)
    return store.mention_add(
        **common,
        entity_type=EntityType.VEHICLE,
        entity_id=vehicle.pk,
        via=via,
        occurred_at=referral.received_at,
        said=value.strip(),
        details={"registration": value.strip(), "partial": plate.is_partial},
        link_status=status,
        score=score,
        reasons=list(reasons),
        origin_entity_id=vehicle.pk if status == LinkStatus.ORIGIN else None,
    )


def _store_candidates(
    store: Store,
    mention: Mention,
    entity_type: str,
    ranked: Iterable[Any],
    linked_id: uuid.UUID,
) -> list[MatchCandidate]:
    rows = [
        MatchCandidate(
            mention=mention,
            entity_type=entity_type,
            entity_id=r.entity_id,
            score=r.score,
            reasons=list(r.reasons),
            status=CandidateStatus.LINKED if r.entity_id == linked_id else CandidateStatus.PROPOSED,
        )
        for r in ranked
    ]
    return store.candidates_add(rows)

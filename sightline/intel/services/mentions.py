"""Longer than 400 lines because a person mention is resolved here in full (linked, merged,
ambiguous, explained); splitting it would scatter one decision.

Indexing one referral: each person, place, vehicle and phone it names becomes a mention of a
shared entity (found or made), with its candidates and reasons, and the adjacency rows of the
referral are rebuilt. Runs inside the caller's transaction; writes no audit rows."""

from __future__ import annotations

import dataclasses
import math
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.utils import timezone

from sightline.intel import entities
from sightline.intel.choices import CandidateStatus, EntityType, LinkStatus, PersonChangeKind
from sightline.intel.concerns import CONCERN_KEY, referral_concern
from sightline.intel.models import MatchCandidate, Mention, PersonChange
from sightline.intel.normalise import normalise_phone, normalise_plate
from sightline.intel.resolution import (
    HIGH_CONFIDENCE,
    SOLE_CANDIDATE,
    beyond_surname,
    first_names_conflict,
    in_conflict,
)
from sightline.intel.services.common import IndexResult
from sightline.intel.services.store import DatabaseStore, Store
from sightline.referrals.models import PersonNamed, Referral

Touched = set[tuple[str, uuid.UUID]]
EXACT_REASONS = frozenset({"same phone number", "same vehicle registration"})
CONFLICT_REASONS = frozenset({"different first name", "different surname", "age differs"})


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


def identity(ranked: entities.Ranked) -> float:
    return ranked.score if ranked.identity is None else ranked.identity


def pick_top(ranked: list[entities.Ranked]) -> entities.Ranked | None:
    """The candidate the mention links to, if any: the best, unless context alone lifted it
    over a person the details strongly match (context breaks no tie against such a person)."""
    top = ranked[0] if ranked else None
    strong = [r for r in ranked if identity(r) >= HIGH_CONFIDENCE]
    if top is not None and strong and identity(top) < HIGH_CONFIDENCE:
        top = strong[0]
    return top


SOLE_REASON = (
    "the only person on record this mention fits, on more than the surname, with nothing in"
    " conflict, named in an exploitation concern"
)


def links(
    top: entities.Ranked | None, ranked: list[entities.Ranked], *, concern: Callable[[], bool]
) -> bool:
    """Whether the mention links to `top` at once, as *probable*: at the probable threshold;
    or, below it, at SOLE_CANDIDATE on its own details when `top` is the only person on
    record offered at all (nobody else reaches the candidate threshold), no detail of the
    mention conflicts with it, something besides the surname agrees, and the referral is an
    exploitation concern (`concern`, asked only then): "Mr Taylor", about 27, with a tattoo
    on his neck, on a referral about sexual exploitation, when the one Taylor on record is
    "Taylor, Thomas", 24, with that tattoo. The link and any alert it raises are probable, for a
    practitioner to confirm or reject (ADR 0213)."""
    if top is None:
        return False
    if top.score >= HIGH_CONFIDENCE:
        return True
    return (
        identity(top) >= SOLE_CANDIDATE
        and all(r.entity_id == top.entity_id for r in ranked)
        and not in_conflict(top.contributions)
        and beyond_surname(top.contributions)
        and concern()
    )


# Two candidates whose match weights differ by less than this (in bits: a factor of two in
# the odds) fit the mention about equally.
AMBIGUITY_BITS = 1.0


def _agreeing(r: entities.Ranked) -> frozenset[tuple[object, object]]:
    """What of the mention's own details agree with a candidate (comparison and level)."""
    return frozenset(
        (c["comparison"], c["level"])
        for c in r.contributions
        if float(str(c["weight"])) > 0 and c["comparison"] != "context"
    )


def _logit(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log2(p / (1 - p))


def to_merge(top: entities.Ranked | None, ranked: list[entities.Ranked]) -> list[entities.Ranked]:
    """Others this mention is as strongly like as the top, on other details: they are probably
    one person, recorded twice, that this mention bridges ("Jay Walsh" known as "Red" joins a
    Jay Walsh and a Red). Only its own details count here: shared context (children,
    vehicles) is what two people of one network have in common, so it never joins them; and
    two persons it fits on the very same details (a "B. Taylor" fits a Brett and a Beverley
    Taylor) are two people, never merged (see `rivals`); nor are two whose recorded first
    names do not relate (a "B. Bentley" with an age and a description fits a Benjamin on
    more details than a Brandon, and is still no reason to make them one)."""
    if top is None or identity(top) < HIGH_CONFIDENCE:
        return []
    return [
        o
        for o in ranked
        if o is not top
        and identity(o) >= HIGH_CONFIDENCE
        and _agreeing(o) != _agreeing(top)
        and not first_names_conflict(top.givens, o.givens)
    ]


def rivals(top: entities.Ranked | None, ranked: list[entities.Ranked]) -> list[entities.Ranked]:
    """Others the mention fits about as well as the top, on the same details: the mention is
    ambiguous between them and is linked to neither (issue 12 §2)."""
    if top is None or identity(top) < HIGH_CONFIDENCE:
        return []
    return [
        o
        for o in ranked
        if o is not top
        and identity(o) >= HIGH_CONFIDENCE
        and _agreeing(o) == _agreeing(top)
        and abs(_logit(o.score) - _logit(top.score)) < AMBIGUITY_BITS
    ]


def link_of(top: entities.Ranked) -> tuple[str, float, tuple[str, ...]]:
    """Status, score and reasons of a mention linked to its top candidate."""
    status = LinkStatus.PROBABLE
    if EXACT_REASONS & set(top.reasons) and not CONFLICT_REASONS & set(top.reasons):
        status = LinkStatus.EXACT
    if top.score < HIGH_CONFIDENCE:  # linked as the sole candidate (`links`)
        return status, top.score, (*top.reasons, SOLE_REASON)
    return status, top.score, top.reasons


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


def _made(ranked: entities.Ranked) -> tuple[int, bool, int]:
    """When a person was recorded, by its reference: the year, then the number in the year; a
    reference not given yet (intake's placeholder, `POI-2026-~1`) after every one on record."""
    head, _, number = ranked.reference.rpartition("-")
    year = int(head.rpartition("-")[2])
    return year, number.startswith("~"), int(number.lstrip("~"))


def merge_order(
    top: entities.Ranked, other: entities.Ranked
) -> tuple[entities.Ranked, entities.Ranked]:
    """(into, gone): of two persons a mention shows to be one, the one recorded first stays,
    whichever the mention fits best (ADR 0911). A reference practitioners already use stays
    theirs, and a person named hundreds of times is not moved, history and all, onto one a
    partner event made yesterday (at 100,000 referrals each such move was thousands of
    mentions, again at the next event)."""
    return (other, top) if _made(other) < _made(top) else (top, other)


def as_survivor(top: entities.Ranked, into: entities.Ranked) -> entities.Ranked:
    """The mention's best fit, now standing for the person it was merged into."""
    if into is top:
        return top
    return dataclasses.replace(top, entity_id=into.entity_id, reference=into.reference)


def merge_reason(into: entities.Ranked) -> str:
    return f"probably the same person as {into.reference} (a mention matched both)"


def _person_merge(store: Store, *, into: Any, other: Any) -> list[MatchCandidate]:
    """Move every mention of `other` to `into` as a probable link (each can be rejected, which
    sends it back to the entity it made). Children are never merged; only persons of concern."""
    moving = store.mentions_of(other.entity_id)
    reason = merge_reason(into)
    for mention in moving:
        if mention.origin_entity_id is None:
            mention.origin_entity_id = other.entity_id
        mention.entity_id = into.entity_id
        mention.link_status = LinkStatus.PROBABLE
        mention.reasons = [reason, *other.reasons]
        mention.score = other.score
    store.mentions_moved(moving)
    store.person_merged(
        PersonChange(
            kind=PersonChangeKind.MERGE,
            from_person=other.entity_id,
            into_person=into.entity_id,
            mention_ids=[str(m.pk) for m in moving],
            reason=reason,
        )
    )
    store.person_refresh(into.entity_id)
    store.person_refresh(other.entity_id)
    store.edges_rebuild(sorted({m.source_key for m in moving}))
    return store.candidates_add(
        [
            MatchCandidate(
                mention=m,
                entity_type=EntityType.PERSON,
                entity_id=into.entity_id,
                score=other.score,
                reasons=[reason],
                status=CandidateStatus.LINKED,
            )
            for m in moving
        ],
        ignore_conflicts=True,
    )


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

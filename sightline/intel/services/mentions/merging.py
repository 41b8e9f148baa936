"""Merging two persons a mention shows to be one (ADR 0911): which stays (the one recorded
first), the mention's best fit standing for the survivor, and the move of every mention of
the other, each a probable link that can be rejected, with its merge history row
(`PersonChange`). Children are never merged; only persons of concern."""

from __future__ import annotations

import dataclasses
from typing import Any

from sightline.intel import entities
from sightline.intel.choices import CandidateStatus, EntityType, LinkStatus, PersonChangeKind
from sightline.intel.models import MatchCandidate, PersonChange
from sightline.intel.services.store import Store


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

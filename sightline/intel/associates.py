"""Second-order context for person matching (ADR 0214): a child on this record was named
before, on another record, with a person of concern who has been named with the candidate
(a co-accused). It is read in the database here (`associates_shared`, one statement: the
one-by-one path and intake) and from the bulk indexer's picture in memory
(`bulk_links.LinksMixin._associates`); the two answer the same question the same way.

Only firm links count on that path (`resolution.firm_link`: not a probable link made below
the probable threshold), and what it adds is context (`resolution.with_context`): it raises a
candidate the mention's own details already point to, with nothing in conflict, and never
links, merges or breaks a tie alone."""

from __future__ import annotations

import uuid

from django.db.models import Exists, OuterRef, Q

from sightline.intel.choices import EntityType, LinkStatus
from sightline.intel.models import Edge, Mention
from sightline.intel.resolution import HIGH_CONFIDENCE, second_order

ASSOCIATE = "associate"  # the context kind (`resolution.CONTEXT_REASON`)


def _firm_on_source(entity: str) -> Exists:
    """A firm mention of the edge's `entity` column's person on the edge's record."""
    return Exists(
        Mention.objects.filter(
            Q(referral_id=OuterRef("referral_id")) | Q(source_id=OuterRef("referral_id")),
            entity_type=EntityType.PERSON,
            entity_id=OuterRef(entity),
        ).filter(~Q(link_status=LinkStatus.PROBABLE) | Q(score__gte=HIGH_CONFIDENCE))
    )


def associates_shared(person_ids: set[uuid.UUID], context: frozenset[uuid.UUID]) -> set[uuid.UUID]:
    """The candidates among `person_ids` with second-order context: a child in `context`
    (which may hold other entities too; only children are read) is joined in the adjacency
    table to a person of concern B, and B to the candidate, each on a record where the
    person's mention is a firm link. One statement; none when the setting is off."""
    if not person_ids or not context or not second_order():
        return set()
    named_with_child = (
        Edge.objects.filter(a_type="child", a_id__in=context, b_type=EntityType.PERSON)
        .filter(_firm_on_source("b_id"))
        .values("b_id")
    )
    rows = (
        Edge.objects.filter(
            a_id__in=person_ids, b_type=EntityType.PERSON, b_id__in=named_with_child
        )
        .filter(_firm_on_source("a_id"), _firm_on_source("b_id"))
        .values_list("a_id", flat=True)
        .distinct()
    )
    return set(rows)


def with_associates(
    shared: dict[uuid.UUID, frozenset[str]], associated: set[uuid.UUID]
) -> dict[uuid.UUID, frozenset[str]]:
    """The co-mentioned context kinds of each candidate (`shared`) with "associate" added for
    those with second-order context."""
    if not associated:
        return shared
    out = dict(shared)
    for pid in associated:
        out[pid] = out.get(pid, frozenset()) | {ASSOCIATE}
    return out

"""Indexing one referral: each person, place, vehicle and phone it names becomes a mention of a
shared entity (found or made), with its candidates and reasons, and the adjacency rows of the
referral are rebuilt. Runs inside the caller's transaction; writes no audit rows.

The modules of this package hold the parts (`referral`: the steps of one referral and each
kind of mention; `linking`: whether a person mention links, is ambiguous or joins two
persons; `merging`: merging two persons, with its history); callers import from here
(`sources` reuses `_person_merge` and `_store_candidates` too)."""

from sightline.intel.services.mentions.linking import (
    AMBIGUITY_BITS,
    CONFLICT_REASONS,
    EXACT_REASONS,
    SOLE_REASON,
    identity,
    link_of,
    links,
    pick_top,
    rivals,
    to_merge,
)
from sightline.intel.services.mentions.merging import (
    _person_merge,
    as_survivor,
    merge_order,
    merge_reason,
)
from sightline.intel.services.mentions.referral import (
    Touched,
    _store_candidates,
    explain,
    index_referral,
    person_details,
    person_said,
    said,
)

__all__ = [
    "AMBIGUITY_BITS",
    "CONFLICT_REASONS",
    "EXACT_REASONS",
    "SOLE_REASON",
    "Touched",
    "_person_merge",
    "_store_candidates",
    "as_survivor",
    "explain",
    "identity",
    "index_referral",
    "link_of",
    "links",
    "merge_order",
    "merge_reason",
    "person_details",
    "person_said",
    "pick_top",
    "rivals",
    "said",
    "to_merge",
]

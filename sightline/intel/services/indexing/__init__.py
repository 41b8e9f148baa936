"""Indexing a newly submitted referral (intake calls this through its workflow).

The steps are intake's (`mentions.index_referral`, the alert rules) run over `IntakeStore`:
the part of the picture this referral can touch, read up front with a handful of batched
reads (the places, phones and vehicles it names, the blocking keys of the persons it names
and those persons, their links to what the referral names), then written with one bulk
statement per table and the references of everything new taken in one statement. A person
the referral is linked to has its mentions read when it is linked (one read each); the
alert rules read the mentions, children and standing alerts of what was touched in one read
each. No savepoint: a step of the caller's transaction (ADR 0009).

The modules of this package hold the parts (`intake`: `mentions_on_referral`; `store`: the
intake store and its reads; `writes`: its writes); callers import from here."""

from sightline.intel.services.indexing.intake import mentions_on_referral
from sightline.intel.services.indexing.store import IntakeStore
from sightline.intel.services.indexing.writes import PERSON_FIELDS, WIDTH, IntakeWrites

__all__ = [
    "PERSON_FIELDS",
    "WIDTH",
    "IntakeStore",
    "IntakeWrites",
    "mentions_on_referral",
]

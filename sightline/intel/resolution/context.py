"""Co-mentioned context (ADR 0203) and second-order context (ADR 0214): the kinds and their
reasons, when a link is firm enough to rest second-order context on, which levels identify a
person and which conflict, and `with_context`, a score raised by the context a record shares
with a candidate. Pure functions."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from sightline.intel.choices import LinkStatus
from sightline.intel.linkmodel import Contribution, level_weight, model
from sightline.intel.resolution.features import Score
from sightline.intel.resolution.scoring import HIGH_CONFIDENCE, _score

# Co-mentioned context: what else this referral names (a child on it, a vehicle, phone or
# person of concern named with this mention) that is already joined to a candidate through
# another referral. It raises only a candidate the mention's own identifiers already point to
# (a name, an initial and surname, a first name, a nickname, a phone, a plate, an address) with
# nothing in conflict; it never links alone and never joins two persons (the caller merges on
# the identity score only). Being named around the same children says two people move in the
# same circle, which co-offenders do: it is support for an identity, not an identity. ADR 0203.
# Worded for any source: the record may be a referral or a partner event.
# "associate" is second-order (ADR 0214): a child on this record was named before with a
# person of concern who has been named with the candidate, every link on that path a firm one
# (`firm_link`). It is the "child" fact one step removed, so it counts only without it.
CONTEXT_REASON = {
    "child": "already linked to a child on this record",
    "vehicle": "named with the same vehicle on another record",
    "phone": "named with the same phone on another record",
    "person": "named with the same person of concern on another record",
    "associate": (
        "a child on this record was named before with a person of concern"
        " who has been named with this person"
    ),
}


def second_order() -> bool:
    """Whether second-order context counts (`SIGHTLINE_LINK_SECOND_ORDER`, ADR 0214), read at
    each call (a dictionary lookup once Django has the setting) so that a changed setting,
    `override_settings` in a test included, takes effect."""
    return bool(settings.SIGHTLINE_LINK_SECOND_ORDER)


def firm_link(link_status: str, score: float) -> bool:
    """Whether a mention's link is firm enough for second-order context to rest on: anything
    but a probable link below the probable threshold (one made as the only candidate, ADR
    0213, is a question to a practitioner, not a fact to build on)."""
    return link_status != LinkStatus.PROBABLE or score >= HIGH_CONFIDENCE


_IDENTIFYING = {
    ("first_name", "exact"),
    ("first_name", "variant"),
    ("first_name", "short_form"),
    ("first_name", "similar"),
    ("first_name", "initial"),
    ("surname", "exact"),
    ("surname", "exact_first_differs"),
    ("surname", "part"),
    ("surname", "similar"),
    ("nickname", "exact"),
    ("nickname", "as_name"),
    ("nickname", "fits_name"),
    ("nickname", "fits_initial"),
    ("phone", "exact"),
    ("plate", "exact"),
    ("plate", "confusable"),
    ("plate", "partial"),
    ("plate", "partial_confusable"),
    ("address", "exact"),
}
_CONFLICTS = {
    ("first_name", "different"),
    ("first_name", "initial_differs"),
    ("surname", "different"),
    ("age", "far"),
}


def in_conflict(contributions: Iterable[dict[str, object]]) -> bool:
    """Whether a score's contributions (`Score.explanation()`) hold a detail in conflict: a
    different first name, initial or surname, or an age far apart."""
    return any((c["comparison"], c["level"]) in _CONFLICTS for c in contributions)


def beyond_surname(contributions: Iterable[dict[str, object]]) -> bool:
    """Whether something of the mention's own besides the surname agrees (a first name or
    initial, a nickname, an age, a description, a phone, a plate, an address, a place): a
    surname is a family's, not a person's (ADR 0203, 0213). Co-mentioned context does not
    count."""
    return any(
        c["comparison"] not in ("surname", "context") and float(str(c["weight"])) > 0
        for c in contributions
    )


def with_context(base: Score, shared: frozenset[str]) -> Score:
    """`base` raised by the kinds of co-mentioned context (`CONTEXT_REASON` keys) that this
    referral shares with the candidate, by at most the model's context cap, each with its
    contribution; unchanged unless `base` rests on an identifier of the mention and has no
    conflicting detail."""
    levels = set(base.levels.items())
    if not shared or not (_IDENTIFYING & levels) or _CONFLICTS & levels:
        return base
    if "child" in shared:
        shared = shared - {"associate"}  # the same fact, one step removed
    cap = float(model()["context_cap"])
    added: list[Contribution] = []
    room = cap
    for kind, reason in CONTEXT_REASON.items():
        if kind in shared and room > 0:
            weight = min(level_weight("context", kind), room)
            room -= weight
            added.append(Contribution("context", kind, weight, reason))
    if not added:
        return base
    return _score([*base.contributions, *added])

"""Whether a person mention links to its best candidate: the top pick (context breaks no tie
against a strong match), linking at the probable threshold or as the sole candidate (ADR
0213), the rivals that leave it ambiguous, the others it shows to be the same person, and
the status, score and reasons of the link. Pure functions of the ranked candidates."""

from __future__ import annotations

import math
from collections.abc import Callable

from sightline.intel import entities
from sightline.intel.choices import LinkStatus
from sightline.intel.linkmodel import register_bits
from sightline.intel.resolution import (
    HIGH_CONFIDENCE,
    SOLE_CANDIDATE,
    beyond_surname,
    first_names_conflict,
    in_conflict,
    surnames_conflict,
)

EXACT_REASONS = frozenset({"same phone number", "same vehicle registration"})
CONFLICT_REASONS = frozenset({"different first name", "different surname", "age differs"})


def identity(ranked: entities.Ranked) -> float:
    return ranked.score if ranked.identity is None else ranked.identity


def clears(ranked: entities.Ranked, value: float, bar: float) -> bool:
    """Whether `value` (a candidate's score or identity) clears `bar` (HIGH_CONFIDENCE or
    SOLE_CANDIDATE) on this register: the bar's log-odds rise by `register_bits` of the
    persons on record when it was ranked (ADR 0216), as the prior that a mention is any one
    of them falls. On a register no bigger than the training boroughs', the bar itself."""
    extra = register_bits(ranked.persons)
    if extra == 0.0:
        return value >= bar
    return _logit(value) >= _logit(bar) + extra


def sure(ranked: entities.Ranked) -> bool:
    """Its own details (before context) clear the probable bar on this register."""
    return clears(ranked, identity(ranked), HIGH_CONFIDENCE)


def pick_top(ranked: list[entities.Ranked]) -> entities.Ranked | None:
    """The candidate the mention links to, if any: the best, unless context alone lifted it
    over a person the details strongly match (context breaks no tie against such a person)."""
    top = ranked[0] if ranked else None
    strong = [r for r in ranked if sure(r)]
    if top is not None and strong and not sure(top):
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
    if clears(top, top.score, HIGH_CONFIDENCE):
        return True
    return (
        clears(top, identity(top), SOLE_CANDIDATE)
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


# What identifies one person on a mention, for a merge: a phone, a registration (whole, partial
# or misread), an address, a nickname given exactly. A name alone is shared by namesakes.
IDENTIFIERS = frozenset(
    {
        ("phone", "exact"),
        ("plate", "exact"),
        ("plate", "partial"),
        ("plate", "confusable"),
        ("plate", "partial_confusable"),
        ("address", "exact"),
        ("nickname", "exact"),
    }
)
# A full name identifies for a merge when both halves are the person's own: not two short forms
# of one long name ("Lee" and "Roy", both Leroy), nor one half of a double-barrelled surname
# ("Roger Wood-Kelly" is not shown to be a "Roger Wood"). Links may still rest on those.
FULL_NAME_FIRST = frozenset({"exact", "short_form", "similar"})
FULL_NAME_SURNAME = frozenset({"exact", "similar"})
# Details of the mention that disagree with a person: any of them leaves a merge unproven.
DISAGREEING = frozenset(
    {
        ("phone", "different"),
        ("plate", "different"),
        ("address", "different"),
        ("nickname", "different"),
    }
)


def _levels(r: entities.Ranked) -> dict[str, str]:
    return {str(c["comparison"]): str(c["level"]) for c in r.contributions}


def merge_evidence(r: entities.Ranked) -> str:
    """How the mention identifies a candidate, for a merge: "identifier" (a phone, a
    registration, an address, or an exact nickname fewer than GENERIC_HOLDERS persons hold,
    agrees), "name" (first name and surname both agree, and no age apart), or "" (neither, or
    a detail disagrees)."""
    levels = _levels(r)
    pairs = set(levels.items())
    if in_conflict(r.contributions) or pairs & DISAGREEING:
        return ""
    identifiers = pairs & IDENTIFIERS
    if r.common_nickname:  # a street name many adults go by
        identifiers -= {("nickname", "exact")}
    if identifiers:
        return "identifier"
    if (
        levels.get("first_name") in FULL_NAME_FIRST
        and levels.get("surname") in FULL_NAME_SURNAME
        and levels.get("age") != "near"
    ):
        return "name"
    return ""


def _proves_one(top: entities.Ranked, other: entities.Ranked) -> bool:
    """The mention identifies both, one of them at least by an identifier: "Carl Venn, known
    as Big C" joins a Carl Venn and a Big C; "RAHMAN Abdul" does not join two Abdul Rahmans,
    nor a nickname an Abdul Brookes and an Abdul Jones."""
    sides = {merge_evidence(top), merge_evidence(other)}
    return "" not in sides and "identifier" in sides


def to_merge(top: entities.Ranked | None, ranked: list[entities.Ranked]) -> list[entities.Ranked]:
    """Others this mention is as strongly like as the top, on other details: they are probably
    one person, recorded twice, that this mention bridges ("Jay Walsh" known as "Red" joins a
    Jay Walsh and a Red). Only its own details count here: shared context (children,
    vehicles) is what two people of one network have in common, so it never joins them; and
    two persons it fits on the very same details (a "B. Taylor" fits a Brett and a Beverley
    Taylor) are two people, never merged (see `rivals`); nor are two whose recorded first
    names do not relate (a "B. Bentley" with an age and a description fits a Benjamin on
    more details than a Brandon, and is still no reason to make them one), nor two whose
    surnames do not relate. And a merge joins two histories, so the mention must identify
    both (`_proves_one`): a link may rest on a name and an age, a merge may not. Each merge
    widens a person's names; at 100,000 referrals merges on less, one after another, made one
    person of hundreds of adults (issue 12)."""
    if top is None or not sure(top):
        return []
    return [
        o
        for o in ranked
        if o is not top
        and sure(o)
        and _agreeing(o) != _agreeing(top)
        and _proves_one(top, o)
        and not first_names_conflict(top.givens, o.givens)
        and not surnames_conflict(top.families, o.families)
    ]


def rivals(top: entities.Ranked | None, ranked: list[entities.Ranked]) -> list[entities.Ranked]:
    """Others the mention fits about as well as the top, on the same details: the mention is
    ambiguous between them and is linked to neither (issue 12 §2)."""
    if top is None or not sure(top):
        return []
    return [
        o
        for o in ranked
        if o is not top
        and sure(o)
        and _agreeing(o) == _agreeing(top)
        and abs(_logit(o.score) - _logit(top.score)) < AMBIGUITY_BITS
    ]


def link_of(top: entities.Ranked) -> tuple[str, float, tuple[str, ...]]:
    """Status, score and reasons of a mention linked to its top candidate."""
    status = LinkStatus.PROBABLE
    if EXACT_REASONS & set(top.reasons) and not CONFLICT_REASONS & set(top.reasons):
        status = LinkStatus.EXACT
    if not clears(top, top.score, HIGH_CONFIDENCE):  # linked as the sole candidate (`links`)
        return status, top.score, (*top.reasons, SOLE_REASON)
    return status, top.score, top.reasons

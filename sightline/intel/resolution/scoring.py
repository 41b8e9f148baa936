"""Scoring: the thresholds (HIGH_CONFIDENCE links as *probable*, CANDIDATE is offered for
confirmation, SOLE_CANDIDATE for the only candidate; ADR 0213), each comparison level's weight
(term frequency for exact names) and readable reason, and `compare`, the match probability of
a mention against a profile with its contributions. Pure functions."""

from __future__ import annotations

from django.conf import settings

from sightline.intel.linkmodel import (
    Contribution,
    level_weight,
    model,
    probability,
    tf_weight,
)
from sightline.intel.resolution.features import PersonFeatures, Profile, Score
from sightline.intel.resolution.levels import called_as_written, comparison_levels

HIGH_CONFIDENCE: float = settings.SIGHTLINE_LINK_PROBABLE
CANDIDATE: float = settings.SIGHTLINE_LINK_CANDIDATE
SOLE_CANDIDATE: float = settings.SIGHTLINE_LINK_SOLE

READABLE = {
    ("first_name", "exact"): "same first name",
    ("first_name", "variant"): "first name a spelling or short form of one given before",
    ("first_name", "short_form"): "first name the start of one given before",
    ("first_name", "similar"): "first name spelt similarly",
    ("first_name", "initial"): "initial fits the first name",
    ("first_name", "initial_differs"): "initial differs",
    ("first_name", "different"): "different first name",
    ("surname", "exact"): "same surname",
    ("surname", "exact_first_differs"): "same surname, but the first name differs (a relative?)",
    ("surname", "part"): "one half of a hyphenated surname agrees",
    ("surname", "similar"): "surname spelt similarly (sounds alike or one letter out)",
    ("surname", "different"): "different surname",
    ("nickname", "exact"): "same nickname",
    ("nickname", "as_name"): "called by the same name, once as a first name and once as a nickname",
    ("nickname", "fits_name"): "nickname is a short form of the first name",
    ("nickname", "fits_initial"): "nickname fits the first name",
    ("nickname", "different"): "different nickname",
    ("phone", "exact"): "same phone number",
    ("phone", "generic"): "same phone number, but many unrelated people give it",
    ("phone", "different"): "different phone number",
    ("plate", "exact"): "same vehicle registration",
    ("plate", "confusable"): "registration the same but for misread characters",
    ("plate", "partial"): "partial registration fits",
    ("plate", "partial_confusable"): "partial registration fits but for misread characters",
    ("plate", "different"): "different vehicle registration",
    ("age", "close"): "similar age",
    ("age", "near"): "age within 12 years",
    ("age", "far"): "age differs",
    ("address", "exact"): "same address",
    ("address", "generic"): "same address, but many unrelated people give it",
    ("address", "different"): "different address",
    ("description", "details"): "two or more details of the description agree",
    ("description", "similar"): "similar description",
    ("place", "same"): "named with the same place",
}
RARE_SURNAME_REASON = "few people have this surname, and nobody else on record"
DAMPED_REASON = "different first name, weighing less because a strong identifier agrees"


def compare(
    m: PersonFeatures,
    p: Profile,
    *,
    rare_surname: bool = False,
    generic: frozenset[str] = frozenset(),
) -> Score:
    """Score a mention against a profile: the match probability of one Fellegi-Sunter model,
    with each comparison's contribution. `rare_surname`: nobody else on record has a surname
    like this one (the caller checks); otherwise an exact surname is at least as common as
    one on record held by several (term frequency from the population and the record).
    `generic`: phones and addresses many unrelated people give (a hostel, a switchboard),
    which then agree only weakly."""
    levels = comparison_levels(m, p, generic=generic)
    strong = levels.get("phone") == "exact" or levels.get("plate") in ("exact", "confusable")
    out: list[Contribution] = []
    for comparison, level in levels.items():
        weight = _weight(comparison, level, m, rare_surname=rare_surname, p=p)
        reason = READABLE.get((comparison, level), f"{comparison}: {level}")
        if comparison == "first_name" and level == "different" and strong:
            weight *= float(model()["conflict_damping_with_identifier"])
            reason = DAMPED_REASON
        if comparison == "surname" and level == "exact" and rare_surname:
            reason = RARE_SURNAME_REASON
        out.append(Contribution(comparison, level, weight, reason))
    return _score(out)


def _score(contributions: list[Contribution]) -> Score:
    total = sum(c.weight for c in contributions)
    return Score(
        round(probability(total), 4),
        tuple(c.reason for c in contributions),
        tuple(contributions),
    )


def _weight(
    comparison: str, level: str, m: PersonFeatures, *, rare_surname: bool, p: Profile
) -> float:
    if comparison == "nickname" and level == "as_name":
        # the same name, written once as a first name: weighed as an exact first name is,
        # by how common that name is
        name = called_as_written(m, p)
        return tf_weight("first_name", "exact", "first_name", name, common_here=False)
    if comparison == "surname" and level == "exact":
        return tf_weight(comparison, level, "surname", m.family, common_here=not rare_surname)
    if comparison == "first_name" and level == "exact":
        return tf_weight(comparison, level, "first_name", m.given, common_here=False)
    return level_weight(comparison, level)

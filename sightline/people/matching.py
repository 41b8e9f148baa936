"""Fuzzy comparison of a referred child with existing records: names by edit distance and
phonetics (rapidfuzz, jellyfish), date of birth allowing day/month swaps and typing slips,
postcode. Pure functions; the database side is people.selectors.child_match_candidates."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import JaroWinkler

CANDIDATE_THRESHOLD = 0.62


_NOT_A_LETTER = re.compile(r"[^a-z]")


@lru_cache(maxsize=65536)
def normalise_name(value: str) -> str:
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return _NOT_A_LETTER.sub("", text.lower())


def name_key(family_name: str) -> str:
    """A phonetic key for blocking (metaphone of the normalised family name)."""
    clean = normalise_name(family_name)
    return jellyfish.metaphone(clean)[:40] if clean else ""


@lru_cache(maxsize=65536)
def normalise_postcode(value: str) -> str:
    """Spaces out, upper case (cached: matching compares the same postcodes many times)."""
    return "".join((value or "").split()).upper()[:10]


@dataclass(frozen=True)
class Referred:
    given_name: str
    family_name: str
    date_of_birth: dt.date | None
    postcode: str


@dataclass(frozen=True)
class Existing:
    given_name: str
    family_name: str
    date_of_birth: dt.date | None
    postcode: str


@dataclass(frozen=True)
class MatchScore:
    score: float
    reasons: tuple[str, ...]
    is_exact: bool


@lru_cache(maxsize=262144)
def name_similarity(a: str, b: str) -> float:
    na, nb = normalise_name(a), normalise_name(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    sim = JaroWinkler.similarity(na, nb)
    if jellyfish.metaphone(na) == jellyfish.metaphone(nb):
        sim = max(sim, 0.9)
    return float(sim)


def _dob_similarity(a: dt.date | None, b: dt.date | None) -> tuple[float, str]:
    if a is None or b is None:
        return 0.0, ""
    if a == b:
        return 1.0, "same date of birth"
    if a.year == b.year and a.month == b.day and a.day == b.month:
        return 0.8, "date of birth with day and month swapped"
    same_parts = (a.year == b.year) + (a.month == b.month) + (a.day == b.day)
    if same_parts == 2:
        return 0.6, "date of birth differs in one part"
    if abs((a - b).days) <= 366:
        return 0.3, "date of birth within a year"
    return 0.0, ""


def may_be_candidate(referred: Referred, existing: Existing) -> bool:
    """False only when `compare` could not make `existing` a candidate whatever the names:
    with no date of birth in common (a dob score under 1, so not exact) the score is at most
    0.55 for the names (each similarity is at most 1) plus the dob's and postcode's parts. A
    cheap test before the name comparisons (most of a block's rows fail it)."""
    dob, _ = _dob_similarity(referred.date_of_birth, existing.date_of_birth)
    if dob >= 1.0:
        return True
    same_postcode = bool(referred.postcode) and normalise_postcode(
        referred.postcode
    ) == normalise_postcode(existing.postcode)
    best = 0.55 + 0.35 * dob + (0.10 if same_postcode else 0.0)
    return round(best, 3) >= CANDIDATE_THRESHOLD


def exact_key(referred: Referred) -> str:
    """What two records of one child share when `compare` finds them exact (the same
    normalised given and family names and date of birth); "" when no record could be."""
    given, family = normalise_name(referred.given_name), normalise_name(referred.family_name)
    if not (given and family and referred.date_of_birth):
        return ""
    return f"child:{given}:{family}:{referred.date_of_birth.isoformat()}"


def compare(referred: Referred, existing: Existing) -> MatchScore:
    given = name_similarity(referred.given_name, existing.given_name)
    family = name_similarity(referred.family_name, existing.family_name)
    swapped = (
        name_similarity(referred.given_name, existing.family_name)
        + name_similarity(referred.family_name, existing.given_name)
    ) / 2
    name = max((given + family) / 2, swapped * 0.95)
    dob, dob_reason = _dob_similarity(referred.date_of_birth, existing.date_of_birth)
    same_postcode = bool(referred.postcode) and normalise_postcode(
        referred.postcode
    ) == normalise_postcode(existing.postcode)
    score = 0.55 * name + 0.35 * dob + (0.10 if same_postcode else 0.0)
    reasons: list[str] = []
    if name >= 0.99:
        reasons.append("same name")
    elif name >= 0.85:
        reasons.append("similar name")
    elif swapped * 0.95 > (given + family) / 2 and swapped > 0.85:
        reasons.append("given and family names swapped")
    if dob_reason:
        reasons.append(dob_reason)
    if same_postcode:
        reasons.append("same postcode")
    is_exact = given >= 1.0 and family >= 1.0 and dob >= 1.0
    return MatchScore(round(score, 3), tuple(reasons), is_exact)

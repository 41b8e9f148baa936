from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from sightline.people.matching import (
    CANDIDATE_THRESHOLD,
    Existing,
    MatchScore,
    Referred,
    compare,
    name_key,
    normalise_postcode,
)
from sightline.people.models import Child

MAX_BLOCK = 500


@dataclass(frozen=True)
class Candidate:
    child: Child
    match: MatchScore


def child_match_candidates(
    *,
    given_name: str,
    family_name: str,
    date_of_birth: dt.date | None,
    postcode: str,
    limit: int = 5,
) -> list[Candidate]:
    """Existing children who may be the referred child, best first. Blocking (same date of
    birth, same phonetic family name, or same postcode) keeps this to indexed lookups."""
    block = Q(family_name_key=name_key(family_name)) if family_name else Q(pk__in=[])
    if date_of_birth is not None:
        block |= Q(date_of_birth=date_of_birth)
        swapped = _swapped(date_of_birth)
        if swapped:
            block |= Q(date_of_birth=swapped)
    if postcode:
        block |= Q(postcode_key=normalise_postcode(postcode))
    referred = Referred(given_name, family_name, date_of_birth, postcode)
    found: list[Candidate] = []
    rows = Child.objects.filter(block, superseded_by__isnull=True).only(
        "id", "reference", "given_name", "family_name", "date_of_birth", "postcode"
    )[:MAX_BLOCK]
    for child in rows:
        score = compare(
            referred,
            Existing(child.given_name, child.family_name, child.date_of_birth, child.postcode),
        )
        if score.score >= CANDIDATE_THRESHOLD or score.is_exact:
            found.append(Candidate(child, score))
    found.sort(key=lambda c: (-c.match.score, c.child.reference))
    return found[:limit]


def _swapped(day: dt.date) -> dt.date | None:
    if day.day > 12 or day.day == day.month:
        return None
    try:
        return dt.date(day.year, day.day, day.month)
    except ValueError:
        return None

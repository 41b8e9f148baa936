from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
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
    referred = Referred(given_name, family_name, date_of_birth, postcode)
    return child_match_candidates_many([referred], limit=limit)[0]


@dataclass(frozen=True)
class _Block:
    """Which existing children a referred child is compared with: the query, and the same
    test in Python to share one query's rows out between several referred children."""

    family_key: str | None
    days: tuple[dt.date, ...]
    postcode_key: str | None

    @classmethod
    def of(cls, referred: Referred) -> _Block:
        days: tuple[dt.date, ...] = ()
        if referred.date_of_birth is not None:
            swapped = _swapped(referred.date_of_birth)
            days = (referred.date_of_birth, swapped) if swapped else (referred.date_of_birth,)
        return cls(
            family_key=name_key(referred.family_name) if referred.family_name else None,
            days=days,
            postcode_key=normalise_postcode(referred.postcode) if referred.postcode else None,
        )

    def q(self) -> Q:
        block = Q(family_name_key=self.family_key) if self.family_key is not None else Q(pk__in=[])
        for day in self.days:
            block |= Q(date_of_birth=day)
        if self.postcode_key is not None:
            block |= Q(postcode_key=self.postcode_key)
        return block

    def holds(self, child: Child) -> bool:
        return (
            (self.family_key is not None and child.family_name_key == self.family_key)
            or child.date_of_birth in self.days
            or (self.postcode_key is not None and child.postcode_key == self.postcode_key)
        )


def child_match_candidates_many(
    referred: Sequence[Referred], *, limit: int = 5
) -> list[list[Candidate]]:
    """child_match_candidates for several referred children (one referral's) in one query:
    the candidates of each, in the order given."""
    blocks = [_Block.of(r) for r in referred]
    if not blocks:
        return []
    query = Q(pk__in=[])
    for block in blocks:
        query |= block.q()
    rows = list(
        Child.objects.filter(query, superseded_by__isnull=True).only(
            "id", "reference", "given_name", "family_name", "date_of_birth", "postcode",
            "family_name_key", "postcode_key", "address",
        )[: MAX_BLOCK * len(blocks)]
    )  # fmt: skip
    return [
        _scored(one, [c for c in rows if block.holds(c)][:MAX_BLOCK], limit)
        for one, block in zip(referred, blocks, strict=True)
    ]


def _scored(referred: Referred, rows: list[Child], limit: int) -> list[Candidate]:
    found: list[Candidate] = []
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

"""What counts as an exploitation concern (issue 12 §3a), for the place rule and its hotspots.

A referral is an exploitation concern when the referrer says so (a sexual or criminal
exploitation category), when any child's screening on it is medium or high, or when its
narrative carries exploitation indicators the screening catalogue reads: the indicators its
phrases suggest, each counted as *possible* (a suggestion is not a practitioner's mark), score
medium or more under the catalogue's own rules. Referrers from health, schools and youth
services rarely tick a category; this is how their referrals still count (the Rochdale
pattern). On the synthetic boroughs the narrative rule marks 7 of 969 ordinary referrals and
48 of 314 exploitation referrals (seeds 5 and 6).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from functools import cache

from sightline.screening.choices import RiskLevel
from sightline.screening.models import Screening
from sightline.screening.scoring.catalogue import Catalogue
from sightline.screening.scoring.levels import Level, Mark, Status
from sightline.screening.scoring.loading import load_catalogue
from sightline.screening.scoring.rules import score
from sightline.screening.scoring.suggestions import suggest_indicators

EXPLOITATION_CATEGORIES = frozenset({"sexual_exploitation", "criminal_exploitation"})
CONCERN_KEY = "exploitation_concern"  # the flag on a place mention's details


@cache
def _catalogue() -> Catalogue:
    return load_catalogue()


def narrative_concern(narrative: str) -> bool:
    """The narrative's suggested indicators, as possible marks, score medium or high."""
    if not narrative:
        return False
    catalogue = _catalogue()
    marks = [Mark(s.code, Status.POSSIBLE) for s in suggest_indicators(catalogue, narrative)]
    if not marks:
        return False
    return score(catalogue, marks, age_years=None).level >= Level.MEDIUM


def referral_concern(categories: Iterable[str], narrative: str) -> bool:
    """What the referral itself says: a category ticked, or the narrative's indicators."""
    return bool(EXPLOITATION_CATEGORIES & set(categories or ())) or narrative_concern(narrative)


def screened_concerns(referral_ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
    """Of these referrals, those on which any child's screening is medium or high."""
    return set(
        Screening.objects.filter(
            referral_child__referral_id__in=list(referral_ids),
            level__in=[RiskLevel.MEDIUM, RiskLevel.HIGH],
        ).values_list("referral_child__referral_id", flat=True)
    )

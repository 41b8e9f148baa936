"""What the front door's services share: their errors and the rules that rate a referral."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sightline.core.config import screening_min_age
from sightline.core.dates import age_on
from sightline.core.errors import Conflict, Invalid
from sightline.referrals.choices import RAG_RANK, Rag, Urgency
from sightline.screening.choices import RiskLevel


class DecisionBlocked(Conflict):
    """The decision cannot be recorded in this state (screening missing, sign-off needed)."""


class DecisionInvalid(Invalid):
    pass


def rag_for(urgency: str, level: str) -> str:
    by_urgency_map: dict[str, str] = {Urgency.IMMEDIATE: Rag.RED, Urgency.URGENT: Rag.AMBER}
    by_urgency = by_urgency_map.get(urgency, Rag.GREEN)
    by_level_map: dict[str, str] = {RiskLevel.HIGH: Rag.RED, RiskLevel.MEDIUM: Rag.AMBER}
    by_level = by_level_map.get(level, Rag.GREEN)
    return min(by_urgency, by_level, key=lambda r: RAG_RANK[r])


def age_on_day(child: Any, day: dt.date) -> int | None:
    if child.date_of_birth is not None:
        return age_on(child.date_of_birth, day)
    return child.approximate_age


def screening_required_for(age: int | None, min_age: int | None = None) -> bool:
    """Unknown age is screened too: the safe reading when a child may be over the limit.
    `min_age` is the partnership's screening age when the caller has already read it."""
    return age is None or age >= (screening_min_age() if min_age is None else min_age)

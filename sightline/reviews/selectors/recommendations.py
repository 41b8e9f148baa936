"""Recommendations a user may see, the list filters and the partnership tracker's figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from sightline.accounts.roles import Cap
from sightline.reviews.choices import OPEN_STATUSES, OVERDUE, RecommendationStatus
from sightline.reviews.models import Recommendation
from sightline.reviews.rules import manages_reviews


def recommendation_scope(*, user: Any) -> QuerySet[Recommendation]:
    """Every recommendation for those who manage reviews; otherwise those owned by the user
    or by the user's agency, for roles that track recommendations."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Recommendation.objects.none()
    if manages_reviews(user):
        return Recommendation.objects.all()
    if not user.has_capability(Cap.RECOMMENDATION_VIEW):
        return Recommendation.objects.none()
    mine = Q(owner_person=user)
    if user.agency_id:
        mine |= Q(owner_agency_id=user.agency_id)
    return Recommendation.objects.filter(mine)


def _overdue_q(today: dt.date) -> Q:
    return Q(status__in=OPEN_STATUSES, due_on__lt=today)


def recommendation_list(
    *, user: Any, status: str | None = None, today: dt.date | None = None
) -> QuerySet[Recommendation]:
    """Overdue first, then by due date. `status` is a status or "overdue"."""
    day = today or timezone.localdate()
    qs = recommendation_scope(user=user).select_related(
        "review", "owner_agency", "owner_person", "finding"
    )
    if status == OVERDUE:
        qs = qs.filter(_overdue_q(day))
    elif status:
        qs = qs.filter(status=status)
    return qs.annotate(
        overdue_rank=Case(When(_overdue_q(day), then=Value(0)), default=Value(1),
                          output_field=IntegerField())
    ).order_by("overdue_rank", "due_on", "reference")  # fmt: skip


def recommendation_get(*, user: Any, recommendation_id: Any) -> Recommendation | None:
    return (
        recommendation_scope(user=user)
        .filter(pk=recommendation_id)
        .select_related("review", "owner_agency", "owner_person", "evidence_submitted_by")
        .prefetch_related("updates__author")
        .first()
    )


@dataclass
class Tracker:
    statuses: list[tuple[str, str]]
    by_agency: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    overdue: int = 0

    def chart(self) -> dict[str, Any]:
        """What the tracker's chart draws: recommendations by status, one bar each."""
        return {
            "title": "Recommendations by status",
            "labels": [label for _, label in self.statuses] + ["Overdue"],
            "values": [self.totals.get(code, 0) for code, _ in self.statuses] + [self.overdue],
            "unit": "",
        }


def tracker(*, user: Any, today: dt.date | None = None) -> Tracker:
    """Counts by owning agency and status (in the database), overdue first."""
    day = today or timezone.localdate()
    statuses = list(RecommendationStatus.choices)
    counts = {f"n_{code}": Count("id", filter=Q(status=code)) for code, _ in statuses} | {
        "n_overdue": Count("id", filter=_overdue_q(day))
    }
    grouped: Any = (
        recommendation_scope(user=user)
        .values("owner_agency__name", "owner_agency__code")
        .annotate(**counts)
    )
    rows = grouped.order_by("-n_overdue", "owner_agency__name")
    result = Tracker(statuses=statuses)
    for row in rows:
        cells = {code: row[f"n_{code}"] for code, _ in statuses}
        result.by_agency.append(
            {"agency": row["owner_agency__name"], "code": row["owner_agency__code"],
             "cells": [cells[c] for c, _ in statuses], "overdue": row["n_overdue"],
             "total": sum(cells.values())}
        )  # fmt: skip
        for code, n in cells.items():
            result.totals[code] = result.totals.get(code, 0) + n
        result.overdue += row["n_overdue"]
    return result

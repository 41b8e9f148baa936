"""Overdue and nearly-due work: open clocks counted per team and per person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sightline.escalation.choices import OPEN_CLOCK_STATUSES
from sightline.escalation.models import Clock
from sightline.escalation.selectors.records import clock_scope

NEARLY_DUE = dt.timedelta(hours=24)


@dataclass
class WorkGroup:
    label: str
    overdue: int = 0
    nearly_due: int = 0


@dataclass
class OverdueWork:
    now: dt.datetime
    by_team: list[WorkGroup] = field(default_factory=list)
    by_person: list[WorkGroup] = field(default_factory=list)
    overdue: QuerySet[Clock] | None = None
    nearly_due: QuerySet[Clock] | None = None


def overdue_work(*, user: Any, now: dt.datetime | None = None) -> OverdueWork:
    """Open clocks past due, and running clocks due within the next 24 hours, counted per
    team and per person (counts are grouped in the database) with the lists to page."""
    now = now or timezone.now()
    base = clock_scope(user=user).filter(status__in=OPEN_CLOCK_STATUSES)
    overdue_q = Q(due_at__lte=now)
    nearly_q = Q(due_at__gt=now, due_at__lte=now + NEARLY_DUE)
    work = OverdueWork(now=now)
    for key, target, unassigned in (
        ("team__name", work.by_team, "Front door (not yet allocated)"),
        ("assigned_to__username", work.by_person, "Not allocated to a person"),
    ):
        rows = (
            base.filter(overdue_q | nearly_q)
            .values(key)
            .annotate(overdue=Count("pk", filter=overdue_q), nearly=Count("pk", filter=nearly_q))
            .order_by("-overdue", "-nearly", key)
        )
        for row in rows:
            target.append(WorkGroup(row[key] or unassigned, row["overdue"], row["nearly"]))
    related = ("referral", "assigned_to", "team", "escalation")
    work.overdue = base.filter(overdue_q).select_related(*related).order_by("due_at", "pk")
    work.nearly_due = base.filter(nearly_q).select_related(*related).order_by("due_at", "pk")
    return work

"""The disruption register's measures: persons of concern with at least one disruption,
median days from a person's first link to a child to their first disruption action, places
with an active measure, and meeting actions completed on time, by agency."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import Any

from django.db.models import Min

from sightline.intel.choices import AlertStatus, EntityType
from sightline.intel.models import Alert
from sightline.meetings.agenda import first_links
from sightline.meetings.choices import ACTIVE_DISRUPTION, ActionStatus
from sightline.meetings.models import Disruption, MeetingAction


def _rate(row: dict[str, int]) -> float | None:
    return round(row["on_time"] / row["due"], 2) if row["due"] else None


def disruption_measures(*, today: dt.date) -> dict[str, Any]:
    alerted = set(
        Alert.objects.filter(entity_type=EntityType.PERSON)
        .exclude(status__in=(AlertStatus.DISMISSED, AlertStatus.WITHDRAWN))
        .values_list("entity_id", flat=True)
    )
    first_disruption = dict(
        Disruption.objects.filter(target_type="person")
        .values("target_id")
        .annotate(first=Min("proposed_on"))
        .values_list("target_id", "first")
    )
    links = first_links(list(first_disruption))
    lags = [(first_disruption[p] - links[p].date()).days for p in first_disruption if p in links]
    places = (
        Disruption.objects.filter(
            target_type__in=("place", "business"), status__in=ACTIVE_DISRUPTION
        )
        .values("target_id")
        .distinct()
        .count()
    )
    by_agency: dict[str, dict[str, int]] = defaultdict(lambda: {"due": 0, "on_time": 0, "done": 0})
    for name, status, due_on, completed_on in MeetingAction.objects.exclude(
        status=ActionStatus.CANCELLED
    ).values_list("owner_agency__name", "status", "due_on", "completed_on"):
        row = by_agency[name]
        if status == ActionStatus.DONE or due_on < today:
            row["due"] += 1
        if status == ActionStatus.DONE:
            row["done"] += 1
            if completed_on is not None and completed_on <= due_on:
                row["on_time"] += 1
    return {
        "persons_with_disruption": len(first_disruption),
        "persons_alerted": len(alerted),
        "alerted_with_disruption": len(alerted & set(first_disruption)),
        "median_days_to_first_disruption": statistics.median(lags) if lags else None,
        "places_with_active_measure": places,
        "actions_by_agency": [
            {
                "agency": name,
                **row,
                "rate": round(row["on_time"] / row["due"], 2) if row["due"] else None,
            }
            for name, row in sorted(by_agency.items())
        ],
    }

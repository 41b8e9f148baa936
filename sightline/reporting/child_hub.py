"""The child's record as a hub: identity, risk and its trend, referrals and decisions, clocks
and statutory steps, alerts, linked persons, places and vehicles, and the chronology; read
in a constant number of queries whatever the number of referrals (ADR 0302).

`child_hub_view` is the read every page and API handler calls: it loads the hub and writes
its one audit row in one transaction. A child the user may not see is None, exactly like a
missing one; nothing is recorded for it (the audit trail has no access-denied action).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse

from sightline.accounts.roles import Cap
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.casework.models import Allocation
from sightline.escalation.choices import ClockStatus
from sightline.escalation.models import Clock
from sightline.intel.models import Entity
from sightline.people.models import Child
from sightline.reporting.child_record import ChildRecord, child_record_get
from sightline.reporting.chronology import Entry, chronology
from sightline.screening.choices import LEVEL_RANK, RiskLevel


@dataclass(frozen=True)
class TrendPoint:
    at: dt.datetime
    level: str
    level_label: str
    score: int
    referral_ref: str
    direction: str  # "up", "down", "same" or "" for the first


@dataclass
class ChildHub:
    record: ChildRecord
    chronology: list[Entry]

    @property
    def child(self) -> Child:
        return self.record.child

    @property
    def current_level(self) -> str:
        current = self.record.current_screening
        return current.level if current is not None else ""

    @property
    def current_level_label(self) -> str:
        return str(RiskLevel(self.current_level).label) if self.current_level else ""

    @property
    def trend(self) -> list[TrendPoint]:
        points: list[TrendPoint] = []
        for s in self.record.screenings:
            before = points[-1].level if points else None
            direction = ""
            if before is not None:
                change = LEVEL_RANK[s.level] - LEVEL_RANK[before]
                direction = "up" if change > 0 else "down" if change < 0 else "same"
            points.append(
                TrendPoint(
                    at=s.screened_at,
                    level=s.level,
                    level_label=str(RiskLevel(s.level).label),
                    score=s.score,
                    referral_ref=s.referral_child.referral.reference,
                    direction=direction,
                )
            )
        return points

    @property
    def open_clocks(self) -> list[Clock]:
        return [
            c for c in self.record.clocks if c.status in (ClockStatus.RUNNING, ClockStatus.BREACHED)
        ]

    @property
    def closed_clocks(self) -> list[Clock]:
        return [c for c in self.record.clocks if c not in self.open_clocks]

    @property
    def allocation(self) -> Allocation | None:
        """The current allocation (casework lists them newest first; empty without
        casework.view)."""
        return next((a for a in self.record.casework.allocations if a.ended_at is None), None)

    @property
    def linked(self) -> dict[str, list[Entity]]:
        return self.record.linked

    @property
    def network_url(self) -> str:
        if not self.record.user.has_capability(Cap.NETWORK_VIEW):
            return ""
        return reverse("intel:network", args=["child", self.child.pk])


def child_hub(*, user: Any, child_id: Any) -> ChildHub | None:
    """Everything loaded (so the queries run here, inside the caller's transaction)."""
    record = child_record_get(user=user, child_id=child_id)
    if record is None:
        return None
    return ChildHub(record=record, chronology=chronology(record))


def child_hub_view(*, user: Any, child_id: Any) -> ChildHub | None:
    with transaction.atomic():
        hub = child_hub(user=user, child_id=child_id)
        if hub is None:
            return None
        audit_record(
            actor=user,
            action=Action.VIEW,
            object_type="child",
            object_id=hub.child.pk,
            object_ref=hub.child.reference,
            child_id=hub.child.pk,
            details={"referrals": len(hub.record.referrals), "entries": len(hub.chronology)},
        )
        return hub

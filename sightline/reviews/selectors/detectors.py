"""Reads of missed-opportunity alerts and detector runs, scoped by the user."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from sightline.accounts.roles import Cap
from sightline.intel.selectors import hidden_child_ids
from sightline.referrals.selectors import child_scope
from sightline.reviews.models import DetectorRun, MissedOpportunity


def _can(user: Any, cap: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_capability(cap))


def missed_opportunity_list(*, user: Any, status: str | None = None) -> QuerySet[MissedOpportunity]:
    """Alerts about the children the user may see as records (alert.view)."""
    if not _can(user, Cap.ALERT_VIEW):
        return MissedOpportunity.objects.none()
    qs = MissedOpportunity.objects.filter(child__in=child_scope(user=user)).select_related(
        "child", "acknowledged_by"
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-raised_at")


def missed_opportunity_get(*, user: Any, mo_id: Any) -> MissedOpportunity | None:
    try:
        pk = uuid.UUID(str(mo_id))
    except ValueError:
        return None
    return missed_opportunity_list(user=user).filter(pk=pk).first()


def detector_runs(*, user: Any) -> QuerySet[DetectorRun]:
    """The runs the user asked for (a run's hits are the requester's to read)."""
    if not _can(user, Cap.DETECTOR_RUN):
        return DetectorRun.objects.none()
    return DetectorRun.objects.filter(requested_by=user).order_by("-created_at")


def detector_run_get(*, user: Any, run_id: Any) -> DetectorRun | None:
    try:
        pk = uuid.UUID(str(run_id))
    except ValueError:
        return None
    return detector_runs(user=user).filter(pk=pk).first()


def run_hits(*, user: Any, run: DetectorRun) -> tuple[list[dict[str, Any]], int]:
    """A run's hits without those about children restricted from the user; and how many
    were withheld."""
    hidden = {str(c) for c in hidden_child_ids(user=user)}
    shown = [h for h in run.hits if h.get("child_id") not in hidden]
    return shown, len(run.hits) - len(shown)

"""Who may send, see and record what, and the one-row invariants of events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sightline.accounts.choices import AgencyKind
from sightline.accounts.models import Agency
from sightline.accounts.roles import Cap
from sightline.core.errors import Invalid
from sightline.events.choices import KINDS_FOR_AGENCY, EventKind
from sightline.events.kinds import episode_times_check

CSC_WIDE_ROLES = frozenset(
    {
        "front_door_practitioner",
        "team_manager",
        "head_of_service",
        "safeguarding_lead",
        "cse_specialist",
    }
)


def kinds_for_agency(agency: Agency | None) -> frozenset[str]:
    if agency is None:
        return frozenset()
    return KINDS_FOR_AGENCY.get(agency.kind, frozenset())


def guard_kind_for_agency(agency: Agency, kind: str) -> None:
    if kind not in kinds_for_agency(agency):
        allowed = ", ".join(sorted(kinds_for_agency(agency))) or "none"
        raise Invalid(
            f"An agency of kind {AgencyKind(agency.kind).label.lower()} cannot send "
            f"{EventKind(kind).label.lower()} events (it may send: {allowed})."
        )


def sees_all_events(user: Any) -> bool:
    """Children's social care's front door, its managers, the partnership's safeguarding lead
    and the CSE specialists see every kind, for every child in scope."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in CSC_WIDE_ROLES
        and user.has_capability(Cap.EVENT_VIEW)
    )


def may_import(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.has_capability(Cap.EVENT_IMPORT)
        and user.agency_id
    )


def episode_times_ok(started_at: dt.datetime, returned_at: dt.datetime | None) -> None:
    episode_times_check(started_at, returned_at, None)

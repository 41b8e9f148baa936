"""The return-interview clocks of many returned children at once (an import's chunk of
missing episodes, ADR 0920): `clocks_on_child_returned` for each return in order, with the
same clock rows and audit rows, in a few statements instead of eight or so per return."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sightline.audit.choices import Action
from sightline.core.transactions import in_callers_transaction
from sightline.escalation.choices import OPEN_CLOCK_STATUSES, ClockKind, TimescaleKey
from sightline.escalation.models import Clock
from sightline.escalation.services.common import audit, front_door_agency
from sightline.escalation.timescales import due_at, partnership_calendar, timescale
from sightline.referrals.models import Referral


@dataclass(frozen=True)
class ChildReturned:
    """One return: the referral its clock hangs on, when the child came back, and the
    episode's reference (the clock's detail)."""

    referral: Referral
    returned_at: dt.datetime
    episode: str


@in_callers_transaction
def clocks_on_children_returned(
    *, returns: Sequence[ChildReturned], acting_user: Any
) -> list[Clock]:
    """`clocks_on_child_returned` for each return, in order: each episode's clock (the one
    already open for its referral and episode, else a new one), one per return in the
    answer, and the same audit row for each. The calendar, the timescale and the front
    door's agency read once, the open clocks in one query, the new ones in one insert."""
    if not returns:
        return []
    scale = timescale(TimescaleKey.RETURN_INTERVIEW)
    calendar = partnership_calendar()
    agency = front_door_agency()
    open_now: dict[tuple[Any, str], Clock] = {}
    for clock in (
        Clock.objects.select_for_update()
        .filter(
            referral_id__in={r.referral.pk for r in returns},
            kind=ClockKind.RETURN_INTERVIEW,
            detail__in={r.episode for r in returns},
            status__in=OPEN_CLOCK_STATUSES,
        )
        .order_by("-due_at", "-started_at")  # the earliest due kept, as `open_clock` finds it
    ):
        open_now[(clock.referral_id, clock.detail)] = clock
    clocks: list[Clock] = []
    new: list[Clock] = []
    for r in returns:
        found = open_now.get((r.referral.pk, r.episode))
        if found is not None:
            clock = found
        else:
            due = due_at(r.returned_at, scale, calendar)
            clock = Clock(
                kind=ClockKind.RETURN_INTERVIEW,
                referral=r.referral,
                agency=agency,
                started_at=r.returned_at,
                due_at=due,
                detail=r.episode,
                next_check_at=due,
            )
            open_now[(r.referral.pk, r.episode)] = clock
            new.append(clock)
        clocks.append(clock)
    Clock.objects.bulk_create(new)
    for r, clock in zip(returns, clocks, strict=True):
        audit(
            actor=acting_user,
            action=Action.CREATE,
            object_type="clock",
            object_id=clock.pk,
            referral=r.referral,
            details={"event": "child_returned", "due_at": clock.due_at.isoformat()},
        )
    return clocks

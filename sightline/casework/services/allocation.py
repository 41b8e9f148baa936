"""Who owns the work: a child (and the referral that brought it) allocated to a worker in a
team, or put in a team's allocation queue; reallocation with a reason; case notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sightline.casework.choices import AllocationKind, NoteKind
from sightline.casework.models import Allocation, CaseNote
from sightline.casework.services.common import (
    Action,
    CaseworkInvalid,
    CaseworkRefused,
    audit_step,
    choice,
    text,
)
from sightline.core.transactions import in_callers_transaction


def _when(at: dt.datetime | None, referral: Any, what: str) -> dt.datetime:
    """Now, or the moment given for something recorded after the event (a history loaded
    afterwards): never in the future, never before the referral it belongs to."""
    now = timezone.now()
    if at is None:
        return now
    if at.tzinfo is None:
        raise CaseworkInvalid("Give the date and time with a time zone.")
    if at > now + dt.timedelta(minutes=5):
        raise CaseworkInvalid(f"The {what} cannot be in the future.")
    if referral is not None and at < referral.received_at:
        raise CaseworkInvalid(f"The {what} cannot be before the referral was received.")
    return at


def _check_worker(worker: Any, team: Any) -> None:
    if not worker.is_active:
        raise CaseworkInvalid("That worker's account is not active: choose someone else.")
    if worker.agency_id != team.agency_id:
        raise CaseworkInvalid("The worker must belong to the team's agency.")


@in_callers_transaction
def allocation_set(
    *,
    acting_user: Any,
    child: Any,
    team: Any,
    worker: Any = None,
    referral: Any = None,
    reason: str = "",
    require_reason: bool = False,
    at: dt.datetime | None = None,
) -> Allocation:
    """End the child's current allocation (if any) and open the new one. A reallocation
    (there was one already, made by a person) needs a reason. `at`: when it happened, for
    an allocation recorded afterwards (default now); not before the one it ends."""
    if acting_user is not None and acting_user.agency_id != team.agency_id:
        raise CaseworkRefused("You can only allocate to a team in your own agency.")
    if worker is not None:
        _check_worker(worker, team)
    current = Allocation.objects.select_for_update().filter(child=child, ended_at__isnull=True)
    previous = current.first()
    reason = text(reason, what="reason for the reallocation", required=require_reason)
    now = _when(at, referral if referral is not None else getattr(previous, "referral", None),
                "allocation")  # fmt: skip
    if previous is not None and now < previous.allocated_at:
        raise CaseworkInvalid("The allocation cannot be dated before the one it replaces.")
    if previous is not None:
        previous.ended_at = now
        previous.save(update_fields=["ended_at", "updated_at"])
    allocation = Allocation.objects.create(
        child=child,
        referral=referral if referral is not None else getattr(previous, "referral", None),
        kind=AllocationKind.ALLOCATED if worker is not None else AllocationKind.TEAM_QUEUE,
        team=team,
        worker=worker,
        allocated_by=acting_user,
        allocated_at=now,
        reason=reason,
    )
    audit_step(
        actor=acting_user,
        action=Action.CHANGE if previous is not None else Action.CREATE,
        object_type="allocation",
        record=allocation,
        referral=allocation.referral,
        child_id=child.pk,
        reason=reason,
        details={
            "team": team.name,
            "worker": worker.username if worker is not None else None,
            "previous": str(previous.pk) if previous is not None else None,
        },
    )
    return allocation


@in_callers_transaction
def allocation_end(
    *, acting_user: Any, child: Any, referral: Any, at: dt.datetime, reason: str
) -> Allocation | None:
    """The episode the child's current allocation belongs to has closed: the allocation ends
    (the child leaves the worker's caseload). An allocation for another referral stays; an
    end dated before the allocation began is taken as its start."""
    current = (
        Allocation.objects.select_for_update()
        .filter(child=child, ended_at__isnull=True, referral=referral)
        .first()
    )
    if current is None:
        return None
    current.ended_at = max(_when(at, referral, "end of the allocation"), current.allocated_at)
    current.save(update_fields=["ended_at", "updated_at"])
    audit_step(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="allocation",
        record=current,
        referral=referral,
        child_id=child.pk,
        reason=reason,
        details={"event": "ended"},
    )
    return current


@in_callers_transaction
def note_add(
    *, acting_user: Any, child: Any, kind: str, body: str, referral: Any = None,
    at: dt.datetime | None = None,
) -> CaseNote:  # fmt: skip
    """A case note, written now or (`at`) written up afterwards for a past contact."""
    kind = choice(kind, NoteKind, what="kind of note")
    written_at = _when(at, referral, "note")
    note = CaseNote.objects.create(
        child=child,
        referral=referral,
        kind=kind,
        text=text(body, what="note"),
        author=acting_user,
        agency=acting_user.agency,
        written_at=written_at,
    )
    audit_step(
        actor=acting_user,
        action=Action.CREATE,
        object_type="case_note",
        record=note,
        referral=referral,
        child_id=child.pk,
        details={"kind": kind},
    )
    return note

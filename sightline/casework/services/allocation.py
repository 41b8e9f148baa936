"""Who owns the work: a child (and the referral that brought it) allocated to a worker in a
team, or put in a team's allocation queue; reallocation with a reason; case notes."""

from __future__ import annotations

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
) -> Allocation:
    """End the child's current allocation (if any) and open the new one. A reallocation
    (there was one already, made by a person) needs a reason."""
    if acting_user is not None and acting_user.agency_id != team.agency_id:
        raise CaseworkRefused("You can only allocate to a team in your own agency.")
    if worker is not None:
        _check_worker(worker, team)
    current = Allocation.objects.select_for_update().filter(child=child, ended_at__isnull=True)
    previous = current.first()
    reason = text(reason, what="reason for the reallocation", required=require_reason)
    now = timezone.now()
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
def note_add(
    *, acting_user: Any, child: Any, kind: str, body: str, referral: Any = None
) -> CaseNote:
    kind = choice(kind, NoteKind, what="kind of note")
    note = CaseNote.objects.create(
        child=child,
        referral=referral,
        kind=kind,
        text=text(body, what="note"),
        author=acting_user,
        agency=acting_user.agency,
        written_at=timezone.now(),
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

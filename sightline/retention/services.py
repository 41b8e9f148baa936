"""Legal holds, saved schedules and tombstones. Holds name a child by reference only; the
administrator who places one sees no case content."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import Conflict, Invalid, NotFound
from sightline.core.transactions import in_callers_transaction
from sightline.people.models import Child
from sightline.retention.choices import HoldKind
from sightline.retention.models import LegalHold, ScheduleVersion, Tombstone
from sightline.retention.schedule import Schedule, schedule_current, schedule_parse
from sightline.retention.selectors import Due


class HoldInvalid(Invalid):
    pass


def hold_place(*, acting_user: Any, child_reference: str, kind: str, matter: str) -> LegalHold:
    """Stop deletion of one child's records. The child's row is locked, so a retention run
    deleting that child either finishes first or sees the hold."""
    if kind not in HoldKind.values:
        raise HoldInvalid(f"{kind!r} is not a kind of hold ({', '.join(HoldKind.values)}).")
    matter = matter.strip()
    if not matter:
        raise HoldInvalid("Name the review, claim or inquiry the hold is for.")
    with transaction.atomic():
        child = Child.objects.select_for_update().filter(reference=child_reference.strip()).first()
        if child is None:
            raise NotFound(f"No child has the reference {child_reference.strip()[:20]!r}.")
        hold = LegalHold.objects.create(
            child=child,
            child_reference=child.reference,
            kind=kind,
            matter=matter[:200],
            placed_by=acting_user,
        )
        audit_record(
            actor=acting_user,
            action=Action.LEGAL_HOLD,
            object_type="legal_hold",
            object_id=hold.pk,
            object_ref=child.reference,
            child_id=child.pk,
            details={"old": None, "new": {"kind": kind, "matter": hold.matter}},
        )
    return hold


def hold_release(*, acting_user: Any, hold_id: uuid.UUID, reason: str) -> LegalHold:
    if not reason.strip():
        raise HoldInvalid("Give a reason for releasing the hold.")
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().filter(pk=hold_id).first()
        if hold is None:
            raise NotFound("No such hold.")
        if hold.released_at is not None:
            raise Conflict("That hold has already been released.")
        hold.released_at, hold.released_by = timezone.now(), acting_user
        hold.release_reason = reason.strip()
        hold.save()
        audit_record(
            actor=acting_user,
            action=Action.LEGAL_HOLD,
            object_type="legal_hold",
            object_id=hold.pk,
            object_ref=hold.child_reference,
            child_id=hold.child_id,
            reason=hold.release_reason,
            details={"old": {"active": True}, "new": {"active": False}},
        )
    return hold


def schedule_save(*, acting_user: Any, text: str) -> Schedule:
    """Save a new version of the schedule, refused (422, nothing stored) if it is invalid,
    for example if audit rows would go before the records they describe."""
    schedule = schedule_parse(text)
    with transaction.atomic():
        old = schedule_current()
        ScheduleVersion.objects.create(text=text, saved_by=acting_user)
        audit_record(
            actor=acting_user,
            action=Action.CONFIG_CHANGED,
            object_type="retention_schedule",
            object_ref=schedule.version,
            details={
                "old": {"version": old.version, "text": old.text},
                "new": {"version": schedule.version, "text": text},
            },
        )
    return schedule


@in_callers_transaction
def tombstone_write(
    *, acting_user: Any, due: Due, record_type: str, reference: str, record_id: uuid.UUID,
    schedule: Schedule, child_id: uuid.UUID | None = None, referral_id: uuid.UUID | None = None,
) -> Tombstone:  # fmt: skip
    """The tombstone and the audit row of one deleted record, in the deleting transaction."""
    now = timezone.now()
    stone = Tombstone.objects.create(
        record_type=record_type,
        reference=reference[:40],
        record_id=record_id,
        created_on=due.created_on,
        last_activity_on=due.last_activity_on,
        due_on=due.due_on,
        deleted_at=now,
        rule=due.rule,
        why=due.why[:300],
        schedule_version=schedule.version,
    )
    audit_record(
        actor=acting_user,
        action=Action.RETENTION_DELETE,
        object_type=record_type,
        object_id=record_id,
        object_ref=reference[:40],
        child_id=child_id,
        referral_id=referral_id,
        reason=due.why[:300],
        actor_username="retention",
        details={"rule": due.rule, "due_on": due.due_on, "tombstone": stone.pk,
                 "schedule": schedule.version},
    )  # fmt: skip
    return stone

"""The stored agenda: built from the data at the cut-off, edited by a chair with a reason."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import Conflict, Invalid
from sightline.meetings.agenda import agenda_compute
from sightline.meetings.choices import (
    SECTION_ORDER,
    AlertKind,
    ItemOrigin,
    MeetingStatus,
    Section,
    SubjectType,
    Why,
)
from sightline.meetings.models import AgendaItem, Meeting, MeetingAction, RegisterAlert
from sightline.meetings.services.meetings import require_chair

EDITABLE = (MeetingStatus.PLANNED, MeetingStatus.PACK_ISSUED, MeetingStatus.HELD)


def _overdue_alerts(meeting: Meeting, action_ids: list[uuid.UUID]) -> int:
    made = 0
    for action in MeetingAction.objects.filter(pk__in=action_ids).select_related("meeting"):
        _, created = RegisterAlert.objects.get_or_create(
            dedupe_key=f"overdue:{action.pk}:{meeting.pk}",
            defaults={
                "kind": AlertKind.ACTION_OVERDUE,
                "action": action,
                "subject_ref": action.reference,
                "summary": (
                    f"Action {action.reference} (from {action.meeting.reference}) was due "
                    f"{action.due_on.isoformat()} and is still open at {meeting.reference}."
                ),
            },
        )
        made += int(created)
    return made


@transaction.atomic
def agenda_build(
    *, acting_user: Any, meeting: Meeting, at: dt.datetime | None = None
) -> list[AgendaItem]:
    """Compute the agenda as of the cut-off (or `at`) and store it. A rebuild keeps the
    chair's additions and removals; items the data no longer gives go."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status not in (MeetingStatus.PLANNED,):
        raise Conflict("The pack is issued: the agenda is fixed as of its cut-off.")
    until = at or meeting.cutoff_at
    proposed = agenda_compute(meeting, until=until)
    removed = set(
        meeting.items.filter(removed_at__isnull=False).values_list("section", "subject_ref")
    )
    meeting.items.filter(origin=ItemOrigin.GENERATED, removed_at__isnull=True).delete()
    kept = list(meeting.items.filter(removed_at__isnull=True))
    kept_keys = {(i.section, i.subject_ref) for i in kept}
    rows = [
        AgendaItem(
            meeting=meeting,
            section=p.section,
            subject_type=p.subject_type,
            subject_id=p.subject_id,
            subject_ref=p.subject_ref,
            title=p.title,
            reasons=p.reasons,
            figures=p.figures,
            is_new=p.is_new,
            origin=ItemOrigin.GENERATED,
        )
        for p in proposed
        if (p.section, p.subject_ref) not in removed | kept_keys
    ]
    AgendaItem.objects.bulk_create(rows)
    _renumber(meeting)
    overdue = [
        p.subject_id
        for p in proposed
        if p.section == Section.ACTIONS
        and p.subject_id
        and any(r["why"] == Why.OVERDUE_ACTION for r in p.reasons)
    ]
    alerts = _overdue_alerts(meeting, [i for i in overdue if i])
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        object_type="mace_agenda",
        object_id=meeting.pk,
        object_ref=meeting.reference,
        details={
            "cutoff": until.isoformat(),
            "items": len(rows) + len(kept),
            "by_section": {s: sum(1 for p in proposed if p.section == s) for s in SECTION_ORDER},
            "overdue_alerts": alerts,
        },
    )
    return list(meeting.items.filter(removed_at__isnull=True).order_by("position"))


def _renumber(meeting: Meeting) -> None:
    items = list(meeting.items.all())
    order = {s: n for n, s in enumerate(SECTION_ORDER)}
    items.sort(key=lambda i: (order[i.section], i.position if i.origin == "added" else 0, i.pk))
    generated_rank = {id(i): n for n, i in enumerate(items)}
    for item in items:
        item.position = generated_rank[id(item)]
    AgendaItem.objects.bulk_update(items, ["position"])


@transaction.atomic
def agenda_item_add(
    *,
    acting_user: Any,
    meeting: Meeting,
    section: str,
    subject_type: str,
    subject_id: uuid.UUID | None,
    subject_ref: str,
    reason: str,
) -> AgendaItem:
    """A chair adds an item, with a reason (audited)."""
    require_chair(acting_user, meeting)
    if meeting.status not in EDITABLE:
        raise Conflict("The minutes are approved: the agenda is fixed.")
    errors = {}
    if section not in Section.values:
        errors["section"] = f"The section is one of {', '.join(Section.values)}."
    if subject_type not in SubjectType.values:
        errors["subject_type"] = f"The subject is one of {', '.join(SubjectType.values)}."
    if not reason.strip():
        errors["reason"] = "Say why the item is added."
    if errors:
        raise Invalid(errors)
    if meeting.items.filter(
        section=section, subject_ref=subject_ref, removed_at__isnull=True
    ).exists():
        raise Conflict("That item is already on the agenda.")
    last = meeting.items.aggregate(m=Max("position"))["m"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting,
        section=section,
        subject_type=subject_type,
        subject_id=subject_id,
        subject_ref=subject_ref,
        reasons=[{"why": Why.CHAIR.value, "label": str(Why.CHAIR.label), "refs": [],
                  "note": reason.strip()}],
        origin=ItemOrigin.ADDED,
        added_by=acting_user,
        position=last + 1,
    )  # fmt: skip
    _renumber(meeting)
    audit_record(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="mace_agenda",
        object_id=meeting.pk,
        object_ref=meeting.reference,
        child_id=subject_id if subject_type == SubjectType.CHILD else None,
        reason=reason.strip(),
        details={"added": subject_ref, "section": section},
    )
    return item


@transaction.atomic
def agenda_item_remove(
    *, acting_user: Any, meeting: Meeting, item: AgendaItem, reason: str
) -> AgendaItem:
    """A chair takes an item off the agenda, with a reason (audited; the row stays)."""
    require_chair(acting_user, meeting)
    if meeting.status not in EDITABLE:
        raise Conflict("The minutes are approved: the agenda is fixed.")
    if item.meeting_id != meeting.pk or item.removed_at is not None:
        raise Invalid({"item": "That item is not on this meeting's agenda."})
    if not reason.strip():
        raise Invalid({"reason": "Say why the item is removed."})
    item.removed_at = timezone.now()
    item.removed_by = acting_user
    item.removed_reason = reason.strip()
    item.save(update_fields=["removed_at", "removed_by", "removed_reason", "updated_at"])
    audit_record(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="mace_agenda",
        object_id=meeting.pk,
        object_ref=meeting.reference,
        child_id=item.subject_id if item.subject_type == SubjectType.CHILD else None,
        reason=item.removed_reason,
        details={"removed": item.subject_ref, "section": item.section},
    )
    return item

"""Meeting actions: agreed with an owner (agency and person) and a due date; updated by the
owner or a chair; swept for lateness by `sightline.meetings.tasks` (ADR 0501: escalation's
clocks belong to referrals, so an action keeps its own due and overdue evaluation)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import Conflict, Invalid, NotPermitted
from sightline.core.outbox import outbox_enqueue
from sightline.core.references import next_reference
from sightline.core.states import guard
from sightline.meetings.choices import ACTION_TRANSITIONS, ActionStatus, MeetingStatus
from sightline.meetings.models import AgendaItem, Meeting, MeetingAction
from sightline.meetings.rules import may_update_action
from sightline.meetings.services.meetings import require_chair

# Overdue this many days, an action is escalated to the meeting's chairs.
ESCALATE_AFTER_DAYS = 7


def _audit(user: Any, action: MeetingAction, what: Action, **details: Any) -> None:
    audit_record(
        actor=user,
        action=what,
        object_type="mace_action",
        object_id=action.pk,
        object_ref=action.reference,
        details={k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in details.items()},
    )


@transaction.atomic
def action_create(
    *,
    acting_user: Any,
    meeting: Meeting,
    description: str,
    owner_agency: Any,
    owner: Any,
    due_on: dt.date | None,
    item: AgendaItem | None = None,
) -> MeetingAction:
    require_chair(acting_user, meeting)
    if meeting.status == MeetingStatus.MINUTES_APPROVED:
        raise Conflict("The minutes are approved: agree new actions at the next meeting.")
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = "Say what is to be done."
    if owner_agency is None or owner is None:
        errors["owner"] = "Every action needs an owner: an agency and a person in it."
    elif owner.agency_id != owner_agency.pk:
        errors["owner"] = "The owner must work for the owning agency."
    if due_on is None:
        errors["due_on"] = "Every action needs a due date."
    elif due_on < meeting.held_on:
        errors["due_on"] = "The due date cannot be before the meeting."
    if item is not None and item.meeting_id != meeting.pk:
        errors["item"] = "That item is not on this meeting's agenda."
    if errors:
        raise Invalid(errors)
    assert due_on is not None
    action = MeetingAction.objects.create(
        reference=next_reference("MA", meeting.held_on.year, width=5),
        meeting=meeting,
        item=item,
        description=description.strip(),
        owner_agency=owner_agency,
        owner=owner,
        due_on=due_on,
    )
    _audit(acting_user, action, Action.CREATE, meeting=meeting.reference, due_on=due_on)
    return action


@transaction.atomic
def action_update(
    *,
    acting_user: Any,
    action: MeetingAction,
    status: str | None = None,
    update: str | None = None,
    due_on: dt.date | None = None,
) -> MeetingAction:
    """The owner or a chair records progress, completes, reopens or (a chair) cancels."""
    action = MeetingAction.objects.select_for_update().select_related("meeting").get(pk=action.pk)
    if not may_update_action(acting_user, action):
        raise NotPermitted("Only the action's owner or a chair of its meeting can update it.")
    changed: dict[str, Any] = {}
    if due_on is not None and due_on != action.due_on:
        if due_on < action.meeting.held_on:
            raise Invalid({"due_on": "The due date cannot be before the meeting."})
        changed["due_on"] = due_on
        action.due_on = due_on
        action.overdue_since = None
    if status is not None and status != action.status:
        if status not in ActionStatus.values:
            raise Invalid({"status": f"The status is one of {', '.join(ActionStatus.values)}."})
        if status == ActionStatus.CANCELLED:
            require_chair(acting_user, action.meeting)
        guard(ACTION_TRANSITIONS, "action", action.status, status)
        action.status = status
        action.completed_on = timezone.localdate() if status == ActionStatus.DONE else None
        changed["status"] = status
    if update is not None:
        action.update = update.strip()
        changed["update"] = True
    if not changed:
        raise Invalid({"detail": "Nothing to change."})
    action.save()
    _audit(acting_user, action, Action.CHANGE, **changed)
    return action


def _notify(action: MeetingAction, recipient: Any, kind: str, at: dt.date) -> None:
    outbox_enqueue(
        kind=kind,
        dedupe_key=f"{kind}:{action.pk}:{recipient.pk}:{at.isoformat()}",
        recipient=recipient,
        subject=f"MACE action {action.reference} is overdue",
        body=(
            f"Action {action.reference} from {action.meeting.reference} was due on "
            f"{action.due_on.isoformat()} and is still open."
        ),
        payload={"action": action.reference, "meeting": action.meeting.reference},
    )


@transaction.atomic
def actions_sweep(*, at: dt.datetime) -> dict[str, int]:
    """Mark open actions past their due date overdue and tell their owner; a week later tell
    the meeting's chairs (the escalation). Idempotent: each step happens once per action."""
    today = at.date()
    became = escalated = 0
    late = (
        MeetingAction.objects.select_for_update()
        .filter(status=ActionStatus.OPEN, due_on__lt=today)
        .select_related("meeting", "owner")
    )
    for action in late:
        if action.overdue_since is None:
            action.overdue_since = action.due_on + dt.timedelta(days=1)
            action.save(update_fields=["overdue_since", "updated_at"])
            _notify(action, action.owner, "mace_action_overdue", action.due_on)
            became += 1
        if action.escalated_at is None and (today - action.due_on).days >= ESCALATE_AFTER_DAYS:
            action.escalated_at = at
            action.save(update_fields=["escalated_at", "updated_at"])
            for chair in action.meeting.chairs.all():
                _notify(action, chair, "mace_action_escalated", action.due_on)
            escalated += 1
    if became or escalated:
        audit_record(
            actor=None,
            action=Action.CHANGE,
            object_type="mace_action_sweep",
            actor_username="system",
            details={"overdue": became, "escalated": escalated, "at": at.isoformat()},
        )
    return {"overdue": became, "escalated": escalated}

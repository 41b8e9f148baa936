"""The MACE steps that keep a practitioner's free text, each one function: the meetings
record (meetings), then the language flags of its text (reviews). One transaction each; a
flag never blocks the save. The MACE pages and API operations that write text call these
(sightline/site/meetings_record.py, sightline/api/meetings_text.py)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sightline.meetings import services
from sightline.meetings.choices import SubjectType
from sightline.meetings.models import (
    AgendaItem,
    Breach,
    ChildProposal,
    Discussion,
    Disruption,
    MeetingAction,
    MinutesVersion,
)
from sightline.people.models import Child
from sightline.reviews.choices import TextKind
from sightline.workflows.language import child_age, flag_fields, flag_text

DISCUSSION_TEXT = ("summary", "decisions")


def _flag_discussion(user: Any, discussion: Discussion) -> None:
    child = discussion.child
    flag_fields(user, kind=TextKind.MACE_DISCUSSION, record=discussion,
                ref=discussion.subject_ref, fields=DISCUSSION_TEXT,
                age=child_age(child) if child is not None else None)  # fmt: skip


@transaction.atomic
def mace_discussion_record(**kwargs: Any) -> Discussion:
    """What the meeting said and decided about an item (meetings), and its flags (reviews)."""
    discussion = services.discussion_record(**kwargs)
    _flag_discussion(kwargs["acting_user"], discussion)
    return discussion


@transaction.atomic
def mace_minutes_amend(**kwargs: Any) -> MinutesVersion:
    """Approved minutes changed as a new version (meetings); the item's text is checked again,
    and so is the chair's reason for the change (kept with the new version)."""
    version = services.minutes_amend(**kwargs)
    item: AgendaItem = kwargs["item"]
    discussion = Discussion.objects.filter(item=item).select_related("child").first()
    if discussion is not None:
        _flag_discussion(kwargs["acting_user"], discussion)
    flag_fields(kwargs["acting_user"], kind=TextKind.MACE_MINUTES, record=version,
                ref=version.meeting.reference, fields=("reason",),
                age=_item_child_age(item))  # fmt: skip
    return version


def _item_child_age(item: AgendaItem) -> int | None:
    """The age today of the child an agenda item is about (None for any other subject)."""
    if item.subject_type != SubjectType.CHILD or item.subject_id is None:
        return None
    return child_age(Child.objects.filter(pk=item.subject_id).first())


@transaction.atomic
def mace_agenda_item_remove(**kwargs: Any) -> AgendaItem:
    """A chair takes an item off the agenda (meetings); the reason's flags (reviews)."""
    item = services.agenda_item_remove(**kwargs)
    flag_fields(kwargs["acting_user"], kind=TextKind.MACE_AGENDA, record=item,
                ref=item.subject_ref, fields=("removed_reason",),
                age=_item_child_age(item))  # fmt: skip
    return item


@transaction.atomic
def mace_child_propose(**kwargs: Any) -> ChildProposal:
    """A practitioner proposes a child for the next meeting (meetings); the reason's flags,
    read with the child's age (reviews)."""
    proposal = services.child_propose(**kwargs)
    flag_text(kwargs["acting_user"], proposal.child, TextKind.MACE_PROPOSAL, proposal.pk,
              "reason", proposal.reason)  # fmt: skip
    return proposal


@transaction.atomic
def mace_action_create(**kwargs: Any) -> MeetingAction:
    action = services.action_create(**kwargs)
    flag_fields(kwargs["acting_user"], kind=TextKind.MACE_ACTION, record=action,
                ref=action.reference, fields=("description",))  # fmt: skip
    return action


@transaction.atomic
def mace_action_update(**kwargs: Any) -> MeetingAction:
    """Progress on an action; its latest update's text is checked (replacing the last)."""
    action = services.action_update(**kwargs)
    if kwargs.get("update") is not None:
        flag_fields(kwargs["acting_user"], kind=TextKind.MACE_ACTION, record=action,
                    ref=action.reference, fields=("update",))  # fmt: skip
    return action


@transaction.atomic
def mace_disruption_create(**kwargs: Any) -> Disruption:
    disruption = services.disruption_create(**kwargs)
    flag_fields(kwargs["acting_user"], kind=TextKind.MACE_DISRUPTION, record=disruption,
                ref=disruption.reference, fields=("terms",))  # fmt: skip
    return disruption


@transaction.atomic
def mace_disruption_update(**kwargs: Any) -> Disruption:
    disruption = services.disruption_update(**kwargs)
    fields = tuple(name for name in ("terms", "outcome") if kwargs.get(name) is not None)
    flag_fields(kwargs["acting_user"], kind=TextKind.MACE_DISRUPTION, record=disruption,
                ref=disruption.reference, fields=fields)  # fmt: skip
    return disruption


@transaction.atomic
def mace_breach_record(**kwargs: Any) -> Breach:
    """A breach of a notice or order logged (meetings); what happened is checked, read with
    the age of the youngest child the disruption protects (reviews)."""
    breach = services.breach_record(**kwargs)
    ages = [a for a in map(child_age, breach.disruption.children.all()) if a is not None]
    flag_fields(kwargs["acting_user"], kind=TextKind.MACE_BREACH, record=breach,
                ref=breach.disruption.reference, fields=("what",),
                age=min(ages, default=None))  # fmt: skip
    return breach

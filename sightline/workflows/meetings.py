"""The MACE steps that keep a practitioner's free text, each one function: the meetings
record (meetings), then the language flags of its text (reviews). One transaction each; a
flag never blocks the save. The meetings app's pages and API that write text call these."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sightline.meetings import services
from sightline.meetings.models import AgendaItem, Discussion, Disruption, MeetingAction
from sightline.reviews.choices import TextKind
from sightline.workflows.language import child_age, flag_fields

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
def mace_minutes_amend(**kwargs: Any) -> Any:
    """Approved minutes changed as a new version (meetings); the item's text is checked again."""
    version = services.minutes_amend(**kwargs)
    item: AgendaItem = kwargs["item"]
    discussion = Discussion.objects.filter(item=item).select_related("child").first()
    if discussion is not None:
        _flag_discussion(kwargs["acting_user"], discussion)
    return version


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

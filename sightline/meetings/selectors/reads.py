"""Audited reads of the meetings app (ADR 0010): what a MACE page or API operation shows,
its access row written here, so that no page or handler shows it unrecorded.

Each applies the scope of the selector it wraps and raises `NotFound` for a record missing
or out of scope (the central handlers record that as a refused access and answer 404); the
row is written inside `transaction.atomic()` (a savepoint of the caller's transaction, or
one of its own), before anything is rendered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from sightline.accounts.roles import Cap
from sightline.audit.choices import Action, ObjectType
from sightline.audit.services import audit_record
from sightline.core.errors import NotFound
from sightline.intel import selectors as intel_selectors
from sightline.meetings.agenda import agenda_compute
from sightline.meetings.choices import SECTION_ORDER, MeetingStatus, SubjectType
from sightline.meetings.measures import disruption_measures
from sightline.meetings.models import (
    AgendaItem,
    Disruption,
    Meeting,
    MeetingAction,
    MinutesVersion,
)
from sightline.meetings.selectors.scope import (
    action_get,
    actions_of,
    agenda_items,
    disruption_get,
    disruption_list,
    disruptions_for_target,
    meeting_get,
    meeting_list,
    register_alerts,
    visible_child_refs,
)
from sightline.meetings.services.pack import pack_context

NO_MEETING = "No meeting with that id that you can see."
NO_ACTION = "No action with that id that you can see."
NO_DISRUPTION = "No disruption action with that id that you can see."
NO_PERSON = "No person of concern with that id that you can see."


@dataclass(frozen=True)
class MeetingShown:
    """A meeting's page: the agenda items the reader may see, and how many were withheld;
    the items taken off the agenda (the same children withheld) and the approved versions of
    the minutes, each with its reason."""

    meeting: Meeting
    items: list[AgendaItem]
    withheld: int
    removed: list[AgendaItem] = field(default_factory=list)
    minutes: list[MinutesVersion] = field(default_factory=list)


@dataclass(frozen=True)
class DisruptionShown:
    disruption: Disruption
    children: list[str]
    withheld: int


def _meeting(user: Any, meeting_id: Any) -> Meeting:
    meeting = meeting_get(user=user, meeting_id=meeting_id)
    if meeting is None:
        raise NotFound(NO_MEETING)
    return meeting


def meeting_list_read(*, user: Any, limit: int = 100) -> list[Meeting]:
    """The meetings the user may see, the listing recorded."""
    with transaction.atomic():
        meetings = list(meeting_list(user=user)[:limit])
        audit_record(actor=user, action=Action.LIST, object_type=ObjectType.MACE_MEETING,
                     details={"count": len(meetings)})  # fmt: skip
    return meetings


def meeting_read(*, user: Any, meeting_id: Any, form: str = "") -> Meeting:
    """A meeting (the API's answer, or a chair's form on it: `form` names which), the view
    recorded; NotFound when it is missing or the user was not invited."""
    meeting = _meeting(user, meeting_id)
    with transaction.atomic():
        audit_record(
            actor=user, action=Action.VIEW, object_type=ObjectType.MACE_MEETING,
            object_id=meeting.pk, object_ref=meeting.reference,
            details={"form": form} if form else None,
        )  # fmt: skip
    return meeting


def meeting_page_read(*, user: Any, meeting_id: Any) -> MeetingShown:
    """A meeting's page: its agenda without the children the user may not see (restricted
    ones withheld), the view recorded with the children shown."""
    meeting = _meeting(user, meeting_id)
    with transaction.atomic():
        every = list(agenda_items(meeting=meeting, include_removed=True))
        child_ids = [i.subject_id for i in every if i.subject_type == SubjectType.CHILD]
        shown, _ = visible_child_refs(user=user, child_ids=child_ids)
        visible = [i for i in every if i.subject_type != SubjectType.CHILD or i.subject_id in shown]
        items = [i for i in visible if i.removed_at is None]
        live = sum(1 for i in every if i.removed_at is None and i.subject_type == SubjectType.CHILD)
        minutes = list(meeting.minutes.select_related("approved_by").order_by("version"))
        audit_record(
            actor=user, action=Action.VIEW, object_type=ObjectType.MACE_MEETING,
            object_id=meeting.pk, object_ref=meeting.reference,
            details={"children": sorted(shown.values())},
        )  # fmt: skip
    withheld = live - sum(1 for i in items if i.subject_type == SubjectType.CHILD)
    removed = [i for i in visible if i.removed_at is not None]
    return MeetingShown(meeting, items, withheld, removed, minutes)


def agenda_out(meeting: Meeting, user: Any) -> dict[str, Any]:
    """The agenda as the API answers it: stored items, or the provisional agenda computed at
    the cut-off for a planned meeting without one; children the user may not see withheld
    (`child_refs` lists those shown)."""
    stored = list(agenda_items(meeting=meeting))
    provisional = not stored and meeting.status == MeetingStatus.PLANNED
    items: list[Any] = agenda_compute(meeting, until=meeting.cutoff_at) if provisional else stored
    child_ids = [i.subject_id for i in items if i.subject_type == SubjectType.CHILD]
    shown, withheld = visible_child_refs(user=user, child_ids=child_ids)
    sections: dict[str, list[dict[str, Any]]] = {s: [] for s in SECTION_ORDER}
    for i in items:
        if i.subject_type == SubjectType.CHILD and i.subject_id not in shown:
            continue
        sections[i.section].append(
            {
                "id": getattr(i, "pk", None),
                "subject_type": i.subject_type,
                "subject_id": i.subject_id,
                "reference": i.subject_ref,
                "title": i.title,
                "is_new": i.is_new,
                "origin": getattr(i, "origin", "generated"),
                "reasons": i.reasons,
                "figures": i.figures,
            }
        )
    return {
        "meeting": meeting.reference,
        "cutoff_at": meeting.cutoff_at,
        "provisional": provisional,
        "children_withheld": withheld,
        "sections": sections,
        "child_refs": sorted(shown.values()),
    }


def agenda_read(*, user: Any, meeting_id: Any) -> dict[str, Any]:
    """A meeting's agenda (`agenda_out` without `child_refs`), the view recorded with the
    children shown."""
    meeting = _meeting(user, meeting_id)
    with transaction.atomic():
        out = agenda_out(meeting, user)
        audit_record(
            actor=user, action=Action.VIEW, object_type=ObjectType.MACE_AGENDA,
            object_id=meeting.pk, object_ref=meeting.reference,
            details={"children": out.pop("child_refs")},
        )  # fmt: skip
    return out


def pack_page_read(*, user: Any, meeting: Meeting) -> dict[str, Any]:
    """The pack's content for this reader (the page's context), the view recorded with the
    children it names. The meeting comes from `meeting_get`: a refused pack request is
    recorded by the caller (`pack_refusal_audit`) before anything is read."""
    with transaction.atomic():
        context = pack_context(meeting, user)
        audit_record(
            actor=user, action=Action.VIEW, object_type=ObjectType.MACE_PACK,
            object_id=meeting.pk, object_ref=meeting.reference,
            details={"children": [str(c) for c in context["child_ids"]]},
        )  # fmt: skip
    return context


def action_read(*, user: Any, action_id: Any) -> MeetingAction:
    """An action (its owner's, or one of a meeting the user may see), the view recorded."""
    action = action_get(user=user, action_id=action_id)
    if action is None:
        raise NotFound(NO_ACTION)
    with transaction.atomic():
        audit_record(actor=user, action=Action.VIEW, object_type=ObjectType.MACE_ACTION,
                     object_id=action.pk, object_ref=action.reference)  # fmt: skip
    return action


def actions_of_read(*, user: Any, limit: int = 300) -> list[MeetingAction]:
    """The MACE actions the user tracks (`actions_of`), the listing recorded."""
    with transaction.atomic():
        rows = list(actions_of(user=user)[:limit])
        audit_record(actor=user, action=Action.LIST, object_type=ObjectType.MACE_ACTION,
                     details={"count": len(rows)})  # fmt: skip
    return rows


def register_read(*, user: Any, limit: int = 200) -> tuple[list[Disruption], list[Any]]:
    """The disruption register (newest first) and its latest alerts, the listing recorded."""
    with transaction.atomic():
        rows = list(disruption_list(user=user).order_by("-proposed_on")[:limit])
        alerts = list(register_alerts(user=user)[:50])
        audit_record(actor=user, action=Action.LIST, object_type=ObjectType.MACE_DISRUPTIONS,
                     details={"count": len(rows)})  # fmt: skip
    return rows, alerts


def disruption_read(*, user: Any, disruption_id: Any) -> DisruptionShown:
    """One disruption action with the children the user may see, the view recorded."""
    d = disruption_get(user=user, disruption_id=disruption_id)
    if d is None:
        raise NotFound(NO_DISRUPTION)
    with transaction.atomic():
        shown, withheld = visible_child_refs(user=user, child_ids=[c.pk for c in d.children.all()])
        children = sorted(shown.values())
        audit_record(actor=user, action=Action.VIEW, object_type=ObjectType.MACE_DISRUPTION,
                     object_id=d.pk, object_ref=d.reference,
                     details={"children": children})  # fmt: skip
    return DisruptionShown(disruption=d, children=children, withheld=withheld)


def person_disruptions_read(*, user: Any, person_id: Any) -> list[Disruption]:
    """The disruption actions against a person of concern (intel's scope decides whether the
    person is there; the register's capability whether the user may see them), recorded."""
    person = intel_selectors.entity_get(user=user, entity_type="person", entity_id=person_id)
    if person is None or not user.has_capability(Cap.DISRUPTION_VIEW):
        raise NotFound(NO_PERSON)
    with transaction.atomic():
        rows = list(disruptions_for_target(user=user, target_id=person.pk))
        audit_record(
            actor=user, action=Action.VIEW, object_type=ObjectType.MACE_DISRUPTIONS,
            object_id=person.pk, object_ref=person.reference, details={"count": len(rows)},
        )  # fmt: skip
    return rows


def measures_read(*, user: Any, today: dt.date) -> dict[str, Any]:
    """The disruption measures (figures over the whole register), the listing recorded."""
    with transaction.atomic():
        figures = disruption_measures(today=today)
        audit_record(actor=user, action=Action.LIST, object_type=ObjectType.MACE_MEASURES)
    return figures

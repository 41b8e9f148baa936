"""Meetings: plan one, record who came, hold it (quorum), record each item's discussion,
approve the minutes (then fixed: a later change is a new version), take a child proposal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.accounts.choices import AgencyKind
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import Conflict, Invalid, NotPermitted
from sightline.core.references import next_reference
from sightline.core.states import guard
from sightline.meetings.choices import (
    MEETING_TRANSITIONS,
    Attendance,
    MeetingStatus,
    SubjectType,
)
from sightline.meetings.models import (
    AgendaItem,
    ChildProposal,
    Discussion,
    Meeting,
    MeetingAttendance,
    MinutesVersion,
    Pack,
)
from sightline.meetings.rules import may_chair, quorum_missing

RISK_VIEWS = ("none", "low", "medium", "high")


def _audit(user: Any, action: Action, meeting: Meeting, **kw: Any) -> None:
    audit_record(
        actor=user,
        action=action,
        object_type=kw.pop("object_type", "mace_meeting"),
        object_id=meeting.pk,
        object_ref=meeting.reference,
        **kw,
    )


def require_chair(user: Any, meeting: Meeting) -> None:
    if not may_chair(user, meeting):
        raise NotPermitted("Only a chair of this meeting can do this.")


def meeting_transition(meeting: Meeting, target: str) -> None:
    guard(MEETING_TRANSITIONS, "meeting", meeting.status, target)
    meeting.status = target
    meeting.save(update_fields=["status", "updated_at"])


@transaction.atomic
def meeting_create(
    *,
    acting_user: Any,
    held_on: dt.date,
    chairs: Sequence[Any],
    invited_agencies: Sequence[Any],
    invited_people: Sequence[Any] = (),
    cutoff_at: dt.datetime | None = None,
) -> Meeting:
    """Plan a meeting. Police and the local authority co-chair; a meeting in the past cannot
    be planned (it would have no minutes)."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    if held_on < today:
        errors["held_on"] = (
            "The meeting date is in the past, and a past meeting has no minutes to record. "
            "Plan a meeting from today on."
        )
    kinds = {getattr(c.agency, "kind", "") for c in chairs}
    if not {AgencyKind.POLICE, AgencyKind.CHILDRENS_SOCIAL_CARE} <= kinds:
        errors["chairs"] = (
            "Name two co-chairs: one from the police and one from the local authority."
        )
    if not invited_agencies:
        errors["invited_agencies"] = "Invite at least one agency."
    if cutoff_at is not None and cutoff_at.date() > held_on:
        errors["cutoff_at"] = "The cut-off must be on or before the meeting date."
    if errors:
        raise Invalid(errors)
    if cutoff_at is None:
        cutoff_at = dt.datetime.combine(
            held_on - dt.timedelta(days=2), dt.time(17, 0), tzinfo=dt.UTC
        )
    meeting = Meeting.objects.create(
        reference=next_reference("MACE", held_on.year, width=4),
        held_on=held_on,
        cutoff_at=cutoff_at,
        created_by=acting_user,
    )
    meeting.chairs.set(chairs)
    meeting.invited_agencies.set({*invited_agencies, *(c.agency for c in chairs)})
    meeting.invited_people.set({*invited_people, *chairs})
    _audit(
        acting_user,
        Action.CREATE,
        meeting,
        details={
            "held_on": held_on.isoformat(),
            "chairs": [c.username for c in chairs],
            "agencies": sorted(a.code for a in meeting.invited_agencies.all()),
        },
    )
    return meeting


@transaction.atomic
def attendance_record(
    *, acting_user: Any, meeting: Meeting, entries: Sequence[tuple[Any, Any, str]]
) -> list[MeetingAttendance]:
    """Replace the attendance: (agency, user or None, present / apologies / absent)."""
    require_chair(acting_user, meeting)
    if meeting.status == MeetingStatus.MINUTES_APPROVED:
        raise Conflict("The minutes are approved; attendance is fixed.")
    bad = [s for _a, _u, s in entries if s not in Attendance.values]
    if bad:
        raise Invalid({"status": f"Attendance is one of {', '.join(Attendance.values)}."})
    meeting.attendance.all().delete()
    rows = [
        MeetingAttendance.objects.create(meeting=meeting, agency=a, user=u, status=s)
        for a, u, s in entries
    ]
    _audit(acting_user, Action.CHANGE, meeting, details={"attendance": len(rows)})
    return rows


def present_kinds(meeting: Meeting) -> set[str]:
    return set(
        meeting.attendance.filter(status=Attendance.PRESENT).values_list("agency__kind", flat=True)
    )


@transaction.atomic
def meeting_hold(*, acting_user: Any, meeting: Meeting) -> Meeting:
    """Record that the meeting took place: only when it was quorate (police, children's
    social care, health and education present)."""
    require_chair(acting_user, meeting)
    missing = quorum_missing(present_kinds(meeting))
    if missing:
        raise Conflict(f"The meeting is not quorate: {', '.join(missing)} not present.")
    meeting_transition(meeting, MeetingStatus.HELD)
    meeting.is_quorate = True
    meeting.save(update_fields=["is_quorate", "updated_at"])
    _audit(acting_user, Action.CHANGE, meeting, details={"status": meeting.status})
    return meeting


def _discussion_values(summary: str, risk_view: str, decisions: str) -> dict[str, str]:
    if risk_view and risk_view not in RISK_VIEWS:
        raise Invalid({"risk_view": f"The risk view is one of {', '.join(RISK_VIEWS)}."})
    if not (summary.strip() or decisions.strip()):
        raise Invalid({"summary": "Record what was discussed or decided."})
    return {"summary": summary.strip(), "risk_view": risk_view, "decisions": decisions.strip()}


def _discussion_put(
    acting_user: Any, meeting: Meeting, item: AgendaItem, values: dict[str, str]
) -> Discussion:
    child_id = item.subject_id if item.subject_type == SubjectType.CHILD else None
    entity_id = (
        item.subject_id
        if item.subject_type in (SubjectType.PERSON, SubjectType.PLACE, SubjectType.VEHICLE)
        else None
    )
    discussion, _ = Discussion.objects.update_or_create(
        item=item,
        defaults={
            "meeting": meeting,
            "held_on": meeting.held_on,
            "subject_type": item.subject_type,
            "child_id": child_id,
            "entity_id": entity_id,
            "subject_ref": item.subject_ref,
            "recorded_by": acting_user,
            **values,
        },
    )
    return discussion


@transaction.atomic
def discussion_record(
    *,
    acting_user: Any,
    meeting: Meeting,
    item: AgendaItem,
    summary: str,
    risk_view: str = "",
    decisions: str = "",
) -> Discussion:
    """What the meeting said about one item (before the minutes are approved)."""
    require_chair(acting_user, meeting)
    if item.meeting_id != meeting.pk or item.removed_at is not None:
        raise Invalid({"item": "That item is not on this meeting's agenda."})
    if meeting.status == MeetingStatus.MINUTES_APPROVED:
        raise Conflict("The minutes are approved and fixed: amend them as a new version.")
    discussion = _discussion_put(
        acting_user, meeting, item, _discussion_values(summary, risk_view, decisions)
    )
    _audit(
        acting_user,
        Action.CHANGE,
        meeting,
        object_type="mace_discussion",
        child_id=discussion.child_id,
        details={"item": item.subject_ref},
    )
    return discussion


def minutes_content(meeting: Meeting) -> dict[str, Any]:
    items = meeting.items.filter(removed_at__isnull=True).select_related("discussion")
    return {
        "meeting": meeting.reference,
        "held_on": meeting.held_on.isoformat(),
        "attendance": [
            {"agency": a.agency.code, "user": a.user.username if a.user else "", "status": a.status}
            for a in meeting.attendance.select_related("agency", "user")
        ],
        "items": [
            {
                "section": i.section,
                "subject": i.subject_ref,
                "summary": getattr(getattr(i, "discussion", None), "summary", ""),
                "risk_view": getattr(getattr(i, "discussion", None), "risk_view", ""),
                "decisions": getattr(getattr(i, "discussion", None), "decisions", ""),
            }
            for i in items
        ],
        "actions": [
            {
                "reference": a.reference,
                "description": a.description,
                "owner": a.owner.username,
                "agency": a.owner_agency.code,
                "due_on": a.due_on.isoformat(),
            }
            for a in meeting.actions.select_related("owner", "owner_agency")
        ],
    }


@transaction.atomic
def minutes_approve(*, acting_user: Any, meeting: Meeting) -> MinutesVersion:
    """A chair approves the minutes: they are fixed as version 1, the packs are withdrawn and
    the children proposed for this meeting are taken."""
    require_chair(acting_user, meeting)
    meeting_transition(meeting, MeetingStatus.MINUTES_APPROVED)
    now = timezone.now()
    version = MinutesVersion.objects.create(
        meeting=meeting,
        version=1,
        content=minutes_content(meeting),
        approved_by=acting_user,
        approved_at=now,
    )
    withdrawn = Pack.objects.filter(meeting=meeting, withdrawn_at__isnull=True).update(
        withdrawn_at=now
    )
    ChildProposal.objects.filter(
        taken_at__isnull=True, child_id__in=meeting.items.values("subject_id")
    ).update(taken_at=meeting)
    _audit(
        acting_user,
        Action.CHANGE,
        meeting,
        object_type="mace_minutes",
        details={"version": 1, "packs_withdrawn": withdrawn},
    )
    return version


@transaction.atomic
def minutes_amend(
    *,
    acting_user: Any,
    meeting: Meeting,
    item: AgendaItem,
    summary: str,
    risk_view: str = "",
    decisions: str = "",
    reason: str,
) -> MinutesVersion:
    """Change approved minutes: the approved versions stay as they were; this is a new one."""
    require_chair(acting_user, meeting)
    if meeting.status != MeetingStatus.MINUTES_APPROVED:
        raise Conflict("The minutes are not approved yet: record the discussion instead.")
    if not reason.strip():
        raise Invalid({"reason": "Say why the approved minutes are changed."})
    if item.meeting_id != meeting.pk:
        raise Invalid({"item": "That item is not on this meeting's agenda."})
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    _discussion_put(acting_user, meeting, item, _discussion_values(summary, risk_view, decisions))
    last = meeting.minutes.order_by("-version").first()
    version = MinutesVersion.objects.create(
        meeting=meeting,
        version=(last.version if last else 0) + 1,
        content=minutes_content(meeting),
        approved_by=acting_user,
        approved_at=timezone.now(),
        reason=reason.strip(),
    )
    _audit(
        acting_user,
        Action.CHANGE,
        meeting,
        object_type="mace_minutes",
        reason=reason.strip(),
        details={"version": version.version, "item": item.subject_ref},
    )
    return version


@transaction.atomic
def child_propose(*, acting_user: Any, child: Any, reason: str) -> ChildProposal:
    """A practitioner proposes a child for the next meeting's agenda."""
    if not reason.strip():
        raise Invalid({"reason": "Say why the child should be discussed."})
    proposal = ChildProposal.objects.create(
        child=child, proposed_by=acting_user, reason=reason.strip()
    )
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        object_type="mace_proposal",
        object_id=proposal.pk,
        object_ref=child.reference,
        child_id=child.pk,
    )
    return proposal

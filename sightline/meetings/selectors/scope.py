"""Reads in the meetings app, scoped: every selector takes the user and applies record scope."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Q, QuerySet

from sightline.accounts.models import Agency, User
from sightline.accounts.roles import ROLE_CAPABILITIES, Cap, Role
from sightline.intel.models import Mention
from sightline.intel.selectors import entity_mentions, hidden_child_ids
from sightline.meetings.models import (
    AgendaItem,
    Disruption,
    IntelGrading,
    Meeting,
    MeetingAction,
    Pack,
    RegisterAlert,
)
from sightline.meetings.rules import holds
from sightline.people.models import Child


def as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def meeting_scope(*, user: Any) -> QuerySet[Meeting]:
    """Meetings a user may see: all for the MACE chair role; otherwise those they chair or
    were invited to (with meeting.view)."""
    if not holds(user, Cap.MEETING_VIEW):
        return Meeting.objects.none()
    if user.role == Role.MACE_CHAIR:
        return Meeting.objects.all()
    return Meeting.objects.filter(Q(chairs=user) | Q(invited_people=user)).distinct()


def meeting_list(*, user: Any) -> QuerySet[Meeting]:
    return meeting_scope(user=user).prefetch_related("chairs", "invited_agencies")


def meeting_get(*, user: Any, meeting_id: Any) -> Meeting | None:
    pk = as_uuid(meeting_id)
    if pk is None:
        return None
    return meeting_scope(user=user).filter(pk=pk).first()


def agenda_items(*, meeting: Meeting, include_removed: bool = False) -> QuerySet[AgendaItem]:
    qs = meeting.items.select_related("discussion", "removed_by").prefetch_related("actions")
    if not include_removed:
        qs = qs.filter(removed_at__isnull=True)
    return qs.order_by("position")


def action_get(*, user: Any, action_id: Any) -> MeetingAction | None:
    pk = as_uuid(action_id)
    if pk is None:
        return None
    """An action its owner may always see; others through the meeting's scope."""
    visible = meeting_scope(user=user).values("pk")
    owned = Q(owner=user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
    return (
        MeetingAction.objects.filter(pk=pk)
        .filter(Q(meeting__in=visible) | owned)
        .select_related("meeting", "owner_agency", "owner")
        .first()
    )


def actions_open(*, meeting: Meeting | None = None) -> QuerySet[MeetingAction]:
    qs = MeetingAction.objects.filter(status="open").select_related(
        "meeting", "owner_agency", "owner", "item"
    )
    if meeting is not None:
        qs = qs.filter(meeting__held_on__lte=meeting.held_on)
    return qs.order_by("due_on", "reference")


def pack_latest(*, meeting: Meeting, user: Any) -> Pack | None:
    return (
        Pack.objects.filter(meeting=meeting, generated_for=user, withdrawn_at__isnull=True)
        .order_by("-created_at")
        .first()
    )


def disruption_list(*, user: Any) -> QuerySet[Disruption]:
    if not holds(user, Cap.DISRUPTION_VIEW):
        return Disruption.objects.none()
    return Disruption.objects.select_related("owner_agency", "owner", "meeting").prefetch_related(
        "breaches", "children"
    )


def disruption_get(*, user: Any, disruption_id: Any) -> Disruption | None:
    pk = as_uuid(disruption_id)
    if pk is None:
        return None
    return disruption_list(user=user).filter(pk=pk).first()


def disruptions_for_target(*, user: Any, target_id: uuid.UUID) -> QuerySet[Disruption]:
    return disruption_list(user=user).filter(target_id=target_id).order_by("-proposed_on")


def register_alerts(*, user: Any) -> QuerySet[RegisterAlert]:
    if not holds(user, Cap.DISRUPTION_VIEW):
        return RegisterAlert.objects.none()
    return RegisterAlert.objects.select_related("disruption", "action").order_by("-created_at")


def users_by_username(names: list[str]) -> tuple[list[Any], list[str]]:
    """Active users with these usernames, and the names not found."""
    found = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
    return [found[n] for n in names if n in found], [n for n in names if n not in found]


def agencies_by_code(codes: list[str]) -> tuple[list[Agency], list[str]]:
    found = {a.code: a for a in Agency.objects.filter(code__in=codes, is_active=True)}
    return [found[c] for c in codes if c in found], [c for c in codes if c not in found]


def visible_child_refs(*, user: Any, child_ids: list[Any]) -> tuple[dict[uuid.UUID, str], int]:
    """Children's references as an intel user sees them: restricted children withheld."""
    ids = [i for i in (as_uuid(c) for c in child_ids) if i is not None]
    hidden = hidden_child_ids(user=user)
    refs = dict(Child.objects.filter(pk__in=ids).values_list("pk", "reference"))
    shown = {i: refs[i] for i in ids if i in refs and i not in hidden}
    return shown, len(ids) - len(shown)


def action_owner_candidates(*, meeting: Meeting) -> QuerySet[User]:
    """Who may own an action agreed at this meeting: active people of the invited agencies."""
    return (
        User.objects.filter(is_active=True, agency__in=meeting.invited_agencies.all())
        .select_related("agency")
        .order_by("agency__name", "last_name", "first_name")[:500]
    )


def mention_for_grading(*, user: Any, mention_id: Any) -> Any:
    """An intel mention the user can see (intel's scope), for grading; None otherwise."""
    pk = as_uuid(mention_id)
    if pk is None:
        return None
    entity_id = Mention.objects.filter(pk=pk).values_list("entity_id", flat=True).first()
    if entity_id is None:
        return None
    return entity_mentions(user=user, entity_id=entity_id).filter(pk=pk).first()


def gradings_for(entity_ids: list[Any]) -> dict[uuid.UUID, IntelGrading]:
    """The grade of each graded mention of these entities, by mention id."""
    rows = IntelGrading.objects.filter(entity_id__in=entity_ids)
    return {g.mention_id: g for g in rows}


def actions_of(*, user: Any) -> QuerySet[MeetingAction]:
    """The MACE actions a person tracks: their own, and for a team manager their team's
    (the specialist team's manager sees the team's MACE actions)."""
    if not holds(user, Cap.MEETING_VIEW):
        return MeetingAction.objects.none()
    mine = Q(owner=user)
    if user.role == Role.TEAM_MANAGER and user.team_id:
        mine |= Q(owner__team_id=user.team_id)
    return (
        MeetingAction.objects.filter(mine)
        .exclude(status="cancelled")
        .select_related("meeting", "owner", "owner_agency")
        .order_by("status", "due_on", "reference")
    )


def mace_members() -> QuerySet[User]:
    """The active users whose role attends MACE (meeting.view): who may chair or be invited."""
    roles = [r for r, caps in ROLE_CAPABILITIES.items() if Cap.MEETING_VIEW in caps]
    return (
        User.objects.filter(is_active=True, role__in=roles)
        .select_related("agency")
        .order_by("agency__name", "last_name", "username")
    )


def agencies_active() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).order_by("name")

"""Who may do what to which meeting, action or disruption (predicates, composed below).

A meeting's record scope is its chairs, the people invited to it and the MACE chair role;
anyone else is answered 404 for it, exactly as for a meeting that does not exist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sightline.accounts.choices import AgencyKind
from sightline.accounts.roles import Cap, Role
from sightline.meetings.models import Meeting, MeetingAction

# The four agencies that must be present for the meeting to make decisions.
QUORUM = frozenset(
    {AgencyKind.POLICE, AgencyKind.CHILDRENS_SOCIAL_CARE, AgencyKind.HEALTH, AgencyKind.EDUCATION}
)
# Each child is reviewed about every 12 weeks after they were last discussed.
REVIEW_AFTER = dt.timedelta(weeks=12)
# A register alert fires this many days before a disruption expires.
EXPIRY_WARNING_DAYS = 14
# A person of concern linked to this many children with no disruption after this many days.
NO_DISRUPTION_CHILDREN = 3
NO_DISRUPTION_DAYS = 30


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def holds(user: Any, cap: str) -> bool:
    return _active(user) and bool(user.has_capability(cap))


def is_mace_chair_role(user: Any) -> bool:
    return _active(user) and user.role == Role.MACE_CHAIR


def is_chair(user: Any, meeting: Meeting) -> bool:
    return _active(user) and meeting.chairs.filter(pk=user.pk).exists()


def is_invited(user: Any, meeting: Meeting) -> bool:
    return _active(user) and (
        is_chair(user, meeting) or meeting.invited_people.filter(pk=user.pk).exists()
    )


def may_see_meeting(user: Any, meeting: Meeting) -> bool:
    return holds(user, Cap.MEETING_VIEW) and (is_mace_chair_role(user) or is_invited(user, meeting))


def may_chair(user: Any, meeting: Meeting) -> bool:
    """Edit the agenda, record the meeting, approve minutes: a chair of this meeting, or the
    MACE chair role, holding meeting.manage."""
    return holds(user, Cap.MEETING_MANAGE) and (is_chair(user, meeting) or is_mace_chair_role(user))


def may_download_pack(user: Any, meeting: Meeting) -> bool:
    return may_see_meeting(user, meeting)


def may_update_action(user: Any, action: MeetingAction) -> bool:
    return _active(user) and (action.owner_id == user.pk or may_chair(user, action.meeting))


def quorum_missing(present_kinds: set[str]) -> list[str]:
    return sorted(str(AgencyKind(k).label) for k in QUORUM - present_kinds)

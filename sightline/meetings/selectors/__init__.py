"""Reads of the meetings app. Every selector takes the user and applies record scope.

- ``scope``: meetings, agenda items, actions, disruptions, the register's alerts and lookups;
- ``reads``: the audited reads (``*_read``, ADR 0010), which return what a page or the API
  shows and write its access row.

Every name is re-exported here, so callers keep `from sightline.meetings import selectors`.
"""

from __future__ import annotations

from sightline.meetings.selectors.reads import (
    DisruptionShown,
    MeetingShown,
    action_read,
    actions_of_read,
    agenda_out,
    agenda_read,
    disruption_read,
    measures_read,
    meeting_list_read,
    meeting_page_read,
    meeting_read,
    pack_page_read,
    person_disruptions_read,
    register_read,
)
from sightline.meetings.selectors.scope import (
    action_get,
    action_owner_candidates,
    actions_of,
    actions_open,
    agencies_active,
    agencies_by_code,
    agenda_items,
    as_uuid,
    disruption_get,
    disruption_list,
    disruptions_for_target,
    gradings_for,
    mace_members,
    meeting_get,
    meeting_list,
    meeting_scope,
    mention_for_grading,
    pack_latest,
    register_alerts,
    users_by_username,
    visible_child_refs,
)

__all__ = [
    "DisruptionShown",
    "MeetingShown",
    "action_get",
    "action_owner_candidates",
    "action_read",
    "actions_of",
    "actions_of_read",
    "actions_open",
    "agencies_active",
    "agencies_by_code",
    "agenda_items",
    "agenda_out",
    "agenda_read",
    "as_uuid",
    "disruption_get",
    "disruption_list",
    "disruption_read",
    "disruptions_for_target",
    "gradings_for",
    "mace_members",
    "measures_read",
    "meeting_get",
    "meeting_list",
    "meeting_list_read",
    "meeting_page_read",
    "meeting_read",
    "meeting_scope",
    "mention_for_grading",
    "pack_latest",
    "pack_page_read",
    "person_disruptions_read",
    "register_alerts",
    "register_read",
    "users_by_username",
    "visible_child_refs",
]

"""Writes in the meetings app, one module per part: meetings, agenda, actions, disruption,
pack. Keyword-only arguments, `acting_user`, one transaction each, audited inside it."""

from sightline.meetings.services.actions import action_create, action_update, actions_sweep
from sightline.meetings.services.agenda import agenda_build, agenda_item_add, agenda_item_remove
from sightline.meetings.services.disruption import (
    DisruptionDates,
    breach_record,
    disruption_create,
    disruption_update,
    register_sweep,
)
from sightline.meetings.services.grading import intel_grade_record
from sightline.meetings.services.meetings import (
    attendance_record,
    child_propose,
    discussion_record,
    meeting_create,
    meeting_hold,
    minutes_amend,
    minutes_approve,
)
from sightline.meetings.services.pack import (
    pack_context,
    pack_download,
    pack_generate,
    pack_refusal_audit,
)

__all__ = [
    "DisruptionDates",
    "action_create",
    "action_update",
    "actions_sweep",
    "agenda_build",
    "agenda_item_add",
    "agenda_item_remove",
    "attendance_record",
    "breach_record",
    "child_propose",
    "discussion_record",
    "disruption_create",
    "disruption_update",
    "intel_grade_record",
    "meeting_create",
    "meeting_hold",
    "minutes_amend",
    "minutes_approve",
    "pack_context",
    "pack_download",
    "pack_generate",
    "pack_refusal_audit",
    "register_sweep",
]

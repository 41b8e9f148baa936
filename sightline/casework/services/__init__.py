"""Writes of the casework app. Each service runs inside its workflow's transaction (the
workflow meets the clocks and tells people) and writes its audit row there."""

from sightline.casework.services.allocation import allocation_end, allocation_set, note_add
from sightline.casework.services.common import CaseworkConflict, CaseworkInvalid, CaseworkRefused
from sightline.casework.services.sign_off import (
    closure_override_record,
    sign_off_approve,
    sign_off_decision_link,
    sign_off_propose,
    sign_off_return,
)
from sightline.casework.services.steps import (
    assessment_create,
    assessment_update,
    conference_create,
    enquiry_create,
    enquiry_update,
    episode_close,
    plan_create,
    plan_end,
    strategy_discussion_create,
    strategy_discussion_update,
)

__all__ = [
    "CaseworkConflict",
    "CaseworkInvalid",
    "CaseworkRefused",
    "allocation_end",
    "allocation_set",
    "assessment_create",
    "assessment_update",
    "closure_override_record",
    "conference_create",
    "enquiry_create",
    "enquiry_update",
    "episode_close",
    "note_add",
    "plan_create",
    "plan_end",
    "sign_off_approve",
    "sign_off_decision_link",
    "sign_off_propose",
    "sign_off_return",
    "strategy_discussion_create",
    "strategy_discussion_update",
]

"""Steps that span apps, one function each, one transaction each (as Zulip's
`zerver/actions/`). Views and API handlers call these, and nothing else, for such a step."""

from sightline.workflows.alerts import event_alert_status_record
from sightline.workflows.casework import (
    assessment_progress,
    assessment_start,
    case_note_record,
    child_allocate,
    conference_record,
    enquiry_outcome,
    enquiry_start,
    episode_closure_record,
    plan_close,
    plan_record,
    strategy_discussion_outcome,
    strategy_discussion_record,
)
from sightline.workflows.challenge import (
    STAGE_OUTCOMES,
    answer_field,
    challenge_answer,
    challenge_open,
    challenge_refer_up,
    escalation_field,
)
from sightline.workflows.decide import (
    decision_propose,
    decision_record,
    sign_off_approve,
    sign_off_return,
)
from sightline.workflows.escalation import (
    ESCALATION_VERBS,
    escalation_act,
    escalation_reason_field,
    rereferral_review,
)
from sightline.workflows.event_receive import (
    EventReceived,
    episode_update,
    event_receive,
    return_interview_step,
)
from sightline.workflows.events_bulk import ImportResult, events_import
from sightline.workflows.intake import (
    IntakeResult,
    referral_intake,
)
from sightline.workflows.intel import (
    intel_alert_status_record,
    mention_link_decide,
    person_split_record,
)
from sightline.workflows.meetings import (
    mace_action_create,
    mace_action_update,
    mace_agenda_item_remove,
    mace_breach_record,
    mace_child_propose,
    mace_discussion_record,
    mace_disruption_create,
    mace_disruption_update,
    mace_minutes_amend,
)
from sightline.workflows.retention import (
    RetentionResult,
    retention_due,
    retention_run,
)
from sightline.workflows.screen import (
    mark_field,
    referral_screen,
)

__all__ = [
    "ESCALATION_VERBS",
    "STAGE_OUTCOMES",
    "EventReceived",
    "ImportResult",
    "IntakeResult",
    "RetentionResult",
    "answer_field",
    "assessment_progress",
    "assessment_start",
    "case_note_record",
    "challenge_answer",
    "challenge_open",
    "challenge_refer_up",
    "child_allocate",
    "conference_record",
    "decision_propose",
    "decision_record",
    "enquiry_outcome",
    "enquiry_start",
    "episode_closure_record",
    "episode_update",
    "escalation_act",
    "escalation_field",
    "escalation_reason_field",
    "event_alert_status_record",
    "event_receive",
    "events_import",
    "intel_alert_status_record",
    "mace_action_create",
    "mace_action_update",
    "mace_agenda_item_remove",
    "mace_breach_record",
    "mace_child_propose",
    "mace_discussion_record",
    "mace_disruption_create",
    "mace_disruption_update",
    "mace_minutes_amend",
    "mark_field",
    "mention_link_decide",
    "person_split_record",
    "plan_close",
    "plan_record",
    "referral_intake",
    "referral_screen",
    "rereferral_review",
    "retention_due",
    "retention_run",
    "return_interview_step",
    "sign_off_approve",
    "sign_off_return",
    "strategy_discussion_outcome",
    "strategy_discussion_record",
]

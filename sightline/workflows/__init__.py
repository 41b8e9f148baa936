"""Steps that span apps, one function each, one transaction each (as Zulip's
`zerver/actions/`). Views and API handlers call these, and nothing else, for such a step."""

from sightline.workflows.challenge import challenge_answer
from sightline.workflows.decide import decision_record
from sightline.workflows.event_receive import (
    EventReceived,
    ImportResult,
    episode_update,
    event_receive,
    events_import,
    return_interview_step,
)
from sightline.workflows.intake import IntakeResult, referral_intake
from sightline.workflows.retention import RetentionResult, retention_due, retention_run
from sightline.workflows.screen import referral_screen

__all__ = [
    "EventReceived",
    "ImportResult",
    "IntakeResult",
    "RetentionResult",
    "challenge_answer",
    "decision_record",
    "episode_update",
    "event_receive",
    "events_import",
    "referral_intake",
    "referral_screen",
    "retention_due",
    "retention_run",
    "return_interview_step",
]

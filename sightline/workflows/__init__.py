"""Steps that span apps, one function each, one transaction each (as Zulip's
`zerver/actions/`). Views and API handlers call these, and nothing else, for such a step."""

from sightline.workflows.challenge import challenge_answer
from sightline.workflows.decide import decision_record
from sightline.workflows.intake import IntakeResult, referral_intake
from sightline.workflows.retention import RetentionResult, retention_due, retention_run
from sightline.workflows.screen import referral_screen

__all__ = [
    "IntakeResult",
    "RetentionResult",
    "challenge_answer",
    "decision_record",
    "referral_intake",
    "referral_screen",
    "retention_due",
    "retention_run",
]

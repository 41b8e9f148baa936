"""A professional challenge's stage answered."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sightline.escalation.choices import ChallengeOutcome
from sightline.escalation.models import Challenge
from sightline.escalation.services import (
    EscalationError,
    challenge_respond,
    performance_on_decision,
)
from sightline.referrals.services import referral_reopen

# The API's words for the stage's answer, and the escalation app's.
STAGE_OUTCOMES = {
    "upheld": ChallengeOutcome.DECISION_UPHELD,
    "decision_to_change": ChallengeOutcome.DECISION_CHANGED,
    "escalated": ChallengeOutcome.ESCALATED,
}


@transaction.atomic
def challenge_answer(
    *, acting_user: Any, challenge: Challenge, outcome: str, notes: str
) -> Challenge:
    """Record the stage's answer (escalation). A decision to be changed reopens the referral
    (referrals): its decision stays on record and the next decision supersedes it, starting
    the clocks its outcome needs and telling the referrer, with these reasons."""
    outcome = STAGE_OUTCOMES.get(outcome, outcome)
    if outcome not in ChallengeOutcome.values:
        raise EscalationError("Outcome must be upheld, decision_to_change or escalated.")
    answered = challenge_respond(
        acting_user=acting_user, challenge=challenge, outcome=outcome, notes=notes
    )
    if outcome == ChallengeOutcome.DECISION_CHANGED:
        reopened = referral_reopen(
            acting_user=acting_user,
            referral=answered.referral,
            reason=f"Challenge answered: decision to be changed. {notes.strip()}",
        )
        # the reopened decision no longer counts on the performance page (escalation)
        performance_on_decision(referral=answered.referral, decision=reopened, sign=-1)
    return answered

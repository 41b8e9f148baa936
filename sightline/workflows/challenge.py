"""A professional challenge raised, and its stage answered, with the language flags of
their text."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sightline.escalation.choices import ChallengeOutcome
from sightline.escalation.models import Challenge
from sightline.escalation.services import (
    EscalationError,
    challenge_escalate,
    challenge_raise,
    challenge_respond,
    performance_on_decision,
)
from sightline.referrals.services import referral_reopen
from sightline.reviews.choices import TextKind
from sightline.workflows.language import flag_referral_text

# The API's words for the stage's answer, and the escalation app's.
STAGE_OUTCOMES = {
    "upheld": ChallengeOutcome.DECISION_UPHELD,
    "decision_to_change": ChallengeOutcome.DECISION_CHANGED,
    "escalated": ChallengeOutcome.ESCALATED,
}


def answer_field(stage: int) -> str:
    """The field a stage's answer is flagged under (a challenge answers up to four stages)."""
    return f"answer_stage_{stage}"


@transaction.atomic
def challenge_open(
    *, acting_user: Any, referral: Any, reason: str, immediate_risk: bool = False
) -> Challenge:
    """Raise the challenge (escalation) and keep its reason's language flags (reviews)."""
    challenge = challenge_raise(
        acting_user=acting_user, referral=referral, reason=reason, immediate_risk=immediate_risk
    )
    flag_referral_text(acting_user, challenge.referral, TextKind.CHALLENGE_REASON, challenge.pk,
                       "reason", challenge.reason)  # fmt: skip
    return challenge


def escalation_field(stage: int) -> str:
    """The field the referrer's reason for escalating to `stage` is flagged under."""
    return f"escalation_stage_{stage}"


@transaction.atomic
def challenge_refer_up(*, acting_user: Any, challenge: Challenge, reason: str) -> Challenge:
    """The referrer escalates the challenge to the next stage (escalation) and the reason's
    language flags are kept (reviews), under the stage it was escalated to."""
    escalated = challenge_escalate(acting_user=acting_user, challenge=challenge, reason=reason)
    flag_referral_text(acting_user, escalated.referral, TextKind.CHALLENGE_ESCALATION,
                       escalated.pk, escalation_field(escalated.stage), reason)  # fmt: skip
    return escalated


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
    stage = challenge.stage
    answered = challenge_respond(
        acting_user=acting_user, challenge=challenge, outcome=outcome, notes=notes
    )
    flag_referral_text(acting_user, answered.referral, TextKind.CHALLENGE_ANSWER, answered.pk,
                       answer_field(stage), notes)  # fmt: skip
    if outcome == ChallengeOutcome.DECISION_CHANGED:
        reopened = referral_reopen(
            acting_user=acting_user,
            referral=answered.referral,
            reason=f"Challenge answered: decision to be changed. {notes.strip()}",
        )
        # the reopened decision no longer counts on the performance page (escalation)
        performance_on_decision(referral=answered.referral, decision=reopened, sign=-1)
    return answered

"""Decision: the front door's outcome on a referral."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sightline.escalation.rules import manager_review_required
from sightline.escalation.services import clocks_on_decision
from sightline.referrals.models import Decision, Referral
from sightline.referrals.services import referral_decide


@transaction.atomic
def decision_record(*, acting_user: Any, referral: Referral, outcome: str, reason: str) -> Decision:
    """Ask the escalation app whether a re-referral review is still owed, record the decision
    under the referral's state rules (referrals), then meet the decision clock, start the
    clocks the outcome implies and send the referrer the decision notice (escalation)."""
    decision = referral_decide(
        acting_user=acting_user,
        referral=referral,
        outcome=outcome,
        reason=reason,
        rereferral_review_pending=manager_review_required(referral),
    )
    clocks_on_decision(referral=referral, decision=decision, acting_user=acting_user)
    return decision

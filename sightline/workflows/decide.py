"""Decision: the front door's outcome on a referral."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sightline.escalation.rules import manager_review_required
from sightline.escalation.services import clocks_on_decision
from sightline.referrals.models import Decision, Referral
from sightline.referrals.services import referral_decide
from sightline.reviews.choices import TextKind
from sightline.reviews.services import language_flags_record, missed_opportunities_check


@transaction.atomic
def decision_record(*, acting_user: Any, referral: Referral, outcome: str, reason: str) -> Decision:
    """Ask the escalation app whether a re-referral review is still owed, record the decision
    under the referral's state rules (referrals), then meet the decision clock, start the
    clocks the outcome implies and send the referrer the decision notice (escalation), and keep
    the reason's language flags (reviews; they never block the decision)."""
    decision = referral_decide(
        acting_user=acting_user,
        referral=referral,
        outcome=outcome,
        reason=reason,
        rereferral_review_pending=manager_review_required(referral),
    )
    clocks_on_decision(referral=referral, decision=decision, acting_user=acting_user)
    ages = [a for a in referral.children.values_list("age_on_day", flat=True) if a is not None]
    language_flags_record(
        acting_user=acting_user,
        content_type=TextKind.DECISION_REASON,
        record_id=decision.pk,
        record_ref=referral.reference,
        field="reason",
        text=decision.reason,
        child_age=min(ages, default=None),
    )
    missed_opportunities_check(
        acting_user=acting_user,
        child_ids=referral.children.values_list("child_id", flat=True),
        trigger="decide",
    )
    return decision

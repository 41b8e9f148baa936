"""A manager's written steps on the escalation ladder and a repeat referral: acknowledging or
resolving an escalation, and reviewing the referral history before a third referral in 12
months is decided. Each keeps its reason's language flags (reviews) in its transaction."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sightline.escalation.models import Escalation, ReReferralReview
from sightline.escalation.services import (
    escalation_acknowledge,
    escalation_resolve,
    rereferral_review_record,
)
from sightline.referrals.models import Referral
from sightline.reviews.choices import TextKind
from sightline.workflows.language import flag_referral_text

# What each step is called in the escalation's history (EscalationEventKind).
ESCALATION_VERBS = {"acknowledge": "acknowledged", "resolve": "resolved"}


def escalation_reason_field(verb: str, rung: int) -> str:
    """The flagged field of an acknowledgement's or a resolution's reason (the history event
    `acknowledged_rung_2`, `resolved_rung_3`), kept under the escalation's id: its events
    have no UUID of their own to key on. One per step and rung."""
    return f"{ESCALATION_VERBS.get(verb, verb)}_rung_{rung}"


@transaction.atomic
def escalation_act(
    *, acting_user: Any, escalation: Escalation, verb: str, reason: str
) -> Escalation:
    """Acknowledge (`verb` "acknowledge") or resolve ("resolve") an escalation with a reason
    (escalation), and keep the reason's flags (reviews)."""
    service = escalation_resolve if verb == "resolve" else escalation_acknowledge
    acted = service(acting_user=acting_user, escalation=escalation, reason=reason)
    flag_referral_text(
        acting_user, acted.referral, TextKind.ESCALATION_NOTE, acted.pk,
        escalation_reason_field(verb, acted.rung), reason.strip(),
    )  # fmt: skip
    return acted


@transaction.atomic
def rereferral_review(*, acting_user: Any, referral: Referral, reason: str) -> ReReferralReview:
    """A team manager's review of a repeat referral (escalation), its reason's flags kept."""
    review = rereferral_review_record(acting_user=acting_user, referral=referral, reason=reason)
    flag_referral_text(
        acting_user, referral, TextKind.REREFERRAL_REVIEW, review.pk, "reason", review.reason
    )
    return review

"""Writes at the front door: intake, screening, decision, child matching, break-glass. Each
public service is one transaction (its own, or for intake the workflow's) and writes its
audit rows inside it."""

from sightline.referrals.services.break_glass import (
    NO_SUCH_REFERRAL,
    BreakGlassNotFound,
    BreakGlassRefused,
    break_glass_open,
    break_glass_refused_record,
)
from sightline.referrals.services.common import (
    DecisionBlocked,
    DecisionInvalid,
    rag_for,
    screening_required_for,
)
from sightline.referrals.services.decide import (
    referral_decide,
    referral_lock_for_screening,
    referral_reopen,
    referral_risk_refresh,
)
from sightline.referrals.services.intake import (
    IntakeChild,
    SubmitResult,
    referral_acknowledge,
    referral_due_times_set,
    referral_submit,
)
from sightline.referrals.services.matching import child_match_confirm, child_match_reject

__all__ = [
    "NO_SUCH_REFERRAL",
    "BreakGlassNotFound",
    "BreakGlassRefused",
    "DecisionBlocked",
    "DecisionInvalid",
    "IntakeChild",
    "SubmitResult",
    "break_glass_open",
    "break_glass_refused_record",
    "child_match_confirm",
    "child_match_reject",
    "rag_for",
    "referral_acknowledge",
    "referral_decide",
    "referral_due_times_set",
    "referral_lock_for_screening",
    "referral_reopen",
    "referral_risk_refresh",
    "referral_submit",
    "screening_required_for",
]

"""A practitioner's proposed decision that needs a manager, and the manager's answer; a head
of service's override of the disclosure rule. These run inside the sign-off and decision
workflows' transactions (which also record the decision and tell people)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from sightline.casework import rules
from sightline.casework.choices import SignOffStatus
from sightline.casework.models import ClosureOverride, SignOff
from sightline.casework.services.common import (
    Action,
    CaseworkConflict,
    CaseworkInvalid,
    CaseworkRefused,
    audit_step,
    text,
)
from sightline.core.transactions import in_callers_transaction
from sightline.referrals.choices import Outcome


@in_callers_transaction
def sign_off_propose(
    *, acting_user: Any, referral: Any, outcome: str, reasoning: str, risk_level: str
) -> SignOff:
    """Keep the proposal (outcome and reasoning) for a manager's sign-off."""
    if outcome not in Outcome.values:
        raise CaseworkInvalid(f"Outcome must be one of: {', '.join(Outcome.values)}.")
    reasoning = text(reasoning, what="reason for the decision")
    if SignOff.objects.filter(referral=referral, status=SignOffStatus.PENDING).exists():
        raise CaseworkConflict(
            f"A proposed decision on {referral.reference} is already awaiting sign-off."
        )
    sign_off = SignOff.objects.create(
        referral=referral,
        outcome=outcome,
        reasoning=reasoning,
        proposed_by=acting_user,
        proposed_at=timezone.now(),
        risk_level=risk_level,
    )
    audit_step(
        actor=acting_user,
        action=Action.CREATE,
        object_type="sign_off",
        record=sign_off,
        referral=referral,
        reason=reasoning,
        details={"event": "proposed", "outcome": outcome, "risk_level": risk_level},
    )
    return sign_off


def _locked_pending(acting_user: Any, sign_off: SignOff) -> SignOff:
    sign_off = SignOff.objects.select_for_update().get(pk=sign_off.pk)
    blocker = rules.sign_off_blocker(acting_user, sign_off)
    if blocker:
        raise CaseworkRefused(blocker)
    if sign_off.status != SignOffStatus.PENDING:
        raise CaseworkConflict(
            f"This proposal has already been answered ({sign_off.get_status_display().lower()})."
        )
    return sign_off


@in_callers_transaction
def sign_off_approve(*, acting_user: Any, sign_off: SignOff) -> SignOff:
    """Mark the proposal approved; the workflow then records it as the decision and links
    it here with sign_off_decision_link."""
    sign_off = _locked_pending(acting_user, sign_off)
    rules.guard_sign_off(sign_off.status, SignOffStatus.APPROVED)
    sign_off.status = SignOffStatus.APPROVED
    sign_off.answered_by = acting_user
    sign_off.answered_at = timezone.now()
    sign_off.save(update_fields=["status", "answered_by", "answered_at", "updated_at"])
    return sign_off


@in_callers_transaction
def sign_off_decision_link(*, acting_user: Any, sign_off: SignOff, decision: Any) -> SignOff:
    sign_off.decision = decision
    sign_off.save(update_fields=["decision", "updated_at"])
    audit_step(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="sign_off",
        record=sign_off,
        referral=sign_off.referral,
        details={"event": "approved", "outcome": sign_off.outcome, "decision": str(decision.pk)},
    )
    return sign_off


@in_callers_transaction
def sign_off_return(*, acting_user: Any, sign_off: SignOff, reason: str) -> SignOff:
    """Send the proposal back with the reason the practitioner will see."""
    reason = text(reason, what="reason for returning the proposal")
    sign_off = _locked_pending(acting_user, sign_off)
    rules.guard_sign_off(sign_off.status, SignOffStatus.RETURNED)
    sign_off.status = SignOffStatus.RETURNED
    sign_off.answered_by = acting_user
    sign_off.answered_at = timezone.now()
    sign_off.return_reason = reason
    sign_off.save(
        update_fields=["status", "answered_by", "answered_at", "return_reason", "updated_at"]
    )
    audit_step(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="sign_off",
        record=sign_off,
        referral=sign_off.referral,
        reason=reason,
        details={"event": "returned", "outcome": sign_off.outcome},
    )
    return sign_off


@in_callers_transaction
def closure_override_record(
    *, acting_user: Any, referral: Any, decision: Any, rationale: str
) -> ClosureOverride:
    """A head of service closed a disclosure without a strategy discussion: kept, audited,
    listed on its own page (the workflow alerts the safeguarding lead)."""
    override = ClosureOverride.objects.create(
        referral=referral,
        decision=decision,
        outcome=decision.outcome,
        indicators=rules.override_indicators(referral),
        rationale=rationale.strip(),
        overridden_by=acting_user,
        overridden_at=timezone.now(),
    )
    audit_step(
        actor=acting_user,
        action=Action.CREATE,
        object_type="closure_override",
        record=override,
        referral=referral,
        reason=override.rationale,
        details={"outcome": override.outcome, "indicators": override.indicators},
    )
    return override

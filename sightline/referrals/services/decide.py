"""Screening's hold on a referral, its risk after a screening, and the decision."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.config import screening_min_age
from sightline.referrals import rules
from sightline.referrals.choices import RAG_RANK, Outcome, Status
from sightline.referrals.models import Decision, Referral
from sightline.referrals.services.common import DecisionBlocked, DecisionInvalid, rag_for
from sightline.screening.choices import LEVEL_RANK


def referral_lock_for_screening(*, referral: Referral) -> Referral:
    """Lock the referral for a screening and check that it still awaits one (no decision)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    rules.guard_transition(referral.status, Status.AWAITING_DECISION)
    return referral


def referral_risk_refresh(*, referral: Referral) -> bool:
    """After a screening: the referral's risk rank, its RAG rating (raised, never lowered) and
    its status. Answers whether the RAG rating went up (the workflow then re-times the clock
    and copies its due time back)."""
    fresh = Referral.objects.prefetch_related("children__screenings").get(pk=referral.pk)
    level = rules.highest_level(fresh)
    referral.risk_rank = LEVEL_RANK.get(level, 0)
    new_rag = rag_for(referral.urgency, level)
    raised = RAG_RANK[new_rag] < RAG_RANK[referral.rag]
    if raised:
        referral.rag = new_rag
    if referral.status == Status.AWAITING_SCREENING and rules.screening_complete(fresh):
        rules.guard_transition(referral.status, Status.AWAITING_DECISION)
        referral.status = Status.AWAITING_DECISION
    referral.save(update_fields=["risk_rank", "rag", "status", "updated_at"])
    return raised


@transaction.atomic
def referral_decide(
    *,
    acting_user: Any,
    referral: Referral,
    outcome: str,
    reason: str,
    rereferral_review_pending: bool,
    proposed_by: Any = None,
) -> Decision:
    """Record the decision. `proposed_by` is the practitioner whose proposal a manager
    (`acting_user`) approves: the proposer is recorded as deciding, the manager as signing
    off. On a reopened referral the new decision supersedes the one reopened."""
    if outcome not in Outcome.values:
        raise DecisionInvalid(f"Outcome must be one of: {', '.join(Outcome.values)}.")
    if not reason or not reason.strip():
        raise DecisionInvalid("Give the reason for the decision.")
    if len(reason) > 10_000:
        raise DecisionInvalid("The reason must be 10,000 characters or fewer.")
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    fresh = (
        Referral.objects.select_related("decision")
        .prefetch_related("children__screenings")
        .get(pk=referral.pk)
    )
    blocker = rules.decision_blocker(
        fresh,
        acting_user,
        outcome,
        rereferral_review_pending=rereferral_review_pending,
        screening_age=screening_min_age,
    )
    if blocker:
        raise DecisionBlocked(blocker)
    rules.guard_transition(referral.status, Status.DECIDED)
    sign_off = rules.needs_manager_sign_off(fresh, outcome) or proposed_by is not None
    reopened = (
        Decision.objects.select_for_update()
        .filter(for_referral=referral, referral__isnull=True, superseded_by__isnull=True)
        .order_by("-decided_at")
        .first()
    )
    decision = Decision.objects.create(
        referral=referral,
        for_referral=referral,
        outcome=outcome,
        reason=reason.strip(),
        decided_by=proposed_by or acting_user,
        decided_at=timezone.now(),
        signed_off_by=acting_user if sign_off else None,
        risk_level_at_decision=rules.highest_level(fresh),
    )
    if reopened is not None:
        reopened.superseded_by = decision
        reopened.save(update_fields=["superseded_by", "updated_at"])
    referral.status = Status.DECIDED
    referral.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=acting_user,
        action=Action.DECIDE,
        object_type="referral",
        object_id=referral.pk,
        object_ref=referral.reference,
        referral_id=referral.pk,
        reason=decision.reason,
        details={
            "outcome": outcome,
            "manager_sign_off": sign_off,
            "risk_level": decision.risk_level_at_decision,
            "proposed_by": proposed_by.username if proposed_by is not None else None,
            "supersedes": str(reopened.pk) if reopened is not None else None,
        },
    )
    return decision


@transaction.atomic
def referral_reopen(*, acting_user: Any, referral: Referral, reason: str) -> Decision:
    """A challenge answered "decision to be changed": the current decision stops being
    current (it is kept, and superseded by the next one) and the referral awaits a new
    decision. Called by the challenge workflow, which has checked who may answer."""
    reason = (reason or "").strip()
    if not reason:
        raise DecisionInvalid("Give the reason the decision is to be changed.")
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    decision = Decision.objects.select_for_update().filter(referral=referral).first()
    if decision is None:
        raise DecisionBlocked(f"{referral.reference} has no current decision to change.")
    rules.guard_transition(referral.status, Status.REOPENED)
    decision.referral = None
    decision.reopened_at = timezone.now()
    decision.reopened_reason = reason
    decision.save(update_fields=["referral", "reopened_at", "reopened_reason", "updated_at"])
    referral.status = Status.REOPENED
    referral.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="decision",
        object_id=decision.pk,
        object_ref=referral.reference,
        referral_id=referral.pk,
        reason=reason,
        details={"event": "decision_reopened", "outcome": decision.outcome},
    )
    return decision

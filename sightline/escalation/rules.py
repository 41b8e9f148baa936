"""State rules for clocks, escalations, challenges and re-referrals: predicates, composed
into named checks. Capability lives in accounts.roles, scope in selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sightline.accounts.roles import Cap, Role
from sightline.core.states import guard
from sightline.escalation.choices import (
    CHALLENGE_STAGE_ROLES,
    CHALLENGE_TRANSITIONS,
    CLOCK_TRANSITIONS,
    ESCALATION_TRANSITIONS,
)
from sightline.escalation.models import ReReferralReview
from sightline.referrals.choices import Outcome, Urgency
from sightline.referrals.models import Referral
from sightline.screening.choices import LEVEL_RANK

REREFERRAL_WINDOW = dt.timedelta(days=365)
MANAGER_REVIEW_FROM = 3  # the third referral in 12 months needs a team manager's review

# Seniority on the ladder, for "this stage or above may answer".
ROLE_SENIORITY: dict[str, int] = {
    Role.FRONT_DOOR_PRACTITIONER: 1,
    Role.CSE_SPECIALIST: 1,
    Role.TEAM_MANAGER: 2,
    Role.HEAD_OF_SERVICE: 3,
    Role.SAFEGUARDING_LEAD: 4,
}


_guard = guard


def guard_clock(current: str, target: str) -> None:
    _guard(CLOCK_TRANSITIONS, "clock", current, target)


def guard_escalation(current: str, target: str) -> None:
    _guard(ESCALATION_TRANSITIONS, "escalation", current, target)


def guard_challenge(current: str, target: str) -> None:
    _guard(CHALLENGE_TRANSITIONS, "challenge", current, target)


def is_referrer_of(user: Any, referral: Any) -> bool:
    return bool(user.is_authenticated and referral.referred_by_id == user.pk)


def has_decision(referral: Any) -> bool:
    return hasattr(referral, "decision")


def can_raise_challenge(user: Any, referral: Any) -> bool:
    """Any referrer may challenge the decision on their own referral."""
    return bool(
        user.has_capability(Cap.CHALLENGE_RAISE)
        and is_referrer_of(user, referral)
        and has_decision(referral)
    )


def can_answer_challenge_stage(user: Any, stage: int) -> bool:
    """Whoever holds the stage's role, or someone more senior on the ladder."""
    needed = ROLE_SENIORITY[CHALLENGE_STAGE_ROLES[stage]]
    return bool(
        user.has_capability(Cap.CHALLENGE_RESPOND) and ROLE_SENIORITY.get(user.role, 0) >= needed
    )


def can_acknowledge_escalation(user: Any, escalation: Any) -> bool:
    return bool(user.has_capability(Cap.ESCALATION_VIEW))


def can_resolve_escalation(user: Any, escalation: Any) -> bool:
    return bool(user.has_capability(Cap.ESCALATION_RESOLVE))


def can_record_steps(user: Any) -> bool:
    """Strategy discussions, assessments and conferences are recorded by the front door and
    the specialist team."""
    return bool(user.has_capability(Cap.REFERRAL_SCREEN))


def referrer_view_of_risk_raised(referral: Any) -> bool:
    """The referrer (or the screening) saw medium or high risk: urgency urgent or immediate,
    or a current screening level of medium or high."""
    if referral.urgency in (Urgency.URGENT, Urgency.IMMEDIATE):
        return True
    level = ""
    decision = getattr(referral, "decision", None)
    if decision is not None:
        level = decision.risk_level_at_decision
    return LEVEL_RANK.get(level, 0) >= LEVEL_RANK["medium"] or referral.risk_rank >= 2


def challenge_invited(referral: Any) -> bool:
    """Closed with no further action although the referrer's view of risk was medium or high:
    the decision notice invites the referrer to challenge."""
    decision = getattr(referral, "decision", None)
    return bool(
        decision is not None
        and decision.outcome == Outcome.NO_FURTHER_ACTION
        and referrer_view_of_risk_raised(referral)
    )


def referrals_in_window(referral: Any, child_ids: list[Any] | None = None) -> int:
    """Referrals naming any of this referral's children (`child_ids` when the caller has
    them) received in the 12 months up to and including this one (this one counted)."""
    if child_ids is None:
        child_ids = list(referral.children.values_list("child_id", flat=True))
    if not child_ids:
        return 1
    return (
        Referral.objects.filter(
            children__child_id__in=child_ids,
            received_at__gte=referral.received_at - REREFERRAL_WINDOW,
            received_at__lte=referral.received_at,
        )
        .distinct()
        .count()
    )


def manager_review_required(referral: Any) -> bool:
    """A third (or later) referral for a child in 12 months needs a team manager's review
    before any decision; true until that review is recorded."""

    if has_decision(referral):
        return False
    if referrals_in_window(referral) < MANAGER_REVIEW_FROM:
        return False
    return not ReReferralReview.objects.filter(referral_id=referral.pk).exists()

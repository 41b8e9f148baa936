"""State rules for referrals: predicates, composed into named checks. Capability (what a role
may do) lives in accounts.roles; scope (which records) in selectors; this file answers
"given this record's state, may this happen?"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings

from sightline.accounts.roles import is_manager
from sightline.core.states import guard
from sightline.referrals.choices import TRANSITIONS, Outcome
from sightline.screening.choices import LEVEL_RANK


def guard_transition(current: str, target: str) -> None:
    guard(TRANSITIONS, "referral", current, target)


def children_awaiting_screening(referral: Any) -> list[Any]:
    """Referred children who need a CSE screening and have no current one."""
    return [
        rc
        for rc in referral.children.all()
        if rc.screening_required and not any(s.is_current for s in rc.screenings.all())
    ]


def screening_complete(referral: Any) -> bool:
    return not children_awaiting_screening(referral)


def highest_level(referral: Any) -> str:
    levels = [
        s.level for rc in referral.children.all() for s in rc.screenings.all() if s.is_current
    ]
    return max(levels, key=lambda lv: LEVEL_RANK[lv], default="")


def needs_manager_sign_off(referral: Any, outcome: str) -> bool:
    """Closing a referral whose screening is medium or high with no further action."""
    level = highest_level(referral)
    return outcome == Outcome.NO_FURTHER_ACTION and LEVEL_RANK.get(level, 0) >= LEVEL_RANK["medium"]


def _default_screening_age() -> int:
    return int(settings.SIGHTLINE_SCREENING_MIN_AGE)


def decision_blocker(
    referral: Any,
    user: Any,
    outcome: str,
    *,
    rereferral_review_pending: bool = False,
    screening_age: Callable[[], int] = _default_screening_age,
) -> str | None:
    """Why this user may not record this outcome now, in words for the practitioner.
    `rereferral_review_pending` comes from the escalation app's re-referral rule, which the
    decision workflow asks (this app sits below escalation and does not import it).
    `screening_age` gives the partnership's screening age for the message (the decision
    service passes core.config.screening_min_age; it is read only when the message needs it)."""
    blocker = state_blocker(
        referral,
        rereferral_review_pending=rereferral_review_pending,
        screening_age=screening_age,
    )
    if blocker:
        return blocker
    if needs_manager_sign_off(referral, outcome) and not is_manager(user):
        return (
            f"The screening level is {highest_level(referral)}, so closing with no further "
            "action needs a team manager's sign-off. Ask a team manager to record this decision."
            ' Or send it to the sign-off queue (in the API: "propose": true).'
        )
    return None


def state_blocker(
    referral: Any,
    *,
    rereferral_review_pending: bool = False,
    screening_age: Callable[[], int] = _default_screening_age,
) -> str | None:
    """Why no decision (nor a proposal for one) can be recorded on the referral now, whoever
    is asking: one already recorded, a screening missing, a re-referral review owed."""
    if hasattr(referral, "decision"):
        return f"A decision has already been recorded on {referral.reference}."
    waiting = children_awaiting_screening(referral)
    if waiting:
        count = len(waiting)
        who = "1 child" if count == 1 else f"{count} children"
        verb = "has" if count == 1 else "have"
        return (
            f"A CSE screening is needed before a decision: {who} aged "
            f"{screening_age()} or over (or of unknown age) on this "
            f"referral {verb} not been screened."
        )
    if rereferral_review_pending:
        return (
            f"{referral.reference} is the third referral for a child on it in 12 months, so a "
            "team manager must review the history before any decision is recorded."
        )
    return None

"""What the decision part of the referral page shows besides the form: the level and the
override indicators it rests on, the proposals and their sign-off, earlier decisions."""

from __future__ import annotations

from typing import Any

from sightline.accounts.roles import Role, is_manager
from sightline.casework import rules as casework_rules
from sightline.casework import selectors as casework_selectors
from sightline.referrals import rules
from sightline.reviews.selectors import record_flags
from sightline.screening import scoring
from sightline.screening.choices import LEVEL_RANK


def decision_context(user: Any, referral: Any, full: bool) -> dict[str, Any]:
    """What the decision rests on (level, override indicators) and what happened to it: the
    proposals and their sign-off, and earlier decisions superseded after a challenge."""
    superseded = [d for d in referral.decisions.all() if not d.is_current]
    if not full:
        return {"superseded": superseded}
    level = rules.highest_level(referral)
    codes = casework_rules.override_indicators(referral)
    labels = {i.code: i.label for i in scoring.load_catalogue().indicators}
    sign_offs = list(casework_selectors.sign_offs_of_referral(referral))
    decision = getattr(referral, "decision", None)
    flags = record_flags(
        record_ids=[*(s.pk for s in sign_offs), *([decision.pk] if decision else [])]
    )
    return {
        "superseded": superseded,
        "sign_offs": sign_offs,
        "sign_off_flags": flags,
        "decision_flags": flags.get(decision.pk, []) if decision else [],
        "pending_sign_off": casework_selectors.pending_sign_off(referral),
        "top_level": level,
        "confirm_needed": LEVEL_RANK.get(level, 0) >= LEVEL_RANK["medium"],
        "override_codes": [(c, labels.get(c, "")) for c in codes],
        "strategy_recorded": casework_rules.has_strategy_discussion(referral),
        "is_head_of_service": user.role == Role.HEAD_OF_SERVICE,
        "can_propose": not is_manager(user),
    }


def confirm_missing(outcome: str, level: str, confirmed: bool) -> bool:
    """A no-further-action proposed on medium or high risk needs the practitioner's tick."""
    risky = LEVEL_RANK.get(level, 0) >= LEVEL_RANK["medium"]
    return outcome == "no_further_action" and risky and not confirmed

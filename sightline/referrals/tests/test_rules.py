"""State rules for referrals (referrals.rules), on plain stand-ins: no database needed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from sightline.accounts.models import User
from sightline.accounts.roles import Role, is_manager
from sightline.core.errors import TransitionNotAllowed
from sightline.referrals import rules
from sightline.referrals.choices import Outcome, Status


class Rows(list[Any]):
    """Stands in for a related manager: `.all()` gives the rows."""

    def all(self) -> Rows:
        return self


@dataclass
class FakeScreening:
    level: str
    is_current: bool = True


@dataclass
class FakeReferralChild:
    screening_required: bool = True
    screenings: Rows = field(default_factory=Rows)


@dataclass
class FakeReferral:
    children: Rows
    reference: str = "SL-2026-000042"


def referral(*levels: str | None, required: bool = True) -> FakeReferral:
    """One child per level; None means not screened yet."""
    return FakeReferral(
        Rows(
            FakeReferralChild(required, Rows([FakeScreening(lv)] if lv is not None else []))
            for lv in levels
        )
    )


def user(role: str) -> User:
    return User(username=f"someone-{role}", role=role)


PRACTITIONER = user(Role.FRONT_DOOR_PRACTITIONER)
MANAGER = user(Role.TEAM_MANAGER)


def test_decision_blocker_asks_for_a_managers_review_of_a_third_referral() -> None:
    # The decision workflow asks the escalation app's re-referral rule and passes its answer;
    # without it (these stand-ins are first referrals) no review is pending.
    message = rules.decision_blocker(
        referral("low"), MANAGER, Outcome.EARLY_HELP, rereferral_review_pending=True
    )
    assert message is not None
    assert "third referral" in message
    assert "team manager must review" in message


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (Status.AWAITING_SCREENING, Status.AWAITING_SCREENING, True),
        (Status.AWAITING_SCREENING, Status.AWAITING_DECISION, True),
        (Status.AWAITING_SCREENING, Status.DECIDED, False),
        (Status.AWAITING_DECISION, Status.AWAITING_DECISION, True),
        (Status.AWAITING_DECISION, Status.DECIDED, True),
        (Status.AWAITING_DECISION, Status.AWAITING_SCREENING, False),
        (Status.DECIDED, Status.AWAITING_DECISION, False),
        (Status.DECIDED, Status.DECIDED, False),
    ],
)
def test_only_allowed_status_transitions_pass_the_guard(
    current: str, target: str, allowed: bool
) -> None:
    if allowed:
        rules.guard_transition(current, target)
    else:
        with pytest.raises(TransitionNotAllowed, match=f"from {current} to {target}"):
            rules.guard_transition(current, target)


def test_children_awaiting_screening_are_those_required_without_a_current_screening() -> None:
    stale = FakeReferralChild(True, Rows([FakeScreening("high", is_current=False)]))
    screened = FakeReferralChild(True, Rows([FakeScreening("low")]))
    young = FakeReferralChild(False, Rows())
    unscreened = FakeReferralChild(True, Rows())
    item = FakeReferral(Rows([stale, screened, young, unscreened]))
    assert rules.children_awaiting_screening(item) == [stale, unscreened]
    assert not rules.screening_complete(item)
    assert rules.screening_complete(FakeReferral(Rows([screened, young])))


def test_highest_level_counts_only_current_screenings() -> None:
    item = referral("low", "medium", None)
    item.children[0].screenings.append(FakeScreening("high", is_current=False))
    assert rules.highest_level(item) == "medium"
    assert rules.highest_level(referral(None)) == ""
    assert rules.highest_level(referral("none")) == "none"


@pytest.mark.parametrize(
    ("level", "outcome", "needed"),
    [
        ("", Outcome.NO_FURTHER_ACTION, False),
        ("none", Outcome.NO_FURTHER_ACTION, False),
        ("low", Outcome.NO_FURTHER_ACTION, False),
        ("medium", Outcome.NO_FURTHER_ACTION, True),
        ("high", Outcome.NO_FURTHER_ACTION, True),
        ("medium", Outcome.INFORMATION_AND_ADVICE, False),
        ("high", Outcome.EARLY_HELP, False),
        ("high", Outcome.STRATEGY_DISCUSSION, False),
        ("high", Outcome.OTHER_AGENCY, False),
    ],
)
def test_manager_sign_off_is_needed_only_to_close_medium_or_high_with_no_action(
    level: str, outcome: str, needed: bool
) -> None:
    item = referral(level or None, required=bool(level))
    assert rules.needs_manager_sign_off(item, outcome) is needed


def test_highest_screening_on_the_referral_decides_sign_off() -> None:
    assert rules.needs_manager_sign_off(referral("low", "high"), Outcome.NO_FURTHER_ACTION)


def test_decision_blocker_says_a_decision_exists_already() -> None:
    item = referral("low")
    item.decision = object()  # type: ignore[attr-defined]
    message = rules.decision_blocker(item, MANAGER, Outcome.EARLY_HELP)
    assert message == "A decision has already been recorded on SL-2026-000042."


def test_decision_blocker_counts_the_children_still_to_be_screened() -> None:
    message = rules.decision_blocker(referral(None, "low", None), MANAGER, Outcome.EARLY_HELP)
    assert message is not None
    assert message.startswith("A CSE screening is needed before a decision: 2 children aged 10")


def test_decision_blocker_asks_a_practitioner_for_a_managers_sign_off() -> None:
    message = rules.decision_blocker(referral("high"), PRACTITIONER, Outcome.NO_FURTHER_ACTION)
    assert message is not None
    assert message.startswith("The screening level is high, so closing with no further action")
    assert "Ask a team manager to record this decision." in message


def test_decision_blocker_is_silent_when_the_decision_may_be_recorded() -> None:
    assert rules.decision_blocker(referral("high"), PRACTITIONER, Outcome.ASSESSMENT) is None
    assert rules.decision_blocker(referral("low"), PRACTITIONER, Outcome.NO_FURTHER_ACTION) is None
    assert rules.decision_blocker(referral("high"), MANAGER, Outcome.NO_FURTHER_ACTION) is None
    assert (
        rules.decision_blocker(referral(None, required=False), PRACTITIONER, Outcome.EARLY_HELP)
        is None
    )


SIGN_OFF_ROLES = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.SAFEGUARDING_LEAD}


@pytest.mark.parametrize("role", list(Role))
def test_closing_a_medium_risk_referral_is_open_only_to_managers(role: Role) -> None:
    message = rules.decision_blocker(referral("medium"), user(role), Outcome.NO_FURTHER_ACTION)
    assert is_manager(user(role)) is (role in SIGN_OFF_ROLES)
    if role in SIGN_OFF_ROLES:
        assert message is None
    else:
        assert message is not None
        assert "team manager's sign-off" in message


def test_a_deactivated_manager_cannot_sign_off() -> None:
    former = user(Role.TEAM_MANAGER)
    former.is_active = False
    assert not is_manager(former)

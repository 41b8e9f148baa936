from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from sightline.accounts.roles import Role
from sightline.accounts.tests.factories import UserFactory
from sightline.escalation import rules, services
from sightline.escalation.models import ReReferral
from sightline.escalation.services.rereferrals import rereferral_refresh
from sightline.escalation.tests.factories import decided, received, young_child
from sightline.referrals.tests.factories import referral_input
from sightline.workflows import referral_intake

pytestmark = pytest.mark.django_db

START = dt.datetime(2025, 1, 6, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("urgency", "outcome", "invited"),
    [
        ("urgent", "no_further_action", True),
        ("immediate", "no_further_action", True),
        ("routine", "no_further_action", False),
        ("urgent", "early_help", False),
    ],
)
def test_challenge_invited_when_referrer_saw_risk_and_case_closed(
    police_officer: Any, front_door: Any, urgency: str, outcome: str, invited: bool
) -> None:
    referral = received(police_officer, urgency=urgency)
    decided(referral, front_door, outcome)
    referral.refresh_from_db()
    assert rules.challenge_invited(referral) is invited


def test_no_invitation_before_a_decision(police_officer: Any) -> None:
    assert rules.challenge_invited(received(police_officer)) is False


def test_rereferral_after_no_further_action_is_marked(police_officer: Any, front_door: Any) -> None:
    first = received(police_officer, at=START)
    decided(first, front_door, "no_further_action")
    second = received(police_officer, at=START + dt.timedelta(days=30))
    mark = ReReferral.objects.get(referral=second)
    assert mark.is_rereferral
    assert mark.prior_nfa == [first.reference]
    assert mark.referrals_in_window == 2
    assert not ReReferral.objects.get(referral=first).is_rereferral


def test_referral_after_a_year_or_another_outcome_is_not_a_rereferral(
    police_officer: Any, front_door: Any
) -> None:
    old = received(police_officer, at=START)
    decided(old, front_door, "no_further_action")
    helped = received(police_officer, at=START + dt.timedelta(days=400))
    decided(helped, front_door, "early_help")
    later = received(police_officer, at=START + dt.timedelta(days=420))
    assert not ReReferral.objects.get(referral=later).is_rereferral


def test_other_childs_history_does_not_count(police_officer: Any, front_door: Any) -> None:
    first = received(police_officer, at=START, children=[young_child("Mia", "Oxley")])
    decided(first, front_door, "no_further_action")
    other = received(police_officer, at=START + dt.timedelta(days=3))
    assert not ReReferral.objects.get(referral=other).is_rereferral


def test_third_referral_in_a_year_needs_a_team_managers_review(
    police_officer: Any, front_door: Any, manager: Any
) -> None:
    for days in (0, 60):
        earlier = received(police_officer, at=START + dt.timedelta(days=days))
        decided(earlier, front_door, "no_further_action")
    second_like = received(police_officer, at=START + dt.timedelta(days=61))
    assert rules.manager_review_required(second_like)  # the third in 12 months
    with pytest.raises(services.NotPermitted):
        services.rereferral_review_record(
            acting_user=front_door, referral=second_like, reason="Looked at it."
        )
    with pytest.raises(services.EscalationError):
        services.rereferral_review_record(acting_user=manager, referral=second_like, reason="")
    services.rereferral_review_record(
        acting_user=manager,
        referral=second_like,
        reason="Pattern of missing episodes: strategy discussion to be considered.",
    )
    assert not rules.manager_review_required(second_like)


def test_second_referral_needs_no_review(police_officer: Any, front_door: Any) -> None:
    first = received(police_officer, at=START)
    decided(first, front_door, "no_further_action")
    assert not rules.manager_review_required(received(police_officer, at=START + dt.timedelta(1)))


@pytest.mark.parametrize(
    ("role", "stage", "allowed"),
    [
        (Role.FRONT_DOOR_PRACTITIONER, 1, True),
        (Role.FRONT_DOOR_PRACTITIONER, 2, False),
        (Role.TEAM_MANAGER, 2, True),
        (Role.TEAM_MANAGER, 3, False),
        (Role.HEAD_OF_SERVICE, 3, True),
        (Role.SAFEGUARDING_LEAD, 4, True),
        (Role.HEAD_OF_SERVICE, 4, False),
        (Role.REFERRER, 1, False),
        (Role.AUDITOR, 1, False),
    ],
)
def test_who_answers_each_challenge_stage(
    agencies: Any, role: str, stage: int, allowed: bool
) -> None:
    user = UserFactory(agency=agencies["csc"], role=role)
    assert rules.can_answer_challenge_stage(user, stage) is allowed


@pytest.mark.parametrize(
    ("role", "acknowledge", "resolve"),
    [
        (Role.FRONT_DOOR_PRACTITIONER, True, False),
        (Role.TEAM_MANAGER, True, True),
        (Role.HEAD_OF_SERVICE, True, True),
        (Role.SAFEGUARDING_LEAD, True, True),
        (Role.REFERRER, False, False),
        (Role.POLICE_ANALYST, False, False),
        (Role.SYSTEM_ADMIN, False, False),
    ],
)
def test_escalation_matrix(agencies: Any, role: str, acknowledge: bool, resolve: bool) -> None:
    user = UserFactory(agency=agencies["csc"], role=role)
    assert rules.can_acknowledge_escalation(user, None) is acknowledge
    assert rules.can_resolve_escalation(user, None) is resolve


def test_intake_marks_a_rereferral_from_its_matched_children_as_a_full_read_does(
    police_officer: Any, front_door: Any
) -> None:
    """Intake hands the hook only the children already on record (a child first recorded on
    this referral is on no other); the mark equals the one read from all its children."""
    first = received(police_officer, at=START)
    decided(first, front_door, "no_further_action")
    second = referral_intake(
        acting_user=police_officer,
        data=referral_input(
            received_at=START + dt.timedelta(days=30),
            children=[young_child(), young_child("Mia", "Oxley")],
            persons_named=[],
            places_named=[],
        ),
    ).referral
    stored = ReReferral.objects.get(referral=second)
    assert (stored.is_rereferral, stored.prior_nfa, stored.referrals_in_window) == (
        True,
        [first.reference],
        2,
    )
    with transaction.atomic():
        again = rereferral_refresh(referral=second)  # reads every child and the stored mark
    assert again.pk == stored.pk
    assert (again.is_rereferral, again.prior_nfa, again.referrals_in_window) == (
        stored.is_rereferral,
        stored.prior_nfa,
        stored.referrals_in_window,
    )

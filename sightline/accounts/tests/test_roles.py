"""Roles and their capabilities (accounts.roles): the role by action matrix, written out."""

from __future__ import annotations

from typing import Any

import pytest

from sightline.accounts.models import User
from sightline.accounts.roles import (
    BREAK_GLASS_ROLES,
    ROLE_CAPABILITIES,
    Cap,
    Role,
    all_capabilities,
    role_has,
)

DEFINED_CAPABILITIES = {
    value for name, value in vars(Cap).items() if name.isupper() and isinstance(value, str)
}

# Everything that shows or changes a child's case, or intelligence about one.
CASE_CAPABILITIES = {
    Cap.REFERRAL_SUBMIT,
    Cap.REFERRAL_VIEW,
    Cap.REFERRAL_QUEUE,
    Cap.REFERRAL_SCREEN,
    Cap.REFERRAL_DECIDE,
    Cap.REFERRAL_SIGN_OFF,
    Cap.CHILD_VIEW,
    Cap.CHILD_MATCH,
    Cap.BREAK_GLASS,
    Cap.ESCALATION_VIEW,
    Cap.ESCALATION_RESOLVE,
    Cap.CHALLENGE_RAISE,
    Cap.CHALLENGE_RESPOND,
    Cap.INTEL_VIEW,
    Cap.INTEL_LINK,
    Cap.ALERT_VIEW,
    Cap.ALERT_ACTION,
    Cap.NETWORK_VIEW,
}

COLUMNS = (
    Cap.REFERRAL_SUBMIT,
    Cap.REFERRAL_QUEUE,
    Cap.REFERRAL_SCREEN,
    Cap.REFERRAL_DECIDE,
    Cap.REFERRAL_SIGN_OFF,
    Cap.CHILD_VIEW,
    Cap.CHILD_MATCH,
    Cap.BREAK_GLASS,
    Cap.AUDIT_VIEW,
    Cap.USER_MANAGE,
)
# submit, queue, screen, decide, sign off, child view, child match, break-glass, audit, users
MATRIX = {
    Role.REFERRER: "X . . . . . . . . .",
    Role.FRONT_DOOR_PRACTITIONER: "X X X X . X X . . .",
    Role.TEAM_MANAGER: "X X X X X X X . . .",
    Role.HEAD_OF_SERVICE: "X X X X X X X . . .",
    Role.SAFEGUARDING_LEAD: "X X . . X X . X . .",
    Role.CSE_SPECIALIST: "X X X . . X X X . .",
    Role.POLICE_ANALYST: "X . . . . X . X . .",
    Role.HEALTH_LEAD: "X . . . . X . X . .",
    Role.EDUCATION_LEAD: "X . . . . X . X . .",
    Role.MACE_CHAIR: "X . . . . . . X . .",
    Role.REVIEWER: ". . . . . . . X . .",
    Role.AUDITOR: ". . . . . . . . X .",
    Role.SYSTEM_ADMIN: ". . . . . . . . . X",
}


def test_every_role_has_an_entry_and_nothing_else_does() -> None:
    assert set(ROLE_CAPABILITIES) == set(Role.values)
    assert set(MATRIX) == set(Role)


def test_only_defined_capabilities_are_granted() -> None:
    assert set(all_capabilities()) <= DEFINED_CAPABILITIES
    assert all_capabilities() == sorted(all_capabilities())


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("column", range(len(COLUMNS)), ids=[str(c) for c in COLUMNS])
def test_role_by_action_matrix(role: Role, column: int) -> None:
    expected = MATRIX[role].split()[column] == "X"
    assert role_has(role.value, COLUMNS[column]) is expected


def test_every_role_that_may_refer_may_see_its_own_referrals() -> None:
    for role in Role:
        if role_has(role, Cap.REFERRAL_SUBMIT):
            assert role_has(role, Cap.REFERRAL_VIEW), role


def test_referrer_can_refer_but_not_screen_or_decide() -> None:
    assert role_has(Role.REFERRER, Cap.REFERRAL_SUBMIT)
    assert not role_has(Role.REFERRER, Cap.REFERRAL_SCREEN)
    assert not role_has(Role.REFERRER, Cap.REFERRAL_DECIDE)
    assert not role_has(Role.REFERRER, Cap.REFERRAL_QUEUE)


def test_front_door_practitioner_can_screen_and_decide_but_not_sign_off() -> None:
    assert role_has(Role.FRONT_DOOR_PRACTITIONER, Cap.REFERRAL_SCREEN)
    assert role_has(Role.FRONT_DOOR_PRACTITIONER, Cap.REFERRAL_DECIDE)
    assert not role_has(Role.FRONT_DOOR_PRACTITIONER, Cap.REFERRAL_SIGN_OFF)


def test_auditor_may_only_read_the_audit_trail() -> None:
    assert ROLE_CAPABILITIES[Role.AUDITOR] == frozenset({Cap.AUDIT_VIEW})


def test_system_admin_sees_no_case_content() -> None:
    assert ROLE_CAPABILITIES[Role.SYSTEM_ADMIN] & CASE_CAPABILITIES == set()
    assert ROLE_CAPABILITIES[Role.SYSTEM_ADMIN] == frozenset({Cap.USER_MANAGE})


def test_only_the_auditor_reads_the_audit_trail() -> None:
    assert [r for r in Role if role_has(r, Cap.AUDIT_VIEW)] == [Role.AUDITOR]


def test_break_glass_is_for_partners_and_reviewers_not_the_front_door() -> None:
    assert {r for r in Role if role_has(r, Cap.BREAK_GLASS)} == BREAK_GLASS_ROLES
    assert not BREAK_GLASS_ROLES & {Role.FRONT_DOOR_PRACTITIONER, Role.TEAM_MANAGER}


def test_unknown_role_has_no_capabilities() -> None:
    assert not role_has("janitor", Cap.REFERRAL_VIEW)


def test_user_capabilities_follow_the_role_and_end_when_deactivated(front_door: Any) -> None:
    assert front_door.has_capability(Cap.REFERRAL_DECIDE)
    assert front_door.has_perm(Cap.REFERRAL_DECIDE)
    assert not front_door.has_capability(Cap.AUDIT_VIEW)
    front_door.is_active = False
    assert not front_door.has_capability(Cap.REFERRAL_DECIDE)
    assert not front_door.has_perm(Cap.REFERRAL_DECIDE)


def test_changing_a_users_role_changes_what_they_may_do() -> None:
    user = User(username="role-changer", role=Role.REFERRER)
    assert not user.has_capability(Cap.REFERRAL_QUEUE)
    user.role = Role.TEAM_MANAGER
    assert user.has_capability(Cap.REFERRAL_QUEUE)
    assert user.has_capability(Cap.REFERRAL_SIGN_OFF)

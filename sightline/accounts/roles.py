"""Roles and the named capabilities granted to each, defined in code.

Users are given one role; they are never granted raw permissions. `RoleBackend.has_perm`
answers from this table, so a change here takes effect on the next request. The matrix is
written out for people in docs/permissions.md and mirrored by a parametrised test.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class Role(models.TextChoices):
    REFERRER = "referrer", "Referrer"
    FRONT_DOOR_PRACTITIONER = "front_door_practitioner", "Front-door practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Partnership safeguarding lead"
    CSE_SPECIALIST = "cse_specialist", "CSE specialist worker"
    POLICE_ANALYST = "police_analyst", "Police analyst"
    HEALTH_LEAD = "health_lead", "Health safeguarding lead"
    EDUCATION_LEAD = "education_lead", "Education safeguarding lead"
    MACE_CHAIR = "mace_chair", "MACE chair"
    REVIEWER = "reviewer", "Case reviewer"
    AUDITOR = "auditor", "Auditor (information governance)"
    SYSTEM_ADMIN = "system_admin", "System administrator"


class Cap:
    """Capability names. Each is a string so that templates and tests can name them."""

    REFERRAL_SUBMIT = "referral.submit"
    REFERRAL_VIEW = "referral.view"
    REFERRAL_QUEUE = "referral.queue"
    REFERRAL_SCREEN = "referral.screen"
    REFERRAL_DECIDE = "referral.decide"
    REFERRAL_SIGN_OFF = "referral.sign_off"
    CHILD_VIEW = "child.view"
    CHILD_MATCH = "child.match"
    AUDIT_VIEW = "audit.view"
    USER_MANAGE = "user.manage"
    BREAK_GLASS = "access.break_glass"
    # Clocks, escalation and challenge (escalation app)
    ESCALATION_VIEW = "escalation.view"
    ESCALATION_RESOLVE = "escalation.resolve"
    CHALLENGE_RAISE = "challenge.raise"
    CHALLENGE_RESPOND = "challenge.respond"
    PERFORMANCE_VIEW = "performance.view"
    # Intelligence (intel app)
    INTEL_VIEW = "intel.view"
    INTEL_LINK = "intel.link"
    ALERT_VIEW = "alert.view"
    ALERT_ACTION = "alert.action"
    NETWORK_VIEW = "network.view"
    # Search across children and intelligence (reporting)
    SEARCH = "search.use"


_SUBMITTERS = {
    Role.REFERRER,
    Role.FRONT_DOOR_PRACTITIONER,
    Role.TEAM_MANAGER,
    Role.HEAD_OF_SERVICE,
    Role.SAFEGUARDING_LEAD,
    Role.CSE_SPECIALIST,
    Role.POLICE_ANALYST,
    Role.HEALTH_LEAD,
    Role.EDUCATION_LEAD,
    Role.MACE_CHAIR,
}
_FRONT_DOOR = {Role.FRONT_DOOR_PRACTITIONER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE}
_MANAGERS = {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.SAFEGUARDING_LEAD}

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {}
for _role in Role:
    caps: set[str] = set()
    if _role in _SUBMITTERS:
        caps |= {Cap.REFERRAL_SUBMIT, Cap.REFERRAL_VIEW}
    if _role in _FRONT_DOOR | {Role.SAFEGUARDING_LEAD, Role.CSE_SPECIALIST}:
        caps |= {Cap.REFERRAL_QUEUE, Cap.CHILD_VIEW}
    if _role in _FRONT_DOOR | {Role.CSE_SPECIALIST}:
        caps |= {Cap.REFERRAL_SCREEN, Cap.CHILD_MATCH}
    if _role in _FRONT_DOOR:
        caps.add(Cap.REFERRAL_DECIDE)
    if _role in _MANAGERS:
        caps.add(Cap.REFERRAL_SIGN_OFF)
    if _role in {Role.HEALTH_LEAD, Role.EDUCATION_LEAD, Role.POLICE_ANALYST}:
        caps.add(Cap.CHILD_VIEW)
    if _role in _FRONT_DOOR | _MANAGERS | {Role.CSE_SPECIALIST}:
        caps |= {Cap.ESCALATION_VIEW, Cap.CHALLENGE_RESPOND, Cap.PERFORMANCE_VIEW}
    if _role in _MANAGERS:
        caps.add(Cap.ESCALATION_RESOLVE)
    if _role in _SUBMITTERS:
        caps.add(Cap.CHALLENGE_RAISE)
    if _role in {
        Role.POLICE_ANALYST,
        Role.CSE_SPECIALIST,
        Role.SAFEGUARDING_LEAD,
        Role.MACE_CHAIR,
        Role.FRONT_DOOR_PRACTITIONER,
        Role.TEAM_MANAGER,
    }:
        caps |= {Cap.INTEL_VIEW, Cap.ALERT_VIEW, Cap.NETWORK_VIEW}
    if _role in {
        Role.POLICE_ANALYST,
        Role.CSE_SPECIALIST,
        Role.FRONT_DOOR_PRACTITIONER,
        Role.TEAM_MANAGER,
    }:
        caps |= {Cap.INTEL_LINK, Cap.ALERT_ACTION}
    if caps & {Cap.CHILD_VIEW, Cap.INTEL_VIEW}:
        # Search finds only what the role may already open (children, or intelligence).
        caps.add(Cap.SEARCH)
    if _role == Role.AUDITOR:
        caps |= {Cap.AUDIT_VIEW}
    if _role == Role.SYSTEM_ADMIN:
        caps |= {Cap.USER_MANAGE}
    ROLE_CAPABILITIES[_role.value] = frozenset(caps)


def role_has(role: str, capability: str) -> bool:
    return capability in ROLE_CAPABILITIES.get(role, frozenset())


def all_capabilities() -> list[str]:
    return sorted({c for caps in ROLE_CAPABILITIES.values() for c in caps})


BREAK_GLASS_ROLES = {
    Role.POLICE_ANALYST, Role.HEALTH_LEAD, Role.EDUCATION_LEAD, Role.CSE_SPECIALIST,
    Role.MACE_CHAIR, Role.REVIEWER, Role.SAFEGUARDING_LEAD,
}  # fmt: skip
# A break-glass grant is read through the referral pages, so every break-glass role also
# needs referral.view (a reviewer refers nothing, so this adds no other referral to its scope).
for _role in BREAK_GLASS_ROLES:
    ROLE_CAPABILITIES[_role.value] = ROLE_CAPABILITIES[_role.value] | {
        Cap.BREAK_GLASS,
        Cap.REFERRAL_VIEW,
    }


def is_manager(user: Any) -> bool:
    """A team manager or anyone above them who signs off front-door decisions (head of
    service, the partnership's safeguarding lead): the one definition of "a manager"."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_capability(Cap.REFERRAL_SIGN_OFF)
    )

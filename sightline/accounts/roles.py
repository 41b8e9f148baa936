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
    # Workforce and training coverage (workforce app; no child data)
    WORKFORCE_VIEW = "workforce.view"
    WORKFORCE_OVERSIGHT = "workforce.oversight"
    WORKFORCE_MANAGE = "workforce.manage"
    # Language checker, case reviews and recommendations (reviews app)
    LANGUAGE_CHECK = "language.check"
    LANGUAGE_REPORT = "language.report"
    # Statutory returns: the CIN census and Ofsted Annex A (reporting)
    REPORT_STATUTORY = "report.statutory"
    REVIEW_VIEW = "review.view"
    REVIEW_MANAGE = "review.manage"
    RECOMMENDATION_VIEW = "recommendation.view"
    DETECTOR_VIEW = "detector.view"
    DETECTOR_RUN = "detector.run"
    # MACE meetings and the disruption register (meetings app)
    MEETING_VIEW = "meeting.view"
    MEETING_MANAGE = "meeting.manage"
    MEETING_PROPOSE = "meeting.propose"
    DISRUPTION_VIEW = "disruption.view"
    DISRUPTION_MANAGE = "disruption.manage"
    # Partner events: police, health, education, youth justice, housing (events app)
    EVENT_SUBMIT = "event.submit"
    EVENT_VIEW = "event.view"
    EVENT_IMPORT = "event.import"
    MISSING_VIEW = "missing.view"
    RETURN_INTERVIEW_RECORD = "return_interview.record"
    # Casework after the front door (casework app)
    CASEWORK_VIEW = "casework.view"
    CASEWORK_RECORD = "casework.record"
    CASEWORK_ALLOCATE = "casework.allocate"
    CASELOAD_VIEW = "caseload.view"
    OVERRIDE_VIEW = "override.view"
    # Search across children and intelligence (reporting)
    SEARCH = "search.use"
    # The partnership dashboard (reporting.dashboard)
    DASHBOARD_VIEW = "dashboard.view"


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
# Who keeps an agency's workforce data (a team manager only in children's social care:
# workforce.rules.may_manage_workforce holds that part).
_AGENCY_LEADS = {Role.HEALTH_LEAD, Role.EDUCATION_LEAD, Role.TEAM_MANAGER}
# Roles that may be invited to a MACE meeting (each meeting's record scope: its chairs, the
# people invited to it, and the MACE chair role).
_MACE_MEMBERS = {
    Role.MACE_CHAIR,
    Role.POLICE_ANALYST,
    Role.CSE_SPECIALIST,
    Role.SAFEGUARDING_LEAD,
    Role.HEALTH_LEAD,
    Role.EDUCATION_LEAD,
    Role.TEAM_MANAGER,
    Role.HEAD_OF_SERVICE,
}

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
    if _role in _MANAGERS | _AGENCY_LEADS:
        caps.add(Cap.WORKFORCE_VIEW)
    if _role in _MANAGERS:
        caps.add(Cap.WORKFORCE_OVERSIGHT)
    if _role in _AGENCY_LEADS:
        caps.add(Cap.WORKFORCE_MANAGE)
    # Reviews: anyone who writes records may check their words; managers see the training
    # figures; the partnership's leads run reviews; agencies' leads track their recommendations.
    if _role in _SUBMITTERS | {Role.REVIEWER}:
        caps.add(Cap.LANGUAGE_CHECK)
    if _role in _MANAGERS:
        caps.add(Cap.LANGUAGE_REPORT)
    if _role in {Role.SAFEGUARDING_LEAD, Role.HEAD_OF_SERVICE, Role.REVIEWER}:
        caps.add(Cap.REVIEW_VIEW)
    if _role in {Role.SAFEGUARDING_LEAD, Role.HEAD_OF_SERVICE}:
        caps.add(Cap.REVIEW_MANAGE)
        caps.add(Cap.REPORT_STATUTORY)
    if _role in _MANAGERS | {Role.HEALTH_LEAD, Role.EDUCATION_LEAD, Role.POLICE_ANALYST}:
        caps.add(Cap.RECOMMENDATION_VIEW)
    # Missed-opportunity detectors: the partnership's leads, managers, CSE specialists and
    # reviewers read the rules; the partnership's leads and reviewers run them over history.
    if _role in _MANAGERS | {Role.CSE_SPECIALIST, Role.REVIEWER}:
        caps.add(Cap.DETECTOR_VIEW)
    if _role in {Role.SAFEGUARDING_LEAD, Role.HEAD_OF_SERVICE, Role.REVIEWER}:
        caps.add(Cap.DETECTOR_RUN)
    if _role in _MACE_MEMBERS:
        caps.add(Cap.MEETING_VIEW)
    if _role in {Role.MACE_CHAIR, Role.SAFEGUARDING_LEAD}:
        caps.add(Cap.MEETING_MANAGE)
    # Proposing a child for the next MACE meeting: those who work with children's records
    # (the child must also be in the user's child scope; the chair adds to the agenda itself).
    if _role in (_FRONT_DOOR | _MANAGERS | _MACE_MEMBERS) - {Role.MACE_CHAIR}:
        caps.add(Cap.MEETING_PROPOSE)
    if _role in {
        Role.MACE_CHAIR,
        Role.POLICE_ANALYST,
        Role.CSE_SPECIALIST,
        Role.SAFEGUARDING_LEAD,
    }:
        caps.add(Cap.DISRUPTION_VIEW)
    if _role in {Role.MACE_CHAIR, Role.POLICE_ANALYST}:
        caps.add(Cap.DISRUPTION_MANAGE)
    # Partner events: every agency that refers may send and see its own (scope in
    # events.selectors); agencies' leads import files; the front door and the CSE specialists
    # (with the police) watch missing children; the front door records return interviews.
    if _role in _SUBMITTERS:
        caps |= {Cap.EVENT_SUBMIT, Cap.EVENT_VIEW}
    if _role in {Role.POLICE_ANALYST, Role.HEALTH_LEAD, Role.EDUCATION_LEAD, Role.TEAM_MANAGER}:
        caps.add(Cap.EVENT_IMPORT)
    if _role in _FRONT_DOOR | _MANAGERS | {Role.CSE_SPECIALIST, Role.POLICE_ANALYST}:
        caps.add(Cap.MISSING_VIEW)
    if _role in _FRONT_DOOR | {Role.CSE_SPECIALIST}:
        caps.add(Cap.RETURN_INTERVIEW_RECORD)
    # Casework: the council's social workers and their managers record the statutory steps
    # and case notes; managers allocate and see caseloads; overrides are for senior eyes.
    if _role in _FRONT_DOOR | {Role.CSE_SPECIALIST, Role.SAFEGUARDING_LEAD}:
        caps.add(Cap.CASEWORK_VIEW)
    if _role in _FRONT_DOOR | {Role.CSE_SPECIALIST}:
        caps.add(Cap.CASEWORK_RECORD)
    if _role in {Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE}:
        caps |= {Cap.CASEWORK_ALLOCATE, Cap.CASELOAD_VIEW}
    if _role in {Role.HEAD_OF_SERVICE, Role.SAFEGUARDING_LEAD}:
        caps.add(Cap.OVERRIDE_VIEW)
    if caps & {Cap.CHILD_VIEW, Cap.INTEL_VIEW}:
        # Search finds only what the role may already open (children, or intelligence).
        caps.add(Cap.SEARCH)
    if _role == Role.AUDITOR:
        caps |= {Cap.AUDIT_VIEW}
    if _role == Role.SYSTEM_ADMIN:
        caps |= {Cap.USER_MANAGE}
    ROLE_CAPABILITIES[_role.value] = frozenset(caps)

# The partnership dashboard: its safeguarding lead, the MACE chair and managers (issue 16 §3).
for _role in (Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE, Role.SAFEGUARDING_LEAD, Role.MACE_CHAIR):
    ROLE_CAPABILITIES[_role.value] = ROLE_CAPABILITIES[_role.value] | {Cap.DASHBOARD_VIEW}


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

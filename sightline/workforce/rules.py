"""Who may do what with which agency's workforce data: predicates composed into named
permissions. Capabilities come from accounts.roles; these add the scope and state parts."""

from __future__ import annotations

from typing import Any

from sightline.accounts.choices import AgencyKind
from sightline.accounts.models import Agency
from sightline.accounts.roles import Cap, Role


def is_own_agency(user: Any, agency: Agency) -> bool:
    return bool(user.agency_id) and user.agency_id == agency.pk


def leads_agency_workforce(user: Any) -> bool:
    """Health and education leads lead their agency's workforce; a team manager does so only
    in children's social care (a manager elsewhere keeps their own HR system)."""
    if not user.has_capability(Cap.WORKFORCE_MANAGE) or user.agency is None:
        return False
    if user.role == Role.TEAM_MANAGER:
        return bool(user.agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE)
    return True


def may_manage_workforce(user: Any, agency: Agency) -> bool:
    """Import staff, training and headcount for `agency`, or enter its headcount."""
    return leads_agency_workforce(user) and is_own_agency(user, agency)


def sees_all_workforce(user: Any) -> bool:
    """The partnership's safeguarding lead and managers see coverage for every agency."""
    return bool(user.has_capability(Cap.WORKFORCE_OVERSIGHT))


def may_view_coverage(user: Any, agency: Agency) -> bool:
    if not user.has_capability(Cap.WORKFORCE_VIEW):
        return False
    return sees_all_workforce(user) or is_own_agency(user, agency)


def sees_referral_quality(user: Any) -> bool:
    """The trained / untrained referral comparison: managers, in aggregate only."""
    return bool(user.has_capability(Cap.WORKFORCE_OVERSIGHT))

"""Which roles fit which kinds of agency. A role carries an agency's duties (a police analyst
reads police intelligence, a health lead speaks for a health trust), so an administrator may
give it only to a member of an agency of that kind. Roles not listed fit any agency."""

from __future__ import annotations

from sightline.accounts.choices import AgencyKind
from sightline.accounts.roles import Role

ROLE_AGENCY_KINDS: dict[str, frozenset[str]] = {
    Role.FRONT_DOOR_PRACTITIONER: frozenset({AgencyKind.CHILDRENS_SOCIAL_CARE}),
    Role.TEAM_MANAGER: frozenset({AgencyKind.CHILDRENS_SOCIAL_CARE}),
    Role.HEAD_OF_SERVICE: frozenset({AgencyKind.CHILDRENS_SOCIAL_CARE}),
    Role.SAFEGUARDING_LEAD: frozenset({AgencyKind.CHILDRENS_SOCIAL_CARE}),
    Role.CSE_SPECIALIST: frozenset({AgencyKind.CHILDRENS_SOCIAL_CARE}),
    Role.POLICE_ANALYST: frozenset({AgencyKind.POLICE}),
    Role.HEALTH_LEAD: frozenset({AgencyKind.HEALTH}),
    Role.EDUCATION_LEAD: frozenset({AgencyKind.EDUCATION}),
    Role.MACE_CHAIR: frozenset({AgencyKind.POLICE, AgencyKind.CHILDRENS_SOCIAL_CARE}),
}


def role_fits_agency(role: str, agency_kind: str) -> bool:
    kinds = ROLE_AGENCY_KINDS.get(role)
    return kinds is None or agency_kind in kinds


def role_fit_message(role: str, agency_kind: str) -> str:
    """Why `role` may not be given in an agency of `agency_kind` (empty when it may)."""
    if role_fits_agency(role, agency_kind):
        return ""
    kinds = ", ".join(sorted(str(AgencyKind(k).label).lower() for k in ROLE_AGENCY_KINDS[role]))
    return (
        f"The role {Role(role).label} is for members of {kinds} agencies; this user's agency "
        f"is {str(AgencyKind(agency_kind).label).lower()}."
    )

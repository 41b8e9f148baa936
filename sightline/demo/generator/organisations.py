"""The borough's agencies, their teams and their staff (hub roles and referrers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from sightline.demo.generator.specs import AgencySpec, StaffSpec, TeamSpec
from sightline.demo.generator.vocab import (
    AGENCIES,
    GP_PRACTICES,
    HUB_ROLES,
    REFERRER_TEAMS,
    SCHOOLS,
)
from sightline.demo.generator.world import World

TeamKind = Literal["school", "gp_practice", "team"]


@dataclass
class Organisations:
    agencies: tuple[AgencySpec, ...]
    teams: list[TeamSpec]
    staff: list[StaffSpec] = field(default_factory=list)
    referrers: dict[str, list[StaffSpec]] = field(default_factory=dict)
    referrers_by_team: dict[str, list[StaffSpec]] = field(default_factory=dict)

    def staff_add(self, world: World, *, agency: str, team: str, role: str) -> StaffSpec:
        female = world.rng.random() < 0.6
        given = world.fake.first_name_female() if female else world.fake.first_name_male()
        family = world.fake.last_name()
        spec = StaffSpec(world.ids.username(given, family), given, family, agency, team, role)
        self.staff.append(spec)
        if role == "referrer":
            self.referrers.setdefault(agency, []).append(spec)
            self.referrers_by_team.setdefault(team, []).append(spec)
        return spec


def _teams() -> list[TeamSpec]:
    """Every team once: hub teams, referrer teams, schools and GP practices."""
    rows: list[tuple[str, str, TeamKind, str]] = [
        (agency, team, "team", code) for _role, agency, team, code in HUB_ROLES
    ]
    rows += [(agency, team, "team", code) for agency, team, code in REFERRER_TEAMS]
    rows += [("education", school, "school", "2A") for school in SCHOOLS]
    rows += [("health", practice, "gp_practice", "3A") for practice in GP_PRACTICES]
    seen: set[tuple[str, str]] = set()
    teams: list[TeamSpec] = []
    for agency, name, kind, code in rows:
        if (agency, name) not in seen:
            seen.add((agency, name))
            teams.append(TeamSpec(agency, name, kind, code))
    return teams


def organisations_build(world: World, *, n_children: int) -> Organisations:
    """One person per hub role, and referrers in every team (more in a bigger borough)."""
    agencies = tuple(AgencySpec(key, name, key, code) for key, name, code in AGENCIES)
    orgs = Organisations(agencies=agencies, teams=_teams())
    for role, agency, team, _code in HUB_ROLES:
        orgs.staff_add(world, agency=agency, team=team, role=role)
    scale = min(4, 1 + n_children // 2000)
    referrer_teams: list[tuple[str, str, int]] = [
        (agency, team, 2 if agency == "police" else 1) for agency, team, _ in REFERRER_TEAMS
    ]
    referrer_teams += [("education", school, 1) for school in SCHOOLS]
    referrer_teams += [("health", practice, 1) for practice in GP_PRACTICES]
    for agency, team, base in referrer_teams:
        for _ in range(base * scale):
            orgs.staff_add(world, agency=agency, team=team, role="referrer")
    return orgs

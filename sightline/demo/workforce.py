"""A synthetic workforce for the demo borough: every agency's Sightline users on its staff roll
(linked by username) plus colleagues who never use Sightline, headcount snapshots a little
above the roll, and CSE training with a realistic spread: most briefed, a minority trained
face to face, some refreshed, some lapsed. Names from Faker en_GB; nothing real."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from faker import Faker

from sightline.accounts.models import Agency, User
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.dates import add_months
from sightline.workforce.choices import RoleGroup
from sightline.workforce.models import Course, HeadcountSnapshot, StaffMember, TrainingRecord
from sightline.workforce.services import course_sync

EXTRA_STAFF_PER_TEAM = (6, 18)
DEFAULT_TEAM = "Whole service"


def _role_group(rng: random.Random, user: User | None) -> str:
    if user is not None and user.role in {"team_manager", "head_of_service", "safeguarding_lead"}:
        return RoleGroup.MANAGER
    roll = rng.random()
    return (
        RoleGroup.FRONTLINE
        if roll < 0.75
        else RoleGroup.MANAGER
        if roll < 0.87
        else RoleGroup.OTHER
    )


def _days_ago(rng: random.Random, today: dt.date, low: int, high: int) -> dt.date:
    return today - dt.timedelta(days=rng.randint(low, high))


def _training(
    rng: random.Random, staff: StaffMember, today: dt.date, courses: dict[str, Course]
) -> list[TrainingRecord]:
    """Briefed by 3 in 4 (a fifth of them over three years ago, so lapsed); trained face to
    face by about 1 in 5 of the frontline, half of those trained long ago refreshed."""
    made: list[tuple[str, dt.date]] = []
    if rng.random() < 0.75:
        made.append(("cse-briefing", _days_ago(rng, today, 10, 1400)))
    f2f_chance = 0.3 if staff.role_group == RoleGroup.FRONTLINE else 0.1
    if staff.user_id:
        f2f_chance += 0.25
    if rng.random() < f2f_chance:
        trained = _days_ago(rng, today, 20, 1300)
        made.append(("cse-face-to-face", trained))
        if (today - trained).days > 600 and rng.random() < 0.5:
            made.append(("cse-refresher", _days_ago(rng, today, 5, (today - trained).days - 30)))
    return [
        TrainingRecord(
            staff_member=staff,
            course=courses[code],
            completed_on=on,
            expires_on=add_months(on, courses[code].valid_months),
            provider=rng.choice(["Partnership training team", "E-learning", "Agency trainer"]),
        )
        for code, on in made
    ]


@transaction.atomic
def workforce_generate(*, seed: int, today: dt.date) -> dict[str, int]:
    """Once per database: a second run finds the roll and does nothing."""
    if StaffMember.objects.exists():
        return {"staff": 0, "records": 0}
    rng = random.Random(seed)
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    if not Course.objects.exists():  # a database emptied since its migrations seeded them
        course_sync(actor_username="demo")
    courses = {c.code: c for c in Course.objects.all()}
    staff: list[StaffMember] = []
    heads: list[HeadcountSnapshot] = []
    for agency in Agency.objects.filter(is_active=True).order_by("code"):
        users: dict[str, list[User]] = {}
        for user in User.objects.filter(agency=agency).select_related("team").order_by("username"):
            users.setdefault(user.team.name if user.team else DEFAULT_TEAM, []).append(user)
        teams = sorted(set(users) | set(agency.teams.values_list("name", flat=True)))
        for n_team, team in enumerate(teams or [DEFAULT_TEAM]):
            people: list[User | None] = [*users.get(team, [])]
            people += [None] * rng.randint(*EXTRA_STAFF_PER_TEAM)
            for i, member in enumerate(people):
                name = member.get_full_name() if member and member.get_full_name() else fake.name()
                staff.append(
                    StaffMember(
                        agency=agency,
                        staff_id=f"{agency.code[:3].upper()}{n_team:03d}{i:03d}",
                        name=name,
                        team=team,
                        role_group=_role_group(rng, member),
                        is_active=rng.random() > 0.03,
                        user=member,
                    )
                )
            on_roll = len(people)
            for as_on, grow in (
                (add_months(today.replace(day=1), -12), 0.9),
                (today.replace(day=1), 1.0),
            ):
                heads.append(
                    HeadcountSnapshot(
                        agency=agency,
                        as_on=as_on,
                        team=team,
                        role_group=RoleGroup.FRONTLINE,
                        headcount=round(on_roll * grow * rng.uniform(1.05, 1.25)),
                    )
                )
    StaffMember.objects.bulk_create(staff, batch_size=1000)
    HeadcountSnapshot.objects.bulk_create(heads, batch_size=1000)
    records = [r for s in staff for r in _training(rng, s, today, courses)]
    TrainingRecord.objects.bulk_create(records, batch_size=1000)
    counts = {"staff": len(staff), "records": len(records)}
    audit_record(
        actor=None,
        actor_username="demo_borough",
        action=Action.IMPORT,
        object_type="workforce_demo",
        details=counts,
    )
    return counts


def workforce_summary(counts: dict[str, Any]) -> str:
    return f"Workforce: {counts['staff']} staff, {counts['records']} training records."

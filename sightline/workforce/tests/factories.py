from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from sightline.accounts.tests.factories import AgencyFactory
from sightline.core.dates import add_months
from sightline.workforce.choices import RoleGroup
from sightline.workforce.models import Course, HeadcountSnapshot, StaffMember, TrainingRecord


def course(code: str) -> Course:
    """A course seeded from data/courses.yaml by the migration."""
    return Course.objects.get(code=code)


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    agency = factory.SubFactory(AgencyFactory)
    staff_id = factory.Sequence(lambda n: f"S{n:05d}")
    name = factory.Faker("name", locale="en_GB")
    team = "Team North"
    role_group = RoleGroup.FRONTLINE


def completed(staff: Any, code: str, on: dt.date, provider: str = "") -> TrainingRecord:
    c = course(code)
    return TrainingRecord.objects.create(
        staff_member=staff,
        course=c,
        completed_on=on,
        expires_on=add_months(on, c.valid_months),
        provider=provider,
    )


def headcount(agency: Any, as_on: dt.date, team: str, n: int, role_group: str = "frontline") -> Any:
    return HeadcountSnapshot.objects.create(
        agency=agency, as_on=as_on, team=team, role_group=role_group, headcount=n
    )

"""The next MACE meeting for the demo, so the MACE pages hold a meeting to open: planned by
the demo MACE chair for two weeks ahead, co-chaired with the partnership's safeguarding lead,
the four quorum agencies invited with the demo's MACE members, and its agenda built from the
borough's records, all through the meetings services (with their audit rows), as the chair
would on the "Plan a meeting" page. Nothing is seeded when a meeting exists already (a second
`make demo`) or the demo's users are missing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sightline.accounts.models import Agency, User
from sightline.accounts.roles import Role
from sightline.demo.users import demo_username
from sightline.meetings.models import Meeting
from sightline.meetings.rules import QUORUM
from sightline.meetings.services import agenda_build, meeting_create

AHEAD = dt.timedelta(days=14)
INVITED_ROLES = (Role.POLICE_ANALYST, Role.CSE_SPECIALIST, Role.HEALTH_LEAD, Role.EDUCATION_LEAD)


@transaction.atomic
def demo_mace_seed() -> tuple[Meeting, int] | None:
    if Meeting.objects.exists():
        return None
    names = [demo_username(r) for r in (Role.MACE_CHAIR, Role.SAFEGUARDING_LEAD)]
    by_name = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
    if len(by_name) < len(names):
        return None
    chairs = [by_name[n] for n in names]
    people = list(
        User.objects.filter(username__in=[demo_username(r) for r in INVITED_ROLES], is_active=True)
    )
    meeting = meeting_create(
        acting_user=chairs[0],
        held_on=timezone.localdate() + AHEAD,
        chairs=chairs,
        invited_agencies=list(Agency.objects.filter(kind__in=QUORUM, is_active=True)),
        invited_people=people,
    )
    items = agenda_build(acting_user=chairs[0], meeting=meeting)
    return meeting, len(items)

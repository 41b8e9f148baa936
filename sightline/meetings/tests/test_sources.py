"""The agenda's partner-event and casework sources: repeat missing and the allocated worker."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import timezone

from sightline.accounts.models import Team
from sightline.accounts.tests.factories import AgencyFactory, UserFactory
from sightline.casework.models import Allocation
from sightline.events.models import Event, MissingEpisode
from sightline.meetings.agenda import allocated_workers, repeat_missing_children
from sightline.people.models import Child

pytestmark = pytest.mark.django_db


def _child(ref: str) -> Any:
    return Child.objects.create(reference=ref, given_name="Aqx", family_name="Bqx")


def _episode(child: Any, agency: Any, days_ago: int, by: Any) -> None:
    at = timezone.now() - dt.timedelta(days=days_ago)
    event = Event.objects.create(
        reference=f"EV-{uuid.uuid4().hex[:8]}", kind="missing_episode", child=child,
        agency=agency, source_id=uuid.uuid4().hex, occurred_at=at, received_at=at, fields={},
        submitted_by=by,
    )  # fmt: skip
    MissingEpisode.objects.create(
        event=event, child=child, started_at=at, risk_grade="medium", absence_type="missing",
    )  # fmt: skip


def test_three_episodes_in_ninety_days_are_repeat_missing_and_two_are_not() -> None:
    police = AgencyFactory(kind="police")
    officer: Any = UserFactory(username="mp-officer", agency=police, role="referrer")
    three, two = _child("CH-2026-0000801"), _child("CH-2026-0000802")
    for days in (5, 30, 80):
        _episode(three, police, days, officer)
    for days in (5, 30):
        _episode(two, police, days, officer)
    found = repeat_missing_children(since=None, until=timezone.now())
    assert set(found) == {three.pk}
    assert len(found[three.pk]) == 3


def test_the_allocated_worker_or_the_teams_queue() -> None:
    csc: Any = AgencyFactory(kind="csc")
    team = Team.objects.create(agency=csc, name="CSE team")
    worker: Any = UserFactory(username="cw-worker", agency=csc, role="cse_specialist", team=team)
    child = _child("CH-2026-0000803")
    Allocation.objects.create(
        child=child, team=team, worker=worker, kind="allocated", allocated_at=timezone.now()
    )
    assert allocated_workers(child_ids=[child.pk]) == {
        child.pk: worker.get_full_name() or worker.username
    }

"""The arrival workflow end to end: clocks on the referral (replayed with `sweep --at`), the
sweep's time-based findings, imports."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from sightline.escalation.models import Clock, Escalation, InboxItem
from sightline.escalation.tests.factories import ladder_users
from sightline.events.kinds import event_parse
from sightline.events.models import EventAlert, MissingEpisode
from sightline.events.services import events_sweep
from sightline.events.tests.helpers import missing
from sightline.referrals.tests.factories import submit
from sightline.workflows import event_receive, return_interview_step

pytestmark = pytest.mark.django_db
ELLIE = {"given_name": "Ellie", "family_name": "Marston", "date_of_birth": "2011-05-14",
         "postcode": "NB4 7QX", "sex": "female"}  # fmt: skip


def test_replay_return_interview_clock_escalates(officer: Any, front_door: Any, csc: Any) -> None:
    submit(front_door)  # the child's referral (the clock hangs on it)
    body = missing("M-R1", started=dt.timedelta(hours=30), returned=dt.timedelta(hours=20),
                   child=ELLIE)  # fmt: skip
    result = event_receive(acting_user=officer, agency=officer.agency, data=event_parse(body))
    assert result.event.match_status == "matched"
    clock = Clock.objects.get(pk=str(result.clock_id))
    assert clock.kind == "return_interview"
    episode = MissingEpisode.objects.get(event=result.event)
    assert clock.due_at == episode.interview_due_at
    out = io.StringIO()
    call_command("sweep", at=(clock.due_at - dt.timedelta(hours=1)).isoformat(), stdout=out)
    assert not Escalation.objects.filter(clock=clock).exists()
    call_command("sweep", at=(clock.due_at + dt.timedelta(hours=1)).isoformat(), stdout=out)
    assert Escalation.objects.filter(clock=clock).exists()


def test_completed_interview_meets_the_clock(officer: Any, front_door: Any) -> None:
    submit(front_door)
    body = missing("M-R2", started=dt.timedelta(hours=30), returned=dt.timedelta(hours=20),
                   child=ELLIE)  # fmt: skip
    result = event_receive(acting_user=officer, agency=officer.agency, data=event_parse(body))
    episode = MissingEpisode.objects.get(event=result.event)
    return_interview_step(acting_user=front_door, episode=episode, status="completed",
                          at=timezone.now(), interviewer="RHI worker",
                          child_said="Stayed at a flat with older men.")  # fmt: skip
    clock = Clock.objects.get(pk=str(result.clock_id))
    assert clock.met_at is not None
    episode.refresh_from_db()
    assert episode.interview_status == "completed"


def test_each_return_has_its_own_interview_clock(officer: Any, front_door: Any) -> None:
    """A second return while the first interview is outstanding gets its own 72 hours (it
    shared the first episode's clock, so whichever interview came first met it and the other
    episode's interview was never clocked or escalated)."""
    submit(front_door)
    first = event_receive(acting_user=officer, agency=officer.agency, data=event_parse(
        missing("M-T1", started=dt.timedelta(hours=40), returned=dt.timedelta(hours=36),
                child=ELLIE)))  # fmt: skip
    second = event_receive(acting_user=officer, agency=officer.agency, data=event_parse(
        missing("M-T2", started=dt.timedelta(hours=20), returned=dt.timedelta(hours=10),
                child=ELLIE)))  # fmt: skip
    assert first.clock_id is not None and second.clock_id is not None
    assert first.clock_id != second.clock_id
    clocks = {c.pk: c for c in Clock.objects.filter(pk__in=[first.clock_id, second.clock_id])}
    assert clocks[first.clock_id].referral_id == clocks[second.clock_id].referral_id
    for received in (first, second):  # each due 72 hours after its own return
        episode = MissingEpisode.objects.get(event=received.event)
        assert episode.clock_id == received.clock_id
        assert Clock.objects.get(pk=received.clock_id or "").due_at == episode.interview_due_at
    # The later episode's interview meets its own clock; the earlier one stays open.
    episode = MissingEpisode.objects.get(event=second.event)
    return_interview_step(acting_user=front_door, episode=episode, status="completed",
                          at=timezone.now(), interviewer="RHI worker",
                          child_said="Stayed with friends.")  # fmt: skip
    statuses = dict(Clock.objects.filter(pk__in=clocks).values_list("pk", "status"))
    assert statuses == {first.clock_id: "running", second.clock_id: "met"}
    # Sending the second episode's return again starts nothing new.
    again = event_receive(acting_user=officer, agency=officer.agency, data=event_parse(
        missing("M-T2", started=dt.timedelta(hours=20), returned=dt.timedelta(hours=10),
                child=ELLIE)))  # fmt: skip
    assert not again.created
    assert Clock.objects.filter(kind="return_interview").count() == 2


def test_no_referral_means_the_sweep_raises_the_overdue_interview(officer: Any) -> None:
    body = missing("M-R3", started=dt.timedelta(days=5), returned=dt.timedelta(days=4))
    result = event_receive(acting_user=officer, agency=officer.agency, data=event_parse(body))
    assert result.clock_id is None
    assert events_sweep(at=timezone.now() - dt.timedelta(days=3, hours=12)) == {}
    counts = events_sweep()
    assert counts.get("return_interview_overdue") == 1
    assert events_sweep() == {}  # once


def test_found_with_an_unlinked_adult_after_five_working_days(officer: Any) -> None:
    body = missing("M-R4", started=dt.timedelta(days=12), returned=dt.timedelta(days=11),
                   persons_named=[{"name": "Testo Unlinkedman", "role": "found_with"}],
                   found_with="an adult male")  # fmt: skip
    event_receive(acting_user=officer, agency=officer.agency, data=event_parse(body))
    early = events_sweep(at=timezone.now() - dt.timedelta(days=10))
    assert "found_with_unlinked" not in early
    assert events_sweep().get("found_with_unlinked") == 1


def test_the_person_page_names_the_event_an_adult_was_named_in(officer: Any) -> None:
    """A partner event's mention is listed under "Where it was named" by the event's own
    reference (it has no referral's)."""
    from django.urls import reverse

    from sightline.accounts.tests.clients import signed_in
    from sightline.intel.models import Mention

    body = missing("M-P1", started=dt.timedelta(days=3), returned=dt.timedelta(days=2),
                   persons_named=[{"name": "Testo Pageman", "role": "found_with"}])  # fmt: skip
    stored = event_receive(acting_user=officer, agency=officer.agency, data=event_parse(body))
    mention = Mention.objects.get(entity_type="person", referral__isnull=True)
    assert mention.source_ref == stored.event.reference
    answer = signed_in(officer).get(reverse("intel:person", args=[mention.entity_id]))
    assert answer.status_code == 200
    page = answer.content.decode()
    assert f"<strong>{stored.event.reference}</strong>, " in page


def test_found_with_an_adult_already_known_does_not_fire(officer: Any, front_door: Any) -> None:
    submit(front_door)  # names Dean Farrow, 07700 900123
    body = missing("M-R5", started=dt.timedelta(days=12), returned=dt.timedelta(days=11),
                   persons_named=[{"name": "Dean Farrow", "phone": "07700 900123",
                                   "role": "found_with"}])  # fmt: skip
    event_receive(acting_user=officer, agency=officer.agency, data=event_parse(body))
    assert "found_with_unlinked" not in events_sweep()


def test_third_episode_raises_repeat_missing_once(officer: Any) -> None:
    for n, days in enumerate((60, 30, 2)):
        body = missing(f"M-S{n}", started=dt.timedelta(days=days),
                       returned=dt.timedelta(days=days - 1))  # fmt: skip
        event_receive(acting_user=officer, agency=officer.agency, data=event_parse(body))
    alerts = EventAlert.objects.filter(detector="repeat_missing")
    assert alerts.count() == 1
    assert alerts.get().asks == "cse_screening"


def test_replay_return_interview_clock_climbs_the_ladder_like_every_clock(
    officer: Any, front_door: Any, csc: Any
) -> None:
    """Every six hours with `sweep --at` from the return to nine days on: nothing before the 72
    hours run out, then raised once and climbed rung by rung to the top, then quiet (a
    completed interview meets the clock: test_completed_interview_meets_the_clock)."""
    people = ladder_users(csc)
    submit(front_door)
    late = event_receive(acting_user=officer, agency=officer.agency, data=event_parse(
        missing("M-L1", started=dt.timedelta(hours=30), returned=dt.timedelta(hours=20),
                child=ELLIE)))  # fmt: skip
    clock = Clock.objects.get(pk=str(late.clock_id))
    seen: dict[dt.datetime, tuple[int, int]] = {}  # (escalations of the clock, their steps)
    at = clock.started_at
    while at <= clock.due_at + dt.timedelta(days=6):
        call_command("sweep", at=at.isoformat(), stdout=io.StringIO())
        mine = Escalation.objects.filter(clock=clock)
        seen[at] = (mine.count(), sum(e.events.count() for e in mine))
        at += dt.timedelta(hours=6)
    escalation = Escalation.objects.get(clock=clock)
    assert all(n == 0 for when, (n, _) in seen.items() if when < clock.due_at)
    assert all(n == 1 for when, (n, _) in seen.items() if when > clock.due_at)
    steps = list(escalation.events.values_list("kind", "rung"))
    assert steps[0] == ("raised", 1)
    assert [rung for kind, rung in steps if kind == "climbed"] == [2, 3, 4]
    told = set(
        InboxItem.objects.filter(escalation=escalation).values_list("user__username", flat=True)
    )
    assert {
        people["team_manager"].username,
        people["head"].username,
        people["lead"].username,
    } <= told
    settled = {
        count for when, (_, count) in seen.items() if when >= clock.due_at + dt.timedelta(days=5)
    }
    assert settled == {len(steps)}  # at the top nothing more happens

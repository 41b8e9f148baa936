"""Loading the demo borough's partner events through the events workflows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from sightline.demo.events_load import demo_events_load
from sightline.demo.generator import generate_borough
from sightline.demo.services import borough_load
from sightline.events.models import Event, EventAlert, MissingEpisode, ReturnInterview
from sightline.intel.models import Mention

pytestmark = pytest.mark.django_db


def test_events_load_with_interviews_mentions_and_alerts_and_once_only(tmp_path: Path) -> None:
    today = timezone.localdate()
    borough = generate_borough(children=60, years=1, seed=7, end=today, networks=2)
    borough_load(borough=borough, truth_path=tmp_path / "truth.json", open_count=0)
    report = demo_events_load(borough=borough)
    assert report.stored == Event.objects.count() > 0
    assert report.stored + report.skipped == len(borough.events)
    by_source = {e.key: e for e in borough.events}
    assert all(by_source[s].kind == k for s, k in Event.objects.values_list("source_id", "kind"))
    statuses = set(ReturnInterview.objects.values_list("status", flat=True))
    assert {"completed", "declined"} <= statuses
    late = [
        i for i in ReturnInterview.objects.filter(status="completed").select_related("episode")
        if i.completed_at and i.episode.returned_at
        and i.completed_at - i.episode.returned_at > dt.timedelta(hours=72)
    ]  # fmt: skip
    assert late
    assert MissingEpisode.objects.filter(is_found_with_adults=True).exists()
    assert Mention.objects.filter(source_kind="event").exists()
    repeat = set(borough.truth["events"]["repeat_missing_child_keys"])
    if repeat:
        assert EventAlert.objects.filter(detector="repeat_missing").exists()
    again = demo_events_load(borough=borough)
    assert again.stored == 0 and again.already_stored == report.stored

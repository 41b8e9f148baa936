"""The bulk import (workflows.events_bulk) against the single path: one file imported row by
row through `event_receive` and in chunks through `events_import` gives the same events,
children, candidates, mentions, clocks and alerts (ADR 0903); re-importing changes nothing."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from sightline.escalation.models import Clock
from sightline.events.models import Event, EventAlert, EventChildCandidate, MissingEpisode
from sightline.events.tests.helpers import missing_rows
from sightline.intel.models import Alert, Mention
from sightline.people import selectors
from sightline.people.models import Child
from sightline.referrals.tests.factories import submit
from sightline.reviews.models import LanguageCheck, LanguageFlag
from sightline.workflows import event_receive, events_bulk, events_import

pytestmark = pytest.mark.django_db

# Ellie Marston has the referral the factory submits (so her returns, within the last 72
# hours, start clocks); Orla Brindle is new, her rows out of date order; "Orlah" is a near
# match kept as a candidate; the same adult is named with two children. {N}: N hours ago.
# The officers' summaries and "found with" are checked for language: some flagged, some not.
ROWS = """\
E-1,{70},Ellie,Marston,2011-05-14,NB4 7QX,{70},medium,{60},Dax Quillon|found_with|07700 900123,\
Flat 3 Harbour Court|NB4 7QY,Staff say she is making her own choices.,An older man she calls her \
boyfriend
E-2,{55},Ellie,Marston,2011-05-14,NB4 7QX,{55},high,{50},,,Reported missing from school.,
O-1,{300},Orla,Brindle,2010-09-02,NB7 1AB,{300},medium,{290},Dax Quillon|found_with,,,Two adults
O-2,{900},Orla,Brindle,2010-09-02,NB7 1AB,{900},medium,,,,,
E-3,{40},Ellie,Marston,2011-05-14,NB4 7QX,{40},high,{30},,Flat 3 Harbour Court|NB4 7QY,,
O-3,{600},Orla,Brindle,2010-09-02,NB7 1AB,{600},medium,{590},,,,
X-1,{500},Orlah,Brindle,2010-09-02,NB7 1AB,{500},low,{495},,,She went willingly.,
O-4,{200},Orla,Brindle,2010-09-02,NB7 1AB,{200},medium,{190},,,,
E-4,{20},Ellie,Marston,2011-05-14,NB4 7QX,{20},high,{10},,,,
O-5,{100},Orla,Brindle,2010-09-02,NB7 1AB,{100},medium,{95},,,,
"""
REFERENCE = re.compile(r"\b[A-Z]{2,3}-\d{4}-\d{4,}\b")


def _file(now: dt.datetime) -> list[Any]:
    return missing_rows(ROWS, now)


def _child_key(child_id: Any) -> tuple[str, str, str]:
    c = Child.objects.get(pk=child_id)
    return (c.given_name, c.family_name, str(c.date_of_birth))


def _plain(value: Any, refs: dict[str, str]) -> Any:
    """References (made from sequences, so different in each run) as the source id or the
    child they stand for."""
    text = REFERENCE.sub(lambda m: refs.get(m.group(0), "REF"), str(value))
    return text


def _outcome() -> dict[str, Any]:
    refs = {e.reference: e.source_id for e in Event.objects.all()}
    refs |= {c.reference: "/".join(_child_key(c.pk)) for c in Child.objects.all()}
    source = {str(e.pk): e.source_id for e in Event.objects.all()}
    source |= {str(m.pk): m.event.source_id for m in MissingEpisode.objects.select_related("event")}
    return {
        "children": sorted(
            (c.given_name, c.family_name, str(c.date_of_birth), c.postcode)
            for c in Child.objects.all()
        ),
        "events": sorted(
            (e.source_id, e.match_status, _child_key(e.child_id), str(e.occurred_at))
            for e in Event.objects.all()
        ),
        "candidates": sorted(
            (source[str(c.event_id)], _child_key(c.candidate_id), c.score)
            for c in EventChildCandidate.objects.all()
        ),
        "episodes": sorted(
            (source[str(m.event_id)], str(m.returned_at), str(m.interview_due_at), not m.clock_id)
            for m in MissingEpisode.objects.all()
        ),
        "clocks": sorted(
            (c.kind, str(c.started_at), str(c.due_at))
            for c in Clock.objects.filter(kind="return_interview")
        ),
        "mentions": sorted(
            (source[str(m.source_id)], m.entity_type, m.said, m.link_status)
            for m in Mention.objects.filter(source_id__in=list(source))
        ),
        "event_alerts": sorted(
            (
                a.detector,
                _plain(a.summary, refs),
                source.get(str(a.event_id)),
                _plain(a.evidence, refs),
            )
            for a in EventAlert.objects.all()
        ),
        "language_checks": sorted(
            (source[str(c.record_id)], c.content_type, c.field, c.flag_count, c.author_id)
            for c in LanguageCheck.objects.filter(record_id__in=list(source))
        ),
        "language_flags": sorted(
            (source[str(f.record_id)], f.field, f.phrase, f.code, f.start, f.end)
            for f in LanguageFlag.objects.filter(record_id__in=list(source))
        ),
        "intel_alerts": sorted(
            (a.kind, a.entity_type, _plain(a.summary, refs), len(a.child_ids))
            for a in Alert.objects.all()
        ),
    }


def _imported(how: str, officer: Any, now: dt.datetime) -> dict[str, Any]:
    with transaction.atomic():
        if how == "one by one":
            for row in _file(now):
                event_receive(acting_user=officer, agency=officer.agency, data=row)
        else:
            events_import(acting_user=officer, agency=officer.agency, rows=_file(now), chunk=4)
        outcome = _outcome()
        transaction.set_rollback(True)
    return outcome


def test_bulk_import_equals_the_events_arriving_one_by_one(officer: Any, front_door: Any) -> None:
    submit(front_door)  # Ellie's referral, so her returns start return-interview clocks
    # One clock for both files: on a slow machine the two imports can straddle a minute.
    now = timezone.localtime()
    single = _imported("one by one", officer, now)
    bulk = _imported("bulk", officer, now)
    assert single == bulk
    # The file exercises what it is meant to: matching, candidates, clocks, mentions, alerts.
    statuses = {status for _s, status, _c, _at in bulk["events"]}
    assert {"matched", "confirmed_new", "new_child"} <= statuses
    assert len(bulk["children"]) == 3
    assert bulk["candidates"] and bulk["mentions"]
    assert bulk["clocks"]
    detectors = {a[0] for a in bulk["event_alerts"]}
    assert {"repeat_missing", "accumulating_concerns"} <= detectors
    # Each summary and "found with" written is checked (blank ones are not), and the flags of
    # the harmful wording are kept against the event or its episode.
    checked = {(s, field) for s, _kind, field, _n, _a in bulk["language_checks"]}
    assert checked == {
        ("E-1", "summary"), ("E-1", "found_with"), ("E-2", "summary"), ("O-1", "found_with"),
        ("X-1", "summary"),
    }  # fmt: skip
    flagged = {(s, field, phrase) for s, field, phrase, *_ in bulk["language_flags"]}
    assert {("E-1", "summary", "making her own choices"), ("E-1", "found_with", "boyfriend")} <= (
        flagged
    )
    assert not {s for s, *_ in flagged} & {"E-2", "O-1"}


def test_reimporting_the_file_changes_nothing(officer: Any) -> None:
    now = timezone.localtime()
    first = events_import(acting_user=officer, agency=officer.agency, rows=_file(now), chunk=3)
    before = _outcome()
    again = events_import(acting_user=officer, agency=officer.agency, rows=_file(now), chunk=3)
    assert (first.stored, again.stored, again.already_stored) == (10, 0, 10)
    assert again.alerts == [] and again.children_created == 0
    assert _outcome() == before


def test_a_later_chunk_matches_the_child_an_earlier_chunk_made_from_one_read_of_the_table(
    officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The children on record are read once for the file (ADR 0908): Orla's record, made by
    the first chunk, is found by the later chunks' rows without a query for each chunk."""
    made: list[selectors.ChildIndex] = []

    class Recorded(selectors.ChildIndex):
        def __init__(self) -> None:
            super().__init__()
            made.append(self)

    monkeypatch.setattr(events_bulk, "ChildIndex", Recorded)
    now = timezone.localtime()
    done = events_import(acting_user=officer, agency=officer.agency, rows=_file(now), chunk=3)
    assert done.stored == 10 and done.children_created == 3
    assert len(made) == 1 and made[0].reads == 1
    orla = {e.child_id for e in Event.objects.filter(source_id__startswith="O-")}
    assert len(orla) == 1
    statuses = dict(Event.objects.values_list("source_id", "match_status"))
    assert statuses["O-1"] == "confirmed_new"  # row 3, the first chunk
    assert {statuses[s] for s in ("O-3", "O-4", "O-5")} == {"matched"}  # later chunks


def test_a_file_of_one_chunk_is_matched_by_its_own_query_not_a_read_of_every_child(
    officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A small upload on a large borough must not read every child on record."""
    made: list[object] = []
    monkeypatch.setattr(events_bulk, "ChildIndex", lambda: made.append(1))
    now = timezone.localtime()
    done = events_import(acting_user=officer, agency=officer.agency, rows=_file(now), chunk=10)
    assert done.stored == 10 and done.children_created == 3
    assert made == []

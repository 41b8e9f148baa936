"""An import's intelligence step over the picture kept in memory (ADR 0909) against the
events arriving one by one: the same entities, mentions, candidates, alerts (with their
dates, evidence and summaries), audit rows and notifications; the picture read once for the
file, and again when somebody else changed what it was read from."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from sightline.audit.models import AuditEvent
from sightline.core.models import OutboxMessage
from sightline.events.models import Event
from sightline.events.tests.helpers import missing_rows
from sightline.intel.models import Alert, MatchCandidate, Mention
from sightline.intel.services.bulk_rules import Book, BulkStore
from sightline.intel.services.bulk_sources import SourcesPicture
from sightline.intel.services.bulk_store import MemoryStore
from sightline.people.models import Child
from sightline.referrals.tests.factories import submit
from sightline.workflows import event_receive, events_bulk, events_import

pytestmark = pytest.mark.django_db

# Dax Quillon (with his phone and car) is named with four children of four households, with
# Flat 3 Harbour Court: a person, vehicle and place alert raised, then raised again at a third
# child; Mo Renner with two; "D. Quillon" is a weaker mention of Dax. {N}: N hours ago.
ROWS = """\
P-1,{700},Ellie,Marston,2011-05-14,NB4 7QX,{700},high,{690},\
Dax Quillon|found_with|07700 900123|AB12 CDE,Flat 3 Harbour Court|NB4 7QY,,
P-2,{650},Orla,Brindle,2010-09-02,NB7 1AB,{650},high,{640},\
Dax Quillon|found_with||AB12 CDE,Flat 3 Harbour Court|NB4 7QY,,
P-3,{600},Piper,Ashdown,2012-03-03,NB2 5TT,{600},medium,{590},D. Quillon|found_with,,,
P-4,{500},Kit,Farrow,2010-01-01,NB9 9ZZ,{500},high,{490},\
Dax Quillon|found_with|07700 900123,Flat 3 Harbour Court|NB4 7QY,,
P-5,{400},Orla,Brindle,2010-09-02,NB7 1AB,{400},medium,{390},Mo Renner|found_with,,,
P-6,{300},Kit,Farrow,2010-01-01,NB9 9ZZ,{300},medium,{290},\
Mo Renner|found_with|07700 900555,,,
P-7,{200},Ellie,Marston,2011-05-14,NB4 7QX,{200},high,{190},,Flat 3 Harbour Court|NB4 7QY,,
P-8,{100},Piper,Ashdown,2012-03-03,NB2 5TT,{100},high,{95},Dax Quillon|found_with,,,
"""
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
REFERENCE = re.compile(r"\b[A-Z]{2,3}-\d{4}-~?\d+\b")


def _file(now: dt.datetime, newest_first: bool = False) -> list[Any]:
    rows = missing_rows(ROWS, now)
    return rows[::-1] if newest_first else rows


def _outcome() -> dict[str, Any]:
    """Every intelligence row the import wrote, each id and reference (made fresh in each
    run) named by what it stands for: an event by its source id, a child by its name, a
    mention by its source and words, an entity by its mentions, an alert by its entity."""
    names: dict[str, str] = {}
    for e in Event.objects.all():
        names[str(e.pk)] = names[e.reference] = e.source_id
    for c in Child.objects.all():
        names[str(c.pk)] = names[c.reference] = f"{c.given_name} {c.family_name}"
    mentions = list(Mention.objects.order_by("occurred_at", "said", "entity_type"))
    for m in mentions:
        names[str(m.pk)] = f"{names.get(str(m.source_id), 'referral')}:{m.entity_type}:{m.said}"
    held: dict[str, list[str]] = {}
    for m in mentions:
        held.setdefault(str(m.entity_id), []).append(names[str(m.pk)])
    for entity, said in held.items():
        names[entity] = "[" + " + ".join(sorted(said)) + "]"
    for a in Alert.objects.all():
        names[a.entity_ref] = names[str(a.entity_id)]
        names[a.reference] = names[str(a.pk)] = f"alert {a.trigger} of {names[str(a.entity_id)]}"

    def plain(value: Any) -> str:
        text = UUID.sub(lambda m: names.get(m.group(0), "?"), str(value))
        return REFERENCE.sub(lambda m: names.get(m.group(0), "REF"), text)

    return {
        "mentions": sorted(
            (names[str(m.pk)], names[str(m.entity_id)], m.link_status, m.score, plain(m.reasons))
            for m in mentions
        ),
        "candidates": sorted(
            (names[str(c.mention_id)], names.get(str(c.entity_id), "?"), c.status, c.score)
            for c in MatchCandidate.objects.all()
        ),
        "alerts": sorted(
            (
                a.kind,
                a.trigger,
                names[str(a.entity_id)],
                a.certainty,
                a.status,
                str(a.possible_at),
                plain(a.summary),
                plain(a.evidence),
                sorted(map(plain, a.child_ids)),
                sorted(map(plain, a.referral_ids)),
                plain(a.supersedes_id),
            )
            for a in Alert.objects.all()
        ),
        "audit": [
            (r.action, r.object_type, plain(r.object_ref), plain(r.details))
            for r in AuditEvent.objects.filter(object_type__startswith="intel").order_by("seq")
        ],
        "notified": sorted(
            (plain(o.subject), plain(o.body), plain(o.payload))
            for o in OutboxMessage.objects.filter(kind="intel_alert")
        ),
    }


def _imported(
    how: str, officer: Any, now: dt.datetime, newest_first: bool = False
) -> dict[str, Any]:
    rows = _file(now, newest_first)
    with transaction.atomic():
        if how == "one by one":
            for row in rows:
                event_receive(acting_user=officer, agency=officer.agency, data=row)
        else:
            events_import(acting_user=officer, agency=officer.agency, rows=rows, chunk=3)
        outcome = _outcome()
        transaction.set_rollback(True)
    return outcome


def test_the_import_indexes_what_the_events_one_by_one_would(
    officer: Any, front_door: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every entity's rules and every lookup answered both ways in memory (ADR 0905, 0907).
    monkeypatch.setattr(BulkStore, "check", True)
    monkeypatch.setattr(MemoryStore, "check", True)
    submit(front_door)  # a referral on record before the file
    now = timezone.localtime()
    single = _imported("one by one", officer, now)
    bulk = _imported("bulk", officer, now)
    for part in single:
        assert single[part] == bulk[part], part
    # The file exercises what it is meant to: the three kinds of alert, each raised again at
    # a third child, and notified.
    raised = {(kind, trigger) for kind, trigger, *_ in bulk["alerts"]}
    assert {
        ("person_multiple_children", "children3"),
        ("vehicle_multiple_children", "children2"),
        ("place_hotspot", "children3"),
    } <= raised
    assert len(bulk["notified"]) == len(bulk["alerts"])
    audited = [d for _a, t, _r, d in bulk["audit"] if t == "intel_alert"]
    assert sum("'raised'" in d for d in audited) == len(bulk["alerts"])
    # one index row for each event (each names someone or somewhere) and for the referral
    assert sum(t == "intel_index" for _a, t, _r, _d in bulk["audit"]) == 9


def test_events_older_than_what_is_indexed_are_put_in_their_place(
    officer: Any, front_door: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file newest first: each event after the first is older than what its adult, car and
    # place already hold, so the books take links in the middle of a history (ADR 0911), and
    # every entity is still evaluated both ways (`check`) and equal to one by one.
    monkeypatch.setattr(BulkStore, "check", True)
    monkeypatch.setattr(MemoryStore, "check", True)
    inserted: list[Any] = []
    put = Book._insert

    def counted(book: Book, link: Any, order: Any) -> None:
        inserted.append(link)
        put(book, link, order)

    monkeypatch.setattr(Book, "_insert", counted)
    now = timezone.localtime()
    single = _imported("one by one", officer, now, newest_first=True)
    inserted.clear()
    bulk = _imported("bulk", officer, now, newest_first=True)
    assert len(inserted) >= 3
    for part in single:
        assert single[part] == bulk[part], part
    kinds = {kind for kind, *_ in bulk["alerts"]}
    assert {"person_multiple_children", "vehicle_multiple_children", "place_hotspot"} <= kinds


def test_the_picture_is_read_once_for_the_file_and_again_after_another_change(
    officer: Any, front_door: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[SourcesPicture] = []

    class Recorded(SourcesPicture):
        def __init__(self) -> None:
            super().__init__()
            made.append(self)

    monkeypatch.setattr(events_bulk, "SourcesPicture", Recorded)
    now = timezone.localtime()
    rows = _file(now)
    done = events_import(acting_user=officer, agency=officer.agency, rows=rows, chunk=3)
    assert done.stored == 8 and len(made) == 1 and made[0].reads == 1
    assert Alert.objects.exists()

    # Another user's referral, submitted after the first chunk, is read by the next chunk.
    def progress(rows_done: int) -> None:
        if rows_done == 3:
            submit(front_door)

    later = [r.model_copy(update={"source_id": f"again-{r.source_id}"}) for r in rows]
    events_import(
        acting_user=officer, agency=officer.agency, rows=later, chunk=3, progress=progress
    )
    assert len(made) == 2 and made[1].reads == 2

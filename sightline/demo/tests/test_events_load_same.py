"""The demo's partner events loaded through the bulk import (chunks, the return-interview
clocks started together, ADR 0920) write what the same events arriving one by one through
`event_receive` write, on a small borough: the clocks with their due times and states (after
the return interviews meet some), the episodes' clocks, the audit rows and the alerts."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from sightline.audit.models import AuditEvent
from sightline.demo import events_load
from sightline.demo.generator import generate_borough
from sightline.demo.services import borough_load
from sightline.escalation.models import Clock
from sightline.events.models import Event, EventAlert, MissingEpisode
from sightline.intel.models import Alert
from sightline.people.models import Child
from sightline.referrals.models import Referral
from sightline.workflows import event_receive, events_bulk, events_import

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"\b[A-Z]{2,3}-\d{4}-\d{4,}\b")
# A random id, or the start of one (an audit row's object_ref for a record without a reference).
UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f-]*")


def _one_by_one(
    *, acting_user: Any, agency: Any, rows: Any, notify: bool, **_: Any
) -> events_bulk.ImportResult:
    """`events_import` as each row arriving on its own (the API's path, the child given by
    its id as the API finds it)."""
    done = events_bulk.ImportResult(0, 0, 0, [])
    for row in rows:
        child = Child.objects.get(pk=row.child.id)
        got = event_receive(
            acting_user=acting_user, agency=agency, data=row, child=child, notify=notify
        )
        done.stored += got.created
        done.already_stored += not got.created
        done.alerts += got.alerts_raised
    return done


def _outcome(since: int) -> dict[str, Any]:
    """What the load wrote, its references (numbered in each run's order) as the partner's
    source ids, the referrals' references (made before) kept, and random ids left out."""
    refs = {e.reference: e.source_id for e in Event.objects.all()}
    refs |= {r.reference: r.reference for r in Referral.objects.all()}

    def plain(value: Any) -> str:
        text = json.dumps(value, sort_keys=True, default=str)
        return UUID.sub("ID", REFERENCE.sub(lambda m: refs.get(m.group(0), "REF"), text))

    clocks = Clock.objects.filter(kind="return_interview").select_related("referral")
    by_clock = {c.pk: refs[c.detail] for c in clocks}
    return {
        "clocks": sorted(
            (
                c.referral.reference,
                refs[c.detail],
                c.started_at,
                c.due_at,
                c.status,
                c.met_at,
                c.next_check_at,
                c.agency_id,
            )
            for c in clocks
        ),
        "episodes": sorted(
            (
                m.event.source_id,
                m.interview_status,
                by_clock.get(m.clock_id) if m.clock_id else None,
            )
            for m in MissingEpisode.objects.select_related("event")
        ),
        "audit": sorted(
            (
                a.action,
                a.object_type,
                plain(a.object_ref),
                plain(a.details),
                a.actor_id,
                plain(a.reason),
            )
            # less the import's own row (one per file), which events one by one have not
            for a in AuditEvent.objects.filter(seq__gt=since).exclude(object_type="event_import")
        ),
        "event_alerts": sorted(
            (a.detector, plain(a.summary), plain(a.evidence)) for a in EventAlert.objects.all()
        ),
        "intel_alerts": sorted(
            (a.kind, a.entity_type, a.status, plain(a.summary), len(a.child_ids))
            for a in Alert.objects.all()
        ),
    }


def _loaded(borough: Any, now: Any, how: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setattr(events_load, "events_import", how)
    since = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    with transaction.atomic():
        report = events_load.demo_events_load(borough=borough, now=now)
        outcome = _outcome(since) | {"report": report}
        transaction.set_rollback(True)
    return outcome


def test_bulk_events_load_writes_what_the_events_one_by_one_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = timezone.localdate()
    borough = generate_borough(children=60, years=1, seed=7, end=today, networks=2)
    borough_load(borough=borough, truth_path=tmp_path / "truth.json", open_count=0)
    now = timezone.now()
    # Small chunks: a child's episodes fall in several, the picture is kept across them.
    bulk = _loaded(borough, now, functools.partial(events_import, chunk=7), monkeypatch)
    single = _loaded(borough, now, _one_by_one, monkeypatch)
    assert bulk == single
    # The borough exercises what it is meant to: clocks started, some met by an interview
    # (in time or late), some left running past due; audit rows for each; alerts raised.
    statuses = {c[4] for c in bulk["clocks"]}
    assert {"met", "running"} <= statuses
    assert len(bulk["clocks"]) == sum(1 for e in bulk["episodes"] if e[2] is not None) > 5
    clock_audits = [a for a in bulk["audit"] if a[1] == "clock" and a[0] == "record.create"]
    assert len(clock_audits) == len(bulk["clocks"])
    assert bulk["event_alerts"] and bulk["intel_alerts"]
    assert bulk["report"].interviews > 0

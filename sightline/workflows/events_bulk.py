"""A partner system's file of events (the import command, the upload page, POST /imports):
the rows stored in chunks, each chunk one transaction of a few statements per table, with
the same outcome as each row arriving on its own through `event_receive` in the file's order
(ADR 0903): the same children matched or made, the same events, mentions, clocks and alerts.
Re-importing a file changes nothing (source ids)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction

from sightline.accounts.models import Agency
from sightline.audit.services import audit_batch
from sightline.core.collection import few_collections
from sightline.escalation.services import ChildReturned, clocks_on_children_returned
from sightline.events import services as events
from sightline.events.detectors import Finding, detect
from sightline.events.kinds import EventBase
from sightline.events.models import Event, EventAlert, MissingEpisode
from sightline.events.pictures import happening_of, pictures_for
from sightline.events.selectors import latest_received_by, referral_histories
from sightline.intel.services import SourcesPicture, mentions_on_sources
from sightline.people.selectors import ChildIndex
from sightline.reviews.services import missed_opportunities_check
from sightline.workflows.event_receive import event_index, event_names
from sightline.workflows.language import flag_events

# Rows per transaction: large enough that each table's rows go in one or two statements,
# small enough that a failure late in a 100,000-row file keeps what was stored before it.
CHUNK = 2000


@dataclass
class ImportResult:
    stored: int
    already_stored: int
    children_created: int
    alerts: list[str]


def _detect_in_order(acting_user: Any, stored: Sequence[Event], notify: bool) -> list[EventAlert]:
    """The detectors for each stored event with the picture its child had when that event
    would have arrived on its own: what was on record before, and this call's events up to
    and including it (in the file's order). One read of the pictures for the whole chunk,
    without the fields of the events on record (the detectors read only the new event's)."""
    pictures = pictures_for((e.child_id for e in stored), fields=False)
    # By reference (a string keeps its hash; a UUID works its hash out at each look-up).
    position = {e.reference: i for i, e in enumerate(stored)}
    findings: list[Finding] = []
    for i, event in enumerate(stored):
        picture = pictures[event.child_id]
        known = [h for h in picture.happenings if position.get(h.reference, -1) <= i]
        findings += detect(replace(picture, happenings=known), happening_of(event))
    return events.findings_raise(acting_user=acting_user, findings=findings, notify=notify)


def _clocks_start(
    acting_user: Any, stored: Sequence[Event], episodes: dict[Any, MissingEpisode]
) -> None:
    """Return-interview clocks for the returned episodes of children with a referral, in
    the file's order (each returned episode its own clock, ADR 0901): what
    `episode_clock_start` does for each, with the children's referrals read once and the
    clocks started together (ADR 0920)."""
    in_order = [episodes[e.pk] for e in stored if e.pk in episodes]
    returned = [(m, m.returned_at) for m in in_order if m.returned_at is not None]
    histories = referral_histories({m.child_id for m, _at in returned})
    starts: list[ChildReturned] = []
    clocked: list[MissingEpisode] = []
    for episode, at in returned:
        by = episode.interview_due_at or at
        referral = latest_received_by(histories.get(episode.child_id, []), by)
        if referral is not None:
            starts.append(ChildReturned(referral, at, episode.event.reference))
            clocked.append(episode)
    clocks = clocks_on_children_returned(returns=starts, acting_user=acting_user)
    events.episodes_clock_set(clocks=[(m, c.pk) for m, c in zip(clocked, clocks, strict=True)])


def _flag_texts(
    acting_user: Any, stored: Sequence[Event], episodes: dict[Any, MissingEpisode]
) -> None:
    """The language flags of the chunk's new events (summary, who a child was found with):
    the same checks as each event stored on its own, in one INSERT each for checks and flags."""
    flag_events(acting_user, [(e, episodes.get(e.pk)) for e in stored])


def _index(
    acting_user: Any, stored: Sequence[Event], notify: bool, picture: SourcesPicture | None
) -> list[str]:
    """Intelligence for the events naming someone, something or somewhere, in the file's
    order: over the picture the import keeps in memory (ADR 0909), or, for a file of one
    chunk, each event as it would be indexed on its own."""
    if picture is None:
        return [a.reference for e in stored for a in event_index(acting_user, e, notify)]
    names = [n for n in map(event_names, stored) if n is not None]
    results = mentions_on_sources(
        picture=picture, sources=names, acting_user=acting_user, notify=notify
    )
    return [a.reference for r in results for a in r.alerts]


@transaction.atomic
def _chunk_import(
    *,
    acting_user: Any,
    agency: Agency,
    rows: Sequence[EventBase],
    filename: str,
    notify: bool,
    clocks: bool,
    index: ChildIndex | None,
    picture: SourcesPicture | None,
) -> ImportResult:
    with audit_batch():
        bulk = events.events_store_many(
            acting_user=acting_user, agency=agency, rows=rows, filename=filename, index=index
        )
        _flag_texts(acting_user, bulk.events, bulk.episodes)
        alerts = _index(acting_user, bulk.events, notify, picture)
        if clocks:
            _clocks_start(acting_user, bulk.events, bulk.episodes)
        alerts += [a.reference for a in _detect_in_order(acting_user, bulk.events, notify)]
        missed_opportunities_check(
            acting_user=acting_user, child_ids=[e.child_id for e in bulk.events], trigger="event"
        )
    return ImportResult(len(bulk.events), bulk.skipped, bulk.children_created, alerts)


def events_import(
    *,
    acting_user: Any,
    agency: Agency,
    rows: Sequence[EventBase],
    filename: str = "",
    notify: bool = True,
    clocks: bool = True,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
    picture: SourcesPicture | None = None,
) -> ImportResult:
    """An import's valid rows, `chunk` rows per transaction (inside a caller's transaction,
    a savepoint each): stored in bulk, then the per-event steps that name someone (intel) or
    start a clock (`clocks=False`: none, for a demo loaded without its clocks' history), then
    the detectors in the file's order. `progress` is told the rows done after each chunk.
    The garbage collector is held back meanwhile (`few_collections`, ADR 0910)."""
    total = ImportResult(0, 0, 0, [])
    # The children on record read once for a file of several chunks (ADR 0908); a file of
    # one chunk is matched by its one query over its own block keys, as before.
    index = ChildIndex() if len(rows) > chunk else None
    # So is the intelligence picture, when a chunk first names someone (ADR 0909).
    # `picture`: one kept by a caller importing several files (the demo's loader).
    if picture is None and len(rows) > chunk:
        picture = SourcesPicture()
    with few_collections():
        for start in range(0, len(rows), chunk):
            part = _chunk_import(
                acting_user=acting_user,
                agency=agency,
                rows=rows[start : start + chunk],
                filename=filename,
                notify=notify,
                clocks=clocks,
                index=index,
                picture=picture,
            )
            total.stored += part.stored
            total.already_stored += part.already_stored
            total.children_created += part.children_created
            total.alerts += part.alerts
            if progress is not None:
                progress(min(start + chunk, len(rows)))
    return total

"""Storing events: one at a time (the API) or a whole import in a few statements, with
the child matched (never merged) and a missing episode's own record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from sightline.accounts.models import Agency
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.bulk import bulk_insert, new_row
from sightline.core.references import next_reference, references_reserve
from sightline.core.transactions import in_callers_transaction
from sightline.events import rules
from sightline.events.choices import (
    MatchStatus,
)
from sightline.events.kinds import EventBase, MissingEpisodeIn, MissingFacts, kind_fields
from sightline.events.models import (
    Event,
    EventChildCandidate,
    MissingEpisode,
)
from sightline.people.matching import Referred
from sightline.people.models import Child
from sightline.people.selectors import (
    Candidate,
    ChildIndex,
    ChildPool,
    child_match_candidates_many,
)

RETURN_INTERVIEW_HOURS = 72
# Rows whose children are looked up in one query: a chunk's worth (the query's rows grow less
# than its keys, since a borough's children share family names, birthdays and postcodes).
MATCH_BATCH = 2000


@dataclass
class Stored:
    event: Event
    created: bool
    candidates: list[EventChildCandidate] = field(default_factory=list)


def _referred(data: EventBase) -> Referred:
    c = data.child
    return Referred(c.given_name, c.family_name, c.date_of_birth, c.postcode)


def _child_for(
    acting_user: Any, data: EventBase, given: Child | None, found: list[Candidate]
) -> tuple[Child, str, list[Candidate]]:
    """The given child, the one exact match, or a new record with the possible matches kept
    as candidates (children are never merged by this)."""
    if given is not None:
        return given, MatchStatus.GIVEN, []
    exact = [c for c in found if c.match.is_exact]
    if len(exact) == 1:
        return exact[0].child, MatchStatus.MATCHED, [c for c in found if c is not exact[0]]
    child = _new_child(data)
    child.reference = next_reference("CH", timezone.now().year, width=7)
    child.save()
    _audit_new_child(acting_user, child)
    return child, MatchStatus.NEW_CHILD if found else MatchStatus.CONFIRMED_NEW, found


def _event_row(
    acting_user: Any,
    agency: Agency,
    data: EventBase,
    child: Child,
    status: str,
    ref: str,
    now: dt.datetime,
) -> Event:
    """The event's row, built positionally (`new_row`: an import builds thousands), its
    agency, child and sender cached on it as keyword construction caches them."""
    event = new_row(
        Event,
        reference=ref,
        kind=data.kind,  # type: ignore[attr-defined]
        code=data.code(),
        agency_id=agency.pk,
        source_id=data.source_id,
        child_id=child.pk,
        match_status=status,
        occurred_at=data.occurred_at,
        recorded_at=data.recorded_at,
        received_at=now,
        submitted_by_id=acting_user.pk,
        summary=data.summary,
        fields=kind_fields(data),
        child_as_sent=data.child.model_dump(mode="json", exclude={"id"}),
        persons_named=[p.model_dump(mode="json") for p in data.persons_named],
        places_named=[p.model_dump(mode="json") for p in data.places_named],
        vehicles=list(data.vehicles),
        phones=list(data.phones),
    )
    for name, value in (("agency", agency), ("child", child), ("submitted_by", acting_user)):
        Event._meta.get_field(name).set_cached_value(event, value)  # type: ignore[union-attr]
    return event


def _episode_row(event: Event, data: MissingEpisodeIn) -> MissingEpisode:
    episode = new_row(
        MissingEpisode,
        event_id=event.pk,
        child_id=event.child_id,
        started_at=data.started_at,
        reported_at=data.reported_at,
        risk_grade=data.risk_grade,
        absence_type=data.absence_type,
        missing_from=data.missing_from,
    )
    # Both ways round, as `MissingEpisode(event=event)` caches them; and the child.
    to_event = MissingEpisode._meta.get_field("event")
    to_event.set_cached_value(episode, event)
    to_event.remote_field.set_cached_value(event, episode)
    MissingEpisode._meta.get_field("child").set_cached_value(episode, event.child)
    _facts_apply(episode, data)
    return episode


def _facts_apply(episode: MissingEpisode, facts: MissingFacts) -> bool:
    """Copy the later facts onto the episode; True when this is the return."""
    returned = episode.returned_at is None and facts.returned_at is not None
    if facts.returned_at is not None:
        episode.returned_at = facts.returned_at
        episode.interview_due_at = facts.returned_at + dt.timedelta(hours=RETURN_INTERVIEW_HOURS)
    for name in ("found_where", "found_by", "found_with"):
        value = getattr(facts, name)
        if value:
            setattr(episode, name, value)
    return returned


def _found_with_adults(event: Event) -> bool:
    return bool(
        event.fields.get("found_with")
        or any(p.get("role") == "found_with" for p in event.persons_named)
    )


@in_callers_transaction
def event_store(
    *, acting_user: Any, agency: Agency, data: EventBase, child: Child | None = None
) -> Stored:
    """Store one event, or answer the one already stored for this (agency, kind, source_id)
    with `created` False (re-sending changes nothing)."""
    rules.guard_kind_for_agency(agency, data.kind)  # type: ignore[attr-defined]
    existing = Event.objects.filter(
        agency=agency,
        kind=data.kind,  # type: ignore[attr-defined]
        source_id=data.source_id,
    ).first()
    if existing is not None:
        return Stored(existing, False)
    found = [] if child is not None else child_match_candidates_many([_referred(data)])[0]
    matched, status, others = _child_for(acting_user, data, child, found)
    ref = next_reference("EV", timezone.now().year, width=7)
    event = _event_row(acting_user, agency, data, matched, status, ref, timezone.now())
    event.save()
    candidates = EventChildCandidate.objects.bulk_create(
        EventChildCandidate(
            event=event, candidate=c.child, score=c.match.score, reasons=list(c.match.reasons)
        )
        for c in others
    )
    if isinstance(data, MissingEpisodeIn):
        episode = _episode_row(event, data)
        episode.is_found_with_adults = _found_with_adults(event)
        episode.save()
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        object_type="event",
        object_id=event.pk,
        object_ref=event.reference,
        child_id=matched.pk,
        details={"kind": event.kind, "agency": agency.code, "match": status},
    )
    return Stored(event, True, candidates)


@dataclass
class BulkStored:
    events: list[Event]
    skipped: int
    children_created: int
    # The missing episodes stored, by their event's id (the callers need not read them back).
    episodes: dict[Any, MissingEpisode] = field(default_factory=dict)


@in_callers_transaction
def events_store_many(
    *,
    acting_user: Any,
    agency: Agency,
    rows: Sequence[EventBase],
    filename: str = "",
    index: ChildIndex | None = None,
) -> BulkStored:
    """An import's rows in a few statements: those already stored (by source id) are left
    alone, children matched in one pass and new ones made in bulk, events and episodes
    inserted in bulk. The same audit rows as each event stored on its own (a new child's,
    each event's) and one for the import: inside the caller's `audit_batch` they are one
    INSERT. `index`: the children on record kept for a whole import (ADR 0908), in place of
    a query for each call."""
    if not rows:
        return BulkStored([], 0, 0)
    kinds = {r.kind for r in rows}  # type: ignore[attr-defined]
    for kind in kinds:
        rules.guard_kind_for_agency(agency, kind)
    known: set[tuple[str, str]] = set()
    ids = [r.source_id for r in rows]
    for start in range(0, len(ids), 5000):
        known.update(
            Event.objects.filter(
                agency=agency, kind__in=kinds, source_id__in=ids[start : start + 5000]
            ).values_list("kind", "source_id")
        )
    fresh: list[EventBase] = []
    for r in rows:
        key = (r.kind, r.source_id)  # type: ignore[attr-defined]
        if key not in known:
            known.add(key)
            fresh.append(r)
    children, made, candidates = _children_for_many(acting_user, fresh, index)
    now = timezone.now()  # the chunk's receipt time, as `bulk_insert` stamps its rows
    refs = references_reserve("EV", now.year, count=len(fresh), width=7)
    events = [
        _event_row(acting_user, agency, r, children[i], status, refs[i], now)
        for i, (r, status) in enumerate(zip(fresh, candidates.statuses, strict=True))
    ]
    bulk_insert(Event, events)
    bulk_insert(
        EventChildCandidate,
        [
            new_row(
                EventChildCandidate,
                event_id=events[i].pk,
                candidate_id=c.child.pk,
                score=c.match.score,
                reasons=list(c.match.reasons),
            )
            for i, found in candidates.kept.items()
            for c in found
        ],
    )
    episodes = []
    for event, r in zip(events, fresh, strict=True):
        if isinstance(r, MissingEpisodeIn):
            episode = _episode_row(event, r)
            episode.is_found_with_adults = _found_with_adults(event)
            episodes.append(episode)
    bulk_insert(MissingEpisode, episodes)
    by_event = {m.event_id: m for m in episodes}
    for event in events:
        audit_record(
            actor=acting_user,
            action=Action.CREATE,
            object_type="event",
            object_id=event.pk,
            object_ref=event.reference,
            child_id=event.child_id,
            details={"kind": event.kind, "agency": agency.code, "match": event.match_status},
        )
    audit_record(
        actor=acting_user,
        action=Action.IMPORT,
        object_type="event_import",
        object_ref=filename[:20],
        details={
            "agency": agency.code,
            "kinds": sorted(kinds),
            "stored": len(events),
            "already_stored": len(rows) - len(fresh),
            "children_created": made,
        },
    )
    return BulkStored(events, len(rows) - len(fresh), made, by_event)


@dataclass
class _Matches:
    statuses: list[str]
    kept: dict[int, list[Candidate]]


def _audit_new_child(acting_user: Any, child: Child) -> None:
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        object_type="child",
        object_id=child.pk,
        object_ref=child.reference,
        child_id=child.pk,
        details={"from": "partner event"},
    )


def _new_child(data: EventBase) -> Child:
    c = data.child
    child = Child(
        given_name=c.given_name,
        family_name=c.family_name,
        date_of_birth=c.date_of_birth,
        sex=c.sex,
        address=c.address,
        postcode=c.postcode.upper(),
        school=c.school,
    )
    child.refresh_keys()
    return child


def _merged(on_record: list[Candidate], made: list[Candidate], limit: int = 5) -> list[Candidate]:
    """Candidates on record and among this import's new children, ordered as one query over
    both would order them (score, then reference: the new ones' references come later)."""
    both = sorted(on_record + made, key=lambda c: (-c.match.score, not c.child.reference))
    return both[:limit]


def _children_for_many(
    acting_user: Any, rows: list[EventBase], index: ChildIndex | None = None
) -> tuple[list[Child], int, _Matches]:
    """Each row's child, decided as `_child_for` decides it for one event stored on its own
    in the file's order: against the children on record (one query per 2,000 rows) and the
    children earlier rows of this call made (a pool in memory), never merged."""
    given_ids = {r.child.id for r in rows if r.child.id is not None}
    given = {c.pk: c for c in Child.objects.filter(pk__in=given_ids)}
    to_match = [i for i, r in enumerate(rows) if r.child.id is None]
    found: dict[int, list[Candidate]] = {}
    lookup = child_match_candidates_many if index is None else index.candidates_many
    for start in range(0, len(to_match), MATCH_BATCH):
        part = to_match[start : start + MATCH_BATCH]
        for i, cands in zip(part, lookup([_referred(rows[i]) for i in part]), strict=True):
            found[i] = cands
    children: list[Child] = []
    statuses = [MatchStatus.GIVEN.value] * len(rows)
    kept: dict[int, list[Candidate]] = {}
    made = ChildPool()
    new: list[Child] = []
    for i, r in enumerate(rows):
        if r.child.id is not None:
            children.append(given[r.child.id])
            continue
        cands = _merged(found[i], made.candidates(_referred(r)))
        exact = [c for c in cands if c.match.is_exact]
        if len(exact) == 1:
            children.append(exact[0].child)
            statuses[i] = MatchStatus.MATCHED
            kept[i] = [c for c in cands if c is not exact[0]]
            continue
        child = _new_child(r)
        made.add(child)
        new.append(child)
        children.append(child)
        statuses[i] = MatchStatus.NEW_CHILD if cands else MatchStatus.CONFIRMED_NEW
        kept[i] = cands
    refs = references_reserve("CH", timezone.now().year, count=len(new), width=7)
    for child, ref in zip(new, refs, strict=True):
        child.reference = ref
    bulk_insert(Child, new)
    if index is not None:
        index.add(new)
    for child in new:
        _audit_new_child(acting_user, child)
    return children, len(new), _Matches(statuses, kept)

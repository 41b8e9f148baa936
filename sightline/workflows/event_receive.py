"""A partner event arrives (the API, a CSV import, the upload page): store it with its child
match (events, people), index what it names and run the alert rules (intel), start the
return-interview clock on the child's latest referral when a missing child has returned
(escalation), run the detectors (events) and audit each step, in one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from sightline.accounts.models import Agency
from sightline.escalation.models import Clock
from sightline.escalation.services import clocks_on_child_returned, return_interview_record
from sightline.events import services as events
from sightline.events.detectors import Finding, detect
from sightline.events.kinds import EventBase, MissingFacts
from sightline.events.models import Event, EventAlert, MissingEpisode, ReturnInterview
from sightline.events.pictures import happening_of, pictures_for
from sightline.events.selectors import latest_received_by, referral_histories
from sightline.intel.models import Alert
from sightline.intel.services import Source, SourceNames, mentions_on_source
from sightline.people.models import Child
from sightline.reviews.choices import TextKind
from sightline.reviews.services import missed_opportunities_check
from sightline.workflows.language import child_age, flag_events, flag_fields, flag_text

# Event kinds whose names are exploitation concerns for the place rule (P5).
EXPLOITATION_KINDS = {"missing_episode", "police_incident", "safe_and_well"}


@dataclass
class EventReceived:
    event: Event
    created: bool
    alerts: list[EventAlert] = field(default_factory=list)
    intel_alerts: list[Alert] = field(default_factory=list)
    clock_id: uuid.UUID | None = None

    @property
    def alerts_raised(self) -> list[str]:
        return [a.reference for a in self.alerts] + [a.reference for a in self.intel_alerts]


def event_names(event: Event) -> SourceNames | None:
    """What an event names for intelligence, as a source (None when it names nothing)."""
    if not (event.persons_named or event.places_named or event.vehicles or event.phones):
        return None
    categories = ("sexual_exploitation",) if event.kind in EXPLOITATION_KINDS else ()
    return SourceNames(
        source=Source(
            kind="event",
            id=event.pk,
            reference=event.reference,
            agency_id=event.agency_id,
            occurred_at=event.occurred_at,
            child_ids=(event.child_id,),
            categories=categories,
        ),
        persons=event.persons_named,
        places=event.places_named,
        vehicles=event.vehicles,
        phones=event.phones,
    )


def event_index(acting_user: Any, event: Event, notify: bool) -> list[Alert]:
    names = event_names(event)
    if names is None:
        return []
    result = mentions_on_source(
        source=names.source,
        acting_user=acting_user,
        persons=names.persons,
        places=names.places,
        vehicles=names.vehicles,
        phones=names.phones,
        notify=notify,
    )
    return result.alerts


def episode_clock_start(acting_user: Any, episode: MissingEpisode) -> uuid.UUID | None:
    """The return-interview clock on the child's latest referral received by the end of the
    interview's 72 hours (ADR 0901); none without one: an episode about a return long before
    any referral (history sent late) has its overdue interview raised by the events sweep."""
    if episode.returned_at is None:
        return None
    by = episode.interview_due_at or episode.returned_at
    history = referral_histories([episode.child_id]).get(episode.child_id, [])
    referral = latest_received_by(history, by)
    if referral is None:
        return None
    clock = clocks_on_child_returned(
        referral=referral,
        returned_at=episode.returned_at,
        acting_user=acting_user,
        episode=episode.event.reference,
    )
    events.episode_clock_set(episode=episode, clock_id=clock.pk)
    return clock.pk


def _detect(acting_user: Any, stored: Sequence[Event], notify: bool) -> list[EventAlert]:
    pictures = pictures_for(e.child_id for e in stored)
    findings: list[Finding] = []
    for event in stored:
        findings += detect(pictures[event.child_id], happening_of(event))
    return events.findings_raise(acting_user=acting_user, findings=findings, notify=notify)


@transaction.atomic
def event_receive(
    *,
    acting_user: Any,
    agency: Agency,
    data: EventBase,
    child: Child | None = None,
    notify: bool = True,
) -> EventReceived:
    """Store one event (or find the one already stored for its source id: then nothing
    else happens) and everything its arrival sets off."""
    stored = events.event_store(acting_user=acting_user, agency=agency, data=data, child=child)
    event = stored.event
    if not stored.created:
        return EventReceived(event, False)
    episode = MissingEpisode.objects.filter(event=event).first()
    flag_events(acting_user, [(event, episode)])
    intel_alerts = event_index(acting_user, event, notify)
    clock_id = None
    if episode is not None and episode.returned_at is not None:
        clock_id = episode_clock_start(acting_user, episode)
    alerts = _detect(acting_user, [event], notify)
    missed_opportunities_check(acting_user=acting_user, child_ids=[event.child_id], trigger="event")
    return EventReceived(event, True, alerts, intel_alerts, clock_id)


@transaction.atomic
def episode_update(
    *, acting_user: Any, event: Event, facts: MissingFacts, notify: bool = True
) -> EventReceived:
    """Later facts of a missing episode: its return starts the return-interview clock."""
    episode, returned = events.episode_facts_update(
        acting_user=acting_user, event=event, facts=facts
    )
    if facts.found_with:  # who the child was found with, told later: checked again
        age = child_age(event.child)
        flag_fields(acting_user, kind=TextKind.MISSING_FOUND_WITH, record=episode,
                    ref=event.reference, fields=("found_with",), age=age)  # fmt: skip
    clock_id = episode_clock_start(acting_user, episode) if returned else episode.clock_id
    return EventReceived(event, False, [], [], clock_id)


@transaction.atomic
def return_interview_step(
    *, acting_user: Any, episode: MissingEpisode, status: str, **facts: Any
) -> ReturnInterview:
    """A return-interview step; its completion meets the clock on the referral."""
    interview = events.return_interview_record(
        acting_user=acting_user, episode=episode, status=status, **facts
    )
    # The practitioner's own words (not what the child said, which is recorded as said).
    for name in ("with_whom", "actions", "not_offered_reason"):
        if getattr(interview, name, ""):
            flag_text(acting_user, episode.child, TextKind.RETURN_INTERVIEW, interview.pk, name,
                      getattr(interview, name))  # fmt: skip
    if status == "completed" and episode.clock_id is not None:
        # The referral the episode's clock hangs on (not a later one).
        clock = Clock.objects.select_related("referral").filter(pk=episode.clock_id).first()
        if clock is not None:
            referral = clock.referral
            return_interview_record(
                acting_user=acting_user,
                referral=referral,
                # A referral that arrived after the interview was held: met on its arrival.
                held_at=max(facts["at"], referral.received_at),
                outcome="completed",
                notes="Return interview completed (partner events).",
                episode=clock.detail,  # this episode's clock, not another's
            )
    return interview

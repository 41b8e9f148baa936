"""Loading the synthetic borough's partner events (generator.partner_events) the way a partner
system's CSV would arrive: one import per agency and kind through the `events_import` workflow
(so each event is on the chronology, its named adults, places and vehicles become intelligence
mentions, returns start the return-interview clock and the detectors run), then each returned
episode's return interview recorded by the demo front-door practitioner through
`return_interview_step` (held in time, late, declined or not offered).

Run after the referrals are loaded (and indexed, with --with-history), so the events' children
are found by id and the events' mentions meet the referrals' ones. Nothing here is written
by hand: the workflows write it, with their audit rows. Notifications are off (history)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.accounts.models import Agency, User
from sightline.accounts.roles import Role
from sightline.audit.services import audit_batch
from sightline.demo.generator import Borough
from sightline.demo.generator.partner_events import EventSpec
from sightline.demo.users import demo_username
from sightline.events.kinds import event_parse
from sightline.events.models import Event, MissingEpisode
from sightline.intel.services import SourcesPicture
from sightline.people.models import Child
from sightline.workflows import events_import, return_interview_step

# Who sends each agency's events: its demo lead where the demo has one, else its first user.
SENDER_ROLE = {
    "police": Role.POLICE_ANALYST,
    "health": Role.HEALTH_LEAD,
    "education": Role.EDUCATION_LEAD,
}


@dataclass(frozen=True)
class EventsLoadReport:
    stored: int
    already_stored: int
    alerts: int
    interviews: int
    skipped: int


def _children(borough: Borough) -> dict[str, Child]:
    """The loaded child for each generated child key, found by name, birth and postcode."""
    wanted: dict[tuple[str, str, dt.date | None, str], str] = {
        (c.given_name, c.family_name, c.date_of_birth, c.postcode): c.key for c in borough.children
    }
    found: dict[str, Child] = {}
    rows = Child.objects.filter(
        family_name__in={c.family_name for c in borough.children}, superseded_by__isnull=True
    )
    for child in rows.iterator(chunk_size=2000):
        key = wanted.get((child.given_name, child.family_name, child.date_of_birth, child.postcode))
        if key is not None:
            found.setdefault(key, child)
    return found


def _sender(agency: Agency) -> User | None:
    role = SENDER_ROLE.get(agency.code)
    if role is not None:
        user = User.objects.filter(username=demo_username(role), agency=agency).first()
        if user is not None:
            return user
    return User.objects.filter(agency=agency, is_active=True).order_by("username").first()


def _interviews(specs: list[EventSpec], recorder: User, now: dt.datetime) -> int:
    """Each returned episode's interview steps, one workflow call a step, their audit rows
    written together at the end (`audit_batch`: the same rows, in the same order)."""
    by_source = {s.key: s for s in specs if s.interview is not None}
    episodes = MissingEpisode.objects.filter(
        event__source_id__in=list(by_source),
        event__kind="missing_episode",
        interview__isnull=True,
    ).select_related("event", "child")
    # Episodes that started together in the order they were stored (not the table's order).
    episodes = episodes.order_by("-started_at", "event__reference")
    with audit_batch():
        return _interview_steps(episodes, by_source, recorder, now)


def _interview_steps(
    episodes: Iterable[MissingEpisode],
    by_source: dict[str, EventSpec],
    recorder: User,
    now: dt.datetime,
) -> int:
    done = 0
    for episode in episodes:
        step = by_source[episode.event.source_id].interview
        if step is None or step.at > now or episode.returned_at is None:
            continue  # still to come: it stays due (or overdue) on the missing-children page
        if step.offered_at is not None and step.status != "completed":
            return_interview_step(
                acting_user=recorder, episode=episode, status="offered", at=step.offered_at
            )
        facts: dict[str, Any] = {"at": step.at}
        if step.status == "not_offered":
            facts["not_offered_reason"] = step.reason
        if step.status == "completed":
            facts.update(
                interviewer="Return-home interview worker (independent)",
                where_stayed=step.where_stayed,
                with_whom=step.with_whom,
                child_said=step.child_said,
                actions="Shared with the allocated worker; safety plan reviewed.",
            )
        return_interview_step(acting_user=recorder, episode=episode, status=step.status, **facts)
        done += 1
    return done


@transaction.atomic
def demo_events_load(
    *, borough: Borough, now: dt.datetime | None = None, clocks: bool = True
) -> EventsLoadReport:
    """Import the borough's partner events (those up to `now`) and their return interviews.
    Loading the same borough again stores nothing new (each event's source id). Without
    `clocks` no return-interview clock is started (a demo loaded without clock history)."""
    now = now or timezone.now()
    children = _children(borough)
    agencies = {
        a.code: a for a in Agency.objects.filter(code__in={e.agency_key for e in borough.events})
    }
    groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
    skipped = 0
    for spec in borough.events:
        child = children.get(spec.child_key)
        if child is None or spec.agency_key not in agencies or spec.occurred_at > now:
            skipped += 1
            continue
        row = event_parse({**spec.body(), "child": {"id": str(child.pk)}})
        groups[(spec.agency_key, spec.kind)].append(row)
    stored = already = alerts = 0
    # One intelligence picture for every file (ADR 0909): read once, not once an import.
    picture = SourcesPicture()
    for (agency_key, kind), rows in sorted(groups.items()):
        agency = agencies[agency_key]
        sender = _sender(agency)
        if sender is None:
            skipped += len(rows)
            continue
        result = events_import(
            acting_user=sender,
            agency=agency,
            rows=rows,
            filename=f"demo-{kind}.csv",
            notify=False,
            clocks=clocks,
            picture=picture,
        )
        stored, already = stored + result.stored, already + result.already_stored
        alerts += len(result.alerts)
    recorder = User.objects.get(username=demo_username(Role.FRONT_DOOR_PRACTITIONER))
    interviews = _interviews(list(borough.events), recorder, now)
    return EventsLoadReport(stored, already, alerts, interviews, skipped)


def demo_events_summary(report: EventsLoadReport) -> str:
    total = Event.objects.count()
    return (
        f"Partner events: {report.stored} stored ({report.already_stored} already there, "
        f"{report.skipped} skipped), {report.interviews} return interviews recorded, "
        f"{report.alerts} alerts raised; {total} events in all."
    )

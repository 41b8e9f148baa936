"""The agenda computed from the data as of a cut-off, in the VOLT order: previous actions,
victims, offenders (persons of concern and vehicles), locations, themes. Pure reads; the
`agenda_build` service stores the result as the meeting's agenda items.

Each item carries why it is there (`reasons`: [{why, label, refs}], `refs` being the
readable references of the records it came from), so that the pack can footnote every line.

Two sources come from other apps: repeat missing episodes (the `events` app,
`repeat_missing_children`) and the allocated worker (the `casework` app, `allocated_workers`)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Min
from django.db.models.functions import Coalesce

from sightline.casework.models import Allocation
from sightline.events.models import MissingEpisode
from sightline.intel.choices import AlertStatus, EntityType
from sightline.intel.models import Alert, Mention, Place, Vehicle
from sightline.intel.models import PersonOfConcern as Person
from sightline.meetings.choices import OPEN_DISRUPTION, Section, SubjectType, Why
from sightline.meetings.models import (
    AgendaItem,
    ChildProposal,
    Discussion,
    Disruption,
    Meeting,
    MeetingAction,
)
from sightline.meetings.rules import REVIEW_AFTER
from sightline.people.models import Child
from sightline.referrals.models import Referral, ReferralChild
from sightline.screening.choices import RiskLevel
from sightline.screening.models import Screening

CLOSED_ALERTS = (AlertStatus.DISMISSED, AlertStatus.WITHDRAWN)
THEME_WINDOW = dt.timedelta(days=28)
# With no previous meeting, "newly high risk" looks back one monthly cycle; open alerts of any
# age are still live work and are all listed.
FIRST_MEETING_WINDOW = dt.timedelta(days=28)


@dataclass
class Proposed:
    section: str
    subject_type: str
    subject_id: uuid.UUID | None
    subject_ref: str
    title: str = ""
    reasons: list[dict[str, Any]] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    is_new: bool = False
    rank: tuple[Any, ...] = ()

    def because(self, why: Why, refs: list[str], note: str = "") -> None:
        """Add a reason; a second reason of the same kind adds its references to the first."""
        for reason in self.reasons:
            if reason["why"] == why.value:
                reason["refs"] += [r for r in refs if r not in reason["refs"]]
                return
        self.reasons.append({"why": why.value, "label": str(why.label), "refs": refs, "note": note})


# The repeat-missing rule (practice reference P6): three episodes in 90 days.
REPEAT_MISSING_EPISODES = 3
REPEAT_MISSING_WINDOW = dt.timedelta(days=90)


def repeat_missing_children(
    *, since: dt.datetime | None, until: dt.datetime
) -> dict[uuid.UUID, list[str]]:
    """Children missing three or more times in the 90 days to `until` (the repeat-missing
    rule), at least one episode of them new since the last meeting, with the episodes'
    references (partner events' missing episodes)."""
    episodes: dict[uuid.UUID, list[tuple[dt.datetime, str]]] = defaultdict(list)
    rows = MissingEpisode.objects.filter(
        started_at__gt=until - REPEAT_MISSING_WINDOW, started_at__lte=until
    ).values_list("child_id", "started_at", "event__reference")
    for child_id, started_at, reference in rows:
        episodes[child_id].append((started_at, reference))
    return {
        child_id: [ref for _at, ref in sorted(found)]
        for child_id, found in episodes.items()
        if len(found) >= REPEAT_MISSING_EPISODES
        and (since is None or any(at > since for at, _ref in found))
    }


def allocated_workers(*, child_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Each child's current allocation (casework): the worker, or the team's allocation
    queue (the specialist CSE team's, for a referral to it) while no worker is named."""
    rows = Allocation.objects.filter(child_id__in=child_ids, ended_at__isnull=True).select_related(
        "worker", "team"
    )
    return {
        a.child_id: (
            (a.worker.get_full_name() or a.worker.username)
            if a.worker is not None
            else f"{a.team.name} (allocation queue)"
        )
        for a in rows
    }


def alerts_at() -> Any:
    """Alerts with `at`: when the referral that fired them was received (an alert raised by a
    later bulk index or backfill is dated by its evidence, not by the indexing run)."""
    return Alert.objects.annotate(at=Coalesce("fired_by__received_at", "created_at"))


def previous_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(held_on__lt=meeting.held_on)
        .exclude(pk=meeting.pk)
        .order_by("-held_on")
        .first()
    )


def _window(field_name: str, since: dt.datetime | None, until: dt.datetime) -> dict[str, Any]:
    found: dict[str, Any] = {f"{field_name}__lte": until}
    if since is not None:
        found[f"{field_name}__gt"] = since
    return found


def _actions(meeting: Meeting) -> list[Proposed]:
    rows = MeetingAction.objects.filter(
        status="open", meeting__held_on__lt=meeting.held_on
    ).select_related("meeting", "owner_agency")
    items = []
    for action in rows:
        overdue = action.due_on < meeting.held_on
        item = Proposed(
            Section.ACTIONS,
            SubjectType.ACTION,
            action.pk,
            action.reference,
            title=action.description[:200],
            rank=(not overdue, action.due_on, action.reference),
            figures={"due_on": action.due_on.isoformat(), "owner": action.owner_agency.name},
        )
        item.because(
            Why.OVERDUE_ACTION if overdue else Why.OPEN_ACTION,
            [action.reference, action.meeting.reference],
            f"due {action.due_on.isoformat()}",
        )
        items.append(item)
    return sorted(items, key=lambda i: i.rank)


def _victims(meeting: Meeting, since: dt.datetime | None, until: dt.datetime) -> list[Proposed]:
    found: dict[uuid.UUID, Proposed] = {}

    def child_item(child_id: uuid.UUID) -> Proposed:
        if child_id not in found:
            found[child_id] = Proposed(Section.VICTIMS, SubjectType.CHILD, child_id, "")
        return found[child_id]

    # A first meeting has no "last meeting": newly high risk then means within one cycle.
    screened_since = since or until - FIRST_MEETING_WINDOW
    high = Screening.objects.filter(
        level=RiskLevel.HIGH, **_window("screened_at", screened_since, until)
    ).values_list("referral_child__child_id", "referral_child__referral__reference")
    before = set(
        Screening.objects.filter(level=RiskLevel.HIGH, screened_at__lte=screened_since).values_list(
            "referral_child__child_id", flat=True
        )
    )
    for child_id, ref in high:
        if child_id not in before:
            child_item(child_id).because(Why.NEWLY_HIGH_RISK, [ref])
    alerts = alerts_at().filter(**_window("at", since, until)).exclude(status__in=CLOSED_ALERTS)
    for ref, child_ids in alerts.values_list("reference", "child_ids"):
        for cid in child_ids:
            child_item(uuid.UUID(str(cid))).because(Why.NEW_ALERT, [ref])
    for child_id, episodes in repeat_missing_children(since=since, until=until).items():
        child_item(child_id).because(Why.REPEAT_MISSING, list(episodes))
    last = (
        Discussion.objects.filter(child__isnull=False, held_on__lt=meeting.held_on)
        .values("child_id")
        .annotate(last=Max("held_on"))
    )
    for row in last:
        if row["last"] + REVIEW_AFTER <= meeting.held_on:
            child_item(row["child_id"]).because(
                Why.REVIEW_DUE, [], f"last discussed {row['last'].isoformat()}"
            )
    proposals = ChildProposal.objects.filter(taken_at__isnull=True, created_at__lte=until)
    for proposal in proposals.select_related("child"):
        child_item(proposal.child_id).because(Why.PROPOSED, [], proposal.reason[:200])
    children = Child.objects.filter(pk__in=list(found), superseded_by__isnull=True)
    refs = dict(children.values_list("pk", "reference"))
    items = []
    for child_id, item in found.items():
        if child_id not in refs:
            continue
        item.subject_ref = refs[child_id]
        item.rank = (-len(item.reasons), item.subject_ref)
        items.append(item)
    return sorted(items, key=lambda i: i.rank)


def _open_alerts(entity_type: str, until: dt.datetime) -> dict[uuid.UUID, list[str]]:
    out: dict[uuid.UUID, list[str]] = defaultdict(list)
    rows = (
        alerts_at()
        .filter(entity_type=entity_type, at__lte=until)
        .exclude(status__in=CLOSED_ALERTS)
        .values_list("entity_id", "reference")
    )
    for entity_id, ref in rows:
        out[entity_id].append(ref)
    return out


def _new_links(
    entity_type: str, ids: list[uuid.UUID], since: dt.datetime | None, until: dt.datetime
) -> dict[uuid.UUID, list[str]]:
    rows = Mention.objects.filter(
        entity_type=entity_type, entity_id__in=ids, **_window("occurred_at", since, until)
    ).values_list("entity_id", "referral__reference", "source_ref")
    out: dict[uuid.UUID, list[str]] = defaultdict(list)
    for entity_id, referral_ref, source_ref in rows:
        ref = referral_ref or source_ref  # a partner event's mention: the event's reference
        if ref and ref not in out[entity_id]:
            out[entity_id].append(ref)
    return out


def _open_disruptions(target_types: tuple[str, ...]) -> dict[uuid.UUID, list[str]]:
    out: dict[uuid.UUID, list[str]] = defaultdict(list)
    rows = Disruption.objects.filter(
        target_type__in=target_types, status__in=OPEN_DISRUPTION
    ).values_list("target_id", "reference")
    for target_id, ref in rows:
        out[target_id].append(ref)
    return out


def _entities(
    section: Section,
    entity_type: str,
    model: Any,
    target_types: tuple[str, ...],
    since: dt.datetime | None,
    until: dt.datetime,
) -> list[Proposed]:
    """Entities with an open alert and a new link (or a new alert) since the last meeting, and
    those with disruption actions open."""
    alerted = _open_alerts(entity_type, until)
    new_alerts = set(
        alerts_at()
        .filter(entity_type=entity_type, **_window("at", since, until))
        .values_list("entity_id", flat=True)
    )
    links = _new_links(entity_type, list(alerted), since, until)
    disrupted = _open_disruptions(target_types)
    found: dict[uuid.UUID, Proposed] = {}
    for entity_id, alert_refs in alerted.items():
        if entity_id in links or entity_id in new_alerts:
            item = Proposed(section, entity_type, entity_id, "")
            item.because(
                Why.NEW_LINKS if section != Section.LOCATIONS else Why.HOTSPOT,
                alert_refs + links.get(entity_id, []),
            )
            found[entity_id] = item
    for entity_id, disruption_refs in disrupted.items():
        item = found.setdefault(entity_id, Proposed(section, entity_type, entity_id, ""))
        item.because(Why.OPEN_DISRUPTION, disruption_refs)
    refs = dict(model.objects.filter(pk__in=list(found)).values_list("pk", "reference"))
    items = []
    for entity_id, item in found.items():
        if entity_id in refs:
            item.subject_ref = refs[entity_id]
            item.rank = (-len(item.reasons), item.subject_ref)
            items.append(item)
    return sorted(items, key=lambda i: i.rank)


def _count_pair(
    qs: Any, field_name: str, ref_field: str, until: dt.datetime
) -> tuple[int, int, list[str]]:
    """The count in the last 28 days and the 28 before, and the references counted now."""
    start = until - THEME_WINDOW
    recent = qs.filter(**{f"{field_name}__gt": start, f"{field_name}__lte": until})
    refs = sorted({r for r in recent.values_list(ref_field, flat=True) if r})
    then = qs.filter(
        **{f"{field_name}__gt": start - THEME_WINDOW, f"{field_name}__lte": start}
    ).count()
    return recent.count(), then, refs


def _themes(until: dt.datetime) -> list[Proposed]:
    # Both exploitation categories end "_exploitation"; a text match works on SQLite and PostgreSQL.
    cse = Referral.objects.filter(concern_categories__icontains="_exploitation")
    sources = [
        ("THEME-CONCERNS", "Exploitation concerns referred", cse, "received_at", "reference"),
        ("THEME-ALERTS", "Intelligence alerts raised", alerts_at(), "at", "reference"),
        (
            "THEME-HIGH-RISK",
            "High-risk screenings",
            Screening.objects.filter(level=RiskLevel.HIGH),
            "screened_at",
            "referral_child__referral__reference",
        ),
        (
            "THEME-PLACES",
            "Places named in concerns",
            Mention.objects.filter(entity_type=EntityType.PLACE).annotate(
                source_reference=Coalesce("referral__reference", "source_ref")
            ),
            "occurred_at",
            "source_reference",
        ),
    ]
    items = []
    for ref, title, qs, field_name, ref_field in sources:
        now, then, counted = _count_pair(qs, field_name, ref_field, until)
        item = Proposed(
            Section.THEMES,
            SubjectType.THEME,
            None,
            ref,
            title=title,
            figures={"last_28_days": now, "previous_28_days": then, "change": now - then},
        )
        item.because(Why.THEME, counted)
        items.append(item)
    return items


def agenda_compute(meeting: Meeting, *, until: dt.datetime) -> list[Proposed]:
    previous = previous_meeting(meeting)
    since = previous.cutoff_at if previous else None
    items = [
        *_actions(meeting),
        *_victims(meeting, since, until),
        *_entities(Section.OFFENDERS, EntityType.PERSON, Person, ("person",), since, until),
        *_entities(Section.OFFENDERS, EntityType.VEHICLE, Vehicle, ("vehicle",), since, until),
        *_entities(Section.LOCATIONS, EntityType.PLACE, Place, ("place", "business"), since, until),
        *_themes(until),
    ]
    seen_before: set[uuid.UUID | None] = set()
    if previous is not None:
        seen_before = set(
            AgendaItem.objects.filter(meeting=previous, removed_at__isnull=True)
            .exclude(subject_id=None)
            .values_list("subject_id", flat=True)
        )
    for item in items:
        item.is_new = item.subject_id is not None and item.subject_id not in seen_before
    return items


def first_links(person_ids: list[uuid.UUID]) -> dict[uuid.UUID, dt.datetime]:
    """When each person of concern was first linked to a child (their first mention)."""
    rows = (
        Mention.objects.filter(entity_type=EntityType.PERSON, entity_id__in=person_ids)
        .values("entity_id")
        .annotate(first=Min("occurred_at"))
    )
    return {r["entity_id"]: r["first"] for r in rows}


def children_of(entity_ids: list[uuid.UUID]) -> dict[uuid.UUID, set[uuid.UUID]]:
    rows = ReferralChild.objects.filter(
        referral__intel_mentions__entity_id__in=entity_ids
    ).values_list("referral__intel_mentions__entity_id", "child_id")
    out: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for entity_id, child_id in rows:
        out[entity_id].add(child_id)
    return out

"""Reads of partner events. Every selector takes the user and applies record scope
(docs/permissions.md): children's social care's front door, managers, the safeguarding lead
and CSE specialists see every event (restricted children only when named on them); anyone
else sees the kinds their agency sends, from their own agency, and what they sent."""

from __future__ import annotations

import datetime as dt
import statistics
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from sightline.accounts.choices import AgencyKind
from sightline.accounts.models import User
from sightline.accounts.roles import Cap, Role
from sightline.audit.choices import Action, ObjectType
from sightline.audit.services import audit_record
from sightline.core.dates import add_months
from sightline.core.errors import NotFound
from sightline.escalation.models import Clock
from sightline.events import rules
from sightline.events.choices import KINDS_FOR_AGENCY, EventKind, InterviewStatus
from sightline.events.models import Event, EventAlert, MissingEpisode
from sightline.people.models import Child
from sightline.referrals.models import Referral, ReferralChild

OPEN_INTERVIEW = (InterviewStatus.DUE, InterviewStatus.OFFERED, InterviewStatus.ACCEPTED)


def event_scope(*, user: Any) -> QuerySet[Event]:
    if not getattr(user, "is_authenticated", False) or not user.has_capability(Cap.EVENT_VIEW):
        return Event.objects.none()
    if rules.sees_all_events(user):
        scope = Event.objects.all()
    else:
        agency = getattr(user, "agency", None)
        kinds = KINDS_FOR_AGENCY.get(agency.kind, frozenset()) if agency else frozenset()
        own_agency = Q(agency_id=user.agency_id, kind__in=kinds) if user.agency_id else Q(pk=None)
        if user.role not in (Role.POLICE_ANALYST, Role.HEALTH_LEAD, Role.EDUCATION_LEAD):
            own_agency = Q(pk=None)
        scope = Event.objects.filter(own_agency | Q(submitted_by=user))
    return scope.exclude(Q(child__is_restricted=True) & ~Q(child__named_users__user=user))


def event_get(*, user: Any, event_id: Any) -> Event | None:
    return (
        event_scope(user=user)
        .select_related("agency", "child", "episode")
        .filter(pk=event_id)
        .first()
    )


def child_events(*, user: Any, child: Child, kind: str = "") -> QuerySet[Event]:
    events = event_scope(user=user).filter(child=child).select_related("agency")
    if kind:
        events = events.filter(kind=kind)
    return events.order_by("-occurred_at")


def child_for_events(*, user: Any, child_id: Any) -> Child | None:
    """The child, when the user may see at least one of its events (or every event)."""
    if rules.sees_all_events(user):
        return (
            Child.objects.filter(pk=child_id, superseded_by__isnull=True)
            .exclude(Q(is_restricted=True) & ~Q(named_users__user=user))
            .first()
        )
    child_ids = event_scope(user=user).filter(child_id=child_id).values("child_id")
    return Child.objects.filter(pk__in=child_ids).first()


def events_for_child_chronology(child: Child, user: Any) -> list[dict[str, Any]]:
    """For the child's chronology (the child hub calls this): one line per event the user may
    see, with when, agency, kind and a factual headline."""
    return [
        {
            "at": e.occurred_at,
            "agency": e.agency.code,
            "source": "event",
            "reference": e.reference,
            "kind": e.kind,
            "headline": headline(e),
        }
        for e in child_events(user=user, child=child)
    ]


def headline(event: Event) -> str:
    f = event.fields
    kind = EventKind(event.kind).label
    detail = {
        EventKind.POLICE_INCIDENT: str(f.get("incident_type", "")).replace("_", " "),
        EventKind.MISSING_EPISODE: str(f.get("absence_type", "missing")).replace("_", " "),
        EventKind.HEALTH_ATTENDANCE: str(f.get("attendance_type", "")).replace("_", " "),
        EventKind.EDUCATION: str(f.get("education_type", "")).replace("_", " "),
    }.get(EventKind(event.kind), str(f.get("category", "")))
    return f"{kind}: {detail}" if detail else kind


def child_alerts(*, user: Any, child: Child) -> QuerySet[EventAlert]:
    if not rules.sees_all_events(user) and not user.has_capability(Cap.MISSING_VIEW):
        return EventAlert.objects.none()
    return EventAlert.objects.filter(child=child).order_by("-raised_at")


def child_episodes(*, user: Any, child: Child) -> list[MissingEpisode]:
    visible = event_scope(user=user).filter(child=child, kind=EventKind.MISSING_EPISODE)
    return list(
        MissingEpisode.objects.filter(event__in=visible)
        .select_related("event", "interview")
        .order_by("-started_at")
    )


def episode_get(*, user: Any, event_id: Any) -> MissingEpisode | None:
    visible = event_scope(user=user).filter(kind=EventKind.MISSING_EPISODE, pk=event_id)
    return MissingEpisode.objects.select_related("event", "child").filter(event__in=visible).first()


def episode_for_interview(
    *, user: Any, event_id: uuid.UUID | None, source_id: str
) -> MissingEpisode | None:
    """The missing episode a return interview is about, by its event id or the source id the
    police sent it with, in the user's event scope."""
    if event_id is not None:
        return episode_get(user=user, event_id=event_id)
    visible = event_scope(user=user).filter(kind=EventKind.MISSING_EPISODE, source_id=source_id)
    return (
        MissingEpisode.objects.select_related("event", "child")
        .filter(event__in=visible)
        .order_by("-started_at")
        .first()
    )


def allocated_worker_recipients(*, child_id: uuid.UUID) -> list[User]:
    """Who is told at once about a child's urgent finding. Until the casework app's
    allocation lands this is the assignee of the clocks on the child's latest referral,
    else the front door's team managers. Swap this one function for the allocated worker."""
    latest = latest_referral_id(child_id)
    if latest is None:
        return _front_door_managers()
    assigned = list(
        User.objects.filter(
            is_active=True,
            pk__in=Clock.objects.filter(referral_id=latest, assigned_to__isnull=False).values(
                "assigned_to"
            ),
        )
    )
    return assigned or _front_door_managers()


def _front_door_managers() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            role=Role.TEAM_MANAGER,
            agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
        )
    )


def latest_referral_id(child_id: uuid.UUID) -> uuid.UUID | None:
    found: uuid.UUID | None = (
        Referral.objects.filter(children__child_id=child_id)
        .order_by("-received_at")
        .values_list("pk", flat=True)
        .first()
    )
    return found


def referral_histories(child_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[Referral]]:
    """Each child's referrals in the order received (two at the same moment by reference, so
    the latest is the same one whichever way it is read), in one query for many children:
    the referral's id, reference and time only."""
    out: dict[uuid.UUID, list[Referral]] = defaultdict(list)
    rows = (
        ReferralChild.objects.filter(child_id__in=set(child_ids))
        .select_related("referral")
        .only("child_id", "referral__id", "referral__reference", "referral__received_at")
        .order_by("referral__received_at", "referral__reference")
    )
    for named in rows:
        out[named.child_id].append(named.referral)
    return out


def latest_received_by(history: Sequence[Referral], by: dt.datetime) -> Referral | None:
    """The last of a child's referrals (`referral_histories`) received by `by`."""
    found = None
    for referral in history:
        if referral.received_at > by:
            break
        found = referral
    return found


# ---- the partnership's missing-children page ----------------------------------------------


@dataclass
class MonthMeasures:
    month: str
    episodes: int
    children: int
    returns: int
    offered_in_72h: int
    completed: int
    declined: int
    not_offered: int
    median_hours: float | None


@dataclass
class MissingOverview:
    open_episodes: list[MissingEpisode]
    due: list[MissingEpisode]
    overdue: list[MissingEpisode]
    repeat_children: list[tuple[Child, int]]
    months: list[MonthMeasures]


def return_interviews_waiting(
    *, user: Any, status: str, at: dt.datetime | None = None
) -> QuerySet[MissingEpisode]:
    """Returned children whose interview is still open, in the user's event scope: `due` (the
    72 hours not yet run out) or `overdue`, soonest due first."""
    if not user.has_capability(Cap.MISSING_VIEW):
        return MissingEpisode.objects.none()
    now = at or timezone.now()
    visible = event_scope(user=user).filter(kind=EventKind.MISSING_EPISODE)
    waiting = MissingEpisode.objects.filter(
        event__in=visible,
        returned_at__isnull=False,
        interview_due_at__isnull=False,
        interview_status__in=OPEN_INTERVIEW,
    )
    if status == "overdue":
        waiting = waiting.filter(interview_due_at__lt=now)
    else:
        waiting = waiting.filter(interview_due_at__gte=now)
    return waiting.select_related("event", "child").order_by("interview_due_at")


def missing_overview(
    *, user: Any, at: dt.datetime | None = None, months: int = 12
) -> MissingOverview:
    now = at or timezone.now()
    visible = event_scope(user=user).filter(kind=EventKind.MISSING_EPISODE)
    episodes = MissingEpisode.objects.filter(event__in=visible).select_related(
        "event", "child", "interview"
    )
    open_episodes = list(episodes.filter(returned_at__isnull=True).order_by("started_at")[:200])
    waiting = list(
        episodes.filter(interview_status__in=OPEN_INTERVIEW, returned_at__isnull=False).order_by(
            "interview_due_at"
        )[:400]
    )
    due = [e for e in waiting if e.interview_due_at and e.interview_due_at >= now]
    overdue = [e for e in waiting if e.interview_due_at and e.interview_due_at < now]
    since = now - dt.timedelta(days=90)
    counts: dict[uuid.UUID, int] = defaultdict(int)
    for cid in episodes.filter(started_at__gte=since).values_list("child_id", flat=True):
        counts[cid] += 1
    repeat_ids = [cid for cid, n in counts.items() if n >= 3]
    kids = {c.pk: c for c in Child.objects.filter(pk__in=repeat_ids)}
    repeat = sorted(((kids[c], counts[c]) for c in repeat_ids), key=lambda t: -t[1])
    first = add_months(timezone.localtime(now).date().replace(day=1), 1 - months)
    names = [add_months(first, n).strftime("%Y-%m") for n in range(months)]
    start = timezone.make_aware(dt.datetime.combine(first, dt.time()))
    recent = episodes.filter(started_at__gte=start, started_at__lte=now)
    return MissingOverview(open_episodes, due, overdue, repeat, _months(recent, names))


def _months(episodes: QuerySet[MissingEpisode], names: list[str]) -> list[MonthMeasures]:
    """One row for every month named, a month with no episode as zeros (the chart's axis
    is time: a quiet month is a fact, not a gap)."""
    by_month: dict[str, list[MissingEpisode]] = {name: [] for name in names}
    for e in episodes:
        by_month.setdefault(timezone.localtime(e.started_at).strftime("%Y-%m"), []).append(e)
    out = []
    for month in sorted(by_month):
        rows = by_month[month]
        returned = [e for e in rows if e.returned_at]
        interviews = [getattr(e, "interview", None) for e in returned]
        hours = [
            (i.completed_at - e.returned_at).total_seconds() / 3600
            for e, i in zip(returned, interviews, strict=True)
            if i is not None and i.completed_at and e.returned_at
        ]
        out.append(
            MonthMeasures(
                month=month,
                episodes=len(rows),
                children=len({e.child_id for e in rows}),
                returns=len(returned),
                offered_in_72h=sum(
                    1
                    for e, i in zip(returned, interviews, strict=True)
                    if i is not None
                    and i.offered_at
                    and e.interview_due_at
                    and i.offered_at <= e.interview_due_at
                ),
                completed=sum(1 for i in interviews if i and i.completed_at),
                declined=sum(1 for i in interviews if i and i.status == InterviewStatus.DECLINED),
                not_offered=sum(
                    1 for i in interviews if i and i.status == InterviewStatus.NOT_OFFERED
                ),
                median_hours=round(statistics.median(hours), 1) if hours else None,
            )
        )
    return out


def alerts_list(*, user: Any) -> QuerySet[EventAlert]:
    if not user.has_capability(Cap.MISSING_VIEW):
        return EventAlert.objects.none()
    return (
        EventAlert.objects.select_related("child", "event")
        .exclude(Q(child__is_restricted=True) & ~Q(child__named_users__user=user))
        .order_by("-raised_at")
    )


def alert_get(*, user: Any, alert_id: Any) -> EventAlert | None:
    """One detector alert the user may see (None for one they may not, as for none)."""
    try:
        pk = uuid.UUID(str(alert_id))
    except ValueError:
        return None
    return alerts_list(user=user).filter(pk=pk).first()


# --- Audited reads: what a page or the API shows, its access row written here (in the
# caller's transaction or one of its own) so that no view shows it unrecorded. ---------------


def child_events_read(*, user: Any, child_id: Any, kind: str = "") -> tuple[Child, list[Event]]:
    """A child and their events of `kind` (all kinds when empty), the view recorded;
    NotFound when the child is missing or out of scope."""
    with transaction.atomic():
        child = child_for_events(user=user, child_id=child_id)
        if child is None:
            raise NotFound("No child with that id that you can see.")
        events = list(child_events(user=user, child=child, kind=kind))
        audit_record(
            actor=user, action=Action.VIEW, object_type=ObjectType.CHILD_EVENTS,
            object_id=child.pk, object_ref=child.reference, child_id=child.pk,
            details={"kind": kind, "events": len(events)},
        )  # fmt: skip
    return child, events


def return_interviews_read(*, user: Any, status: str, limit: int = 500) -> list[MissingEpisode]:
    """Return interviews still open (`return_interviews_waiting`), the listing recorded."""
    with transaction.atomic():
        episodes = list(return_interviews_waiting(user=user, status=status)[:limit])
        audit_record(
            actor=user, action=Action.LIST, object_type=ObjectType.MISSING_CHILDREN,
            details={"status": status, "count": len(episodes)},
        )  # fmt: skip
    return episodes


def missing_overview_read(*, user: Any) -> MissingOverview:
    """The missing-children page's overview, the listing recorded."""
    with transaction.atomic():
        overview = missing_overview(user=user)
        audit_record(
            actor=user, action=Action.LIST, object_type=ObjectType.MISSING_CHILDREN,
            details={
                "open": len(overview.open_episodes),
                "overdue": len(overview.overdue),
                "repeat": len(overview.repeat_children),
            },
        )  # fmt: skip
    return overview

"""The review chronology's entries after the front door: partner events (police incidents,
missing episodes, health and school signals) and the statutory casework steps, for the
review's children in its period. Each agency's events are merged into the one line of the
practice reference's shape (section 7.2); the review's agencies filter them as the other
entries (reviews.selectors.chronology)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from sightline.casework.models import (
    Assessment,
    Conference,
    EpisodeClosure,
    Plan,
    Section47Enquiry,
    StrategyDiscussion,
)
from sightline.core.dates import age_on
from sightline.events.models import Event

Found = tuple[uuid.UUID | None, dict[str, Any]]


def _day(day: dt.date) -> dt.datetime:
    """A step recorded by its day stands at the start of that day."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def _age(child: Any, at: dt.datetime) -> int | None:
    dob = child.date_of_birth
    return age_on(dob, timezone.localtime(at).date()) if dob else None


def partner_event_entries(
    child_ids: list[uuid.UUID], start: dt.datetime, end: dt.datetime
) -> Iterable[Found]:
    events = Event.objects.filter(
        child_id__in=child_ids, occurred_at__range=(start, end)
    ).select_related("agency", "child")
    for e in events:
        what = e.get_kind_display() + (f": {e.code.replace('_', ' ')}" if e.code else "")
        yield e.agency_id, {
            "key": f"event:{e.pk}", "at": e.occurred_at, "child_ref": e.child.reference,
            "child_age": _age(e.child, e.occurred_at), "agency": e.agency.name,
            "source": e.reference, "event_type": "Partner event", "headline": what,
            "action": e.summary[:500], "outcome": "", "source_is_referral": False,
        }  # fmt: skip


def _steps(
    child_ids: list[uuid.UUID], start: dt.datetime, end: dt.datetime
) -> Iterable[tuple[Any, dt.datetime, str, str, str]]:
    """(step, when, event type, headline, outcome) for every casework step in the window."""
    related = ("agency", "child", "referral")
    days = (start.date(), end.date())
    for d in StrategyDiscussion.objects.filter(
        child_id__in=child_ids, held_at__range=(start, end)
    ).select_related(*related):
        yield (
            d,
            d.held_at,
            "Strategy discussion",
            "Strategy discussion held",
            (d.get_outcome_display() or "Outcome to record"),
        )
    for e in Section47Enquiry.objects.filter(
        child_id__in=child_ids, started_on__range=days
    ).select_related(*related):
        yield (
            e,
            _day(e.started_on),
            "Section 47 enquiry",
            "Section 47 enquiry started",
            (e.get_outcome_display() or "Open"),
        )
    for a in Assessment.objects.filter(
        child_id__in=child_ids, started_on__range=days
    ).select_related(*related):
        yield (
            a,
            _day(a.started_on),
            "Assessment",
            "Child and family assessment started",
            (a.get_outcome_display() or "Open"),
        )
    for c in Conference.objects.filter(child_id__in=child_ids, held_on__range=days).select_related(
        *related
    ):
        yield c, _day(c.held_on), "Conference", c.get_kind_display(), c.get_outcome_display()
    for p in Plan.objects.filter(child_id__in=child_ids, started_on__range=days).select_related(
        *related
    ):
        label = p.get_kind_display() + (f" ({p.get_category_display()})" if p.category else "")
        yield (
            p,
            _day(p.started_on),
            "Plan",
            f"{label} started",
            (f"Ended {p.ended_on:%d %b %Y}" if p.ended_on else "Open"),
        )
    for x in EpisodeClosure.objects.filter(
        child_id__in=child_ids, closed_on__range=days
    ).select_related(*related):
        yield x, _day(x.closed_on), "Closure", "Episode closed", x.get_reason_display()


def casework_entries(
    child_ids: list[uuid.UUID], start: dt.datetime, end: dt.datetime
) -> Iterable[Found]:
    for step, at, kind, headline, outcome in _steps(child_ids, start, end):
        yield step.agency_id, {
            "key": f"{type(step).__name__.lower()}:{step.pk}", "at": at,
            "child_ref": step.child.reference, "child_age": _age(step.child, at),
            "agency": step.agency.name, "source": step.referral.reference, "event_type": kind,
            "headline": headline, "action": "", "outcome": outcome,
        }  # fmt: skip

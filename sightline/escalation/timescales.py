"""Reads of the partnership's configuration: the working calendar (bank holidays plus its
own closure days), the timescale of each clock and challenge stage, and each agency's
escalation ladder. Defaults live in choices.py; rows in ClockPolicy / LadderRung override."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from sightline.core.calendar import LONDON, WorkingCalendar
from sightline.core.dates import add_months
from sightline.escalation.choices import (
    DEFAULT_LADDER,
    DEFAULT_TIMESCALES,
    RAG_KEYS,
    Rung,
    TimescaleKey,
    Unit,
)
from sightline.escalation.models import ClockPolicy, ClosureDay, LadderRung

# Inside `timescales_held`: the calendar and the policies read so far (None outside one).
_HELD: ContextVar[dict[object, Any] | None] = ContextVar("sightline_timescales_held", default=None)


@contextmanager
def timescales_held() -> Iterator[None]:
    """Inside the block, partnership_calendar() reads the closure days once and timescale()
    each clock policy once, and keep what they read: for a loader that starts and meets
    thousands of clocks in one transaction, in which neither changes (ADR 0912). Outside one
    every call reads the tables, so an edited policy or closure day counts at once."""
    token = _HELD.set({})
    try:
        yield
    finally:
        _HELD.reset(token)


def partnership_calendar() -> WorkingCalendar:
    """England-and-Wales (or the configured region's) working days, less closure days."""
    held = _HELD.get()
    if held is not None and "calendar" in held:
        calendar: WorkingCalendar = held["calendar"]
        return calendar
    calendar = WorkingCalendar(closures=ClosureDay.objects.values_list("day", flat=True))
    if held is not None:
        held["calendar"] = calendar
    return calendar


def end_of_working_day_hour() -> int:
    return int(getattr(settings, "SIGHTLINE_WORKING_DAY_END_HOUR", 18))


@dataclass(frozen=True)
class Timescale:
    amount: int
    unit: str

    def label(self) -> str:
        if self.unit == Unit.END_OF_WORKING_DAY:
            return "same working day" if self.amount == 0 else f"{self.amount} working days"
        return f"{self.amount} {Unit(self.unit).label.lower()}"


def timescales() -> dict[str, Timescale]:
    found = {p.key: Timescale(p.amount, p.unit) for p in ClockPolicy.objects.all()}
    return {key: found.get(key, Timescale(*value)) for key, value in DEFAULT_TIMESCALES.items()}


def timescale(key: str) -> Timescale:
    held = _HELD.get()
    if held is not None and ("policy", key) in held:
        kept: Timescale = held[("policy", key)]
        return kept
    row = ClockPolicy.objects.filter(key=key).first()
    if row is not None:
        found = Timescale(row.amount, row.unit)
    else:
        found = Timescale(*DEFAULT_TIMESCALES[key])
    if held is not None:
        held[("policy", key)] = found
    return found


def timescales_of(keys: Sequence[str]) -> dict[str, Timescale]:
    """timescale() for several keys in one query (none inside timescales_held() for keys
    already read there)."""
    held = _HELD.get()
    missing = [k for k in keys if held is None or ("policy", k) not in held]
    found = {
        key: Timescale(amount, unit)
        for key, amount, unit in ClockPolicy.objects.filter(key__in=missing)
        .order_by()
        .values_list("key", "amount", "unit")
    } if missing else {}  # fmt: skip
    out: dict[str, Timescale] = {}
    for key in keys:
        if held is not None and ("policy", key) in held:
            out[key] = held[("policy", key)]
            continue
        out[key] = found.get(key) or Timescale(*DEFAULT_TIMESCALES[key])
        if held is not None:
            held[("policy", key)] = out[key]
    return out


def received_due_times(received_at: dt.datetime, rag: str) -> tuple[dt.datetime, dt.datetime]:
    """When the decision and RAG clocks of a referral received at `received_at` with rating
    `rag` fall due, as clocks_on_referral_received will start them: for the intake to write
    them with the referral, inside timescales_held() so the clocks reuse what this read."""
    calendar = partnership_calendar()
    scales = timescales_of([TimescaleKey.DECISION, RAG_KEYS.get(rag, TimescaleKey.RAG_GREEN)])
    return referral_due_times(received_at, rag, calendar=calendar, scales=scales)


def due_at(start: dt.datetime, scale: Timescale, calendar: WorkingCalendar) -> dt.datetime:
    """When a step that starts at `start` is due under `scale` (aware datetime in UTC).

    - working days: calendar.add_working_days (received on a non-working day counts from
      09:00 on the next working day);
    - end of working day: by the end hour of the day N working days on; a start on a
      non-working day or after the end hour counts from the next working day;
    - hours: elapsed hours, nights and weekends included (a red rating is worked through);
    - months: the same local time N calendar months on."""
    if start.tzinfo is None:
        raise ValueError("due_at needs a timezone-aware datetime")
    if scale.unit == Unit.WORKING_DAYS:
        return calendar.add_working_days(start, scale.amount)
    if scale.unit == Unit.HOURS:
        return (start + dt.timedelta(hours=scale.amount)).astimezone(dt.UTC)
    local = start.astimezone(LONDON)
    if scale.unit == Unit.MONTHS:
        day = add_months(local.date(), scale.amount)
        return dt.datetime.combine(
            day, local.time().replace(tzinfo=None), tzinfo=LONDON
        ).astimezone(dt.UTC)
    end_hour = end_of_working_day_hour()
    day = local.date()
    if not calendar.is_working_day(day) or local.hour >= end_hour:
        day = calendar.next_working_day(day)
    for _ in range(scale.amount):
        day = calendar.next_working_day(day)
    return dt.datetime.combine(day, dt.time(end_hour), tzinfo=LONDON).astimezone(dt.UTC)


@dataclass(frozen=True)
class LadderStep:
    rung: int
    role: str
    hours: int

    @property
    def label(self) -> str:
        return str(Rung(self.rung).label)


def ladder_for(agency: Any) -> dict[int, LadderStep]:
    """The agency's ladder, rung by rung; any rung it has not configured takes the default."""
    return LadderCache().get(agency.pk if agency is not None else None)


class LadderCache:
    """Ladders by agency id, read once per sweep (and, for the sweep, who holds each rung)."""

    def __init__(self) -> None:
        self._by_agency: dict[Any, dict[int, LadderStep]] = {}
        self.people: dict[tuple[Any, ...], list[Any]] = {}

    def get(self, agency_id: Any) -> dict[int, LadderStep]:
        if agency_id not in self._by_agency:
            rows = (
                {r.rung: r for r in LadderRung.objects.filter(agency_id=agency_id)}
                if agency_id
                else {}
            )
            ladder = {}
            for rung, (role, hours) in DEFAULT_LADDER.items():
                row = rows.get(rung)
                ladder[rung] = (
                    LadderStep(rung, row.role, row.hours) if row else LadderStep(rung, role, hours)
                )
            self._by_agency[agency_id] = ladder
        return self._by_agency[agency_id]


def referral_due_times(
    received_at: dt.datetime,
    rag: str,
    *,
    calendar: WorkingCalendar,
    scales: dict[str, Timescale],
) -> tuple[dt.datetime, dt.datetime]:
    """The decision and information-gathering due times of a referral received at
    `received_at` with this RAG rating: what its clocks will say, for bulk loading, where the
    clocks are back-filled afterwards (`scales` from timescales(), read once)."""
    decision = due_at(received_at, scales[TimescaleKey.DECISION], calendar)
    rag_due = due_at(received_at, scales[RAG_KEYS.get(rag, TimescaleKey.RAG_GREEN)], calendar)
    return decision, rag_due

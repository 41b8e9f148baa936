"""The partnership dashboard's filters (period, agency, team) and the plain shapes its figures
and their records take (reporting.dashboard fills them)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from sightline.accounts.models import Agency, Team
from sightline.core.dates import add_months
from sightline.core.errors import Invalid, NotFound

MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    agency: Agency | None = None
    team: Team | None = None

    @property
    def since(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time()))

    @property
    def until(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time()))

    def query(self) -> dict[str, str]:
        out = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.agency is not None:
            out["agency"] = self.agency.code
        if self.team is not None:
            out["team"] = str(self.team.pk)
        return out

    def months(self) -> list[tuple[str, str]]:
        out, month = [], self.start.replace(day=1)
        while month <= self.end:
            out.append((f"{month:%Y-%m}", f"{month:%b %Y}"))
            month = add_months(month, 1)
        return out


def _date(value: str, default: dt.date, name: str) -> dt.date:
    if not value:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"The {name} date must be written as YYYY-MM-DD.") from None


def dashboard_filters(
    *, start: str = "", end: str = "", agency: str = "", team: str = ""
) -> Filters:
    """The filters from a query string: the last twelve months by default; a period over
    three years, a period that ends before it starts, or an unknown agency or team is refused."""
    today = timezone.localdate()
    to = _date(end, today, "end")
    since = _date(start, add_months(to.replace(day=1), -11), "start")
    if to < since:
        raise Invalid("The period ends before it starts.")
    if (to - since).days > MAX_DAYS:
        raise Invalid("The dashboard covers at most three years.")
    found_agency = Agency.objects.filter(code=agency).first() if agency else None
    if agency and found_agency is None:
        raise Invalid("Unknown agency.")
    found_team = None
    if team:
        found_team = Team.objects.filter(pk=team).first() if _is_uuid(team) else None
        if found_team is None:
            raise Invalid("Unknown team.")
    return Filters(since, to, found_agency, found_team)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@dataclass
class Series:
    key: str
    label: str
    values: list[int]


@dataclass
class Figure:
    key: str
    title: str
    columns: list[tuple[str, str]]  # (key, label): months, agencies or clock kinds
    series: list[Series]
    chart: str = "bar"  # "bar", "stacked" (bars, series stacked) or "line"
    note: str = ""
    shares: list[tuple[str, list[int | None]]] = field(default_factory=list)

    def cell(self, series: str, column: str) -> int:
        keys = [c for c, _ in self.columns]
        for s in self.series:
            if s.key == series and column in keys:
                return s.values[keys.index(column)]
        raise NotFound("No such figure.")

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "chart": self.chart,
            "labels": [label for _, label in self.columns],
            "columns": [key for key, _ in self.columns],
            "series": [{"key": s.key, "label": s.label, "values": s.values} for s in self.series],
            "note": self.note,
        }


@dataclass
class Record:
    reference: str
    on: dt.date | None
    detail: str
    url: str = ""

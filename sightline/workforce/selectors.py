"""Reads of workforce data, each scoped to the user: agency leads see their own agency; the
partnership's safeguarding lead and managers see every agency. Coverage is counted in the
database; only headcount snapshots (a few rows per agency) are summed in Python."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.utils import timezone

from sightline.accounts.models import Agency
from sightline.accounts.roles import Cap
from sightline.core.dates import add_months
from sightline.core.errors import NotFound
from sightline.workforce import rules
from sightline.workforce.choices import DUE_WITHIN_DAYS, Measure
from sightline.workforce.models import (
    Course,
    HeadcountSnapshot,
    StaffMember,
    TrainingRecord,
    WorkforceImport,
)

DUE_LIST_LIMIT = 25
Day = dt.date | Combinable


# --- Scope ----------------------------------------------------------------------------------


def agency_scope(*, user: Any) -> QuerySet[Agency]:
    """The agencies whose workforce the user may see."""
    if not user.has_capability(Cap.WORKFORCE_VIEW):
        return Agency.objects.none()
    agencies = Agency.objects.filter(is_active=True).order_by("name")
    if rules.sees_all_workforce(user):
        return agencies
    return agencies.filter(pk=user.agency_id) if user.agency_id else agencies.none()


def agency_for_coverage(*, user: Any, code: str) -> Agency | None:
    """The agency named by `code` if the user may see it; "" is every agency in scope.
    An agency out of scope answers NotFound, exactly like an unknown code."""
    if not code:
        return None
    agency = agency_scope(user=user).filter(code=code).first()
    if agency is None:
        raise NotFound("No such agency.")
    return agency


def staff_scope(*, user: Any) -> QuerySet[StaffMember]:
    return StaffMember.objects.filter(agency__in=agency_scope(user=user)).select_related(
        "agency", "user"
    )


def import_list(*, user: Any, agency: Agency) -> QuerySet[WorkforceImport]:
    if not rules.may_manage_workforce(user, agency):
        return WorkforceImport.objects.none()
    return WorkforceImport.objects.filter(agency=agency).select_related("imported_by")


def course_list() -> QuerySet[Course]:
    return Course.objects.select_related("refreshes").order_by("code")


# --- "In date" ------------------------------------------------------------------------------


def records_in_date(day: Day, measure: str) -> QuerySet[TrainingRecord]:
    """Training records that make their holder `measure` (briefed or trained) on `day`: the
    course counts towards it (being trained counts as briefed too), `completed_on <= day <
    expires_on`, and a refresher counts only for someone who completed the course it
    refreshes on or before it. `day` may be an expression (OuterRef) for per-row days."""
    measures = [Measure.TRAINED] if measure == Measure.TRAINED else list(Measure.values)
    original = TrainingRecord.objects.filter(
        staff_member=OuterRef("staff_member"),
        course=OuterRef("course__refreshes"),
        completed_on__lte=OuterRef("completed_on"),
    )
    return TrainingRecord.objects.filter(
        course__measure__in=measures, completed_on__lte=day, expires_on__gt=day
    ).filter(Q(course__refreshes__isnull=True) | Exists(original))


def _holds(day: Day, measure: str) -> Exists:
    return Exists(records_in_date(day, measure).filter(staff_member=OuterRef("pk")))


# --- Coverage -------------------------------------------------------------------------------


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class CoverageRow:
    """One agency, one team of it, or the whole partnership. `workforce` is the denominator:
    the headcount snapshot, or the staff roll where it is larger or there is no snapshot."""

    label: str
    headcount: int | None = None
    on_roll: int = 0
    briefed: int = 0
    trained: int = 0
    summed_workforce: int | None = None  # set on rows made by adding others

    @property
    def workforce(self) -> int:
        if self.summed_workforce is not None:
            return self.summed_workforce
        return max(self.headcount or 0, self.on_roll)

    @property
    def briefed_share(self) -> float | None:
        return _share(self.briefed, self.workforce)

    @property
    def trained_share(self) -> float | None:
        return _share(self.trained, self.workforce)

    def add(self, other: CoverageRow) -> None:
        self.summed_workforce = (self.summed_workforce or 0) + other.workforce
        if other.headcount is not None:
            self.headcount = (self.headcount or 0) + other.headcount
        self.on_roll += other.on_roll
        self.briefed += other.briefed
        self.trained += other.trained

    def as_dict(self) -> dict[str, Any]:
        return {
            "headcount": self.headcount,
            "on_roll": self.on_roll,
            "workforce": self.workforce,
            "briefed": self.briefed,
            "trained": self.trained,
            "briefed_share": self.briefed_share,
            "trained_share": self.trained_share,
        }


@dataclass
class AgencyCoverage:
    agency: Agency
    total: CoverageRow
    teams: list[CoverageRow] = field(default_factory=list)


@dataclass
class DueRow:
    staff: StaffMember
    measure: str
    expires_on: dt.date
    course: Course | None


@dataclass
class Coverage:
    as_on: dt.date
    target: int
    agency: Agency | None
    agencies: list[AgencyCoverage]
    total: CoverageRow
    months: list[tuple[dt.date, CoverageRow]]
    due: list[DueRow]
    due_count: int


def _headcounts(agency_ids: Iterable[Any], day: dt.date) -> dict[tuple[Any, str], int]:
    """(agency id, team) -> headcount from each agency's latest snapshot on or before day."""
    rows = HeadcountSnapshot.objects.filter(agency_id__in=list(agency_ids), as_on__lte=day)
    latest: dict[Any, dt.date] = {}
    for agency_id, as_on in rows.values_list("agency_id", "as_on"):
        latest[agency_id] = max(as_on, latest.get(agency_id, as_on))
    result: dict[tuple[Any, str], int] = defaultdict(int)
    for agency_id, team, count, as_on in rows.values_list(
        "agency_id", "team", "headcount", "as_on"
    ):
        if as_on == latest[agency_id]:
            result[(agency_id, team)] += count
    return result


def _counts(staff: QuerySet[StaffMember], day: dt.date) -> dict[tuple[Any, str], CoverageRow]:
    """Active staff, briefed and trained in date on `day`, by (agency id, team): one query."""
    rows = (
        staff.filter(is_active=True)
        .annotate(is_briefed=_holds(day, Measure.BRIEFED), is_trained=_holds(day, Measure.TRAINED))
        .order_by()
        .values("agency_id", "team")
        .annotate(
            on_roll=Count("pk"),
            briefed=Count("pk", filter=Q(is_briefed=True)),
            trained=Count("pk", filter=Q(is_trained=True)),
        )
    )
    return {
        (r["agency_id"], r["team"]): CoverageRow(
            label=r["team"], on_roll=r["on_roll"], briefed=r["briefed"], trained=r["trained"]
        )
        for r in rows
    }


def _by_team(
    agencies: list[Agency], staff: QuerySet[StaffMember], day: dt.date
) -> list[AgencyCoverage]:
    counts = _counts(staff, day)
    heads = _headcounts([a.pk for a in agencies], day)
    result = []
    for agency in agencies:
        has_snapshot = any(key[0] == agency.pk for key in heads)
        teams = sorted(
            {t for a, t in counts if a == agency.pk} | {t for a, t in heads if a == agency.pk}
        )
        total = CoverageRow(
            label=agency.name, headcount=0 if has_snapshot else None, summed_workforce=0
        )
        rows = []
        for team in teams:
            row = counts.get((agency.pk, team)) or CoverageRow(label=team)
            row.headcount = heads.get((agency.pk, team)) if has_snapshot else None
            if row.headcount is None and has_snapshot:
                row.headcount = 0
            rows.append(row)
            total.add(row)
        result.append(AgencyCoverage(agency=agency, total=total, teams=rows))
    return result


def _month_ends(today: dt.date, months: int = 12) -> list[dt.date]:
    """The last day of each of the 11 months before this one, then today."""
    first = today.replace(day=1)
    ends = [add_months(first, -k) - dt.timedelta(days=1) for k in range(months - 2, -1, -1)]
    return [*ends, today]


def due_for_refresher(
    staff: QuerySet[StaffMember], today: dt.date, within_days: int = DUE_WITHIN_DAYS
) -> QuerySet[StaffMember]:
    """Active staff whose in-date training (or, for those not trained, briefing) runs out
    within `within_days`, soonest first, annotated with `due_measure` and `due_on`."""
    limit = today + dt.timedelta(days=within_days)

    def until(measure: str) -> Subquery:
        return Subquery(
            records_in_date(today, measure)
            .filter(staff_member=OuterRef("pk"))
            .order_by("-expires_on")
            .values("expires_on")[:1]
        )

    return (
        staff.filter(is_active=True)
        .annotate(trained_until=until(Measure.TRAINED), briefed_until=until(Measure.BRIEFED))
        .filter(
            Q(trained_until__lte=limit) | Q(trained_until__isnull=True, briefed_until__lte=limit)
        )
        .annotate(due_on=Coalesce("trained_until", "briefed_until"))
        .order_by("due_on", "name")
    )


def _next_course(courses: list[Course], measure: str) -> Course | None:
    if measure == Measure.TRAINED:
        return next((c for c in courses if c.refreshes_id and c.measure == measure), None)
    return next((c for c in courses if c.measure == measure and not c.refreshes_id), None)


def coverage(*, user: Any, agency: Agency | None = None, today: dt.date | None = None) -> Coverage:
    """Coverage today by agency and team, the last 12 months' partnership (or agency) figures
    and who is due for a refresher, within the user's scope."""
    today = today or timezone.localdate()
    agencies = list(agency_scope(user=user))
    if agency is not None:
        agencies = [a for a in agencies if a.pk == agency.pk]
    staff = StaffMember.objects.filter(agency__in=[a.pk for a in agencies])
    by_agency = _by_team(agencies, staff, today)
    total = CoverageRow(label="All agencies shown", summed_workforce=0)
    for row in by_agency:
        total.add(row.total)
    months = []
    for end in _month_ends(today):
        month_total = CoverageRow(label=end.strftime("%b %Y"), summed_workforce=0)
        for row in _by_team(agencies, staff, end):
            month_total.add(row.total)
        months.append((end, month_total))
    due_qs = due_for_refresher(staff.select_related("agency"), today)
    courses = list(course_list())
    due = [
        DueRow(
            staff=s,
            measure=Measure.TRAINED if s.trained_until else Measure.BRIEFED,  # type: ignore[attr-defined]
            expires_on=s.trained_until or s.briefed_until,  # type: ignore[attr-defined]
            course=_next_course(courses, Measure.TRAINED if s.trained_until else Measure.BRIEFED),  # type: ignore[attr-defined]
        )
        for s in due_qs[:DUE_LIST_LIMIT]
    ]
    return Coverage(
        as_on=today,
        target=settings.SIGHTLINE_WORKFORCE_TARGET_PERCENT,
        agency=agency,
        agencies=by_agency,
        total=total,
        months=months,
        due=due,
        due_count=due_qs.count(),
    )


def coverage_chart(result: Coverage) -> dict[str, Any]:
    """The figures the monthly chart draws (two series), for json_script."""
    return {
        "title": "Share of the workforce briefed and trained in date, by month",
        "labels": [end.strftime("%b %Y") for end, _ in result.months],
        "series": [
            {"label": "Briefed", "values": [row.briefed_share for _, row in result.months]},
            {
                "label": "Trained face to face",
                "values": [row.trained_share for _, row in result.months],
            },
        ],
        "target": result.target,
        "unit": "%",
    }

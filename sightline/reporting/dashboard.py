"""The partnership dashboard (issue 16 §3): seven figures counted in the database within the
user's record scope, each a table of counts whose every cell names the records it counts.

`dashboard` answers every figure in a fixed number of queries (one or two per figure, however
many records); `figure_records` lists the records behind one cell through the same querysets,
so a count and its list always agree. Filters: the period, the agency and the team (the
referrer's team for referrals and screenings, the responsible team for clocks). See ADR 0852.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sightline.accounts.roles import Cap
from sightline.core.errors import NotFound
from sightline.escalation.choices import ClockKind
from sightline.escalation.models import Clock
from sightline.events.choices import EventKind
from sightline.events.models import MissingEpisode
from sightline.events.selectors import event_scope
from sightline.intel.choices import AlertStatus
from sightline.intel.models import Alert, PersonOfConcern
from sightline.intel.selectors import alert_list
from sightline.meetings.models import Disruption
from sightline.meetings.selectors import disruption_list
from sightline.referrals.choices import Outcome
from sightline.referrals.models import Referral
from sightline.referrals.selectors import referral_scope
from sightline.reporting.dashboard_types import Figure, Filters, Series
from sightline.screening.choices import RiskLevel
from sightline.screening.models import Screening

CLOCKS = (
    (ClockKind.DECISION, "Decisions in 1 working day"),
    (ClockKind.ASSESSMENT, "Assessments in 45 working days"),
    (ClockKind.ICPC, "Initial conferences in 15 working days"),
)


def _month(value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
    return f"{value:%Y-%m}"


# ---- the records each figure counts, in the user's scope ---------------------------------


def _referrals(user: Any, f: Filters) -> QuerySet[Referral]:
    qs = referral_scope(user=user)
    if f.agency is not None:
        qs = qs.filter(source_agency=f.agency)
    if f.team is not None:
        qs = qs.filter(referred_by__team=f.team)
    return qs


def screenings_in_scope(user: Any, f: Filters) -> QuerySet[Screening]:
    return Screening.objects.filter(referral_child__referral__in=_referrals(user, f).values("pk"))


def episodes_in_scope(user: Any, f: Filters) -> QuerySet[MissingEpisode]:
    if not user.has_capability(Cap.MISSING_VIEW):
        return MissingEpisode.objects.none()
    events = event_scope(user=user).filter(kind=EventKind.MISSING_EPISODE)
    if f.agency is not None:
        events = events.filter(agency=f.agency)
    return MissingEpisode.objects.filter(
        event__in=events.values("pk"), started_at__gte=f.since, started_at__lt=f.until
    )


def alerts_in_scope(user: Any, f: Filters) -> QuerySet[Alert]:
    qs = alert_list(user=user).filter(created_at__gte=f.since, created_at__lt=f.until)
    if f.agency is not None:
        qs = qs.filter(fired_by__source_agency=f.agency)
    return qs.order_by()


def persons_in_scope(user: Any, f: Filters) -> QuerySet[PersonOfConcern]:
    if not user.has_capability(Cap.INTEL_VIEW) or f.agency is not None:
        return PersonOfConcern.objects.none()
    return PersonOfConcern.objects.filter(created_at__gte=f.since, created_at__lt=f.until)


def disruptions_in_scope(user: Any, f: Filters) -> QuerySet[Disruption]:
    qs = disruption_list(user=user).filter(proposed_on__gte=f.start, proposed_on__lte=f.end)
    if f.agency is not None:
        qs = qs.filter(owner_agency=f.agency)
    return qs.order_by()


def clocks_in_scope(user: Any, f: Filters) -> QuerySet[Clock]:
    qs = Clock.objects.filter(
        kind__in=[k for k, _ in CLOCKS],
        referral_id__in=referral_scope(user=user).values("pk"),
        due_at__gte=f.since,
        due_at__lt=f.until,
    )
    if f.agency is not None:
        qs = qs.filter(referral__source_agency=f.agency)
    if f.team is not None:
        qs = qs.filter(team=f.team)
    return qs


# ---- the figures -------------------------------------------------------------------------


def _by_month(
    f: Filters, series: list[tuple[str, str]], counts: dict[tuple[str, str], int]
) -> list[Series]:
    months = [m for m, _ in f.months()]
    return [Series(k, label, [counts.get((k, m), 0) for m in months]) for k, label in series]


def _screening(user: Any, f: Filters) -> Figure:
    rows = (
        screenings_in_scope(user, f)
        .filter(screened_at__gte=f.since, screened_at__lt=f.until)
        .annotate(m=TruncMonth("screened_at"))
        .values("m", "level")
        .annotate(n=Count("referral_child__child", distinct=True))
    )
    counts = {(r["level"], _month(r["m"])): r["n"] for r in rows}
    levels = [(str(v), str(label)) for v, label in RiskLevel.choices]
    return Figure(
        "screening", "Children screened, by screening level and month", f.months(),
        _by_month(f, levels, counts), chart="line",
        note="A child screened twice in a month at one level counts once.",
    )  # fmt: skip


def first_high_in_scope(user: Any, f: Filters) -> QuerySet[Any]:
    """Each child's first high-risk screening (ever, in scope), kept if it falls in the period."""
    return (
        screenings_in_scope(user, f)
        .filter(level=RiskLevel.HIGH)
        .values("referral_child__child_id", "referral_child__child__reference")
        .annotate(first=Min("screened_at"))
        .filter(first__gte=f.since, first__lt=f.until)
    )


def _new_high(user: Any, f: Filters) -> Figure:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for row in first_high_in_scope(user, f):
        counts[("children", _month(row["first"]))] += 1
    return Figure(
        "new_high", "New high-risk children, by month", f.months(),
        _by_month(f, [("children", "Children first screened high")], counts),
        note="A child counts in the month of their first high-risk screening.",
    )  # fmt: skip


UNDECIDED = "undecided"


def referrals_received(user: Any, f: Filters) -> QuerySet[Referral]:
    return _referrals(user, f).filter(received_at__gte=f.since, received_at__lt=f.until)


def _referrals_figure(user: Any, f: Filters) -> Figure:
    rows = (
        referrals_received(user, f)
        .order_by()
        .values("source_agency__code", "source_agency__name", "decision__outcome")
        .annotate(n=Count("pk"))
    )
    agencies: dict[str, str] = {}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for r in rows:
        agencies[r["source_agency__code"]] = r["source_agency__name"]
        counts[(r["decision__outcome"] or UNDECIDED, r["source_agency__code"])] += r["n"]
    columns = sorted(agencies.items(), key=lambda kv: kv[1])
    outcomes = [(str(v), str(label)) for v, label in Outcome.choices] + [(UNDECIDED, "Not decided")]
    return Figure(
        "referrals", "Referrals by referring agency and front-door outcome", columns,
        [Series(k, label, [counts.get((k, c), 0) for c, _ in columns]) for k, label in outcomes],
        chart="stacked",
    )  # fmt: skip


MISSING_SERIES = (
    ("episodes", "Missing episodes"),
    ("returned", "Returned"),
    ("interview_72h", "Return interview within 72 hours"),
)
IN_72H = Q(
    interview__completed_at__isnull=False, interview__completed_at__lte=F("interview_due_at")
)


def _missing(user: Any, f: Filters) -> Figure:
    rows = (
        episodes_in_scope(user, f)
        .annotate(m=TruncMonth("started_at"))
        .values("m")
        .annotate(
            episodes=Count("pk"),
            returned=Count("pk", filter=Q(returned_at__isnull=False)),
            interview_72h=Count("pk", filter=IN_72H),
        )
    )
    found: list[dict[str, Any]] = [dict(r) for r in rows]
    counts = {(k, _month(r["m"])): r[k] for r in found for k, _ in MISSING_SERIES}
    return Figure(
        "missing", "Missing episodes and return interviews within 72 hours", f.months(),
        _by_month(f, list(MISSING_SERIES), counts),
        note="An interview counts as in time if completed by the 72-hour deadline after return.",
    )  # fmt: skip


def _alerts_figure(user: Any, f: Filters) -> Figure:
    rows = (
        alerts_in_scope(user, f)
        .annotate(m=TruncMonth("created_at"))
        .values("m")
        .annotate(raised=Count("pk"), actioned=Count("pk", filter=Q(status=AlertStatus.ACTIONED)))
    )
    counts = {(k, _month(r["m"])): r[k] for r in rows for k in ("raised", "actioned")}
    return Figure(
        "alerts", "Intelligence alerts raised and actioned, by month raised", f.months(),
        _by_month(f, [("raised", "Raised"), ("actioned", "Actioned")], counts),
    )  # fmt: skip


POC_SERIES = [("persons", "Persons of concern"), ("disruptions", "Disruption actions")]


def _poc(user: Any, f: Filters) -> Figure:
    counts: dict[tuple[str, str], int] = {}
    persons = (
        persons_in_scope(user, f)
        .annotate(m=TruncMonth("created_at"))
        .values("m")
        .annotate(n=Count("pk"))
    )
    for r in persons:
        counts[("persons", _month(r["m"]))] = r["n"]
    for r in (
        disruptions_in_scope(user, f)
        .annotate(m=TruncMonth("proposed_on"))
        .values("m")
        .annotate(n=Count("pk"))
    ):
        counts[("disruptions", _month(r["m"]))] = r["n"]
    return Figure(
        "poc_disruptions", "Persons of concern identified and disruption actions proposed",
        f.months(),
        _by_month(f, POC_SERIES, counts),
        note="Persons of concern are not counted by agency; the disruption figure needs the "
        "disruption register.",
    )  # fmt: skip


def _share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def _clock_figure(user: Any, f: Filters) -> Figure:
    rows = (
        clocks_in_scope(user, f)
        .values("kind")
        .annotate(
            due=Count("pk"),
            in_time=Count("pk", filter=Q(met_at__isnull=False, met_at__lte=F("due_at"))),
        )
    )
    by_kind: dict[str, dict[str, Any]] = {r["kind"]: dict(r) for r in rows}
    columns = [(str(k), label) for k, label in CLOCKS]
    due = [by_kind.get(k, {}).get("due", 0) for k, _ in columns]
    ok = [by_kind.get(k, {}).get("in_time", 0) for k, _ in columns]
    return Figure(
        "clocks", "Clock performance: work due in the period and done in time", columns,
        [Series("due", "Due", due), Series("in_time", "Done in time", ok)],
        shares=[("Share in time", [_share(o, d) for o, d in zip(ok, due, strict=True)])],
    )  # fmt: skip


BUILDERS: dict[str, Callable[[Any, Filters], Figure]] = {
    "screening": _screening,
    "new_high": _new_high,
    "referrals": _referrals_figure,
    "missing": _missing,
    "alerts": _alerts_figure,
    "poc_disruptions": _poc,
    "clocks": _clock_figure,
}


def _allowed(user: Any) -> None:
    if not user.has_capability(Cap.DASHBOARD_VIEW):
        raise PermissionError("the dashboard needs the dashboard capability")


def dashboard(*, user: Any, filters: Filters) -> list[Figure]:
    """Every figure, each counted in one or two queries within the user's scope."""
    _allowed(user)
    return [build(user, filters) for build in BUILDERS.values()]


def dashboard_figure(*, user: Any, filters: Filters, key: str) -> Figure:
    _allowed(user)
    build = BUILDERS.get(key)
    if build is None:
        raise NotFound("No such figure.")
    return build(user, filters)

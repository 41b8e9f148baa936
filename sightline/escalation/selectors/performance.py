"""The performance dashboard: timeliness and outcomes by month and by referring agency,
counted in the database, and the plain figures its chart draws."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any, TypedDict

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sightline.accounts.models import Agency
from sightline.accounts.roles import Cap
from sightline.core.dates import add_months
from sightline.escalation.choices import (
    LIVE_ESCALATION_STATUSES,
    ChallengeOutcome,
    ChallengeStatus,
    ClockKind,
    ClockStatus,
    Rung,
)
from sightline.escalation.models import Challenge, Clock, Escalation
from sightline.escalation.selectors.performance_months import (
    FIELDS,
    performance_contributions,
    performance_months_read,
)
from sightline.referrals.models import Decision, Referral
from sightline.referrals.selectors import referral_scope, referrals_withheld


@dataclass
class MonthRow:
    month: dt.date
    decided: int = 0
    decided_in_time: int = 0
    assessments: int = 0
    assessments_in_time: int = 0
    referrals: int = 0
    rereferrals: int = 0

    @staticmethod
    def share(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None

    @property
    def decision_share(self) -> int | None:
        return self.share(self.decided_in_time, self.decided)

    @property
    def assessment_share(self) -> int | None:
        return self.share(self.assessments_in_time, self.assessments)

    @property
    def rereferral_share(self) -> int | None:
        return self.share(self.rereferrals, self.referrals)


@dataclass
class Performance:
    start: dt.date
    agency: Agency | None
    months: list[MonthRow]
    by_agency: list[dict[str, Any]]
    escalations_by_rung: list[dict[str, Any]]
    challenges_by_outcome: list[dict[str, Any]]
    totals: MonthRow


def _month_key(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date().replace(day=1)
    return value.replace(day=1)


_COUNTED = (
    "decided",
    "decided_in_time",
    "assessments",
    "assessments_in_time",
    "referrals",
    "rereferrals",
)


def performance(
    *, user: Any, agency: Agency | None = None, months: int = 12, recount: bool = False
) -> Performance:
    """Timeliness and outcomes by month and by referring agency. For a user who sees the
    whole queue, read from the monthly summary less the referrals withheld from the user
    (statements and rows independent of the history's size); otherwise, or with `recount`,
    counted from the raw rows of the user's scope."""
    if not user.has_capability(Cap.PERFORMANCE_VIEW):
        raise PermissionError("performance view needs the performance capability")
    today = timezone.localdate()
    start = add_months(today.replace(day=1), -(months - 1))
    since = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    scoped = referral_scope(user=user)
    if user.has_capability(Cap.REFERRAL_QUEUE) and not recount:
        rows, by_agency = _from_summary(user, agency=agency, start=start, today=today)
    else:
        rows = _month_rows(scoped, agency=agency, start=start, since=since, today=today)
        by_agency = _by_agency(scoped, since=since)
    ordered = [rows[k] for k in sorted(rows) if k >= start]
    totals = MonthRow(start)
    for r in ordered:
        for name in _COUNTED:
            setattr(totals, name, getattr(totals, name) + getattr(r, name))
    return Performance(
        start=start,
        agency=agency,
        months=ordered,
        by_agency=by_agency,
        escalations_by_rung=_escalations_by_rung(scoped, agency=agency),
        challenges_by_outcome=_challenges_by_outcome(scoped, agency=agency, since=since),
        totals=totals,
    )


def _empty_months(start: dt.date, today: dt.date) -> dict[dt.date, MonthRow]:
    rows: dict[dt.date, MonthRow] = {}
    month = start
    while month <= today:
        rows[month] = MonthRow(month)
        month = add_months(month, 1)
    return rows


def _from_summary(
    user: Any, *, agency: Agency | None, start: dt.date, today: dt.date
) -> tuple[dict[dt.date, MonthRow], list[dict[str, Any]]]:
    """The month rows and the by-agency table from `PerformanceMonth`: the period's summed
    rows (one statement) less what the referrals withheld from this user count (one
    statement over restricted children's referrals only)."""
    withheld = performance_contributions(referrals_withheld(user=user))
    rows = _empty_months(start, today)
    agencies: dict[Any, dict[str, Any]] = {}
    for item in performance_months_read(start=start):
        less = withheld.get((item["month"], item["agency_id"]), Counter())
        n = {f: item[f] - less[f] for f in FIELDS}
        if agency is None or item["agency_id"] == agency.pk:
            r = rows.setdefault(item["month"], MonthRow(item["month"]))
            for f in FIELDS:
                setattr(r, f, getattr(r, f) + n[f])
        a = agencies.setdefault(
            item["agency_id"],
            {"agency": item["agency__name"], "code": item["agency__code"]}
            | dict.fromkeys(("referrals", "decided", "in_time", "rereferrals"), 0),
        )
        a["referrals"] += n["referrals"]
        a["decided"] += n["decided"]
        a["in_time"] += n["decided_in_time"]
        a["rereferrals"] += n["rereferrals"]
    by_agency = [
        a | {"share": MonthRow.share(a["in_time"], a["decided"])}
        for a in agencies.values()
        if a["referrals"] > 0
    ]
    return rows, sorted(by_agency, key=lambda a: (-a["referrals"], a["agency"]))


def received_since(
    scoped: QuerySet[Referral], *, since: dt.datetime, agency: Agency | None = None
) -> QuerySet[Referral]:
    """The referrals in scope received in the period: a range on `received_at`, which its
    index (ref_received_idx) answers, so the cost follows the months shown, not the table."""
    referrals = scoped.filter(received_at__gte=since)
    if agency is not None:
        referrals = referrals.filter(source_agency=agency)
    return referrals


def decisions_received_since(
    referrals: QuerySet[Referral], *, since: dt.datetime
) -> QuerySet[Decision]:
    """The decisions on those referrals. The range on the referral's `received_at` repeats
    what `referrals` says, so the database can start from that index and join the decisions
    by their unique referral key instead of reading every decision."""
    return Decision.objects.filter(
        referral__received_at__gte=since, referral_id__in=referrals.values("pk")
    )


def _month_rows(
    scoped: QuerySet[Referral],
    *,
    agency: Agency | None,
    start: dt.date,
    since: dt.datetime,
    today: dt.date,
) -> dict[dt.date, MonthRow]:
    """Decisions, assessments and referrals counted by month, one row for every month from
    `start` to this one."""
    referrals = received_since(scoped, since=since, agency=agency)
    rows = _empty_months(start, today)

    def row(value: Any) -> MonthRow:
        key = _month_key(value)
        return rows.setdefault(key, MonthRow(key))

    for dec in decisions_by_month(referrals, since=since):
        r = row(dec["m"])
        r.decided, r.decided_in_time = dec["n"], dec["ok"]
    done = Clock.objects.filter(
        kind=ClockKind.ASSESSMENT, status=ClockStatus.MET, referral_id__in=scoped.values("pk")
    ).filter(met_at__gte=since)
    if agency is not None:
        done = done.filter(referral__source_agency=agency)
    for ass in (
        done.annotate(m=TruncMonth("met_at"))
        .values("m")
        .annotate(n=Count("pk"), ok=Count("pk", filter=Q(met_at__lte=F("due_at"))))
    ):
        r = row(ass["m"])
        r.assessments, r.assessments_in_time = ass["n"], ass["ok"]
    for ref in (
        referrals.annotate(m=TruncMonth("received_at"))
        .values("m")
        .annotate(n=Count("pk"), re=Count("pk", filter=Q(rereferral__is_rereferral=True)))
    ):
        r = row(ref["m"])
        r.referrals, r.rereferrals = ref["n"], ref["re"]
    return rows


def _by_agency(scoped: QuerySet[Referral], *, since: dt.datetime) -> list[dict[str, Any]]:
    return [
        {
            "agency": item["source_agency__name"],
            "code": item["source_agency__code"],
            "referrals": item["n"],
            "decided": item["decided"],
            "in_time": item["ok"],
            "share": MonthRow.share(item["ok"], item["decided"]),
            "rereferrals": item["re"],
        }
        for item in referrals_by_agency(scoped, since=since)
    ]


def referrals_by_agency(scoped: QuerySet[Referral], *, since: dt.datetime) -> QuerySet[Any]:
    """Referrals received in the period, decided, decided in time and re-referrals, by
    referring agency: one aggregate over the period's rows (ref_received_idx)."""
    return (
        received_since(scoped, since=since)
        .values("source_agency__name", "source_agency__code")
        .annotate(
            n=Count("pk"),
            decided=Count("decision"),
            ok=Count("decision", filter=Q(decision__decided_at__lte=F("decision_due_at"))),
            re=Count("pk", filter=Q(rereferral__is_rereferral=True)),
        )
        .order_by("-n", "source_agency__name")
    )


def decisions_by_month(referrals: QuerySet[Referral], *, since: dt.datetime) -> QuerySet[Any]:
    """Decisions and decisions in time by month received, for the period's referrals."""
    in_time = Q(decided_at__lte=F("referral__decision_due_at"))
    return (
        decisions_received_since(referrals, since=since)
        .annotate(m=TruncMonth("referral__received_at"))
        .values("m")
        .annotate(n=Count("pk"), ok=Count("pk", filter=in_time))
    )


def _escalations_by_rung(
    scoped: QuerySet[Referral], *, agency: Agency | None
) -> list[dict[str, Any]]:
    live = Escalation.objects.filter(
        status__in=LIVE_ESCALATION_STATUSES, referral_id__in=scoped.values("pk")
    )
    if agency is not None:
        live = live.filter(referral__source_agency=agency)
    counts = dict(live.values_list("rung").annotate(n=Count("pk")).values_list("rung", "n"))
    return [
        {"rung": rung.value, "label": rung.label, "count": counts.get(rung.value, 0)}
        for rung in Rung
    ]


def _challenges_by_outcome(
    scoped: QuerySet[Referral], *, agency: Agency | None, since: dt.datetime
) -> list[dict[str, Any]]:
    challenges = Challenge.objects.filter(referral_id__in=scoped.values("pk"), raised_at__gte=since)
    if agency is not None:
        challenges = challenges.filter(referral__source_agency=agency)
    outcome_counts = {
        (item["status"], item["outcome"]): item["n"]
        for item in challenges.values("status", "outcome").annotate(n=Count("pk"))
    }
    open_count = sum(n for (status, _), n in outcome_counts.items() if status == "open")
    return [{"label": "Still open", "count": open_count}] + [
        {
            "label": str(outcome.label),
            "count": outcome_counts.get((ChallengeStatus.RESOLVED, outcome.value), 0),
        }
        for outcome in (ChallengeOutcome.DECISION_UPHELD, ChallengeOutcome.DECISION_CHANGED)
    ]


class ChartFigures(TypedDict):
    """What a chart on a page draws, as plain figures: the page embeds them with json_script
    and a static script draws them with the vendored Chart.js."""

    title: str
    labels: list[str]
    values: list[int | None]
    unit: str


def decision_chart(perf: Performance) -> ChartFigures:
    """The share of decisions made within 1 working day for each month received (None for a
    month with no decisions); the page's by-month table holds the same figures."""
    return {
        "title": "Share of decisions made within 1 working day, by month received",
        "labels": [f"{row.month:%b %Y}" for row in perf.months],
        "values": [row.decision_share for row in perf.months],
        "unit": "%",
    }

"""Reads of the escalation app. Every selector takes the user and applies record scope
through referrals.selectors.referral_scope (a record outside it is simply not there)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypedDict

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sightline.accounts.models import Agency
from sightline.accounts.roles import Cap
from sightline.core.dates import add_months
from sightline.escalation import rules
from sightline.escalation.choices import (
    LIVE_ESCALATION_STATUSES,
    OPEN_CLOCK_STATUSES,
    ChallengeOutcome,
    ChallengeStatus,
    ClockKind,
    ClockStatus,
    Rung,
)
from sightline.escalation.models import (
    Challenge,
    Clock,
    Escalation,
    EscalationEvent,
    InboxItem,
    ReReferral,
)
from sightline.referrals.models import Decision, Referral, ReferralChild
from sightline.referrals.selectors import referral_scope

NEARLY_DUE = dt.timedelta(hours=24)


def _scoped_referral_ids(user: Any) -> Any:
    return referral_scope(user=user).values("pk")


def clock_scope(*, user: Any) -> QuerySet[Clock]:
    if not user.has_capability(Cap.ESCALATION_VIEW):
        return Clock.objects.none()
    return Clock.objects.filter(referral_id__in=_scoped_referral_ids(user))


def escalation_list(*, user: Any, status: str | None = None) -> QuerySet[Escalation]:
    """Escalations on referrals in the user's scope; `status="open"` means not yet resolved
    (open or acknowledged)."""
    if not user.has_capability(Cap.ESCALATION_VIEW):
        return Escalation.objects.none()
    qs = Escalation.objects.filter(referral_id__in=_scoped_referral_ids(user))
    if status == "open":
        qs = qs.filter(status__in=LIVE_ESCALATION_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    return qs.select_related("referral", "clock", "agency").order_by("-raised_at", "pk")


def escalation_get(*, user: Any, escalation_id: Any) -> Escalation | None:
    return (
        escalation_list(user=user)
        .filter(pk=escalation_id)
        .select_related("clock__assigned_to", "clock__team", "resolved_by", "acknowledged_by")
        .prefetch_related(Prefetch("events", queryset=EscalationEvent.objects.select_related("by")))
        .first()
    )


def inbox_list(*, user: Any, unread_only: bool = False) -> QuerySet[InboxItem]:
    qs = InboxItem.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.select_related("referral__decision").order_by("-delivered_at", "pk")


def inbox_unread_count(*, user: Any) -> int:
    return InboxItem.objects.filter(user=user, read_at__isnull=True).count()


def challenge_list(*, user: Any) -> QuerySet[Challenge]:
    """A referrer sees the challenges they raised; those who answer challenges see every
    challenge on referrals in their scope."""
    qs = Challenge.objects.select_related("referral", "raised_by").order_by("-raised_at", "pk")
    if user.has_capability(Cap.CHALLENGE_RESPOND):
        return qs.filter(Q(referral_id__in=_scoped_referral_ids(user)) | Q(raised_by=user))
    if user.has_capability(Cap.CHALLENGE_RAISE):
        return qs.filter(raised_by=user, referral_id__in=_scoped_referral_ids(user))
    return Challenge.objects.none()


def challenge_get(*, user: Any, challenge_id: Any) -> Challenge | None:
    return (
        challenge_list(user=user)
        .filter(pk=challenge_id)
        .select_related("referral__decision__decided_by")
        .prefetch_related("stages__responded_by")
        .first()
    )


def referral_for_challenge(*, user: Any, reference: str) -> Referral | None:
    """The user's own referral, in scope (anything else is 'not found')."""
    return (
        referral_scope(user=user)
        .filter(reference=reference, referred_by=user)
        .select_related("decision")
        .first()
    )


def referral_in_scope(*, user: Any, reference: str) -> Referral | None:
    return referral_scope(user=user).filter(reference=reference).select_related("decision").first()


def referral_clocks(*, user: Any, referral: Referral) -> QuerySet[Clock]:
    if not (user.has_capability(Cap.ESCALATION_VIEW) or rules.is_referrer_of(user, referral)):
        return Clock.objects.none()
    return (
        Clock.objects.filter(referral=referral, referral_id__in=_scoped_referral_ids(user))
        .select_related("assigned_to", "team")
        .order_by("started_at", "kind")
    )


def clock_row(clock: Clock) -> dict[str, Any]:
    return {
        "name": clock.kind,
        "label": str(ClockKind(clock.kind).label),
        "started_at": clock.started_at,
        "due_at": clock.due_at,
        "met_at": clock.met_at,
        "status": clock.status,
        "stopped_reason": clock.stopped_reason,
    }


def escalation_row(escalation: Escalation) -> dict[str, Any]:
    return {
        "id": escalation.pk,
        "subject": escalation.referral.reference,
        "clock": escalation.clock.kind,
        "rung": escalation.rung,
        "rung_label": str(Rung(escalation.rung).label),
        "status": escalation.status,
        "raised_at": escalation.raised_at,
        "reason": escalation.reason,
        "resolved_at": escalation.resolved_at,
        "resolution": escalation.resolution,
    }


def referral_clock_summary(referral: Referral) -> dict[str, list[dict[str, Any]]]:
    """For GET /api/v1/referrals/{reference}: the caller has already applied scope."""
    clocks = Clock.objects.filter(referral=referral).order_by("started_at", "kind")
    escalations = (
        Escalation.objects.filter(referral=referral)
        .select_related("referral", "clock")
        .order_by("raised_at", "pk")
    )
    return {
        "clocks": [clock_row(c) for c in clocks],
        "escalations": [escalation_row(e) for e in escalations],
    }


def rereferral_history(*, user: Any, referral: Referral) -> list[Referral]:
    """Earlier referrals (in the user's scope) for this referral's children in the 12 months
    before it, newest first, with their decisions."""
    child_ids = ReferralChild.objects.filter(referral=referral).values("child_id")
    return list(
        referral_scope(user=user)
        .filter(
            children__child_id__in=child_ids,
            received_at__gte=referral.received_at - rules.REREFERRAL_WINDOW,
            received_at__lt=referral.received_at,
        )
        .exclude(pk=referral.pk)
        .select_related("decision", "source_agency")
        .order_by("-received_at")
        .distinct()[:20]
    )


def rereferral_mark(*, referral: Referral) -> ReReferral | None:
    return ReReferral.objects.filter(referral=referral).first()


# --- Overdue and nearly-due work -------------------------------------------------------


@dataclass
class WorkGroup:
    label: str
    overdue: int = 0
    nearly_due: int = 0


@dataclass
class OverdueWork:
    now: dt.datetime
    by_team: list[WorkGroup] = field(default_factory=list)
    by_person: list[WorkGroup] = field(default_factory=list)
    overdue: QuerySet[Clock] | None = None
    nearly_due: QuerySet[Clock] | None = None


def overdue_work(*, user: Any, now: dt.datetime | None = None) -> OverdueWork:
    """Open clocks past due, and running clocks due within the next 24 hours, counted per
    team and per person (counts are grouped in the database) with the lists to page."""
    now = now or timezone.now()
    base = clock_scope(user=user).filter(status__in=OPEN_CLOCK_STATUSES)
    overdue_q = Q(due_at__lte=now)
    nearly_q = Q(due_at__gt=now, due_at__lte=now + NEARLY_DUE)
    work = OverdueWork(now=now)
    for key, target, unassigned in (
        ("team__name", work.by_team, "Front door (not yet allocated)"),
        ("assigned_to__username", work.by_person, "Not allocated to a person"),
    ):
        rows = (
            base.filter(overdue_q | nearly_q)
            .values(key)
            .annotate(overdue=Count("pk", filter=overdue_q), nearly=Count("pk", filter=nearly_q))
            .order_by("-overdue", "-nearly", key)
        )
        for row in rows:
            target.append(WorkGroup(row[key] or unassigned, row["overdue"], row["nearly"]))
    related = ("referral", "assigned_to", "team", "escalation")
    work.overdue = base.filter(overdue_q).select_related(*related).order_by("due_at", "pk")
    work.nearly_due = base.filter(nearly_q).select_related(*related).order_by("due_at", "pk")
    return work


# --- Performance dashboard ---------------------------------------------------------------


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


def performance(*, user: Any, agency: Agency | None = None, months: int = 12) -> Performance:
    """Timeliness and outcomes by month and by referring agency, counted in the database."""
    if not user.has_capability(Cap.PERFORMANCE_VIEW):
        raise PermissionError("performance view needs the performance capability")
    today = timezone.localdate()
    start = add_months(today.replace(day=1), -(months - 1))
    since = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    referrals = referral_scope(user=user).filter(received_at__gte=since)
    if agency is not None:
        referrals = referrals.filter(source_agency=agency)
    ids = referrals.values("pk")
    rows: dict[dt.date, MonthRow] = {}
    month = start
    while month <= today:
        rows[month] = MonthRow(month)
        month = add_months(month, 1)

    def row(value: Any) -> MonthRow:
        key = _month_key(value)
        return rows.setdefault(key, MonthRow(key))

    in_time = Q(decided_at__lte=F("referral__decision_due_at"))
    for dec in (
        Decision.objects.filter(referral_id__in=ids)
        .annotate(m=TruncMonth("referral__received_at"))
        .values("m")
        .annotate(n=Count("pk"), ok=Count("pk", filter=in_time))
    ):
        r = row(dec["m"])
        r.decided, r.decided_in_time = dec["n"], dec["ok"]
    done = Clock.objects.filter(
        kind=ClockKind.ASSESSMENT,
        status=ClockStatus.MET,
        referral_id__in=referral_scope(user=user).values("pk"),
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
    ordered = [rows[k] for k in sorted(rows) if k >= start]
    totals = MonthRow(start)
    for r in ordered:
        for name in (
            "decided",
            "decided_in_time",
            "assessments",
            "assessments_in_time",
            "referrals",
            "rereferrals",
        ):
            setattr(totals, name, getattr(totals, name) + getattr(r, name))

    by_agency = [
        {
            "agency": item["source_agency__name"],
            "code": item["source_agency__code"],
            "referrals": item["n"],
            "decided": item["decided"],
            "in_time": item["ok"],
            "share": MonthRow.share(item["ok"], item["decided"]),
            "rereferrals": item["re"],
        }
        for item in referral_scope(user=user)
        .filter(received_at__gte=since)
        .values("source_agency__name", "source_agency__code")
        .annotate(
            n=Count("pk"),
            decided=Count("decision"),
            ok=Count("decision", filter=Q(decision__decided_at__lte=F("decision_due_at"))),
            re=Count("pk", filter=Q(rereferral__is_rereferral=True)),
        )
        .order_by("-n", "source_agency__name")
    ]
    live = Escalation.objects.filter(
        status__in=LIVE_ESCALATION_STATUSES, referral_id__in=referral_scope(user=user).values("pk")
    )
    if agency is not None:
        live = live.filter(referral__source_agency=agency)
    counts = dict(live.values_list("rung").annotate(n=Count("pk")).values_list("rung", "n"))
    escalations_by_rung = [
        {"rung": rung.value, "label": rung.label, "count": counts.get(rung.value, 0)}
        for rung in Rung
    ]
    challenges = Challenge.objects.filter(
        referral_id__in=referral_scope(user=user).values("pk"), raised_at__gte=since
    )
    if agency is not None:
        challenges = challenges.filter(referral__source_agency=agency)
    outcome_counts = {
        (item["status"], item["outcome"]): item["n"]
        for item in challenges.values("status", "outcome").annotate(n=Count("pk"))
    }
    open_count = sum(n for (status, _), n in outcome_counts.items() if status == "open")
    challenges_by_outcome = [{"label": "Still open", "count": open_count}] + [
        {
            "label": str(outcome.label),
            "count": outcome_counts.get((ChallengeStatus.RESOLVED, outcome.value), 0),
        }
        for outcome in (ChallengeOutcome.DECISION_UPHELD, ChallengeOutcome.DECISION_CHANGED)
    ]
    return Performance(
        start=start,
        agency=agency,
        months=ordered,
        by_agency=by_agency,
        escalations_by_rung=escalations_by_rung,
        challenges_by_outcome=challenges_by_outcome,
        totals=totals,
    )


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

"""The language figures for training: flags per 100 records checked, by month, for an agency
or team, and the most frequent phrases. Counted in the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from sightline.accounts.models import Agency, Team
from sightline.accounts.roles import Role
from sightline.core.dates import add_months
from sightline.reviews.language import load_language
from sightline.reviews.models import ChronologyNote, LanguageCheck, LanguageFlag, Review


def report_agencies(*, user: Any) -> QuerySet[Agency]:
    """The partnership's safeguarding lead sees every agency; other managers their own."""
    if user.role == Role.SAFEGUARDING_LEAD:
        return Agency.objects.filter(is_active=True).order_by("name")
    return Agency.objects.filter(pk=user.agency_id)


@dataclass
class LanguageReport:
    start: dt.date
    months: list[dict[str, Any]] = field(default_factory=list)
    phrases: list[dict[str, Any]] = field(default_factory=list)
    records: int = 0
    flags: int = 0

    @property
    def per_100(self) -> float | None:
        return round(100 * self.flags / self.records, 1) if self.records else None

    def chart(self) -> dict[str, Any]:
        return {
            "title": "Flagged phrases per 100 records, by month",
            "labels": [m["month"].strftime("%b %Y") for m in self.months],
            "values": [m["per_100"] for m in self.months],
            "unit": "",
        }


def _month(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def language_report(
    *, user: Any, agency: Agency | None = None, team: Team | None = None, months: int = 12
) -> LanguageReport:
    allowed = report_agencies(user=user)
    today = timezone.localdate()
    start = add_months(today.replace(day=1), -(months - 1))
    checks = LanguageCheck.objects.filter(created_at__date__gte=start, agency__in=allowed)
    flags = LanguageFlag.objects.filter(created_at__date__gte=start, agency__in=allowed)
    if agency is not None:
        checks, flags = checks.filter(agency=agency), flags.filter(agency=agency)
    if team is not None:
        checks, flags = checks.filter(team=team), flags.filter(team=team)
    by_month: dict[dt.date, Any] = {
        _month(r["m"]): r
        for r in checks.annotate(m=TruncMonth("created_at"))
        .values("m")
        .annotate(n_records=Count("id"), n_flags=Sum("flag_count"))
        .order_by("m")
    }
    report = LanguageReport(start=start)
    for i in range(months):
        month = add_months(start, i)
        row = by_month.get(month, {"n_records": 0, "n_flags": 0})
        n, f = row["n_records"], row["n_flags"] or 0
        report.months.append(
            {"month": month, "records": n, "flags": f,
             "per_100": round(100 * f / n, 1) if n else None}
        )  # fmt: skip
        report.records += n
        report.flags += f
    language = load_language()
    for r in flags.values("code").annotate(n=Count("id")).order_by("-n", "code")[:10]:
        entry = language.entry(r["code"])
        report.phrases.append(
            {"code": r["code"], "count": r["n"],
             "phrase": entry.phrase if entry else r["code"],
             "category": language.categories.get(entry.category, "") if entry else "",
             "alternatives": entry.alternatives if entry else ()}
        )  # fmt: skip
    return report


def record_flags(
    *, record_ids: list[Any], field: str | None = None
) -> dict[Any, list[dict[str, Any]]]:
    """The stored flags of records the caller has already fetched through its own scoped
    selector (a decision, a proposal, a note): record id -> flags as the API gives them
    (phrase, start, end, category, why, alternatives). One query for any number of records.
    Scope is the record's: call it only with ids of records the user may read."""
    language = load_language()
    out: dict[Any, list[dict[str, Any]]] = {rid: [] for rid in record_ids}
    rows = LanguageFlag.objects.filter(record_id__in=record_ids)
    if field is not None:
        rows = rows.filter(field=field)
    for flag in rows.order_by("record_id", "start"):
        entry = language.entry(flag.code)
        out.setdefault(flag.record_id, []).append(
            {
                "phrase": flag.phrase,
                "start": flag.start,
                "end": flag.end,
                "category": flag.category,
                "category_name": language.categories.get(flag.category, flag.category),
                "why": entry.why if entry else "",
                "alternatives": list(entry.alternatives) if entry else [],
                "field": flag.field,
            }
        )
    return out


def language_flags_of(record_id: Any, field: str | None = None) -> list[dict[str, Any]]:
    """One record's stored flags (see `record_flags`)."""
    return record_flags(record_ids=[record_id], field=field)[record_id]


def chronology_note_flags(*, review: Review) -> dict[str, list[dict[str, Any]]]:
    """The stored flags of a review's significance notes, by chronology entry key (two
    queries for the whole chronology). Scope is the review's: call it only for a review the
    user may open."""
    notes = dict(ChronologyNote.objects.filter(review=review).values_list("pk", "entry_key"))
    flags = record_flags(record_ids=list(notes), field="significance")
    return {key: flags[pk] for pk, key in notes.items() if flags[pk]}

"""Ofsted ILACS Annex A: the lists Sightline holds data for (1 contacts, 3 referrals,
4 assessments, 5 section 47 enquiries and ICPCs, 6 children in need, 7 child protection
plans), with the exact headers of the versioned column map `data/annex_a_columns_v1.csv`.
Lists 2 and 8 to 11 are not produced (README, "Annex A lists Sightline cannot fill")."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from openpyxl import Workbook

from sightline.audit.choices import Action
from sightline.audit.services import audit_access_denied, audit_record
from sightline.casework.choices import PlanKind
from sightline.core.errors import Invalid
from sightline.reporting.returns.census import ChildRow, CollectionYear, Episode, gather

COLUMNS_FILE = Path(__file__).resolve().parent.parent / "data" / "annex_a_columns_v1.csv"
LISTS = ("list_1", "list_3", "list_4", "list_5", "list_6", "list_7")
MAX_DAYS = 3 * 366

GENDER = {"M": "a) Male", "F": "b) Female"}
SOURCE = {
    **dict.fromkeys(("1A", "1B", "1C", "1D"), "a) Individual"),
    "2A": "b) Schools",
    "2B": "c) Education Services",
    **dict.fromkeys(("3A", "3B", "3C", "3D", "3E", "3F"), "d) Health Services"),
    "4": "e) Housing",
    **dict.fromkeys(("5A", "5B", "5C", "5D"), "f) LA Services"),
    "6": "g) Police",
    "7": "h) Other legal agency",
    "8": "i) Other",
    "9": "j) Anonymous",
    "10": "k) Unknown",
}
CATEGORY = {
    "NEG": "a) Neglect",
    "PHY": "b) Physical Abuse",
    "SAB": "c) Sexual Abuse",
    "EMO": "d) Emotional Abuse",
    "MUL": "e) Multiple",
}
CLOSURE = {
    "RC1": "a) Adopted",
    "RC2": "b) Died",
    "RC3": "c) Residence Order",
    "RC4": "d) Special Guardianship Order",
    "RC5": "e) Transfer to another LA",
    "RC6": "f) Transfer to Adult Social Services",
    "RC7": "g) 'Other' incl. Child no longer in need",
    "RC8": "h) Child not in need after assessment",
    "RC9": "h) Child not in need after assessment",
}

Cell = str | int | dt.date | bool | None


@dataclass
class Sheet:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]


def columns() -> dict[str, tuple[str, list[str]]]:
    """list key -> (title, headers in position order), from the versioned column map."""
    out: dict[str, tuple[str, list[tuple[int, str]]]] = {}
    with COLUMNS_FILE.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            _title, cols = out.setdefault(row["list"], (row["list_title"], []))
            cols.append((int(row["position"]), row["column_header"]))
    return {k: (t, [h for _, h in sorted(cols)]) for k, (t, cols) in out.items()}


def period(start: dt.date, end: dt.date) -> CollectionYear:
    if end < start:
        raise Invalid("The period ends before it starts.")
    if (end - start).days > MAX_DAYS:
        raise Invalid("Annex A covers at most three years.")
    return CollectionYear(f"{start}..{end}", start, end)


def _age(child: ChildRow, on: dt.date) -> int | None:
    b = child.birth_date
    if b is None:
        return None
    return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


def _person(child: ChildRow, on: dt.date, disability: bool) -> list[Cell]:
    cells: list[Cell] = [
        child.la_child_id,
        GENDER.get(child.sex, "c) Not stated/recorded"),
        "f) Not stated",  # Sightline does not record ethnicity
        child.birth_date,
        _age(child, on),
    ]
    if disability:
        cells.append("True" if child.disabled else "Unknown")
    return cells


def _within(d: dt.date | None, p: CollectionYear) -> bool:
    return d is not None and p.start <= d <= p.end


def _rows(key: str, children: list[ChildRow], p: CollectionYear) -> Iterator[list[Cell]]:  # noqa: PLR0912 (each list's columns side by side)
    for child in children:
        eps: list[Episode] = child.episodes
        for ep in eps:
            if key in ("list_1", "list_3") and _within(ep.referral_date, p):
                base = [*_person(child, ep.referral_date, False), ep.referral_date]
                source = SOURCE.get(ep.source, "k) Unknown")
                if key == "list_1":
                    yield [*base, source]
                else:
                    recent = sum(
                        1
                        for e in eps
                        if dt.timedelta(0) <= ep.referral_date - e.referral_date
                        and (ep.referral_date - e.referral_date).days <= 365
                        and e is not ep
                    )
                    yield [*base, source, str(ep.nfa), recent, "", ""]
            if key == "list_4":
                for a in ep.assessments:
                    if _within(a.started_on, p) or _within(a.authorised_on, p):
                        yield [
                            *_person(child, a.started_on, True), a.started_on, "Unknown",
                            a.authorised_on, str(bool(a.factors) and "21" not in a.factors),
                            "", "",
                        ]  # fmt: skip
            if key == "list_5":
                for e in ep.enquiries:
                    if _within(e.started_on, p):
                        plan = any(x.started_on == e.conference_on for x in ep.plans)
                        yield [
                            *_person(child, e.started_on, True), e.started_on,
                            str(e.no_conference), e.conference_on,
                            str(plan) if e.conference_on else "Unknown",
                            len(ep.enquiries), len(ep.initial_conferences), "", "",
                        ]  # fmt: skip
            if key == "list_6":
                cp = any(
                    x.kind == PlanKind.CHILD_PROTECTION and x.ended_on is None for x in ep.plans
                )
                cin = any(x.kind == PlanKind.CHILD_IN_NEED and x.ended_on is None for x in ep.plans)
                status = (
                    "e) Closed episode" if ep.closure_date
                    else "b) Child Protection plan" if cp
                    else "c) Child in need plan" if cin
                    else "d) Open assessment"
                )  # fmt: skip
                yield [
                    *_person(child, ep.referral_date, True), ep.referral_date, "j) Not stated",
                    None, ep.closure_date, CLOSURE.get(ep.closure_reason, "") if ep.closure_date
                    else "", status, "", "",
                ]  # fmt: skip
            if key == "list_7":
                cps = [x for x in ep.plans if x.kind == PlanKind.CHILD_PROTECTION]
                for n, x in enumerate(cps):
                    yield [
                        *_person(child, x.started_on, True), x.started_on,
                        CATEGORY.get(x.category, ""), CATEGORY.get(x.category, ""), None,
                        "Unknown", max(x.review_dates) if x.review_dates else None, x.ended_on,
                        "False", n, "", "",
                    ]  # fmt: skip


def build(start: dt.date, end: dt.date) -> list[Sheet]:
    p = period(start, end)
    children = gather(p)
    cols = columns()
    return [Sheet(k, cols[k][0], cols[k][1], list(_rows(k, children, p))) for k in LISTS]


def safe(value: Cell) -> Cell:
    """A text cell that a spreadsheet would run as a formula is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def workbook(sheets: list[Sheet]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.key.replace("_", " ").title())
        ws.append(sheet.headers)
        # Date cells by column letter, once: `ws.max_row` per row would walk every cell.
        for n, row in enumerate(sheet.rows, start=2):
            ws.append([safe(v) for v in row])
            for col, value in enumerate(row, start=1):
                if isinstance(value, dt.date):
                    ws.cell(row=n, column=col).number_format = "DD/MM/YYYY"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(sheet: Sheet) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(sheet.headers)
    for row in sheet.rows:
        writer.writerow(
            [v.strftime("%d/%m/%Y") if isinstance(v, dt.date) else safe(v) for v in row]
        )
    return out.getvalue()


def _checked(user: object, start: dt.date, end: dt.date) -> list[Sheet]:
    """The sheets, or the period's refusal recorded (an `access.denied` row of its own)."""
    try:
        return build(start, end)
    except Invalid:
        audit_access_denied(
            actor=user, method="GET", path=f"annex_a {start}..{end}", what="annex_a"
        )
        raise


def annex_a_export(*, user: object, start: dt.date, end: dt.date) -> bytes:
    sheets = _checked(user, start, end)
    with transaction.atomic():
        audit_record(
            actor=user,
            action=Action.EXPORT,
            object_type="annex_a",
            object_ref=f"Annex A {start}..{end}",
            details={"from": str(start), "to": str(end), "rows": sum(len(s.rows) for s in sheets)},
        )
    return workbook(sheets)


def annex_a_csv_export(*, user: object, start: dt.date, end: dt.date, key: str) -> str:
    """One list as CSV (the same headers and rows as its sheet), audited as an export."""
    if key not in LISTS:
        raise Invalid(f"Annex A has no list {key!r} here (lists: {', '.join(LISTS)}).")
    sheet = next(s for s in _checked(user, start, end) if s.key == key)
    with transaction.atomic():
        audit_record(
            actor=user,
            action=Action.EXPORT,
            object_type="annex_a",
            object_ref=f"Annex A {key} {start}..{end}",
            details={"from": str(start), "to": str(end), "list": key, "rows": len(sheet.rows)},
        )
    return csv_text(sheet)

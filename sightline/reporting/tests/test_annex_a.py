"""Ofsted Annex A: every sheet's header row is the versioned column map's, a sample of rows
has the types the map says, a period over three years is refused, formula text is escaped."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from sightline.accounts.tests.clients import signed_in, token_client
from sightline.audit.models import AuditEvent
from sightline.casework.models import Assessment, Plan
from sightline.referrals.models import Referral
from sightline.referrals.tests.factories import submit
from sightline.reporting.returns import annex_a

pytestmark = pytest.mark.django_db
D = dt.date


def _world(teacher: Any) -> None:
    referral = submit(teacher).referral
    Referral.objects.filter(pk=referral.pk).update(
        received_at=dt.datetime(2025, 6, 10, 10, tzinfo=dt.UTC)
    )
    child = referral.children.get().child
    common = {"child": child, "referral": referral, "recorded_by": teacher,
              "agency": teacher.agency}  # fmt: skip
    Assessment.objects.create(
        **common, started_on=D(2025, 6, 11), authorised_on=D(2025, 7, 20), factors=["11A"]
    )
    Plan.objects.create(**common, kind="cp", category="SAB", started_on=D(2025, 7, 1))


def _spec() -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    with annex_a.COLUMNS_FILE.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out.setdefault(row["list"], []).append(row)
    return out


def test_every_sheet_has_the_exact_headers_and_typed_rows(teacher: Any, tmp_path: Path) -> None:
    _world(teacher)
    out = tmp_path / "annex_a.xlsx"
    call_command(
        "annex_a", "--from", "2025-04-01", "--to", "2026-03-31", "--output", str(out),
        "--csv-dir", str(tmp_path), stdout=io.StringIO(),
    )  # fmt: skip
    book = load_workbook(out)
    spec = _spec()
    assert book.sheetnames == [k.replace("_", " ").title() for k in annex_a.LISTS]
    rows_seen = 0
    for key in annex_a.LISTS:
        ws = book[key.replace("_", " ").title()]
        columns = sorted(spec[key], key=lambda r: int(r["position"]))
        header = [c.value for c in ws[1]]
        assert header == [c["column_header"] for c in columns], key
        for values in ws.iter_rows(min_row=2, max_row=4, values_only=True):
            rows_seen += 1
            for col, value in zip(columns, values, strict=True):
                if value is None or value == "":
                    continue
                if col["type"] == "date":
                    assert isinstance(value, dt.datetime | dt.date), (key, col["column_header"])
                elif col["type"] == "numeric":
                    assert isinstance(value, int), (key, col["column_header"])
                elif col["type"] == "category":
                    allowed = {a.strip() for a in col["allowed_codes_or_format"].split("|")}
                    assert value in allowed, (key, col["column_header"], value)
        csv_header = next(csv.reader((tmp_path / f"annex_a_{key}.csv").open()))
        assert csv_header == header
    assert rows_seen >= 5  # contacts, referrals, assessments, CIN, CP plans


def test_a_period_over_three_years_is_refused(safeguarding_lead: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="three years"):
        call_command(
            "annex_a", "--from", "2020-01-01", "--to", "2025-01-01",
            "--output", str(tmp_path / "x.xlsx"),
        )  # fmt: skip
    client = token_client(safeguarding_lead)
    assert client.get("/api/v1/reports/annex-a?from=2020-01-01&to=2025-01-01").status_code == 422
    ok = client.get("/api/v1/reports/annex-a?from=2025-04-01&to=2026-03-31")
    assert ok.status_code == 200
    assert AuditEvent.objects.filter(action="record.export", object_type="annex_a").count() == 1


def test_formula_text_is_escaped() -> None:
    sheet = annex_a.Sheet("list_1", "Contacts", ["Child Unique ID"], [["=HYPERLINK(1)"]])
    assert "'=HYPERLINK(1)" in annex_a.csv_text(sheet)
    book = load_workbook(io.BytesIO(annex_a.workbook([sheet])))
    assert book["List 1"]["A2"].value == "'=HYPERLINK(1)"
    assert book["List 1"]["A2"].data_type == "s"


def test_the_page_downloads_the_workbook_or_one_list_and_refuses_a_bad_period(
    teacher: Any, safeguarding_lead: Any
) -> None:
    _world(teacher)
    client = signed_in(safeguarding_lead)
    spec = _spec()
    page = client.get("/reports/returns/")
    assert page.status_code == 200 and b"Download Annex A" in page.content
    period = "from=2025-04-01&to=2026-03-31"
    book_answer = client.get(f"/reports/returns/annex-a.xlsx?{period}")
    assert book_answer.status_code == 200
    assert book_answer["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(book_answer.content))
    for key in annex_a.LISTS:
        header = [c.value for c in book[key.replace("_", " ").title()][1]]
        columns = sorted(spec[key], key=lambda r: int(r["position"]))
        assert header == [c["column_header"] for c in columns], key
    listed = client.get(f"/reports/returns/annex-a.xlsx?{period}&list=list_3")
    assert listed.status_code == 200 and listed["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(listed.content.decode())))
    assert rows[0] == [
        c["column_header"] for c in sorted(spec["list_3"], key=lambda r: int(r["position"]))
    ]
    assert len(rows) == 2  # the one referral of the period
    exports = AuditEvent.objects.filter(action="record.export", object_type="annex_a")
    assert exports.count() == 2

    too_long = client.get("/reports/returns/annex-a.xlsx?from=2020-01-01&to=2025-01-01")
    assert too_long.status_code == 422 and b"three years" in too_long.content
    refused = AuditEvent.objects.filter(action="access.denied", object_type="annex_a")
    assert refused.count() == 1
    assert client.get("/reports/returns/annex-a.xlsx?from=soon&to=").status_code == 422
    assert client.get(f"/reports/returns/annex-a.xlsx?{period}&list=list_9").status_code == 422
    assert exports.count() == 2  # nothing more exported
    assert signed_in(teacher).get(f"/reports/returns/annex-a.xlsx?{period}").status_code == 404

"""CSV imports: samples import, bad files store nothing with a row report, re-import is a
no-op, the command, the API and the page."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from sightline.accounts.tests.clients import signed_in, token_client
from sightline.events.csvio import csv_write
from sightline.events.imports import rows_parse
from sightline.events.models import Event, MissingEpisode

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[3] / "docs" / "samples"
HEAD = "source_id,occurred_at,child_given_name,child_family_name,child_date_of_birth,"
MISSING_HEAD = HEAD + "started_at,risk_grade,returned_at\n"
ROW = "M-{n},2026-03-01 22:00,Testa,Rowchild,2011-04-02,2026-03-01 22:00,medium,{ret}\n"


def missing_file(*rets: str) -> bytes:
    return (MISSING_HEAD + "".join(ROW.format(n=n, ret=r) for n, r in enumerate(rets))).encode()


def form(returned: str) -> dict[str, Any]:
    upload = SimpleUploadedFile("m.csv", missing_file(returned))
    return {"kind": "missing_episode", "file": upload}


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("events-*.csv")), ids=lambda p: p.name)
def test_every_sample_file_is_valid(path: Path) -> None:
    kind = path.stem.removeprefix("events-")
    parsed = rows_parse(kind=kind, data=path.read_bytes())
    assert parsed.errors == []
    assert parsed.valid


@pytest.mark.parametrize(
    ("data", "column", "words"),
    [
        (b"source_id,occurred_at\nX,2026-01-01 10:00\n", "", "Missing column"),
        (missing_file("01-03-2026 23:00"), "returned_at", "not a date and time"),
        (missing_file("2026-02-01 10:00"), "", "before the episode started"),
        (
            (
                HEAD + "started_at,risk_grade\nM-1,2026-03-01 22:00,T,R,2011-04-02,"
                "2026-03-01 22:00,purple\n"
            ).encode(),
            "risk_grade",
            "Input should be",
        ),
        (missing_file("2026-03-02 10:00").replace(b"\n", b"\r\n"), None, None),
        (b"\xef\xbb\xbf" + missing_file("2026-03-02 10:00"), None, None),
        (
            missing_file("2026-03-02 10:00").replace(b"Testa", b"T" * (10 * 1024 * 1024)),
            "",
            "cannot be read",
        ),
        (
            (
                HEAD + "started_at,risk_grade\nM-1,2026-03-01 22:00,,,,2026-03-01 22:00,low\n"
            ).encode(),
            "child",
            "child",
        ),
    ],
)
def test_bad_files_are_reported_by_row_and_column(
    data: bytes, column: str | None, words: str | None
) -> None:
    parsed = rows_parse(kind="missing_episode", data=data)
    if column is None or words is None:  # BOM and Windows line endings are fine
        assert parsed.errors == [] and len(parsed.valid) == 1
        return
    assert parsed.errors, "expected an error"
    assert any(words in e.message and e.column.startswith(column) for e in parsed.errors), (
        parsed.errors
    )


def test_unknown_kind_is_refused() -> None:
    assert rows_parse(kind="bus", data=b"a\n1\n").errors[0].column == "kind"


def test_command_stores_then_reimport_changes_nothing(
    officer: Any, police: Any, tmp_path: Path
) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(missing_file("2026-03-02 10:00", ""))
    out = io.StringIO()
    call_command("import_events", str(path), kind="missing_episode", agency=police.code, stdout=out)
    assert Event.objects.count() == 2 and MissingEpisode.objects.count() == 2
    assert Event.objects.values("child").distinct().count() == 1  # one new child, not two
    call_command("import_events", str(path), kind="missing_episode", agency=police.code, stdout=out)
    assert Event.objects.count() == 2
    assert '"already_stored": 2' in out.getvalue()


def test_command_with_a_bad_row_stores_nothing_unless_accept_valid(
    officer: Any, police: Any, tmp_path: Path
) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(missing_file("2026-03-02 10:00", "2026-02-01 10:00"))
    with pytest.raises(CommandError):
        call_command("import_events", str(path), kind="missing_episode", agency=police.code,
                     stdout=io.StringIO())  # fmt: skip
    assert Event.objects.count() == 0
    call_command("import_events", str(path), kind="missing_episode", agency=police.code,
                 accept_valid=True, stdout=io.StringIO())  # fmt: skip
    assert Event.objects.count() == 1


def test_api_import_422_then_201(officer: Any) -> None:
    client = token_client(officer)
    bad = client.post("/api/v1/imports", form("2026-02-01 10:00"))
    assert bad.status_code == 422
    assert bad.json()["detail"]["errors"][0]["row"] == 2
    good = client.post("/api/v1/imports", form("2026-03-02 10:00"))
    assert good.status_code == 201, good.content
    assert good.json()["stored"] == 1


def test_api_import_refuses_a_referrer_and_a_foreign_kind(
    officer: Any, education_lead: Any
) -> None:
    upload = SimpleUploadedFile("m.csv", missing_file("2026-03-02 10:00"))
    response = token_client(education_lead).post(
        "/api/v1/imports", {"kind": "missing_episode", "file": upload}
    )
    assert response.status_code == 422
    assert Event.objects.count() == 0


def test_upload_page_shows_the_row_report(officer: Any) -> None:
    client = signed_in(officer)
    assert client.get("/events/import/").status_code == 200
    response = client.post("/events/import/", form("2026-02-01 10:00"))
    assert response.status_code == 422
    assert b"before the episode started" in response.content
    assert Event.objects.count() == 0


def test_formula_cells_are_stored_as_text_and_escaped_on_the_way_out(
    officer: Any, police: Any, tmp_path: Path
) -> None:
    data = (MISSING_HEAD + ROW.format(n=1, ret="")).replace("Testa", "=HYPERLINK(1)").encode()
    parsed = rows_parse(kind="missing_episode", data=data)
    assert parsed.valid
    assert csv_write([["=HYPERLINK(1)"]]).startswith("'=")

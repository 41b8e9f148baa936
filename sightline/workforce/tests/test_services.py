"""Imports (row reports, all-or-nothing, --accept-valid, idempotence, BOM, CRLF, formulas),
headcount entry and the course catalogue sync."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from sightline.accounts.roles import Role
from sightline.accounts.tests.factories import AgencyFactory, UserFactory
from sightline.audit.models import AuditEvent
from sightline.core.errors import NotPermitted
from sightline.workforce import services
from sightline.workforce.csvio import csv_safe, csv_write
from sightline.workforce.models import (
    Course,
    HeadcountSnapshot,
    StaffMember,
    TrainingRecord,
    WorkforceImport,
)
from sightline.workforce.tests.factories import StaffMemberFactory, completed

pytestmark = pytest.mark.django_db

STAFF = (
    "staff_id,name,team,role_group,active,username\n"
    "H001,Ada Pellow,Wards,frontline,yes,\n"
    "H002,Ben Tarrant,Wards,Manager,yes,health-lead\n"
    "H003,Cal Dunmore,School nursing,other,no,\n"
)
TRAINING = (
    "staff_id,course,completed_on,provider\n"
    "H001,cse-face-to-face,2025-06-01,Partnership trainers\n"
    "H002,CSE awareness briefing,01/02/2025,E-learning\n"
)


def _import(user: Any, kind: str, text: str, **kw: Any) -> services.ImportReport:
    return services.workforce_import(
        acting_user=user, agency=user.agency, kind=kind, data=text.encode(), **kw
    )


def _errors(exc: pytest.ExceptionInfo[services.ImportRejected]) -> set[tuple[int, str]]:
    return {(e.row, e.column) for e in exc.value.report.errors}


def test_staff_import_creates_the_roll_and_links_a_matching_user(health_lead: Any) -> None:
    report = _import(health_lead, "staff", STAFF)
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    linked = StaffMember.objects.get(staff_id="H002")
    assert linked.user == health_lead and linked.role_group == "manager"
    assert StaffMember.objects.get(staff_id="H003").is_active is False
    event = AuditEvent.objects.get(action="data.import")
    assert event.object_type == "workforce_import" and event.details["created"] == 3


def test_reimporting_the_same_files_changes_nothing(health_lead: Any) -> None:
    _import(health_lead, "staff", STAFF)
    _import(health_lead, "training", TRAINING)
    before = list(TrainingRecord.objects.values_list("pk", "updated_at", "expires_on"))
    staff_before = list(StaffMember.objects.values_list("pk", "updated_at"))
    again = _import(health_lead, "staff", STAFF)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    again = _import(health_lead, "training", TRAINING)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert list(TrainingRecord.objects.values_list("pk", "updated_at", "expires_on")) == before
    assert list(StaffMember.objects.values_list("pk", "updated_at")) == staff_before
    record = TrainingRecord.objects.get(staff_member__staff_id="H002")
    assert record.completed_on == dt.date(2025, 2, 1)
    assert record.expires_on == dt.date(2028, 2, 1)


def test_a_file_with_bad_rows_stores_nothing_and_names_each_row_and_column(
    health_lead: Any,
) -> None:
    _import(health_lead, "staff", STAFF)
    bad = (
        "staff_id,course,completed_on,provider\n"
        "H001,cse-face-to-face,2025-06-01,\n"
        "H999,cse-briefing,2025-06-01,\n"
        "H002,first aid,2025-06-01,\n"
        "H003,cse-briefing,31/02/2025,\n"
        "H003,cse-briefing,2099-01-01,\n"
    )
    with pytest.raises(services.ImportRejected) as exc:
        _import(health_lead, "training", bad)
    assert _errors(exc) == {
        (3, "staff_id"),
        (4, "course"),
        (5, "completed_on"),
        (6, "completed_on"),
    }
    assert exc.value.status == 422
    assert exc.value.detail["rejected"] == 4 and exc.value.detail["stored"] is False
    assert "4 of 5 rows" in str(exc.value)
    assert TrainingRecord.objects.count() == 0
    assert not WorkforceImport.objects.filter(kind="training").exists()


def test_accept_valid_stores_the_good_rows_and_reports_the_rest(health_lead: Any) -> None:
    _import(health_lead, "staff", STAFF)
    text = TRAINING + "H404,cse-briefing,2025-06-01,\n"
    report = _import(health_lead, "training", text, accept_valid=True)
    assert (report.created, report.rejected) == (2, 1)
    assert [(e.row, e.column) for e in report.errors] == [(4, "staff_id")]
    assert TrainingRecord.objects.count() == 2


def test_bom_windows_line_endings_and_header_case_are_read(health_lead: Any) -> None:
    text = "\ufeffStaff_ID , Name,TEAM,role_group\r\nH010,Dee Ormsby,Wards,frontline\r\n\r\n"
    report = services.workforce_import(
        acting_user=health_lead, agency=health_lead.agency, kind="staff", data=text.encode()
    )
    assert report.created == 1
    assert StaffMember.objects.get().staff_id == "H010"


def test_a_file_that_is_not_the_expected_csv_is_one_file_error(health_lead: Any) -> None:
    with pytest.raises(services.ImportRejected) as exc:
        _import(health_lead, "staff", "staff_id,name\nH1,Ann\n")
    assert _errors(exc) == {(1, "")}
    assert "team" in exc.value.report.errors[0].message
    with pytest.raises(services.ImportRejected):
        services.workforce_import(
            acting_user=health_lead, agency=health_lead.agency, kind="staff", data=b"\xff\xfe"
        )


def test_formulas_are_refused_in_ids_and_escaped_when_written_out(health_lead: Any) -> None:
    text = (
        "staff_id,name,team,role_group\n"
        "=cmd|x,Eve Lanton,Wards,frontline\n"
        'H020,"=HYPERLINK(""http://example.invalid"",""x"")",Wards,frontline\n'
    )
    with pytest.raises(services.ImportRejected) as exc:
        _import(health_lead, "staff", text)
    assert _errors(exc) == {(2, "staff_id")}
    _import(health_lead, "staff", text, accept_valid=True)
    name = StaffMember.objects.get(staff_id="H020").name
    assert name.startswith("=HYPERLINK(")
    assert csv_safe(name).startswith("'=HYPERLINK(")
    out = csv_write([["name"], [name], ["+1"], ["-2"], ["@SUM(A1)"], ["plain"]])
    assert "\n=" not in out and "'+1" in out and "'-2" in out and "'@SUM" in out
    assert out.endswith("plain\r\n")


def test_duplicate_staff_ids_in_one_file_are_row_errors(health_lead: Any) -> None:
    text = "staff_id,name,team,role_group\nH1,A One,Wards,frontline\nH1,A Two,Wards,other\n"
    with pytest.raises(services.ImportRejected) as exc:
        _import(health_lead, "staff", text)
    assert _errors(exc) == {(3, "staff_id")}


def test_headcount_import_is_idempotent_by_day_team_and_role_group(health_lead: Any) -> None:
    text = (
        "as_on,team,role_group,headcount\n"
        "2026-01-31,Wards,frontline,40\n2026-01-31,Wards,manager,4\n"
    )
    assert _import(health_lead, "headcount", text).created == 2
    again = _import(health_lead, "headcount", text.replace(",40", ",41"))
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    assert HeadcountSnapshot.objects.get(role_group="frontline").headcount == 41
    with pytest.raises(services.ImportRejected) as exc:
        _import(health_lead, "headcount", "as_on,team,role_group,headcount\n2026-01-31,X,boss,-3\n")
    assert _errors(exc) == {(2, "role_group"), (2, "headcount")}


def test_a_lead_cannot_import_for_another_agency(health_lead: Any, education: Any) -> None:
    with pytest.raises(NotPermitted):
        services.workforce_import(
            acting_user=health_lead, agency=education, kind="staff", data=STAFF.encode()
        )
    police_manager = UserFactory(agency=AgencyFactory(kind="police"), role=Role.TEAM_MANAGER)
    with pytest.raises(NotPermitted):
        _import(police_manager, "staff", STAFF)
    assert StaffMember.objects.count() == 0


def test_a_csc_team_manager_manages_their_own_agency(csc_manager: Any) -> None:
    assert _import(csc_manager, "staff", STAFF).created == 3


def test_headcount_record_is_audited(health_lead: Any) -> None:
    services.headcount_record(
        acting_user=health_lead,
        agency=health_lead.agency,
        as_on=dt.date(2026, 1, 1),
        team="  Wards ",
        role_group="frontline",
        headcount=12,
    )
    row = HeadcountSnapshot.objects.get()
    assert row.team == "Wards" and row.entered_by == health_lead
    assert AuditEvent.objects.filter(object_type="workforce_headcount").count() == 1


def test_course_sync_recomputes_expiry_when_a_validity_changes(health: Any) -> None:
    s = StaffMemberFactory(agency=health)
    record = completed(s, "cse-briefing", dt.date(2025, 1, 10))
    Course.objects.filter(code="cse-briefing").update(valid_months=12)
    counts = services.course_sync(acting_user=None, actor_username="test")
    assert counts == {"created": 0, "changed": 1, "records": 1}
    record.refresh_from_db()
    assert record.expires_on == dt.date(2028, 1, 10)
    assert services.course_sync() == {"created": 0, "changed": 0, "records": 0}


def test_the_command_imports_and_reports_bad_rows(health_lead: Any, tmp_path: Any) -> None:
    call_command("import_training", "--agency", health_lead.agency.code, "--kind", "staff",
                 str(_write(tmp_path, "staff.csv", STAFF)))  # fmt: skip
    bad = _write(tmp_path, "bad.csv", TRAINING + "H001,juggling,2025-01-01,\n")
    with pytest.raises(CommandError, match="Nothing was stored"):
        call_command("import_training", "--agency", health_lead.agency.code, str(bad))
    assert TrainingRecord.objects.count() == 0
    call_command("import_training", "--agency", health_lead.agency.code, "--accept-valid", str(bad))
    assert TrainingRecord.objects.count() == 2
    event = AuditEvent.objects.filter(action="data.import").order_by("-seq").first()
    assert event is not None and event.actor_username == "manage.py import_training"


def _write(tmp_path: Any, name: str, text: str) -> Any:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_documented_samples_import_cleanly(health_lead: Any) -> None:
    """docs/imports.md's sample files are valid: the guide and the code agree."""
    from pathlib import Path

    samples = Path(__file__).resolve().parents[3] / "docs" / "samples"
    for kind in ("staff", "training", "headcount"):
        data = (samples / f"workforce-{kind}.csv").read_bytes()
        report = services.workforce_import(
            acting_user=health_lead, agency=health_lead.agency, kind=kind, data=data
        )
        assert report.errors == [] and report.created > 0, kind

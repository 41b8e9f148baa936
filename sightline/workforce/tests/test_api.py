"""The API end to end: coverage JSON, multipart imports, their statuses and audit rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sightline.accounts.tests.clients import token_client
from sightline.audit.models import AuditEvent
from sightline.workforce.models import StaffMember, TrainingRecord
from sightline.workforce.tests.factories import StaffMemberFactory, completed, headcount

pytestmark = pytest.mark.django_db

COVERAGE = "/api/v1/workforce/coverage"
IMPORTS = "/api/v1/workforce/imports"
STAFF = "staff_id,name,team,role_group\nH1,Ada Pellow,Wards,frontline\n"


def _post(client: Any, text: str, kind: str, **extra: Any) -> Any:
    f = SimpleUploadedFile("hr.csv", text.encode(), content_type="text/csv")
    return client.post(IMPORTS, {"kind": kind, "file": f, **extra})


def test_coverage_json(safeguarding_lead: Any, health: Any) -> None:
    headcount(health, timezone.localdate() - dt.timedelta(days=5), "Wards", 4)
    s = StaffMemberFactory(agency=health, team="Wards")
    completed(s, "cse-face-to-face", timezone.localdate() - dt.timedelta(days=10))
    response = token_client(safeguarding_lead).get(COVERAGE, {"agency": health.code})
    assert response.status_code == 200
    body = response.json()
    assert body["target_percent"] == 100
    [agency] = body["agencies"]
    assert agency["code"] == health.code
    assert (agency["workforce"], agency["briefed"], agency["trained"]) == (4, 1, 1)
    assert agency["trained_share"] == 25.0
    assert agency["teams"][0]["team"] == "Wards"
    assert len(body["months"]) == 12 and body["months"][-1]["trained"] == 1
    assert AuditEvent.objects.filter(object_type="workforce_coverage").count() == 1


def test_coverage_refused_and_scoped(referrer: Any, health_lead: Any, education: Any) -> None:
    assert token_client(referrer).get(COVERAGE).status_code == 403
    response = token_client(health_lead).get(COVERAGE, {"agency": education.code})
    assert response.status_code == 404


def test_import_201_then_idempotent(health_lead: Any) -> None:
    client = token_client(health_lead)
    response = _post(client, STAFF, "staff")
    assert response.status_code == 201, response.content
    assert response.json()["created"] == 1
    again = _post(client, STAFF, "staff")
    assert again.status_code == 201 and again.json()["unchanged"] == 1
    assert StaffMember.objects.count() == 1
    assert AuditEvent.objects.filter(action="data.import", channel="api").count() == 2


def test_import_with_bad_rows_answers_422_with_the_row_report(health_lead: Any) -> None:
    client = token_client(health_lead)
    _post(client, STAFF, "staff")
    text = "staff_id,course,completed_on\nH1,cse-briefing,2025-01-01\nH2,cse-briefing,2025-01-01\n"
    response = _post(client, text, "training")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail["stored"] is False and detail["rejected"] == 1
    assert detail["errors"] == [
        {"row": 3, "column": "staff_id", "message": detail["errors"][0]["message"]}
    ]
    assert TrainingRecord.objects.count() == 0
    ok = _post(client, text, "training", accept_valid="true")
    assert ok.status_code == 201 and TrainingRecord.objects.count() == 1


def test_import_refuses_a_role_without_an_agency_to_lead(referrer: Any) -> None:
    assert _post(token_client(referrer), STAFF, "staff").status_code == 403
    assert StaffMember.objects.count() == 0


def test_import_needs_a_known_kind(health_lead: Any) -> None:
    assert _post(token_client(health_lead), STAFF, "payroll").status_code == 422

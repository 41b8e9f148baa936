"""Pages end to end: status, what is stored, the audit row."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sightline.accounts.tests.clients import signed_in
from sightline.audit.models import AuditEvent
from sightline.core.dates import add_months
from sightline.workforce.models import HeadcountSnapshot, StaffMember
from sightline.workforce.tests.factories import StaffMemberFactory, completed

pytestmark = pytest.mark.django_db

STAFF = (
    "staff_id,name,team,role_group\nH1,Ada Pellow,Wards,frontline\nH2,Ben Tarrant,Wards,manager\n"
)


def _upload(client: Any, text: str, kind: str = "staff", **extra: Any) -> Any:
    f = SimpleUploadedFile("roll.csv", text.encode(), content_type="text/csv")
    return client.post(reverse("workforce:import"), {"kind": kind, "file": f, **extra})


def test_coverage_page_for_a_manager_shows_referral_quality(
    safeguarding_lead: Any, health: Any
) -> None:
    s = StaffMemberFactory(agency=health, team="Wards")
    completed(s, "cse-face-to-face", timezone.localdate() - dt.timedelta(days=30))
    response = signed_in(safeguarding_lead).get(reverse("workforce:coverage"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="referral-quality"' in body
    assert 'data-sl-chart="coverage-chart"' in body and 'id="coverage-by-month"' in body
    assert (
        AuditEvent.objects.filter(object_type="workforce_coverage", action="record.list").count()
        == 1
    )


def test_coverage_page_for_a_lead_has_no_referral_quality(health_lead: Any, health: Any) -> None:
    StaffMemberFactory(agency=health, team="Wards")
    response = signed_in(health_lead).get(reverse("workforce:coverage"), {"agency": health.code})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="referral-quality"' not in body
    assert "Wards" in body and "Import from HR" in body


def test_another_agencys_coverage_is_not_found(health_lead: Any, education: Any) -> None:
    response = signed_in(health_lead).get(reverse("workforce:coverage"), {"agency": education.code})
    assert response.status_code == 404


def test_a_referrer_cannot_open_the_coverage_page(referrer: Any) -> None:
    assert signed_in(referrer).get(reverse("workforce:coverage")).status_code == 404


def test_upload_stores_the_file_and_audits_it(health_lead: Any) -> None:
    response = _upload(signed_in(health_lead), STAFF)
    assert response.status_code == 200
    assert "2 new, 0 changed, 0 unchanged" in response.content.decode()
    assert StaffMember.objects.filter(agency=health_lead.agency).count() == 2
    assert AuditEvent.objects.filter(action="data.import", actor=health_lead).count() == 1


def test_upload_with_bad_rows_answers_422_with_the_row_report(health_lead: Any) -> None:
    bad = STAFF + "H3,Cal Dunmore,Wards,chief\n"
    response = _upload(signed_in(health_lead), bad)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Nothing was stored" in body and "1 of 3 rows have errors" in body
    assert "<code>role_group</code>" in body
    assert StaffMember.objects.count() == 0
    assert not AuditEvent.objects.filter(action="data.import").exists()
    response = _upload(signed_in(health_lead), bad, accept_valid="on")
    assert response.status_code == 200 and StaffMember.objects.count() == 2


def test_upload_without_a_file_answers_422(health_lead: Any) -> None:
    response = signed_in(health_lead).post(reverse("workforce:import"), {"kind": "staff"})
    assert response.status_code == 422
    assert "Choose a CSV file to upload" in response.content.decode()


def test_headcount_entry(health_lead: Any) -> None:
    client = signed_in(health_lead)
    assert client.get(reverse("workforce:headcount")).status_code == 200
    response = client.post(
        reverse("workforce:headcount"),
        {"as_on": "2026-01-31", "team": "Wards", "role_group": "frontline", "headcount": "25"},
    )
    assert response.status_code == 302
    assert HeadcountSnapshot.objects.get().headcount == 25
    assert AuditEvent.objects.filter(object_type="workforce_headcount").count() == 1
    bad = client.post(
        reverse("workforce:headcount"),
        {"as_on": "2999-01-01", "team": "", "role_group": "frontline", "headcount": "x"},
    )
    assert bad.status_code == 422
    assert HeadcountSnapshot.objects.count() == 1


def test_a_manager_outside_csc_gets_403_on_the_import_page(police_team_manager: Any) -> None:
    assert signed_in(police_team_manager).get(reverse("workforce:import")).status_code == 403


def test_due_export_escapes_formulas(health_lead: Any, health: Any) -> None:
    s: Any = StaffMemberFactory(agency=health, name='=HYPERLINK("http://example.invalid","x")')
    completed(s, "cse-face-to-face", add_months(timezone.localdate(), -23))
    response = signed_in(health_lead).get(reverse("workforce:due_export"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "'=HYPERLINK(" in text and ",=HYPERLINK" not in text
    assert s.staff_id in text and "refresher" in text
    assert AuditEvent.objects.filter(action="record.export", object_type="workforce_due").exists()


@pytest.fixture
def police_team_manager() -> Any:
    from sightline.accounts.roles import Role
    from sightline.accounts.tests.factories import AgencyFactory, UserFactory

    return UserFactory(agency=AgencyFactory(kind="police"), role=Role.TEAM_MANAGER)

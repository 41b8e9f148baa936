"""The administration console (/admin-console/): the system administrator's pages, refusals
with a clear 4xx that store nothing, every change audited with old and new values, and no
child's record open to the administrator."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from sightline.accounts.tests.clients import signed_in
from sightline.audit.models import AuditEvent
from sightline.core.config import screening_min_age
from sightline.core.models import AlertThreshold, PartnershipSetting
from sightline.escalation.models import ClockPolicy, ClosureDay, LadderRung
from sightline.escalation.timescales import timescale
from sightline.people.models import Child
from sightline.referrals.services import screening_required_for
from sightline.retention.models import LegalHold, ScheduleVersion
from sightline.retention.schedule import schedule_current, schedule_file_text

pytestmark = pytest.mark.django_db

PAGES = ["home", "users", "user_new", "agencies", "tokens", "clocks", "settings", "retention"]


@pytest.mark.parametrize("name", PAGES)
def test_every_page_opens_for_the_administrator_and_nobody_else(
    name: str, no_access: Any, front_door: Any, safeguarding_lead: Any
) -> None:
    assert signed_in(no_access).get(reverse(f"admin_console:{name}")).status_code == 200
    for other in (front_door, safeguarding_lead):
        assert signed_in(other).get(reverse(f"admin_console:{name}")).status_code == 404


def test_a_users_edit_page_changes_role_and_team_with_old_and_new_audited(
    no_access: Any, teacher: Any
) -> None:
    client = signed_in(no_access)
    url = reverse("admin_console:user_edit", args=[teacher.username])
    assert client.get(url).status_code == 200
    answer = client.post(url, {
        "given_name": "Rhiannon", "family_name": "Tell", "email": "", "job_title": "DSL",
        "agency": teacher.agency.code, "role": "education_lead", "team": "",
    })  # fmt: skip
    assert answer.status_code == 302
    teacher.refresh_from_db()
    assert (teacher.role, teacher.job_title) == ("education_lead", "DSL")
    row = AuditEvent.objects.get(action="user.changed")
    assert row.details["old"]["role"] == "referrer"
    assert row.details["new"]["role"] == "education_lead"


def test_a_police_role_at_a_school_is_refused_with_a_clear_message(
    no_access: Any, teacher: Any
) -> None:
    answer = signed_in(no_access).post(
        reverse("admin_console:user_edit", args=[teacher.username]),
        {"agency": teacher.agency.code, "role": "police_analyst", "team": ""},
    )
    assert answer.status_code == 422
    assert "Police analyst" in answer.content.decode() and "education" in answer.content.decode()
    teacher.refresh_from_db()
    assert teacher.role == "referrer"
    assert AuditEvent.objects.filter(action="record.change_refused", object_ref="teacher").exists()


def test_the_administrator_cannot_open_a_childs_record(no_access: Any) -> None:
    child = Child.objects.create(reference="CH-2026-0000001", given_name="A", family_name="B")
    answer = signed_in(no_access).get(reverse("children:detail", args=[child.pk]))
    assert answer.status_code == 404
    denied = AuditEvent.objects.get(action="access.denied")
    assert denied.actor_username == no_access.username and str(child.pk) in denied.details["path"]


def test_the_screening_age_is_a_partnership_row_never_above_12(no_access: Any) -> None:
    client = signed_in(no_access)
    url = reverse("admin_console:settings")
    refused = client.post(url, {"form": "age", "screening_min_age": "13"})
    assert refused.status_code == 422
    assert "cannot be above 12" in refused.content.decode()
    assert not PartnershipSetting.objects.exists() and screening_min_age() == 10
    assert client.post(url, {"form": "age", "screening_min_age": "12"}).status_code == 302
    assert screening_min_age() == 12
    assert not screening_required_for(11) and screening_required_for(12)
    row = AuditEvent.objects.get(action="config.changed", object_ref="screening_min_age")
    assert (row.details["old"], row.details["new"]) == (10, 12)


def test_alert_thresholds_are_kept_and_audited(no_access: Any) -> None:
    client = signed_in(no_access)
    url = reverse("admin_console:settings")
    for value in ("2", "3"):
        client.post(url, {"form": "threshold", "key": "person_children", "value": value})
    assert AlertThreshold.objects.get(key="person_children").value == 3
    rows = AuditEvent.objects.filter(object_type="alert_threshold").order_by("seq")
    assert [(r.details["old"], r.details["new"]) for r in rows] == [(None, 2), (2, 3)]


def test_clock_policies_ladders_and_closure_days(no_access: Any, agencies: dict[str, Any]) -> None:
    client = signed_in(no_access)
    url = reverse("admin_console:clocks")
    assert client.post(url, {"form": "policy", "key": "decision", "amount": "2",
                             "unit": "working_days"}).status_code == 302  # fmt: skip
    assert (timescale("decision").amount, timescale("decision").unit) == (2, "working_days")
    row = AuditEvent.objects.get(object_type="clock_policy")
    assert row.details["new"] == {"amount": 2, "unit": "working_days"}
    assert row.details["old"]["default"] is True
    too_long = client.post(url, {"form": "policy", "key": "decision", "amount": "500",
                                 "unit": "working_days"})  # fmt: skip
    assert too_long.status_code == 422 and ClockPolicy.objects.get().amount == 2
    assert client.post(url, {"form": "rung", "agency": agencies["csc"].code, "rung": "2",
                             "role": "team_manager", "hours": "8"}).status_code == 302  # fmt: skip
    assert LadderRung.objects.get().hours == 8
    day = timezone.localdate() + dt.timedelta(days=30)
    closed = {"form": "closure", "day": day.isoformat(), "description": "Training day"}
    assert client.post(url, closed).status_code == 302
    assert ClosureDay.objects.filter(day=day).exists()
    assert client.post(url, {"form": "closure", "day": day.isoformat(),
                             "description": "Again"}).status_code == 409  # fmt: skip
    assert client.post(url, {"form": "closure_remove", "day": day.isoformat()}).status_code == 302
    assert not ClosureDay.objects.exists()


def test_a_schedule_that_would_delete_audit_first_is_refused(no_access: Any) -> None:
    client = signed_in(no_access)
    url = reverse("admin_console:retention")
    bad = schedule_file_text().replace("years: 100", "years: 20")
    refused = client.post(url, {"form": "schedule", "text": bad})
    assert refused.status_code == 422
    assert "audit rows would be deleted before what they describe" in refused.content.decode()
    assert not ScheduleVersion.objects.exists()
    good = schedule_file_text().replace(
        "years_after_last_activity: 2", "years_after_last_activity: 3"
    )
    assert client.post(url, {"form": "schedule", "text": good}).status_code == 302
    assert schedule_current().person_years_after_last_activity == 3
    assert AuditEvent.objects.filter(object_type="retention_schedule").count() == 1


def test_holds_are_placed_and_released_from_the_console(no_access: Any) -> None:
    child = Child.objects.create(reference="CH-2026-0000002", given_name="A", family_name="B")
    client = signed_in(no_access)
    url = reverse("admin_console:retention")
    placed = client.post(url, {"form": "hold", "child_reference": child.reference,
                               "kind": "inquiry", "matter": "Synthetic inquiry"})  # fmt: skip
    assert placed.status_code == 302
    hold = LegalHold.objects.get()
    assert client.post(url, {"form": "hold", "child_reference": "CH-NOPE", "kind": "inquiry",
                             "matter": "x"}).status_code == 404  # fmt: skip
    release = reverse("admin_console:hold_release", args=[hold.pk])
    assert client.post(release, {"reason": ""}).status_code == 422
    assert client.post(release, {"reason": "Inquiry closed"}).status_code == 302
    hold.refresh_from_db()
    assert hold.released_at is not None

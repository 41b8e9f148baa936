"""The schedule is checked whenever it is loaded or saved; the API lists what is due and
places holds, for the system administrator only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from freezegun import freeze_time

from sightline.accounts.tests.clients import token_client
from sightline.people.models import Child
from sightline.retention import services
from sightline.retention.models import LegalHold, ScheduleVersion
from sightline.retention.schedule import ScheduleInvalid, schedule_file_text, schedule_parse

pytestmark = pytest.mark.django_db


def test_the_data_file_is_a_valid_schedule() -> None:
    schedule = schedule_parse(schedule_file_text())
    assert (schedule.child_keep_until_age, schedule.child_years_after_last_activity) == (25, 6)
    assert schedule.audit_years > schedule.child_keep_until_age


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("years: 100", "years: 25", "audit rows would be deleted before what they describe"),
        ("years: 100", "years: 100\n    delete: true", "audit rows are never deleted"),
        ("keep_until_age: 25", "keep_until_age: 120", "audit rows would be deleted before"),
        ("keep_until_age: 25", "keep_until_age: ten", "keep_until_age must be a whole number"),
        ("batch_size: 100", "batch_size: 0", "batch_size"),
        ("  person_of_concern:", "  persons:", "must be exactly"),
    ],
)
def test_a_bad_schedule_is_refused_with_the_rule_named(old: str, new: str, message: str) -> None:
    with pytest.raises(ScheduleInvalid, match=message):
        schedule_parse(schedule_file_text().replace(old, new))


def test_saving_a_bad_schedule_stores_nothing_and_the_command_refuses_a_bad_one(
    no_access: Any,
) -> None:
    bad = schedule_file_text().replace("years: 100", "years: 3")
    with pytest.raises(ScheduleInvalid):
        services.schedule_save(acting_user=no_access, text=bad)
    assert not ScheduleVersion.objects.exists()
    ScheduleVersion.objects.create(text=bad, saved_by=no_access)  # e.g. edited in the database
    with pytest.raises(CommandError, match="schedule is refused"):
        call_command("retention", "--dry-run")


def test_the_api_lists_what_is_due_and_places_holds(no_access: Any, front_door: Any) -> None:
    with freeze_time(dt.datetime(2000, 1, 1, tzinfo=dt.UTC)):
        child = Child.objects.create(
            reference="CH-2000-0000001", given_name="A", family_name="B",
            date_of_birth=dt.date(1990, 1, 1),
        )  # fmt: skip
    admin = token_client(no_access)
    due = admin.get("/api/v1/retention/due").json()
    assert [(i["reference"], i["rule"]) for i in due["items"]] == [(child.reference, "child")]
    assert "given_name" not in str(due) and "A" not in [i["reference"] for i in due["items"]]
    placed = admin.post(
        "/api/v1/retention/holds",
        {"child_reference": child.reference, "kind": "litigation", "matter": "Synthetic claim"},
        content_type="application/json",
    )
    assert placed.status_code == 201 and placed.json()["active"] is True
    assert admin.get("/api/v1/retention/due").json()["count"] == 0
    missing = admin.post(
        "/api/v1/retention/holds",
        {"child_reference": "CH-NONE", "kind": "litigation", "matter": "Synthetic claim"},
        content_type="application/json",
    )
    assert missing.status_code == 404
    bad_kind = admin.post(
        "/api/v1/retention/holds",
        {"child_reference": child.reference, "kind": "whim", "matter": "x"},
        content_type="application/json",
    )
    assert bad_kind.status_code == 422 and LegalHold.objects.count() == 1
    other = token_client(front_door)
    assert other.get("/api/v1/retention/due").status_code == 403

"""Planning a meeting on its page (it could be planned only through the API)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sightline.accounts.tests.clients import signed_in
from sightline.audit.models import AuditEvent
from sightline.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def test_chair_plans_a_meeting_and_lands_on_its_agenda(
    chairs: Any, agencies: Any, alerted: Any, health: Any
) -> None:
    police_chair, council_chair = chairs
    client = signed_in(police_chair)
    listing = client.get("/meetings/").content.decode()
    assert 'href="/meetings/new/"' in listing
    form = client.get("/meetings/new/").content.decode()
    assert "Plan a MACE meeting" in form and health.display_name in form
    held_on = timezone.localdate() + dt.timedelta(days=14)
    answer = client.post("/meetings/new/", {
        "held_on": held_on.isoformat(), "chairs": [police_chair.pk, council_chair.pk],
        "invited_agencies": [agencies[k].pk for k in ("police", "csc", "health", "education")],
        "invited_people": [health.pk],
    })  # fmt: skip
    meeting = Meeting.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/meetings/{meeting.pk}/"
    assert meeting.held_on == held_on and set(meeting.chairs.all()) == {*chairs}
    assert health in meeting.invited_people.all()
    assert meeting.items.exists()  # the agenda, built from the alerted world
    assert AuditEvent.objects.filter(object_type="mace_agenda", object_id=meeting.pk).exists()
    page = client.get(answer["Location"]).content.decode()
    assert "its agenda lists" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"held_on": "16/12/2026"}, "Enter the meeting date as a date"),
        ({"held_on": "2020-01-01"}, "The meeting date is in the past"),
        ({"chairs": "one"}, "Name two co-chairs"),
        ({"chairs": []}, "Choose the two co-chairs."),
    ],
)
def test_bad_plan_shows_the_form_again_and_stores_nothing(
    chairs: Any, agencies: Any, change: dict[str, Any], message: str
) -> None:
    body: dict[str, Any] = {
        "held_on": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
        "chairs": [c.pk for c in chairs],
        "invited_agencies": [agencies["health"].pk],
    }
    body.update(change)
    if body["chairs"] == "one":
        body["chairs"] = [chairs[0].pk]
    answer = signed_in(chairs[0]).post("/meetings/new/", body)
    assert answer.status_code == 422
    content = answer.content.decode()
    assert message in content and "There is a problem: no meeting was planned" in content
    assert "<title>Error: Plan a MACE meeting" in content
    if "chairs" in change:  # the summary's link goes to the first box of the list
        assert 'href="#id_chairs_0"' in content and 'id="id_chairs_0"' in content
    assert not Meeting.objects.exists()


def test_plan_page_is_404_without_meeting_manage(health: Any) -> None:
    client = signed_in(health)
    assert client.get("/meetings/new/").status_code == 404
    assert 'href="/meetings/new/"' not in client.get("/meetings/").content.decode()

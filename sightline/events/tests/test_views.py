from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sightline.accounts.tests.clients import signed_in
from sightline.audit.models import AuditEvent
from sightline.events.kinds import event_parse
from sightline.events.tests.helpers import missing
from sightline.workflows import event_receive

pytestmark = pytest.mark.django_db


def test_child_page_and_missing_page(officer: Any, front_door: Any, education_lead: Any) -> None:
    body = missing("V-1", started=dt.timedelta(days=5), returned=dt.timedelta(days=4))
    result = event_receive(acting_user=officer, agency=officer.agency, data=event_parse(body))
    child = result.event.child
    page = signed_in(front_door).get(f"/events/children/{child.pk}/")
    assert page.status_code == 200
    assert result.event.reference.encode() in page.content
    assert b"Overdue" in page.content
    assert child.given_name.encode() not in page.content
    assert AuditEvent.objects.filter(object_type="child_events", child_id=child.pk).exists()
    assert signed_in(education_lead).get(f"/events/children/{child.pk}/").status_code == 404
    missing_page = signed_in(front_door).get("/events/missing/")
    assert missing_page.status_code == 200
    assert child.reference.encode() in missing_page.content
    assert signed_in(education_lead).get("/events/missing/").status_code == 404


def test_interview_form_records_and_redirects(officer: Any, front_door: Any) -> None:
    body = missing("V-2", started=dt.timedelta(days=2), returned=dt.timedelta(days=1))
    result = event_receive(acting_user=officer, agency=officer.agency, data=event_parse(body))
    url = f"/events/episodes/{result.event.pk}/interview/"
    client = signed_in(front_door)
    assert client.get(url).status_code == 200
    bad = client.post(url, {"status": "not_offered", "at": "2026-13-01 10:00"})
    assert bad.status_code == 422
    when = (dt.datetime.now() - dt.timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")  # noqa: DTZ005
    ok = client.post(url, {"status": "completed", "at": when, "interviewer": "RHI worker"})
    assert ok.status_code == 302
    result.event.episode.refresh_from_db()
    assert result.event.episode.interview_status == "completed"


def test_missing_overview_has_every_month_of_the_year(officer: Any, front_door: Any) -> None:
    """Twelve calendar months ending with this one, oldest first, quiet months as zeros (the
    table and chart skipped them, and the window ran to 13 or 14 months)."""
    from django.utils import timezone

    from sightline.core.dates import add_months
    from sightline.events.selectors import missing_overview

    body = missing("V-M1", started=dt.timedelta(days=100), returned=dt.timedelta(days=99))
    event_receive(acting_user=officer, agency=officer.agency, data=event_parse(body))
    old = missing("V-M0", started=dt.timedelta(days=420), returned=dt.timedelta(days=419))
    event_receive(acting_user=officer, agency=officer.agency, data=event_parse(old))
    now = timezone.now()
    months = missing_overview(user=front_door, at=now).months
    this_month = timezone.localtime(now).date().replace(day=1)
    expected = [add_months(this_month, n - 11).strftime("%Y-%m") for n in range(12)]
    assert [m.month for m in months] == expected
    started = timezone.localtime(now - dt.timedelta(days=100)).strftime("%Y-%m")
    assert {m.month: m.episodes for m in months if m.episodes} == {started: 1}
    assert sum(1 for m in months if m.episodes == 0 and m.median_hours is None) == 11

"""A partner-event detector's alert is acknowledged (reviewed) or closed (actioned, or
dismissed with a reason) like intel's alerts: through the API and from the child's events
page, audited, by roles that act on alerts and only on alerts they may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sightline.accounts.roles import Role
from sightline.accounts.tests.clients import signed_in, token_client
from sightline.accounts.tests.factories import UserFactory
from sightline.audit.models import AuditEvent
from sightline.events.kinds import event_parse
from sightline.events.models import EventAlert
from sightline.events.tests.helpers import missing
from sightline.workflows import event_receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(officer: Any) -> EventAlert:
    """A repeat-missing alert (the third episode in 90 days)."""
    for n, days in enumerate((20, 10, 2)):
        body = missing(f"AA-{n}", started=dt.timedelta(days=days))
        event_receive(acting_user=officer, agency=officer.agency, data=event_parse(body))
    return EventAlert.objects.get(detector="repeat_missing")


def _post(client: Any, alert: EventAlert, **body: Any) -> Any:
    return client.post(
        f"/api/v1/events/alerts/{alert.pk}/status", body, content_type="application/json"
    )


def test_api_acknowledges_then_closes_an_event_alert(alert: EventAlert, front_door: Any) -> None:
    client = token_client(front_door)
    reviewed = _post(client, alert, status="reviewed")
    assert reviewed.status_code == 200, reviewed.content
    assert reviewed.json()["status"] == "reviewed"
    closed = _post(client, alert, status="dismissed", reason="Known; plan in place already.")
    assert closed.status_code == 200
    alert.refresh_from_db()
    assert (alert.status, alert.status_changed_by) == ("dismissed", front_door)
    assert alert.status_reason == "Known; plan in place already."
    audit = AuditEvent.objects.filter(object_type="event_alert", object_id=str(alert.pk))
    assert list(audit.filter(action="record.change").values_list("details__to", flat=True)) == [
        "reviewed",
        "dismissed",
    ]
    listed = token_client(front_door).get("/api/v1/alerts?status=dismissed").json()
    assert alert.reference in [a["reference"] for a in listed["results"]]


def test_api_refuses_bad_steps_and_stores_nothing(alert: EventAlert, front_door: Any) -> None:
    client = token_client(front_door)
    assert _post(client, alert, status="dismissed").status_code == 422  # no reason
    assert _post(client, alert, status="new").status_code == 422
    assert _post(client, alert, status="actioned").status_code == 200
    assert _post(client, alert, status="reviewed").status_code == 409  # closed stays closed
    alert.refresh_from_db()
    assert alert.status == "actioned"


def test_api_refuses_roles_that_do_not_act_on_alerts(alert: EventAlert, csc: Any) -> None:
    # A head of service sees missing children (and so the alert) but does not act on alerts.
    head = UserFactory(username="ev-head", agency=csc, role=Role.HEAD_OF_SERVICE)
    assert _post(token_client(head), alert, status="reviewed").status_code == 403
    # A school's lead cannot see the alert at all: 404, as for one that does not exist.
    lead = UserFactory(username="ev-lead2", agency=csc, role=Role.EDUCATION_LEAD)
    assert _post(token_client(lead), alert, status="reviewed").status_code == 404
    alert.refresh_from_db()
    assert alert.status == "new"
    assert not AuditEvent.objects.filter(object_type="event_alert", action="record.change").exists()


def test_page_acknowledges_an_alert_from_the_childs_events(
    alert: EventAlert, front_door: Any
) -> None:
    client = signed_in(front_door)
    page = client.get(f"/events/children/{alert.child_id}/")
    assert f"/events/alerts/{alert.pk}/status/" in page.content.decode()
    done = client.post(f"/events/alerts/{alert.pk}/status/", {"status": "reviewed"}, follow=True)
    assert done.status_code == 200
    assert f"Alert {alert.reference} updated." in done.content.decode()
    alert.refresh_from_db()
    assert alert.status == "reviewed"


def test_page_tells_a_missing_reason_and_changes_nothing(
    alert: EventAlert, front_door: Any
) -> None:
    client = signed_in(front_door)
    done = client.post(f"/events/alerts/{alert.pk}/status/", {"status": "dismissed"}, follow=True)
    assert "Give the reason for dismissing this alert." in done.content.decode()
    alert.refresh_from_db()
    assert alert.status == "new"


def test_page_refuses_a_role_without_the_action(alert: EventAlert, csc: Any) -> None:
    head = UserFactory(username="ev-head2", agency=csc, role=Role.HEAD_OF_SERVICE)
    client = signed_in(head)
    page = client.get(f"/events/children/{alert.child_id}/")
    assert f"/events/alerts/{alert.pk}/status/" not in page.content.decode()
    assert (
        client.post(f"/events/alerts/{alert.pk}/status/", {"status": "reviewed"}).status_code == 404
    )
    alert.refresh_from_db()
    assert alert.status == "new"

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sightline.accounts.roles import Role
from sightline.accounts.tests.clients import token_client
from sightline.accounts.tests.factories import UserFactory
from sightline.audit.models import AuditEvent
from sightline.events.models import Event, EventAlert, MissingEpisode
from sightline.events.tests.helpers import CHILD, ago, missing
from sightline.intel.models import Mention

pytestmark = pytest.mark.django_db
URL = "/api/v1/events"


def post(client: Any, body: dict[str, Any], **headers: Any) -> Any:
    return client.post(URL, body, content_type="application/json", **headers)


def test_police_incident_is_stored_and_resent_changes_nothing(officer: Any) -> None:
    client = token_client(officer)
    body = {
        "kind": "police_incident",
        "source_id": "INC-1",
        "occurred_at": ago(hours=3),
        "child": CHILD,
        "incident_type": "found_with_adults",
        "what_happened": "Found in a car park at 2am with two adults.",
        "persons_named": [{"name": "Testo Adultman", "role": "found_with", "approximate_age": 30}],
        "vehicles": ["KX19 ABC"],
    }
    first = post(client, body)
    assert first.status_code == 201, first.content
    assert first.json()["child"]["match"] == "confirmed_new"
    again = post(client, body)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Event.objects.count() == 1
    mentions = Mention.objects.filter(source_id=first.json()["id"])
    assert {m.entity_type for m in mentions} == {"person", "vehicle"}
    assert all(m.referral_id is None for m in mentions)


def test_idempotency_key_replays_the_first_answer(officer: Any) -> None:
    client = token_client(officer)
    body = missing("MISS-1", started=dt.timedelta(hours=5))
    a = post(client, body, HTTP_IDEMPOTENCY_KEY="k1")
    b = post(client, body, HTTP_IDEMPOTENCY_KEY="k1")
    assert a.status_code == b.status_code == 201
    assert a.json() == b.json()
    assert MissingEpisode.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"kind": "bus_ride"}, "kind"),
        (missing("M-2", started=dt.timedelta(hours=5), returned=dt.timedelta(hours=6)), "before"),
        (missing("M-3", started=dt.timedelta(hours=-5)), "future"),
        (
            {
                "kind": "health_attendance",
                "source_id": "H-1",
                "occurred_at": ago(hours=1),
                "attendance_type": "sexual_health",
            },
            "child",
        ),
    ],
)
def test_bad_events_are_refused_with_a_reason_and_store_nothing(
    officer: Any, health_lead: Any, body: dict[str, Any], needle: str
) -> None:
    user = health_lead if body.get("kind") == "health_attendance" else officer
    response = post(token_client(user), body)
    assert response.status_code == 422, response.content
    assert needle in response.content.decode()
    assert Event.objects.count() == 0


def test_police_cannot_send_health_attendances(officer: Any) -> None:
    body = {
        "kind": "health_attendance",
        "source_id": "H-2",
        "occurred_at": ago(hours=1),
        "child": CHILD,
        "attendance_type": "emergency_department",
    }
    response = post(token_client(officer), body)
    assert response.status_code == 422
    assert Event.objects.count() == 0


def test_return_by_patch_sets_the_interview_due_time(officer: Any) -> None:
    client = token_client(officer)
    created = post(client, missing("M-4", started=dt.timedelta(hours=30))).json()
    returned = ago(hours=2)
    response = client.patch(
        f"{URL}/{created['id']}",
        {"returned_at": returned, "found_where": "a flat", "found_with": "two adults"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    episode = MissingEpisode.objects.get(event_id=created["id"])
    assert episode.returned_at is not None
    assert episode.interview_due_at == episode.returned_at + dt.timedelta(hours=72)
    assert episode.is_found_with_adults
    early = client.patch(
        f"{URL}/{created['id']}", {"returned_at": ago(days=3)}, content_type="application/json"
    )
    assert early.status_code in (409, 422)


def test_child_events_are_scoped_by_agency(
    officer: Any, education_lead: Any, front_door: Any
) -> None:
    created = post(token_client(officer), missing("M-5", started=dt.timedelta(hours=5))).json()
    child_id = created["child"]["id"]
    url = f"/api/v1/children/{child_id}/events"
    assert token_client(education_lead).get(url).status_code == 404
    seen = token_client(front_door).get(url, {"kind": "missing_episode"})
    assert seen.status_code == 200
    assert [e["reference"] for e in seen.json()] == [created["reference"]]
    assert AuditEvent.objects.filter(object_type="child_events", child_id=child_id).exists()


def test_event_detector_alerts_are_in_the_one_alerts_list(health_lead: Any, csc: Any) -> None:
    young = {
        **CHILD,
        "date_of_birth": (timezone.localdate() - dt.timedelta(days=12 * 365)).isoformat(),
    }
    body = {
        "kind": "health_attendance",
        "source_id": "H-U13",
        "occurred_at": ago(hours=2),
        "child": young,
        "attendance_type": "sexual_health",
        "reasons": ["sti_test"],
    }
    answer = post(token_client(health_lead), body)
    assert answer.status_code == 201, answer.content
    raised = EventAlert.objects.get(detector="under13_sexual_health")
    assert raised.reference in answer.json()["alerts_raised"]
    specialist = UserFactory(username="ev-cse", agency=csc, role=Role.CSE_SPECIALIST)
    listed = token_client(specialist).get("/api/v1/alerts").json()
    mine = [a for a in listed["results"] if a["kind"] == "event"]
    assert [(a["reference"], a["pattern"], a["trigger"]) for a in mine] == [
        (raised.reference, "P10", "under13_sexual_health")
    ]
    assert mine[0]["children"][0]["reference"] == raised.child.reference
    assert listed["count"] >= 1
    dismissed = token_client(specialist).get("/api/v1/alerts?status=dismissed").json()
    assert not [a for a in dismissed["results"] if a["kind"] == "event"]
    paged = token_client(specialist).get("/api/v1/alerts?offset=1&limit=5").json()
    assert raised.reference not in [a["reference"] for a in paged["results"]]


def test_return_interviews_due_and_overdue_are_listed_apart(
    officer: Any, front_door: Any, education_lead: Any
) -> None:
    client = token_client(officer)
    late = post(
        client, missing("M-20", started=dt.timedelta(days=5), returned=dt.timedelta(days=4))
    )
    due = post(
        client, missing("M-21", started=dt.timedelta(hours=9), returned=dt.timedelta(hours=8))
    )
    assert late.status_code == due.status_code == 201
    url = "/api/v1/missing/return-interviews"
    overdue = token_client(front_door).get(url, {"status": "overdue"})
    assert overdue.status_code == 200, overdue.content
    assert [e["reference"] for e in overdue.json()] == [late.json()["reference"]]
    assert overdue.json()[0]["is_overdue"] is True
    waiting = token_client(front_door).get(url, {"status": "due"}).json()
    assert [e["reference"] for e in waiting] == [due.json()["reference"]]
    assert token_client(front_door).get(url, {"status": "late"}).status_code == 422
    assert token_client(education_lead).get(url).status_code == 403


def test_safe_and_well_check_is_the_issues_name_for_the_kind(officer: Any) -> None:
    body = {
        "kind": "safe_and_well_check",
        "source_id": "SW-1",
        "occurred_at": ago(hours=1),
        "child": CHILD,
        "officer": "PC on the response team",
        "outcome": "Home and well.",
    }
    answer = post(token_client(officer), body)
    assert answer.status_code == 201, answer.content
    assert Event.objects.get(source_id="SW-1").kind == "safe_and_well"
    assert post(token_client(officer), {**body, "kind": "safe_and_well"}).status_code == 200


def test_return_interview_kind_records_the_episodes_interview(
    officer: Any, front_door: Any, education_lead: Any
) -> None:
    created = post(
        token_client(officer),
        missing("M-30", started=dt.timedelta(hours=30), returned=dt.timedelta(hours=20)),
    ).json()
    step = {
        "kind": "return_interview",
        "episode_source_id": "M-30",
        "status": "completed",
        "at": ago(hours=2),
        "interviewer": "RHI worker",
        "child_said": "Stayed at a friend's flat.",
    }
    assert post(token_client(officer), step).status_code == 403  # the police do not record it
    answer = post(token_client(front_door), step)
    assert answer.status_code == 201, answer.content
    assert answer.json()["id"] == created["id"]
    episode = MissingEpisode.objects.get(event_id=created["id"])
    assert episode.interview_status == "completed"
    assert episode.interview.child_said == "Stayed at a friend's flat."
    again = post(token_client(front_door), {**step, "status": "offered"})
    assert again.status_code == 409  # a completed interview cannot be offered again
    unknown = post(token_client(front_door), {**step, "episode_source_id": "M-404"})
    assert unknown.status_code == 404
    nothing = post(
        token_client(front_door), {k: v for k, v in step.items() if k != "episode_source_id"}
    )
    assert nothing.status_code == 422

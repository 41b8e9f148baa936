"""The detectors' API and pages end to end: the list, runs (inline, queued, refused), one
alerts list with the detectors' alerts and their pattern, acknowledging, and escalation of an
alert nobody acknowledged."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import timezone

from sightline.accounts.roles import Role
from sightline.accounts.tests.clients import signed_in, token_client
from sightline.accounts.tests.factories import AgencyFactory, UserFactory
from sightline.core.models import OutboxMessage
from sightline.referrals.tests.factories import submit
from sightline.reviews.models import DetectorRun, MissedOpportunity
from sightline.reviews.services import detector_run_execute, missed_opportunities_sweep
from sightline.workflows import decision_record, referral_screen

pytestmark = pytest.mark.django_db


@pytest.fixture
def users() -> dict[str, Any]:
    csc = AgencyFactory(kind="csc", code="csc")
    school = AgencyFactory(kind="education", code="school")
    return {
        "teacher": UserFactory(username="da-teacher", agency=school, role=Role.REFERRER),
        "worker": UserFactory(username="da-worker", agency=csc, role=Role.FRONT_DOOR_PRACTITIONER),
        "manager": UserFactory(username="da-manager", agency=csc, role=Role.TEAM_MANAGER),
        "head": UserFactory(username="da-head", agency=csc, role=Role.HEAD_OF_SERVICE),
        "reviewer": UserFactory(username="da-reviewer", agency=csc, role=Role.REVIEWER),
    }


def _closed_disclosure(users: dict[str, Any]) -> Any:
    result = submit(users["teacher"])
    referral_screen(acting_user=users["worker"], referral=result.referral,
                    referral_child=result.children[0].referral_child, marks=[])  # fmt: skip
    decision_record(acting_user=users["worker"], referral=result.referral,
                    outcome="no_further_action", reason="Advice given to the school.")  # fmt: skip
    return result


def test_detectors_list_every_pattern_with_parameters(users: dict[str, Any]) -> None:
    body = token_client(users["manager"]).get("/api/v1/detectors").json()
    assert [d["code"] for d in body] == [f"P{i}" for i in range(1, 23)]
    p2 = body[1]
    assert p2["parameters"] == {"working_days": 1} and p2["cannot_see"]
    assert token_client(users["teacher"]).get("/api/v1/detectors").status_code == 403


def test_alerts_list_shows_the_detectors_alert_with_its_pattern(users: dict[str, Any]) -> None:
    result = _closed_disclosure(users)
    body = token_client(users["manager"]).get("/api/v1/alerts").json()
    mine = [a for a in body["results"] if a["kind"] == "missed_opportunity"]
    assert [a["pattern"] for a in mine] == ["P3"]
    assert mine[0]["children"][0]["reference"] == result.children[0].referral_child.child.reference
    assert mine[0]["suggested_action"] and mine[0]["first_visible_on"]
    intel = [a for a in body["results"] if a["kind"] != "missed_opportunity"]
    assert all(a["pattern"] in ("P4", "P5", None) for a in intel)
    filtered = token_client(users["manager"]).get("/api/v1/alerts?status=reviewed").json()
    assert not [a for a in filtered["results"] if a["kind"] == "missed_opportunity"]


def test_an_unacknowledged_alert_escalates_and_an_acknowledged_one_does_not(
    users: dict[str, Any],
) -> None:
    _closed_disclosure(users)
    mo = MissedOpportunity.objects.get(pattern="P3")
    assert "da-manager" in mo.notified  # the worker's manager is told with the worker
    assert missed_opportunities_sweep(at=timezone.now())["escalated"] == 0
    later = timezone.now() + dt.timedelta(days=7)
    assert missed_opportunities_sweep(at=later)["escalated"] == 1
    mo.refresh_from_db()
    assert mo.status == "escalated"
    told = OutboxMessage.objects.filter(kind="missed_opportunity", recipient=users["head"])
    assert told.count() == 1
    assert missed_opportunities_sweep(at=later)["escalated"] == 0  # once
    url = f"/api/v1/missed-opportunities/{mo.pk}/acknowledge"
    client = token_client(users["worker"])
    done = client.post(url, {"note": "Booked."}, content_type="application/json").json()
    assert done["status"] == "acknowledged"
    assert client.post(url, {}, content_type="application/json").status_code == 409


def test_short_run_answers_at_once_and_a_long_one_is_queued(users: dict[str, Any]) -> None:
    result = _closed_disclosure(users)
    child = result.children[0].referral_child.child
    client = token_client(users["reviewer"])
    today = timezone.localdate()
    body = {"from": (today - dt.timedelta(days=30)).isoformat(), "to": today.isoformat(),
            "children": [str(child.pk)]}  # fmt: skip
    response = client.post("/api/v1/detectors/run", body, content_type="application/json")
    assert response.status_code == 200
    assert "P3" in {h["pattern"] for h in response.json()["hits"]}
    long = {"from": "2006-01-01", "to": today.isoformat()}
    response = client.post("/api/v1/detectors/run", long, content_type="application/json")
    assert response.status_code == 202
    run = DetectorRun.objects.get(pk=response.json()["run"])
    assert run.status == "queued" and run.hits == []
    detector_run_execute(run_id=run.pk, chunk=1)
    run.refresh_from_db()
    assert run.status == "done" and run.children_done == run.children_total >= 1
    assert "P3" in {h["pattern"] for h in run.hits}
    got = client.get(f"/api/v1/detectors/runs/{run.pk}").json()
    assert got["status"] == "done" and got["hits"]


@pytest.mark.parametrize(
    "body",
    [{"from": "2026-02-01", "to": "2026-01-01"}, {"from": "1950-01-01", "to": "2026-01-01"},
     {"from": "2026-01-01", "to": "2026-02-01", "children": [str(uuid.UUID(int=0))]},
     {"from": "yesterday", "to": "2026-01-01"}],
)  # fmt: skip
def test_bad_runs_are_refused_and_store_nothing(users: dict[str, Any], body: Any) -> None:
    client = token_client(users["reviewer"])
    response = client.post("/api/v1/detectors/run", body, content_type="application/json")
    assert response.status_code == 422
    assert not DetectorRun.objects.exists()


def test_report_page_runs_and_shows_hits(users: dict[str, Any]) -> None:
    result = _closed_disclosure(users)
    child = result.children[0].referral_child.child
    client = signed_in(users["reviewer"])
    assert client.get("/reviews/detectors/").status_code == 200
    today = timezone.localdate()
    bad = client.post("/reviews/detectors/run/", {"start": today.isoformat(), "end": "x"})
    assert bad.status_code == 422 and b"There is a problem" in bad.content
    response = client.post("/reviews/detectors/run/", {
        "start": (today - dt.timedelta(days=30)).isoformat(), "end": today.isoformat(),
        "children": child.reference,
    })  # fmt: skip
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert (
        page.status_code == 200
        and b"P3" in page.content
        and child.reference.encode() in page.content
    )
    assert child.given_name.encode() not in page.content


def test_alert_page_and_acknowledge(users: dict[str, Any]) -> None:
    _closed_disclosure(users)
    mo = MissedOpportunity.objects.get(pattern="P3")
    client = signed_in(users["worker"])
    page = client.get(f"/reviews/missed-opportunities/{mo.pk}/")
    assert page.status_code == 200 and b"Suggested action" in page.content
    response = client.post(f"/reviews/missed-opportunities/{mo.pk}/acknowledge/", {"note": "Done"})
    assert response.status_code == 302
    mo.refresh_from_db()
    assert mo.status == "acknowledged" and mo.acknowledged_by == users["worker"]

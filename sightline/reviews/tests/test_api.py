"""Reviews API end to end: the language check (and its 413), reviews, chronology and
recommendations, with bad input answered 4xx and nothing stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sightline.accounts.tests.clients import token_client
from sightline.intel.models import PersonOfConcern
from sightline.reviews.language import MAX_CHARS
from sightline.reviews.models import Recommendation, Review
from sightline.reviews.tests.factories import lead, review_with_history

pytestmark = pytest.mark.django_db
CHECK = "/api/v1/language/check"


def test_language_check_answers_flags_with_offsets(police_officer: Any) -> None:
    text = "She is putting herself at risk with her boyfriend (27)."
    body = token_client(police_officer).post(CHECK, {"text": text}, content_type="application/json")
    assert body.status_code == 200
    flags = body.json()["flags"]
    assert [f["phrase"] for f in flags] == ["putting herself at risk", "boyfriend"]
    assert text[flags[1]["start"] : flags[1]["end"]] == "boyfriend"
    assert set(flags[0]) == {"phrase", "start", "end", "category", "why", "alternatives"}


def test_language_check_reads_the_context(police_officer: Any, manager: Any) -> None:
    client = token_client(police_officer)
    peer = {"text": "Her boyfriend walked her home.", "context": {"child_age": 14}}
    peer["text"] = "Her boyfriend (15) walked her home."
    assert client.post(CHECK, peer, content_type="application/json").json()["flags"] == []
    person = PersonOfConcern.objects.create(reference="PC-2026-900001", estimated_birth_year=1999)
    about = {"text": "Her boyfriend walked her home.",
             "context": {"child_age": 14, "about_person_id": str(person.pk)}}  # fmt: skip
    answer = token_client(manager).post(CHECK, about, content_type="application/json")
    assert [f["phrase"] for f in answer.json()["flags"]] == ["boyfriend"]
    # A referrer cannot see persons of concern: the id is not confirmed to exist.
    assert client.post(CHECK, about, content_type="application/json").status_code == 404


def test_a_text_over_the_limit_is_refused_with_413(police_officer: Any) -> None:
    client = token_client(police_officer)
    answer = client.post(CHECK, {"text": "a" * (MAX_CHARS + 1)}, content_type="application/json")
    assert answer.status_code == 413
    assert "at most 100,000" in answer.json()["detail"]
    at_limit = client.post(CHECK, {"text": "a" * MAX_CHARS}, content_type="application/json")
    assert at_limit.status_code == 200


def test_roles_without_the_capability_are_refused(no_access: Any) -> None:
    answer = token_client(no_access).post(CHECK, {"text": "x"}, content_type="application/json")
    assert answer.status_code == 403


@pytest.fixture
def world(agencies: dict[str, Any], police_officer: Any, manager: Any) -> dict[str, Any]:
    sg = lead(agencies)
    return {
        **review_with_history(referrer=police_officer, decider=manager, lead_user=sg),
        "lead": sg,
    }


def test_a_review_is_started_read_and_its_chronology_listed(world: dict[str, Any]) -> None:
    client = token_client(world["lead"])
    today = timezone.localdate()
    made = client.post(
        "/api/v1/reviews",
        {"kind": "rapid_review", "title": "Rapid review after incident",
         "children": [str(world["child_id"])], "period_start": str(today - dt.timedelta(days=60)),
         "period_end": str(today), "incident_at": "2026-05-29T10:00:00Z"},
        content_type="application/json",
    )  # fmt: skip
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["notification_due_at"].startswith("2026-06-05T10:00")
    assert body["rapid_review_due_at"].startswith("2026-06-19T10:00")
    got = client.get(f"/api/v1/reviews/{body['id']}").json()
    assert got["reference"] == body["reference"]
    chronology = client.get(f"/api/v1/reviews/{body['id']}/chronology").json()
    assert [e["event_type"] for e in chronology["entries"]] == [
        "Referral", "CSE screening", "Decision"
    ]  # fmt: skip


def test_a_review_with_no_children_answers_422_and_stores_nothing(world: dict[str, Any]) -> None:
    before = Review.objects.count()
    answer = token_client(world["lead"]).post(
        "/api/v1/reviews",
        {"kind": "learning_review", "title": "x", "children": [],
         "period_start": "2026-01-01", "period_end": "2026-02-01"},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 422
    assert "children" in answer.json()["detail"]
    assert Review.objects.count() == before


def test_recommendations_through_the_api(world: dict[str, Any], manager: Any) -> None:
    client = token_client(world["lead"])
    url = f"/api/v1/reviews/{world['review'].pk}/recommendations"
    no_owner = client.post(
        url, {"text": "Train staff.", "due_on": "2026-01-01", "required_evidence": "List."},
        content_type="application/json",
    )  # fmt: skip
    assert no_owner.status_code == 422
    assert not Recommendation.objects.exists()
    made = client.post(
        url,
        {"text": "Train staff.", "owner_agency": manager.agency.code,
         "owner_username": manager.username, "due_on": "2020-01-01", "required_evidence": "List."},
        content_type="application/json",
    )  # fmt: skip
    assert made.status_code == 201
    rec = made.json()
    overdue = client.get("/api/v1/recommendations?status=overdue").json()
    assert [r["reference"] for r in overdue["results"]] == [rec["reference"]]
    assert overdue["results"][0]["overdue"] is True
    patch = f"/api/v1/recommendations/{rec['id']}"
    submitted = client.patch(
        patch, {"status": "evidence_submitted", "evidence": "Attendance list."},
        content_type="application/json",
    )  # fmt: skip
    assert submitted.status_code == 200
    own = client.patch(patch, {"status": "accepted"}, content_type="application/json")
    assert own.status_code == 403
    assert Recommendation.objects.get().status == "evidence_submitted"
    bad = client.get("/api/v1/recommendations?status=nonsense")
    assert bad.status_code == 422

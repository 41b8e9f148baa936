"""Intake, screening and decision drive the clocks (escalation) and the intelligence index
(intel) inside their own transactions: one API journey shows each hook doing its work."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from sightline.escalation.models import Clock, InboxItem
from sightline.intel.models import Mention
from sightline.referrals.models import Referral
from sightline.referrals.tests.test_api import PAYLOAD, api, post

pytestmark = pytest.mark.django_db


def clocks_by_name(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in body["clocks"]}


def test_intake_starts_the_decision_and_rag_clocks_and_the_api_shows_them(
    police_officer: Any, front_door: Any
) -> None:
    ref = post(api(police_officer), "/api/v1/referrals", PAYLOAD).json()["reference"]
    referral = Referral.objects.get(reference=ref)
    body = api(front_door).get(f"/api/v1/referrals/{ref}").json()
    clocks = clocks_by_name(body)
    assert set(clocks) == {"decision", "rag"}
    assert clocks["decision"]["status"] == "running"
    assert clocks["decision"]["due_at"].startswith(
        referral.decision_due_at.isoformat()[:16].replace("+00:00", "")
    )
    assert body["escalations"] == []


def test_high_screening_starts_a_strategy_clock_and_the_decision_meets_the_decision_clock(
    police_officer: Any, front_door: Any
) -> None:
    referrer = api(police_officer)
    ref = post(referrer, "/api/v1/referrals", PAYLOAD).json()["reference"]
    practitioner = api(front_door)
    marks = {"indicators": [{"code": "C2", "status": "present", "basis": "evidence"}]}
    marks["indicators"].append({"code": "B1", "status": "present", "basis": "evidence"})
    assert post(practitioner, f"/api/v1/referrals/{ref}/screening", marks).status_code == 200
    clocks = clocks_by_name(practitioner.get(f"/api/v1/referrals/{ref}").json())
    assert clocks["strategy_discussion"]["status"] == "running"
    assert clocks["screening_review"]["status"] == "running"
    assert clocks["rag"]["status"] == "met"

    decided = post(
        practitioner,
        f"/api/v1/referrals/{ref}/decision",
        {"outcome": "assessment", "reason": "High screening"},
    )
    assert decided.status_code == 200, decided.content
    clocks = clocks_by_name(practitioner.get(f"/api/v1/referrals/{ref}").json())
    assert clocks["decision"]["status"] == "met"
    assert clocks["assessment"]["status"] == "running"
    assert clocks["referrer_feedback"]["status"] == "met"
    notice = InboxItem.objects.get(user=police_officer, kind="decision_notice")
    assert ref in notice.subject


def test_vehicles_and_phones_in_the_api_become_mentions(police_officer: Any) -> None:
    body = copy.deepcopy(PAYLOAD)
    body["vehicles"] = ["NB19 XYZ"]
    body["phones"] = ["07700 900123"]
    response = post(api(police_officer), "/api/v1/referrals", body)
    assert response.status_code == 201, response.content
    referral = Referral.objects.get(reference=response.json()["reference"])
    kinds = sorted(Mention.objects.filter(referral=referral).values_list("entity_type", flat=True))
    assert "vehicle" in kinds
    assert "phone" in kinds
    assert "person" in kinds
    assert Clock.objects.filter(referral=referral, kind="decision").count() == 1


def test_the_same_child_twice_is_refused_and_nothing_is_stored(police_officer: Any) -> None:
    body = copy.deepcopy(PAYLOAD)
    body["children"] = [PAYLOAD["children"][0], dict(PAYLOAD["children"][0])]
    response = post(api(police_officer), "/api/v1/referrals", body)
    assert response.status_code == 422
    assert "children[1].given_name" in response.json()["detail"]
    assert Referral.objects.count() == 0


def test_a_date_of_birth_after_the_day_received_is_422_not_500(police_officer: Any) -> None:
    body = copy.deepcopy(PAYLOAD)
    body["received_at"] = "2025-01-10T10:00:00Z"
    body["children"][0]["date_of_birth"] = "2025-06-01"
    response = post(api(police_officer), "/api/v1/referrals", body)
    assert response.status_code == 422
    assert "received" in response.json()["detail"]["children[0].date_of_birth"]
    assert Referral.objects.count() == 0


@pytest.mark.parametrize("field", ["vehicles", "phones"])
def test_overlong_vehicle_or_phone_is_422(police_officer: Any, field: str) -> None:
    body = copy.deepcopy(PAYLOAD)
    body[field] = ["X" * 40]
    response = post(api(police_officer), "/api/v1/referrals", body)
    assert response.status_code == 422
    assert field in response.json()["detail"]
    assert Referral.objects.count() == 0


def test_a_received_at_in_year_one_is_refused_not_a_crash() -> None:
    import datetime as dt

    from django.utils import timezone

    from sightline.referrals.inputs import ChildInput, ReferralInput, ReferralInvalid, validate

    data = ReferralInput(
        narrative="A concern.",
        children=[ChildInput(given_name="Ava", family_name="Test", approximate_age=14)],
        received_at=dt.datetime(1, 1, 1, tzinfo=dt.UTC),
    )
    with pytest.raises(ReferralInvalid) as refused:
        validate(data, today=timezone.localdate(), now=timezone.now())
    assert "received_at" in refused.value.errors

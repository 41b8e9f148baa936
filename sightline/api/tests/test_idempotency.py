"""`Idempotency-Key` on POST /api/v1/referrals: a retry returns the first answer and stores
nothing new; another body with the same key is 422; a retry while the first is in flight is
409; a refused request releases its key; keys are purged only after two days."""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sightline.api.idempotency import LEASE, idempotency_purge
from sightline.api.models import IdempotencyRecord
from sightline.audit.models import AuditEvent
from sightline.core.models import OutboxMessage
from sightline.intel.models import Mention, Phone
from sightline.intel.services.indexing.store import IntakeStore
from sightline.referrals.models import Referral
from sightline.referrals.tests.test_api import PAYLOAD, api

pytestmark = pytest.mark.django_db


def send(client: Client, body: Any, key: str | None) -> Any:
    headers = {} if key is None else {"Idempotency-Key": key}
    return client.post(
        "/api/v1/referrals", data=json.dumps(body), content_type="application/json", headers=headers
    )


def test_same_key_and_body_returns_the_first_answer_and_stores_once(police_officer: Any) -> None:
    client = api(police_officer)
    first = send(client, PAYLOAD, "key-1")
    second = send(client, PAYLOAD, "key-1")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert Referral.objects.count() == 1
    assert OutboxMessage.objects.filter(kind="referral_received").count() == 1
    assert AuditEvent.objects.filter(action="record.create", object_type="referral").count() == 1


def test_same_key_with_another_body_is_422_and_stores_nothing_new(police_officer: Any) -> None:
    client = api(police_officer)
    assert send(client, PAYLOAD, "key-2").status_code == 201
    other = copy.deepcopy(PAYLOAD)
    other["narrative"] = "A different concern about another evening."
    response = send(client, other, "key-2")
    assert response.status_code == 422
    assert "different request body" in response.json()["detail"]
    assert Referral.objects.count() == 1


def test_a_retry_while_the_first_is_in_flight_is_409(police_officer: Any) -> None:
    body = json.dumps(PAYLOAD).encode()
    IdempotencyRecord.objects.create(
        user=police_officer,
        key="key-3",
        request_hash=hashlib.sha256(body).hexdigest(),
        lease="first-attempt",
        claimed_at=timezone.now(),
    )
    response = send(api(police_officer), PAYLOAD, "key-3")
    assert response.status_code == 409
    assert "still being processed" in response.json()["detail"]
    assert Referral.objects.count() == 0


def test_a_claim_whose_first_attempt_died_is_taken_over(police_officer: Any) -> None:
    body = json.dumps(PAYLOAD).encode()
    IdempotencyRecord.objects.create(
        user=police_officer,
        key="key-4",
        request_hash=hashlib.sha256(body).hexdigest(),
        lease="dead-attempt",
        claimed_at=timezone.now() - LEASE - dt.timedelta(seconds=1),
    )
    response = send(api(police_officer), PAYLOAD, "key-4")
    assert response.status_code == 201
    assert Referral.objects.count() == 1
    record = IdempotencyRecord.objects.get(key="key-4")
    assert record.completed_at is not None
    assert record.response_body is not None
    assert record.response_body["reference"] == response.json()["reference"]


def test_a_refused_request_releases_its_key_for_a_corrected_retry(police_officer: Any) -> None:
    client = api(police_officer)
    bad = copy.deepcopy(PAYLOAD)
    bad["children"][0]["date_of_birth"] = "2099-01-01"
    assert send(client, bad, "key-5").status_code == 422
    assert not IdempotencyRecord.objects.filter(key="key-5").exists()
    assert send(client, PAYLOAD, "key-5").status_code == 201
    assert Referral.objects.count() == 1


def test_keys_belong_to_one_user(police_officer: Any, teacher: Any) -> None:
    assert send(api(police_officer), PAYLOAD, "shared").status_code == 201
    assert send(api(teacher), PAYLOAD, "shared").status_code == 201
    assert Referral.objects.count() == 2


@pytest.mark.parametrize("key", ["", "x" * 256])
def test_an_empty_or_overlong_key_is_400(police_officer: Any, key: str) -> None:
    response = send(api(police_officer), PAYLOAD, key)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert Referral.objects.count() == 0


def test_keys_are_kept_a_day_and_purged_after_two(police_officer: Any) -> None:
    now = timezone.now()
    for name, age in (("fresh", 1), ("day-old", 25), ("stale", 49)):
        IdempotencyRecord.objects.create(
            user=police_officer,
            key=name,
            request_hash="0" * 64,
            lease=name,
            claimed_at=now - dt.timedelta(hours=age),
        )
    assert idempotency_purge() == 1
    assert set(IdempotencyRecord.objects.values_list("key", flat=True)) == {"fresh", "day-old"}


def _phone_unseen(monkeypatch: Any, times: int) -> list[int]:
    """The intake's read of known phone numbers finds nothing `times` times, as when another
    request stores the number between this request's read and its insert."""
    real = IntakeStore._load_phones
    calls: list[int] = []

    def unseen(self: Any, numbers: set[str]) -> None:
        calls.append(len(numbers))
        if len(calls) > times:
            real(self, numbers)

    monkeypatch.setattr(IntakeStore, "_load_phones", unseen)
    return calls


def another_child(body: dict[str, Any]) -> dict[str, Any]:
    other = copy.deepcopy(body)
    other["children"][0].update(given_name="Noor", family_name="Pellow", date_of_birth="2011-09-01")
    return other


@pytest.mark.parametrize("key", ["race-1", None])
def test_a_unique_conflict_with_a_concurrent_request_is_run_again_and_answers_201(
    police_officer: Any, monkeypatch: Any, caplog: Any, key: str | None
) -> None:
    client = api(police_officer)
    assert send(client, PAYLOAD, "first").status_code == 201
    calls = _phone_unseen(monkeypatch, times=1)
    response = send(client, another_child(PAYLOAD), key)
    assert response.status_code == 201, response.content
    assert len(calls) == 2, "run a second time after the conflict"
    assert Referral.objects.count() == 2
    phone = Phone.objects.get()
    assert Mention.objects.filter(entity_type="phone", entity_id=phone.pk).count() == 2
    assert "after a unique conflict" in caplog.text
    assert "7700900456" not in caplog.text, "the constraint's value is not logged"


def test_a_conflict_that_persists_answers_500_in_json_and_stores_nothing(
    police_officer: Any, monkeypatch: Any
) -> None:
    client = api(police_officer)
    assert send(client, PAYLOAD, "first").status_code == 201
    calls = _phone_unseen(monkeypatch, times=99)
    client.raise_request_exception = False
    response = send(client, another_child(PAYLOAD), "race-2")
    assert response.status_code == 500
    assert response.json()["detail"]
    assert len(calls) == 3
    assert Referral.objects.count() == 1
    assert Phone.objects.count() == 1
    assert not IdempotencyRecord.objects.filter(key="race-2").exists(), "the key is released"

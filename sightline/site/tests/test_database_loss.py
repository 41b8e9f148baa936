"""A database connection lost while a request runs (the server restarted, the network
dropped) is run again once when the request is safe to repeat: a read, or an API write with an
Idempotency-Key. Otherwise, or when the second run fails too, the answer is 503 with
Retry-After (JSON under /api/), never a 500 (ADR 0007).

The loss is simulated by making the database cursor raise OperationalError, as psycopg does
for a dropped connection, for the statements a test picks."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from sightline.accounts.tests.clients import signed_in, token_client
from sightline.api.models import IdempotencyRecord
from sightline.referrals.models import Referral
from sightline.referrals.tests.test_api import PAYLOAD

pytestmark = pytest.mark.django_db

LOST = "server closed the connection unexpectedly"


@contextmanager
def connection_lost(matches: Callable[[str], bool], times: int = 1) -> Iterator[dict[str, int]]:
    """The first `times` statements for which `matches(sql)` holds raise OperationalError."""
    real = CursorWrapper._execute  # type: ignore[attr-defined]
    state = {"left": times, "raised": 0}

    def execute(self: CursorWrapper, sql: str, *args: Any, **kwargs: Any) -> Any:
        if state["left"] > 0 and matches(sql):
            state["left"] -= 1
            state["raised"] += 1
            raise OperationalError(LOST)
        return real(self, sql, *args, **kwargs)

    with mock.patch.object(CursorWrapper, "_execute", execute):
        yield state


def token_lookup(sql: str) -> bool:
    return sql.lstrip().startswith("SELECT") and '"accounts_apitoken"' in sql


def referral_insert(sql: str) -> bool:
    return sql.lstrip().startswith("INSERT") and '"referrals_referral"' in sql


def post_referral(client: Client, key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        "/api/v1/referrals",
        data=json.dumps(PAYLOAD),
        content_type="application/json",
        headers=headers,
    )


def assert_unavailable_json(response: Any) -> None:
    assert response.status_code == 503
    assert response["Content-Type"].split(";")[0] == "application/json"
    assert "database" in response.json()["detail"]
    assert int(response["Retry-After"]) >= 1


def test_an_api_read_that_loses_its_connection_is_run_again(front_door: Any) -> None:
    client = token_client(front_door)
    with connection_lost(token_lookup) as lost:
        response = client.get("/api/v1/screening/indicators")
    assert lost["raised"] == 1
    assert response.status_code == 200
    assert response.json()


def test_an_api_read_that_loses_its_connection_twice_answers_503(front_door: Any) -> None:
    client = token_client(front_door)
    with connection_lost(token_lookup, times=2) as lost:
        response = client.get("/api/v1/screening/indicators")
    assert lost["raised"] == 2
    assert_unavailable_json(response)


def test_an_api_write_without_a_key_is_not_repeated_and_answers_503(police_officer: Any) -> None:
    client = token_client(police_officer)
    with connection_lost(referral_insert) as lost:
        response = post_referral(client)
    assert lost["raised"] == 1
    assert_unavailable_json(response)
    assert not Referral.objects.exists()


def test_an_api_write_with_an_idempotency_key_is_run_again_and_stored_once(
    police_officer: Any,
) -> None:
    client = token_client(police_officer)
    with connection_lost(referral_insert) as lost:
        response = post_referral(client, key="lost-once")
    assert lost["raised"] == 1
    assert response.status_code == 201
    assert Referral.objects.count() == 1
    record = IdempotencyRecord.objects.get(key="lost-once")
    assert record.completed_at is not None
    assert record.response_body == response.json()
    # The client's own retry with the same key gets the same answer, nothing new stored.
    again = post_referral(client, key="lost-once")
    assert again.status_code == 201
    assert again.json() == response.json()
    assert Referral.objects.count() == 1


def test_a_write_whose_key_could_not_be_released_is_still_run_again(
    police_officer: Any,
) -> None:
    """The first run loses the connection twice: in its work and again when giving its key
    back. The second run releases that stale claim of its own and completes."""

    def insert_then_release(sql: str) -> bool:
        release = sql.lstrip().startswith("DELETE") and '"api_idempotencyrecord"' in sql
        return referral_insert(sql) or release

    client = token_client(police_officer)
    with connection_lost(insert_then_release, times=2) as lost:
        response = post_referral(client, key="lost-twice")
    assert lost["raised"] == 2
    assert response.status_code == 201
    assert Referral.objects.count() == 1
    assert IdempotencyRecord.objects.get(key="lost-twice").completed_at is not None


def test_a_page_read_that_loses_its_connection_is_run_again(front_door: Any) -> None:
    client = signed_in(front_door)

    def queue_query(sql: str) -> bool:
        return sql.lstrip().startswith("SELECT") and '"referrals_referral"' in sql

    with connection_lost(queue_query) as lost:
        response = client.get("/referrals/")
    assert lost["raised"] == 1
    assert response.status_code == 200


def test_a_database_lost_before_the_view_answers_503_not_500(front_door: Any) -> None:
    client = signed_in(front_door)
    client.raise_request_exception = False
    with connection_lost(lambda sql: True, times=1000):
        response = client.get("/referrals/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert int(response["Retry-After"]) >= 1

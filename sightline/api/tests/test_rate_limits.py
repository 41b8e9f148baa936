"""Each API token is held to SIGHTLINE_API_RATE_PER_TOKEN requests: past it, 429 as JSON with
Retry-After, for that token alone. In production the counters are in Redis, shared by every
worker (ADR 0007)."""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.test import Client, override_settings
from django.utils import timezone
from freezegun import freeze_time

from sightline.accounts.services import api_token_issue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _early_in_a_minute() -> Iterator[None]:
    """The counters live in fixed windows of a minute: a test that crossed a minute's end
    would start counting again half way. The clock starts 5 s into a minute and runs."""
    with freeze_time(timezone.now().replace(second=5), tick=True):
        yield


INDICATORS = "/api/v1/screening/indicators"


def _client(user: Any) -> Client:
    _token, secret = api_token_issue(acting_user=None, user=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@override_settings(SIGHTLINE_API_RATE_PER_TOKEN="3/m")
def test_a_token_past_its_rate_gets_429_with_retry_after(front_door: Any) -> None:
    client = _client(front_door)
    assert [client.get(INDICATORS).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(INDICATORS)
    assert refused.status_code == 429
    assert refused["Content-Type"].split(";")[0] == "application/json"
    assert "Too many requests" in refused.json()["detail"]
    assert 1 <= int(refused["Retry-After"]) <= 60


@override_settings(SIGHTLINE_API_RATE_PER_TOKEN="3/m")
def test_the_limit_is_per_token(front_door: Any) -> None:
    first, second = _client(front_door), _client(front_door)
    for _ in range(3):
        first.get(INDICATORS)
    assert first.get(INDICATORS).status_code == 429
    assert second.get(INDICATORS).status_code == 200


@override_settings(SIGHTLINE_API_RATE_PER_TOKEN="3/m")
def test_requests_without_a_valid_token_are_not_counted_against_a_token(front_door: Any) -> None:
    client = _client(front_door)
    stranger = Client(HTTP_AUTHORIZATION="Bearer sl_not-a-real-token")
    assert all(stranger.get(INDICATORS).status_code == 401 for _ in range(5))
    assert client.get(INDICATORS).status_code == 200


def test_the_default_limit_leaves_a_busy_partner_system_alone(front_door: Any) -> None:
    client = _client(front_door)
    assert all(client.get(INDICATORS).status_code == 200 for _ in range(60))


@pytest.fixture
def production_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """The production settings' cache, on the Redis at 127.0.0.1:6379, under a key prefix of
    its own that is removed afterwards."""
    monkeypatch.setenv("SECRET_KEY", "a-test-secret-key-that-is-long-enough-" + "y" * 20)
    monkeypatch.setenv("DATABASE_URL", "sqlite:///tmp/sightline-settings-test.sqlite3")
    monkeypatch.setenv("CACHE_REDIS_URL", "redis://127.0.0.1:6379/1")
    monkeypatch.setenv("SIGHTLINE_AUDIT_SEAL_KEY", "a-test-audit-seal-key-long-enough-" + "z" * 8)
    production = importlib.import_module("config.settings.production")
    caches = {"default": {**production.CACHES["default"]}}
    prefix = f"sightline-test-{uuid.uuid4().hex[:12]}"
    caches["default"]["KEY_PREFIX"] = prefix
    connection = redis.Redis.from_url("redis://127.0.0.1:6379/1")
    try:
        with override_settings(CACHES=caches):
            yield {"settings": caches["default"], "prefix": prefix, "redis": connection}
    finally:
        for key in connection.scan_iter(f"{prefix}:*"):
            connection.delete(key)


@override_settings(SIGHTLINE_API_RATE_PER_TOKEN="3/m")
def test_in_production_the_counters_are_in_redis_for_every_worker(
    front_door: Any, production_cache: dict[str, Any]
) -> None:
    assert production_cache["settings"]["BACKEND"] == "django_redis.cache.RedisCache"
    client = _client(front_door)
    for _ in range(3):
        assert client.get(INDICATORS).status_code == 200
    # Another worker process sees the same counter: it is in Redis, not in this process.
    keys = list(production_cache["redis"].scan_iter(f"{production_cache['prefix']}:*"))
    assert len(keys) == 1
    assert int(production_cache["redis"].get(keys[0])) == 3
    assert client.get(INDICATORS).status_code == 429

"""The idempotency purge task deletes keys past two days, and a second run deletes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sightline.api.models import IdempotencyRecord
from sightline.api.tasks import idempotency_purge_task


@pytest.mark.django_db
def test_purge_task_removes_only_expired_keys_and_is_idempotent(police_officer: Any) -> None:
    now = timezone.now()
    for key, age in (("old", dt.timedelta(days=3)), ("recent", dt.timedelta(hours=30))):
        IdempotencyRecord.objects.create(
            user=police_officer, key=key, request_hash="0" * 64, lease=key, claimed_at=now - age
        )
    assert idempotency_purge_task.call() == 1
    assert idempotency_purge_task.call() == 0
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["recent"]

"""The health page: the database, and the audit sealer's lag with its alarm."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from sightline.audit.choices import Action
from sightline.audit.sealing import audit_seal
from sightline.audit.services import audit_record

pytestmark = pytest.mark.django_db


def _a_row() -> None:
    with transaction.atomic():
        audit_record(actor=None, action=Action.VIEW, object_type="referral", actor_username="probe")


def test_health_is_ok_when_everything_is_sealed() -> None:
    _a_row()
    audit_seal()
    answer = Client().get("/health/")
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    assert body["status"] == "ok"
    assert body["audit_unsealed_rows"] == 0


def test_health_raises_the_alarm_when_rows_wait_too_long_for_the_sealer(settings: Any) -> None:
    settings.SIGHTLINE_AUDIT_UNSEALED_ALARM_MINUTES = 5
    _a_row()
    with freeze_time(timezone.now() + dt.timedelta(minutes=6)):
        answer = Client().get("/health/")
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "alarm"
    assert body["audit_unsealed_rows"] >= 1

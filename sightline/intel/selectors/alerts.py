"""Reads of alerts, within scope: an alert raised by a restricted child's referral is shown
only to the users who may see that referral."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from sightline.accounts.roles import Cap
from sightline.intel.choices import AlertStatus
from sightline.intel.models import Alert
from sightline.intel.selectors.scope import _can, hidden_referrals


def alert_list(*, user: Any, status: str | None = None) -> QuerySet[Alert]:
    if not _can(user, Cap.ALERT_VIEW):
        return Alert.objects.none()
    qs = Alert.objects.select_related("fired_by")
    qs = qs.filter(status=status) if status else qs.exclude(status=AlertStatus.WITHDRAWN)
    # An alert raised by a restricted child's referral is not shown to other users.
    qs = qs.exclude(fired_by__in=hidden_referrals(user=user))
    return qs.order_by("priority", "-created_at")


def alert_get(*, user: Any, alert_id: Any) -> Alert | None:
    try:
        pk = uuid.UUID(str(alert_id))
    except ValueError:
        return None
    return alert_list(user=user, status=None).filter(pk=pk).first() or (
        alert_list(user=user, status=AlertStatus.WITHDRAWN).filter(pk=pk).first()
    )

"""The meetings app's background task: evaluate meeting actions' due dates (overdue, then
escalated to the chairs) and sweep the disruption register (expiries, expiry warnings,
persons of concern left without a disruption). The scheduler enqueues it every ten minutes.

Meeting actions are not escalation Clocks: a Clock belongs to a referral (ADR 0501)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task

from sightline.meetings.apps import meetings_sweep_at


@task()
def meetings_sweep_task() -> dict[str, Any]:
    """Idempotent: each overdue notice, escalation and alert happens once."""
    return meetings_sweep_at(timezone.now())

"""Escalation's background task: the sweep of overdue clocks and challenge stages. The
scheduler (`sightline.site.scheduler`) enqueues it every minute."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django_tasks import task

from sightline.escalation.services import performance_months_fold, sweep
from sightline.escalation.services.sweep import BATCH_SIZE

log = logging.getLogger("sightline.escalation")


@task()
def sweep_task(*, at: str | None = None, batch_size: int = BATCH_SIZE) -> dict[str, Any]:
    """Sweep overdue clocks and challenge stages as if at `at` (an ISO date-time; default now)
    and return the sweep's report.

    Idempotent: each clock and challenge stage records the rung it reached, and a sweep acts
    only on clocks whose next check is due, claimed under row locks, so a second run (or two at
    once) raises and climbs nothing the first did (`test_two_concurrent_sweeps_...`)."""
    moment = dt.datetime.fromisoformat(at) if at else None
    report = sweep(at=moment, batch_size=batch_size).as_dict()
    # the performance page's rows of differences, folded to one per month and agency
    report["performance_rows_folded"] = performance_months_fold()
    log.info("swept: %s", report)
    return report

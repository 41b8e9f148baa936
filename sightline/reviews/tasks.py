"""The reviews app's background tasks. The scheduler (`sightline.site.scheduler`) enqueues the
overdue-recommendations flag every hour and the missed-opportunity sweep every ten minutes;
a retrospective detector run is enqueued when a reviewer asks for a long one."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.db import transaction
from django_tasks import task

from sightline.reviews.models import DetectorRun
from sightline.reviews.services import (
    detector_run_execute,
    detector_run_task_set,
    missed_opportunities_sweep,
    recommendations_flag_overdue,
)

log = logging.getLogger("sightline.reviews")


@task()
def recommendations_overdue_task() -> int:
    """Flag recommendations past their due date; idempotent (each is flagged once)."""
    count = recommendations_flag_overdue()
    log.info("recommendations newly overdue: %d", count)
    return count


@task()
def missed_opportunities_sweep_task() -> dict[str, Any]:
    """The time-based missed-opportunity detectors and the escalation of unacknowledged
    alerts; idempotent (each hit has a key and is raised once)."""
    report = missed_opportunities_sweep()
    log.info("missed opportunities swept: %s", report)
    return report


@task()
def detector_run_task(*, run_id: str) -> int:
    """A retrospective run over a long period or every child, with its progress on the row."""
    run = detector_run_execute(run_id=uuid.UUID(run_id))
    return run.hit_count


def detector_run_enqueue(run: DetectorRun) -> None:
    """Hand a queued run to the worker once the request's transaction commits."""

    def _enqueue() -> None:
        result = detector_run_task.enqueue(run_id=str(run.pk))
        detector_run_task_set(run=run, task_id=str(result.id))

    transaction.on_commit(_enqueue)

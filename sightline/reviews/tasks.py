"""The reviews app's background task: flag overdue recommendations. The scheduler
(`sightline.site.scheduler`) enqueues it every hour."""

from __future__ import annotations

import logging

from django_tasks import task

from sightline.reviews.services import recommendations_flag_overdue

log = logging.getLogger("sightline.reviews")


@task()
def recommendations_overdue_task() -> int:
    """Flag recommendations past their due date; idempotent (each is flagged once)."""
    count = recommendations_flag_overdue()
    log.info("recommendations newly overdue: %d", count)
    return count

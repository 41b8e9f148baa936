"""The API's background task: purge expired idempotency keys. The scheduler
(`sightline.site.scheduler`) enqueues it every ten minutes."""

from __future__ import annotations

import logging

from django_tasks import task

from sightline.api.idempotency import idempotency_purge

log = logging.getLogger("sightline.api")


@task()
def idempotency_purge_task() -> int:
    """Delete idempotency keys older than two days; returns how many were deleted.

    Idempotent: it deletes whatever is older than a cut-off, so a second run deletes nothing
    the first did not (only keys that have since grown old enough)."""
    purged = idempotency_purge()
    log.info("expired idempotency keys purged: %d", purged)
    return purged

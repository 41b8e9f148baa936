"""Intelligence's background task: recompute the connected groups of the picture. The
scheduler (`sightline.site.scheduler`) enqueues it every ten minutes."""

from __future__ import annotations

import logging

from django_tasks import task

from sightline.intel.services import groups_refresh

log = logging.getLogger("sightline.intel")


@task()
def groups_refresh_task() -> int:
    """Recompute the connected groups across the partnership; returns how many there are.

    Idempotent: the groups are recomputed from the entity links each time and replace the
    previous ones, so a second run with no new links gives the same groups (each run writes
    one audit row saying it ran)."""
    count = groups_refresh()
    log.info("connected groups: %d", count)
    return count

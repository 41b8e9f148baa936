"""The events sweep: findings that come from time passing (a child found with adults none of
whom is linked after five working days; return interviews overdue for children with no
referral). The scheduler (`sightline.site.scheduler`) enqueues it every ten minutes."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django_tasks import task

from sightline.events.services import events_sweep

log = logging.getLogger("sightline.events")


@task()
def events_sweep_task(*, at: str | None = None) -> dict[str, Any]:
    """Idempotent: each finding has a key and is raised once."""
    moment = dt.datetime.fromisoformat(at) if at else None
    report = events_sweep(at=moment)
    log.info("events swept: %s", report)
    return report

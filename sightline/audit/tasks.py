"""The audit trail's background task: seal committed rows into keyed checkpoints. The
scheduler (`sightline.site.scheduler`) enqueues it every minute."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from sightline.audit.sealing import audit_seal, unsealed_lag

log = logging.getLogger("sightline.audit")


@task()
def audit_seal_task() -> dict[str, Any]:
    """Seal every committed row that can be sealed, then check the lag.

    Idempotent: the sealer holds its own lock for the pass and starts after the last
    checkpoint, so a second run (or two at once) seals nothing twice. Rows left unsealed past
    SIGHTLINE_AUDIT_UNSEALED_ALARM_MINUTES are logged as an error (the health page shows it)."""
    report = audit_seal()
    lag = unsealed_lag()
    line = (
        f"audit sealed: {report.rows_sealed} rows, {report.gaps} gaps, "
        f"{report.checkpoints} checkpoints; unsealed {lag.rows} rows, oldest {lag.seconds:.0f} s"
    )
    if report.problem:
        log.error("audit sealer stopped: %s", report.problem)
    if lag.is_alarm:
        log.error("ALARM %s (over %s minutes)", line, lag.alarm_minutes)
    else:
        log.info(line)
    return {
        "rows_sealed": report.rows_sealed,
        "gaps": report.gaps,
        "checkpoints": report.checkpoints,
        "unsealed_rows": lag.rows,
        "unsealed_seconds": lag.seconds,
        "alarm": lag.is_alarm,
        "problem": report.problem,
    }

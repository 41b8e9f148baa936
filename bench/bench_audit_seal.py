"""The audit sealer under intake load (ADR 0006), PostgreSQL only: the `intake_api` run on
its own (1,000 referrals from 8 clients to 3 gunicorn workers, after 400 to 1 worker), with
`manage.py audit_seal --loop 1` beside the 3 workers.

Reported: rows sealed per second by one timed `audit_seal()` pass over everything written
before the 3-worker load (the borough's rows and the 1-worker phase's, the sealer stopped
until then), and the largest and 95th-percentile lag of the oldest unsealed row, sampled
twice a second while the 3 workers take referrals and the sealer runs every second.

Knobs: those of `intake_api` (BENCH_INTAKE_REFERRALS defaults to 1000 here,
BENCH_INTAKE_SINGLE to 400)."""

from __future__ import annotations

import os
from typing import Any

import bench_intake
from _common import Context, row

NAME = "audit_seal"
TITLE = "Audit sealing under intake load: rows sealed per second, largest sealing lag"

DEFAULTS = {
    "BENCH_INTAKE_DATABASES": "postgresql",
    "BENCH_INTAKE_REFERRALS": "1000",
    "BENCH_INTAKE_SINGLE": "400",
    "BENCH_INTAKE_PROBE": "0",
}


def run(ctx: Context) -> dict[str, Any]:
    saved = {k: os.environ.get(k) for k in DEFAULTS}
    for key, value in DEFAULTS.items():
        if key == "BENCH_INTAKE_DATABASES" or not os.environ.get(key):
            os.environ[key] = value
    try:
        result = bench_intake.run(ctx)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    pg = result["databases"].get("postgresql", {})
    seal = pg.get("audit_seal")
    if not seal:
        reason = pg.get("not_run") or pg.get("failed") or "no sealing figures"
        return {"rows": [row("audit_seal", f"not run: {reason}", database="PostgreSQL")]}
    db = pg["database"]
    backlog, lag = seal["backlog_pass"], seal["lag_under_load"]
    rows = [
        row(
            f"rows sealed per second, one pass over {backlog['rows_sealed']:,} rows "
            f"({backlog['checkpoints']} checkpoints)",
            backlog["rows_per_s"],
            "/s",
            database=db,
        ),
        row(
            f"largest sealing lag under load ({pg['referrals_per_s']} referrals/s, "
            f"{pg['workers']} workers, sealer every 1 s; {lag['samples']} samples)",
            lag["max_lag_s"],
            "s",
            database=db,
        ),
        row("sealing lag under load, p95", lag["p95_lag_s"], "s", database=db),
        row(
            "load average (1 min) before, after the load",
            ", ".join(str(x) for x in pg["load_average_before_after"]),
            "",
            database=db,
        ),
    ]
    return {"intake": pg, "rows": rows}

"""Online candidate match alone (part 1 of `bench_intel.py`), for when the key plan or the
ranking changes and the network and batch parts need not run again: 1,000,000 persons of
concern on PostgreSQL (throwaway database on 127.0.0.1:5432), 500 mentions written with
errors, p95 of the whole call and the share of mentions whose true person is in the top 5.
Same knobs as `bench_intel.py` (BENCH_INTEL_PERSONS, BENCH_INTEL_QUERIES, BENCH_PG_PORT,
BENCH_PG_USER)."""

from __future__ import annotations

import io
import json
import os
from typing import Any

import bench_intel

NAME = "intel_candidates"
TITLE = "Intel: online candidate match at 1,000,000 persons (key plan and ranking)"


def run(ctx: Any = None) -> dict[str, Any]:
    import psycopg

    log = getattr(ctx, "log", print)
    bench_intel._setup_django()
    name = f"sightline_bench_candidates_{os.getpid()}"
    admin = psycopg.connect(bench_intel.PG + " dbname=postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(bench_intel.PG + f" dbname={name}") as conn:
            rows = bench_intel._bench_candidates(conn, log)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
    return {"rows": rows}


if __name__ == "__main__":
    buf = io.StringIO()
    json.dump(run(), buf, indent=1, default=str)
    print(buf.getvalue())

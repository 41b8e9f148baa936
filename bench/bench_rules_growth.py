"""The bulk indexer's alert rules for one entity named N times (ADR 0905), in memory: the
rules over the whole history after each mention (the path before) against the running books,
one after the other in a child process (`bench/rules_growth.py`, which can also be run by
hand). Reported: CPU seconds of each at N = 100, 200 and 400 mentions and their ratio, and
how the books' CPU grows from one size to the next. The N mentions are spread over the same
two years whatever N is, so the place's 90-day windows hold N/8 mentions each and the window
ending at the newest mention, re-counted after each one, makes the books grow as N x N/8 here;
a real place's window holds what happened in 90 days, whatever the length of its history.

Knob: BENCH_RULES_GROWTH_SIZES (comma-separated, default "100,200,400")."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from _common import BENCH_DIR, Context, row, sqlite_env

NAME = "rules_growth"
TITLE = "Bulk index: alert rules for one entity named N times, books against whole history"


def _sizes() -> list[str]:
    raw = os.environ.get("BENCH_RULES_GROWTH_SIZES", "100,200,400")
    return [x.strip() for x in raw.split(",") if x.strip()]


def run(ctx: Context) -> dict[str, Any]:
    env = sqlite_env(ctx.results_dir / "rules_growth_unused.sqlite3")  # no database is opened
    done = subprocess.run(
        [str(ctx.python), str(BENCH_DIR / "rules_growth.py"), *_sizes()],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    rows = []
    for r in result["runs"]:
        n = r["mentions"]
        rows.append(
            row(f"N = {n}: rules over the whole history, CPU", r["whole_history_cpu_s"], "s")
        )
        rows.append(row(f"N = {n}: rules on the books, CPU", r["books_cpu_s"], "s"))
        rows.append(row(f"N = {n}: whole history / books", r["ratio"], "x"))
    runs = result["runs"]
    if len(runs) >= 2 and runs[-2]["books_cpu_s"]:
        growth = runs[-1]["books_cpu_s"] / runs[-2]["books_cpu_s"]
        step = runs[-1]["mentions"] / runs[-2]["mentions"]
        rows.append(
            row(f"books CPU, N = {runs[-1]['mentions']} over N = {runs[-2]['mentions']} "
                f"({step:g} times the mentions, in the same two years)", round(growth, 2), "x")
        )  # fmt: skip
    rows.append(row("load average at the start", result["load_average"][0], ""))
    return {"rows": rows, "detail": result}

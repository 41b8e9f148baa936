"""Building the intelligence index for a borough's history: `manage.py intel_index`.

For SQLite and then PostgreSQL (a throwaway database on 127.0.0.1, dropped afterwards; the
`intake_api` benchmark's helpers make and drop it), and for each size in BENCH_INDEX_SIZES
(children; 960 and 4,800 children give about 2,000 and 10,000 referrals over two years):

1. `migrate`, then `demo_borough --children N --years 2 --seed 11` (no `--with-history`), so
   the referrals are on record and nothing is indexed;
2. in a child process with its own Django setup, `intel_bulk_index()` (what `intel_index` and
   `demo_borough --with-history` call) indexes them all, timed: wall clock, the process's CPU
   seconds, and the load average before and after;
3. at the smallest size only, the same borough again indexed by `intel_index_one_by_one()`
   (`intel_index --one-by-one`, the pre-bulk path, read and write referral by referral) for
   the speed-up; both give the same entities and alerts (`test_bulk_index.py`).

Knobs: BENCH_INDEX_SIZES (children, default "960,4800"), BENCH_INDEX_DATABASES
("sqlite,postgresql"), BENCH_INDEX_BASELINE (1: time the one-by-one path at the first size).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from _common import Context, row  # noqa: E402

NAME = "intel_index"
TITLE = "Building the intelligence index for a borough's history (intel_index)"
SEED = 11


def _sizes() -> list[int]:
    raw = os.environ.get("BENCH_INDEX_SIZES", "960,4800")
    return [int(s) for s in raw.split(",") if s.strip()]


def _databases() -> list[str]:
    raw = os.environ.get("BENCH_INDEX_DATABASES", "sqlite,postgresql")
    return [d.strip() for d in raw.split(",") if d.strip()]


def child(mode: str) -> dict[str, Any]:
    """Runs in the subprocess: index every referral, measured."""
    import django

    django.setup()
    from sightline.intel.services import intel_bulk_index
    from sightline.intel.services.bulk import intel_index_one_by_one

    index = intel_bulk_index if mode == "bulk" else intel_index_one_by_one
    load_before = os.getloadavg()
    cpu, wall = time.process_time(), time.perf_counter()
    counts = index()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return {
        "mode": mode,
        "counts": counts,
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "referrals_per_s": round(counts["referrals"] / wall, 1) if wall else None,
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
    }


def _measure(ctx: Context, env: dict[str, str], mode: str) -> dict[str, Any]:
    done = subprocess.run(
        [str(ctx.python), __file__, "child", mode],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"indexing ({mode}) failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _one_database(ctx: Context, kind: str, sizes: list[int], baseline: bool) -> list[Any]:
    import bench_intake as bi

    runs: list[dict[str, Any]] = []
    for i, children in enumerate(sizes):
        modes = ["bulk", "one_by_one"] if baseline and i == 0 else ["bulk"]
        for mode in modes:
            with tempfile.TemporaryDirectory(prefix="sl-index-") as tmp:
                if kind == "sqlite":
                    maker: Any = bi.sqlite_database(Path(tmp))
                else:
                    maker = bi.postgresql_database(bi.Settings())
                with maker as db:
                    env = bi.app_env(db)
                    bi.manage(ctx, env, "migrate", "--verbosity", "0")
                    bi.manage(
                        ctx,
                        env,
                        "demo_borough",
                        *("--children", str(children), "--years", "2", "--seed", str(SEED)),
                        *("--truth", str(Path(tmp) / "truth.json")),
                        timeout=1800,
                    )
                    ctx.log(f"{kind}: {children} children loaded; indexing ({mode})")
                    result = _measure(ctx, env, mode)
                    result.update(database=db.version, children=children)
                    ctx.log(f"{kind}: {result}")
                    runs.append(result)
    return runs


def _rows(kind: str, runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for r in runs:
        n = r["counts"]["referrals"]
        what = "bulk" if r["mode"] == "bulk" else "one by one (before)"
        rate = r["referrals_per_s"]
        out += [
            row(f"{n:,} referrals, {what}: rate", rate, "referrals/s", database=kind),
            row(f"{n:,} referrals, {what}: wall clock", r["wall_s"], "s", database=kind),
            row(f"{n:,} referrals, {what}: CPU of the indexer", r["cpu_s"], "s", database=kind),
            row(
                f"{n:,} referrals, {what}: load average (1 min) before, after",
                f"{r['load_before'][0]}, {r['load_after'][0]}",
                database=kind,
            ),
        ]
    return out


def run(ctx: Context) -> dict[str, Any]:
    import bench_intake as bi

    sizes = _sizes()
    baseline = os.environ.get("BENCH_INDEX_BASELINE", "1") == "1"
    result: dict[str, Any] = {"rows": [], "runs": {}}
    for kind in _databases():
        try:
            runs = _one_database(ctx, kind, sizes, baseline)
        except bi.NotRunError as exc:
            result["rows"].append(row("indexing", f"not run: {exc}", database=kind))
            continue
        result["runs"][kind] = runs
        result["rows"] += _rows(kind, runs)
    return result


if __name__ == "__main__" and len(sys.argv) > 2 and sys.argv[1] == "child":
    print(json.dumps(child(sys.argv[2])))

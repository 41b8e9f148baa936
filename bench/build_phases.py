"""Child process of bench_growth (or run by hand): `demo_borough --with-history` on the
database in DATABASE_URL, timed by phase. The command's functions are wrapped, not changed:
generating the borough, the children and the referrals written by `borough_load` (time spent
in bulk_create for each model, and the rest of the load), the intelligence index (time in
`index_referral` against time in the alert rules, and the final write), the clocks, the
partner events and the casework history; wall time and this process's CPU time, and the
garbage collector's share of it, by phase (on a shared machine the CPU time is the steadier
figure; the database server's is not in it). A sampler thread counts the
innermost sightline function of the main thread once a second, a poor man's profiler.
Prints JSON last, also when stopped by SIGTERM (the phase it was in, what it had spent).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/db .venv/bin/python bench/build_phases.py \
        --children 48800 --years 2 --seed 11
"""

from __future__ import annotations

import collections
import gc
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.models import QuerySet  # noqa: E402

from sightline.demo.management.commands import demo_borough  # noqa: E402
from sightline.intel.services import bulk  # noqa: E402

SPENT: dict[str, float] = collections.defaultdict(float)
CPU: dict[str, float] = collections.defaultdict(float)  # this process's CPU time by phase
SAMPLES: collections.Counter[str] = collections.Counter()
PHASE = ["start"]
# The cyclic garbage collector's CPU time and runs, by phase (ADR 0910: it was a third of the
# events import's CPU until the import held it back).
GC_CPU: dict[str, float] = collections.defaultdict(float)
GC_RUNS: collections.Counter[str] = collections.Counter()
_GC_START = [0.0]


def _collector_timed(phase: str, _info: dict[str, Any]) -> None:
    if phase == "start":
        _GC_START[0] = time.process_time()
        return
    GC_CPU[PHASE[0]] += time.process_time() - _GC_START[0]
    GC_RUNS[PHASE[0]] += 1


def _timed(name: str, fn: Callable[..., Any], phase: bool = False) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if phase:
            PHASE[0] = name
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[name] += time.perf_counter() - t0
            CPU[name] += time.process_time() - c0

    return wrapper


_bulk_create = QuerySet.bulk_create


def _bulk_create_timed(self: QuerySet[Any], objs: Any, *args: Any, **kwargs: Any) -> Any:
    t0 = time.perf_counter()
    try:
        return _bulk_create(self, objs, *args, **kwargs)
    finally:
        SPENT[f"{PHASE[0]}: bulk_create {self.model.__name__}"] += time.perf_counter() - t0


def _sampler(main: int, stop: threading.Event) -> None:
    """Once a second: the innermost sightline frame of the main thread, by phase."""
    while not stop.wait(1.0):
        frame = sys._current_frames().get(main)
        while frame is not None and "/sightline/" not in frame.f_code.co_filename:
            frame = frame.f_back
        where = "?"
        if frame is not None:
            where = f"{frame.f_code.co_filename.split('/sightline/')[-1]}:{frame.f_code.co_name}"
        SAMPLES[f"{PHASE[0]} | {where}"] += 1


def main() -> None:
    args = sys.argv[1:]
    cmd = demo_borough
    cmd.generate_borough = _timed("generate", cmd.generate_borough, phase=True)  # type: ignore[attr-defined]
    cmd.borough_load = _timed("load (children, referrals, decisions)", cmd.borough_load, phase=True)  # type: ignore[attr-defined]
    cmd.workforce_generate = _timed("workforce", cmd.workforce_generate, phase=True)  # type: ignore[attr-defined]
    cmd.intel_bulk_index = _timed("index (with alerts)", cmd.intel_bulk_index, phase=True)  # type: ignore[attr-defined]
    cmd.clocks_backfill = _timed("clocks", cmd.clocks_backfill, phase=True)  # type: ignore[attr-defined]
    cmd.demo_events_load = _timed("partner events", cmd.demo_events_load, phase=True)  # type: ignore[attr-defined]
    cmd.demo_casework_load = _timed("casework", cmd.demo_casework_load, phase=True)  # type: ignore[attr-defined]
    bulk.index_referral = _timed("index: index_referral", bulk.index_referral)  # type: ignore[attr-defined]
    bulk.alerts_in_memory = _timed("index: alert rules", bulk.alerts_in_memory)  # type: ignore[attr-defined]
    bulk.picture_write = _timed("index: write", bulk.picture_write)  # type: ignore[attr-defined]
    QuerySet.bulk_create = _bulk_create_timed  # type: ignore[method-assign]
    gc.callbacks.append(_collector_timed)
    stop = threading.Event()
    sampler = threading.Thread(target=_sampler, args=(threading.get_ident(), stop), daemon=True)
    sampler.start()
    load0 = os.getloadavg()
    t0 = time.perf_counter()

    def report(finished: bool) -> None:
        stop.set()
        print(
            json.dumps(
                {
                    "finished": finished,
                    "phase_when_stopped": "" if finished else PHASE[0],
                    "total_s": round(time.perf_counter() - t0, 1),
                    "load_average_before": [round(x, 2) for x in load0],
                    "load_average_after": [round(x, 2) for x in os.getloadavg()],
                    "spent_s": {k: round(v, 1) for k, v in sorted(SPENT.items())},
                    "cpu_s": {k: round(v, 1) for k, v in sorted(CPU.items())},
                    "cpu_s_all": round(time.process_time(), 1),
                    "collector_cpu_s": {k: round(v, 1) for k, v in sorted(GC_CPU.items())},
                    "collector_runs": dict(sorted(GC_RUNS.items())),
                    "samples": SAMPLES.most_common(40),
                }
            ),
            flush=True,
        )

    def stopped(_signum: int, _frame: Any) -> None:  # a run stopped by a deadline says so
        report(False)
        os._exit(1)

    signal.signal(signal.SIGTERM, stopped)
    call_command("demo_borough", *args, "--with-history", "--truth", os.devnull)
    report(True)


if __name__ == "__main__":
    main()

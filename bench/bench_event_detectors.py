"""Partner-event detectors (P6, P7, P8, P10, P11) over demo boroughs with their partner events
(SQLite, one process each).

For each seed, two 300-child boroughs over 2 years are generated and loaded with their
partner events (`demo_borough`'s path: referrals, intel index, then `demo_events_load`, which
imports each agency's events through the `events_import` workflow and records the return
interviews): one with 2 planted networks, one with none. The detectors run as the events
arrive; then the events sweep (found with an unlinked adult after 5 working days, return
interview overdue without a referral) runs once at the end.

Figures: planted networks' children with an event alert, and with a repeat-missing alert;
alerts per 100 children by detector on the no-network boroughs (ordinary children's noise:
short missing episodes, A&E visits, absences) and on the planted ones; events per 100
children; time to load one borough's events. Knobs: BENCH_EVENT_DETECTORS_SEEDS (1,2,3).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from _common import row, sqlite_env  # noqa: E402

NAME = "event_detectors"
TITLE = "Partner-event detectors on demo boroughs with their events: hits per 100 children"
SEEDS = [int(s) for s in os.environ.get("BENCH_EVENT_DETECTORS_SEEDS", "1,2,3").split(",")]


def child(seed: int, networks: int) -> dict[str, Any]:
    """Runs in the subprocess: one borough and its events, then the alerts counted."""
    import django

    django.setup()
    from sightline.demo.events_load import demo_events_load
    from sightline.demo.generator import generate_borough
    from sightline.demo.quality import _matched
    from sightline.demo.services import borough_load
    from sightline.events.models import EventAlert
    from sightline.events.services import events_sweep
    from sightline.intel.services import intel_bulk_index
    from sightline.people.models import Child

    borough = generate_borough(children=300, years=2, seed=seed, networks=networks)
    with tempfile.TemporaryDirectory() as tmp:
        borough_load(borough=borough, truth_path=Path(tmp) / "truth.json")
    intel_bulk_index()
    started = time.perf_counter()
    report = demo_events_load(borough=borough)
    seconds = time.perf_counter() - started
    events_sweep()
    key_of = _matched(borough).child_key_by_id
    network_keys = {c for n in borough.truth["networks"] for c in n["child_keys"]}
    alerts = list(EventAlert.objects.values_list("detector", "child_id"))
    hit = {key_of.get(c) for _, c in alerts}
    repeat = {key_of.get(c) for d, c in alerts if d == "repeat_missing"}
    return {
        "seed": seed,
        "networks": networks,
        "children": Child.objects.count(),
        "events": report.stored,
        "network_children": len(network_keys),
        "network_children_hit": len(network_keys & hit),
        "network_children_repeat_missing": len(network_keys & repeat),
        "by_detector": dict(Counter(d for d, _ in alerts)),
        "ordinary_children_hit": len(hit - network_keys - {None}),
        "seconds": round(seconds, 2),
    }


def _one(template: Path, work: Path, job: tuple[int, int]) -> dict[str, Any]:
    seed, networks = job
    db = work / f"e-{seed}-{networks}.sqlite3"
    shutil.copyfile(template, db)
    done = subprocess.run(
        [sys.executable, __file__, "child", str(seed), str(networks)],
        env=sqlite_env(db), cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    db.unlink(missing_ok=True)
    if done.returncode != 0:
        raise RuntimeError(f"borough {job} failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _per100(c: Counter[str], n: int) -> str:
    return ", ".join(f"{k} {100 * c[k] / max(1, n):.1f}" for k in sorted(c)) or "none"


def run(ctx: Any = None) -> dict[str, Any]:
    log = ctx.log if ctx is not None else print
    jobs = [(s, 2) for s in SEEDS] + [(s, 0) for s in SEEDS]
    with tempfile.TemporaryDirectory(prefix="sl-event-detectors-") as tmp:
        work = Path(tmp)
        template = work / "template.sqlite3"
        subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"],
                       env=sqlite_env(template), cwd=ROOT, check=True)  # fmt: skip
        log(f"{len(jobs)} boroughs on {os.cpu_count()} cores")
        with ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
            results = list(pool.map(lambda j: _one(template, work, j), jobs))
    planted = [r for r in results if r["networks"]]
    quiet = [r for r in results if not r["networks"]]
    kids = sum(r["network_children"] for r in planted)
    quiet_children = sum(r["children"] for r in quiet)
    quiet_by: Counter[str] = Counter()
    planted_by: Counter[str] = Counter()
    for r in quiet:
        quiet_by.update(r["by_detector"])
    for r in planted:
        planted_by.update(r["by_detector"])
    planted_events = sum(r["events"] for r in planted)
    planted_children = sum(r["children"] for r in planted)
    rows = [
        row("boroughs (300 children, 2 years), seeds", ", ".join(map(str, SEEDS))),
        row("planted networks' children with an event alert",
            f"{sum(r['network_children_hit'] for r in planted)} of {kids}"),
        row("planted networks' children with a repeat-missing alert (P6)",
            f"{sum(r['network_children_repeat_missing'] for r in planted)} of {kids}"),
        row("no-network boroughs: event alerts per 100 children",
            round(100 * sum(quiet_by.values()) / max(1, quiet_children), 2)),
        row("no-network boroughs: alerts per 100 children by detector",
            _per100(quiet_by, quiet_children)),
        row("planted boroughs: alerts per 100 children by detector",
            _per100(planted_by, sum(r["children"] for r in planted))),
        row("events per 100 children (planted, no-network)",
            f"{100 * planted_events / max(1, planted_children):.0f}, "
            f"{100 * sum(r['events'] for r in quiet) / max(1, quiet_children):.0f}"),
        row("loading one borough's events (workflows), slowest", max(r["seconds"] for r in results),
            "s"),
    ]  # fmt: skip
    for r in rows:
        r["database"] = "sqlite"
    return {"rows": rows, "boroughs": results}


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "child":
        sys.path.insert(0, str(ROOT))
        print(json.dumps(child(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        print(json.dumps(run(), indent=1))

"""Missed-opportunity detectors (P1 to P22) over demo boroughs (SQLite, one process each).

For each seed, two 300-child boroughs over 2 years are generated and loaded (as the linking
benchmark does): one with 2 planted networks, one with none. Intel indexes every referral in
order (the intake path, nobody confirming anything), then every detector runs over every
child's whole history (the retrospective run, as of each date).

Figures:
- planted networks' children with at least one hit, and with a network hit (P4 or P5);
- hits per 100 children on the no-network boroughs, by pattern. A "false hit" is a hit on a
  no-network borough of a pattern that claims a shared adult or place across children (P4,
  P5): there is none to find there. The other patterns describe practice on one child's
  record (a disclosure with no strategy discussion, a closure while screened high), which the
  generator's ordinary referrals do contain; they are listed by pattern, not called false;
- time to run every detector over one borough.

Knobs: BENCH_DETECTORS_SEEDS (default 1,2,3,4,5,2026).
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

NAME = "detectors"
TITLE = "Missed-opportunity detectors on demo boroughs: planted networks found, false hits"
SEEDS = [int(s) for s in os.environ.get("BENCH_DETECTORS_SEEDS", "1,2,3,4,5,2026").split(",")]
FALSE_PATTERNS = ("P4", "P5")
NETWORK_PATTERNS = ("P4", "P5")


def child(seed: int, networks: int) -> dict[str, Any]:
    """Runs in the subprocess: one borough, every detector over every child."""
    import django

    django.setup()
    from django.db import transaction

    from sightline.demo.generator import generate_borough
    from sightline.demo.quality import _matched
    from sightline.demo.services import borough_load
    from sightline.intel.services import intel_bulk_index
    from sightline.people.models import Child
    from sightline.reviews.detectors import histories_for, hits_for

    borough = generate_borough(children=300, years=2, seed=seed, networks=networks)
    with tempfile.TemporaryDirectory() as tmp:
        borough_load(borough=borough, truth_path=Path(tmp) / "truth.json")
    intel_bulk_index()
    key_of = _matched(borough).child_key_by_id
    network_keys = {c for n in borough.truth["networks"] for c in n["child_keys"]}
    ids = list(Child.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    with transaction.atomic():
        hits = hits_for(histories_for(ids).values())
    seconds = time.perf_counter() - started
    by_pattern: Counter[str] = Counter(h.pattern for h in hits)
    children_by_pattern: Counter[str] = Counter(
        p for p, _c in {(h.pattern, h.child_id) for h in hits}
    )
    hit_children = {key_of.get(h.child_id) for h in hits}
    net_children = {key_of.get(h.child_id) for h in hits if h.pattern in NETWORK_PATTERNS}
    false_children = {
        key_of.get(h.child_id) for h in hits if h.pattern in FALSE_PATTERNS
    } - network_keys
    return {
        "seed": seed,
        "networks": networks,
        "children": len(ids),
        "network_children": len(network_keys),
        "network_children_hit": len(network_keys & hit_children),
        "network_children_network_hit": len(network_keys & net_children),
        "hits": len(hits),
        "by_pattern": dict(by_pattern),
        "children_by_pattern": dict(children_by_pattern),
        "false_hits": sum(
            1
            for h in hits
            if h.pattern in FALSE_PATTERNS and key_of.get(h.child_id) not in network_keys
        ),
        "false_children": len(false_children),
        "seconds": round(seconds, 2),
    }


def _one(template: Path, work: Path, job: tuple[int, int]) -> dict[str, Any]:
    seed, networks = job
    db = work / f"d-{seed}-{networks}.sqlite3"
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


def run(ctx: Any = None) -> dict[str, Any]:
    log = ctx.log if ctx is not None else print
    jobs = [(s, 2) for s in SEEDS] + [(s, 0) for s in SEEDS]
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="sl-detectors-") as tmp:
        work = Path(tmp)
        template = work / "template.sqlite3"
        subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"],
                       env=sqlite_env(template), cwd=ROOT, check=True)  # fmt: skip
        log(f"{len(jobs)} boroughs on {os.cpu_count()} cores")
        with ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
            results = list(pool.map(lambda j: _one(template, work, j), jobs))
    load_after = os.getloadavg()[0]
    planted = [r for r in results if r["networks"]]
    quiet = [r for r in results if not r["networks"]]
    kids = sum(r["network_children"] for r in planted)
    quiet_children = sum(r["children"] for r in quiet)
    quiet_patterns: Counter[str] = Counter()
    for r in quiet:
        quiet_patterns.update(r["by_pattern"])
    planted_patterns: Counter[str] = Counter()
    for r in planted:
        planted_patterns.update(r["by_pattern"])
    quiet_child_patterns: Counter[str] = Counter()
    for r in quiet:
        quiet_child_patterns.update(r.get("children_by_pattern", {}))
    per100 = 100 * sum(r["false_hits"] for r in quiet) / max(1, quiet_children)
    worst = max(quiet, key=lambda r: (r["false_hits"] / max(1, r["children"]), -r["seed"]))

    def fmt(c: Counter[str], n: int) -> str:
        order = sorted(c, key=lambda k: int(k[1:]))
        return ", ".join(f"{k} {100 * c[k] / max(1, n):.1f}" for k in order) or "none"

    rows = [
        row("boroughs (300 children, 2 years), seeds", ", ".join(map(str, SEEDS))),
        row("planted networks' children with a hit",
            f"{sum(r['network_children_hit'] for r in planted)} of {kids}"),
        row("planted networks' children with a network hit (P4 or P5)",
            f"{sum(r['network_children_network_hit'] for r in planted)} of {kids}"),
        row("no-network boroughs: false hits per 100 children (P4, P5)",
            round(per100, 2), "", goal="<= 1"),
        row(f"no-network borough with most false hits (seed {worst['seed']})",
            round(100 * worst["false_hits"] / max(1, worst["children"]), 2), "per 100 children"),
        row("no-network boroughs: hits per 100 children by pattern",
            fmt(quiet_patterns, quiet_children)),
        row("planted boroughs: hits per 100 children by pattern",
            fmt(planted_patterns, sum(r["children"] for r in planted))),
        row("no-network boroughs: children with a hit per 100 children, by pattern",
            fmt(quiet_child_patterns, quiet_children)),
        row("load average (1 min) before, after the run",
            f"{load_before:.2f}, {load_after:.2f}"),
        row("every detector over one borough (300 children), slowest",
            max(r["seconds"] for r in results), "s"),
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

"""Linking precision as the borough grows (issue 12): generate and load a borough once into a
template database on PostgreSQL, then for each run copy it, index it in bulk (`intel_index`'s
path) and measure the persons of concern against the generator's truth
(`sightline.demo.person_purity`: pairwise precision and recall over every person mention,
network and ordinary adults alike, and the largest person) with the planted-network recall
and precision of `sightline.demo.quality`. At 100,000 referrals one person held 11,265
mentions of hundreds of adults; the pooled linking benchmark's small boroughs never showed it.

    .venv/bin/python bench/linking_scale.py --children 9760 --seed 11 [--keep] [--events]
        [--out FILE]

The template (`sl_ls_<children>_<seed>`) is kept for the next run; `--keep` keeps the indexed
copy (`--run-db`, default `sl_ls_run`) too. Prints JSON last: the figures, index wall and CPU
time, load average. With `--events` the partner events are loaded after the index (as
`demo_borough` loads them) and every person mention is scored again, the events' included.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
RUN_DB = "sl_ls_run"


def _django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _borough(children: int, seed: int) -> Any:
    import datetime as dt

    from sightline.demo.generator import generate_borough

    return generate_borough(
        children=children, years=2, seed=seed, networks=None, end=dt.date(2026, 11, 30)
    )


def prepare(url: str, children: int, seed: int) -> None:
    _django(url)
    from django.core.management import call_command

    from sightline.demo.services import borough_load

    call_command("migrate", "--noinput", verbosity=0)
    borough_load(borough=_borough(children, seed), truth_path=Path(os.devnull))


def measure(url: str, children: int, seed: int, events: bool = False) -> dict[str, Any]:
    _django(url)
    from sightline.demo.person_purity import person_purity
    from sightline.demo.quality import measure as network_quality
    from sightline.intel.services.bulk import intel_bulk_index

    borough = _borough(children, seed)
    load0 = os.getloadavg()[0]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    counts = intel_bulk_index()
    index_s, index_cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    purity = person_purity(borough)
    quality = network_quality(borough)
    result = {
        "children": children,
        "seed": seed,
        "referrals": counts["referrals"],
        "index_s": round(index_s, 1),
        "index_cpu_s": round(index_cpu, 1),
        "load_average_before_after": [round(load0, 2), round(os.getloadavg()[0], 2)],
        "purity": purity.as_json(),
        "network_recall": quality.recall,
        "network_precision": quality.precision,
        "alerts_per_100": round(quality.alerts_per_100, 2),
    }
    if events:
        result["events"] = _events(borough)
    return result


def _events(borough: Any) -> dict[str, Any]:
    """Load the partner events after the index (as demo_borough does, without clocks) and score
    every person mention again, the events' included: their phase merges persons too."""
    from sightline.demo.events_load import demo_events_load
    from sightline.demo.person_purity import person_purity

    wall0, cpu0 = time.perf_counter(), time.process_time()
    loaded = demo_events_load(borough=borough, clocks=False)
    return {
        "stored": loaded.stored,
        "alerts": loaded.alerts,
        "load_s": round(time.perf_counter() - wall0, 1),
        "load_cpu_s": round(time.process_time() - cpu0, 1),
        "load_average_after": round(os.getloadavg()[0], 2),
        "purity": person_purity(borough, events=True).as_json(),
    }


def _psql(*sql: str) -> None:
    for statement in sql:
        subprocess.run(
            ["psql", f"{PG}/postgres", "-qAtc", statement], check=True, capture_output=True
        )


def _exists(name: str) -> bool:
    out = subprocess.run(
        ["psql", f"{PG}/postgres", "-qAtc", "SELECT datname FROM pg_database"],
        check=True,
        capture_output=True,
        text=True,
    )
    return name in out.stdout.split()


def _child(phase: str, url: str, args: argparse.Namespace) -> str:
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--phase",
            phase,
            "--url",
            url,
            "--children",
            str(args.children),
            "--seed",
            str(args.seed),
            *(["--events"] if args.events else []),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{phase} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--children", type=int, default=9760)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--phase", choices=["prepare", "measure"])
    parser.add_argument("--url")
    parser.add_argument("--run-db", default=RUN_DB, help="the indexed copy's name")
    parser.add_argument("--events", action="store_true", help="then load the partner events")
    args = parser.parse_args()
    if args.phase == "prepare":
        prepare(args.url, args.children, args.seed)
        return
    if args.phase == "measure":
        print(json.dumps(measure(args.url, args.children, args.seed, args.events)))
        return
    template = f"sl_ls_{args.children}_{args.seed}"
    if not _exists(template):
        t0 = time.perf_counter()
        _psql(f"CREATE DATABASE {template}")
        _child("prepare", f"{PG}/{template}", args)
        print(f"prepared {template} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    run = args.run_db
    if not run.replace("_", "").isalnum():
        raise SystemExit(f"not a database name: {run!r}")
    _psql(f"DROP DATABASE IF EXISTS {run}", f"CREATE DATABASE {run} TEMPLATE {template}")
    try:
        result = json.loads(_child("measure", f"{PG}/{run}", args).strip().splitlines()[-1])
    finally:
        if not args.keep:
            _psql(f"DROP DATABASE IF EXISTS {run}")
    print(json.dumps(result))
    if args.out:
        with args.out.open("a") as out:
            out.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()

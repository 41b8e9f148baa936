"""A/B of the demo build's partner-events phase (issue 10 §4): a database built by
`demo_borough --with-history` up to, not including, its partner events (`build`), copied, and
the events phase (`demo_events_load` over the same generated borough) run on each copy by a
given tree (`events`): wall time, the process's CPU seconds, the load average before and after,
and a digest of the intelligence and event tables it wrote (`bench/events_import_ab.py`'s).

    .venv/bin/python bench/events_phase_ab.py build TREE DB CHILDREN
    createdb -T DB DB_a; createdb -T DB DB_b
    nice -n 5 .venv/bin/python bench/events_phase_ab.py events TREE DB_a CHILDREN

Seed 11, two years, ending today (run both on the same day). Only 127.0.0.1 is contacted."""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import sys
import time
from pathlib import Path


def _setup(tree: str, db: str) -> None:
    sys.path.insert(0, str(Path(tree).resolve()))
    os.chdir(tree)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{db}"
    import django

    django.setup()


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    mode, tree, db, children = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    _setup(tree, db)
    from django.core.management import call_command

    from sightline.demo.management.commands import demo_borough

    if mode == "build":
        call_command("migrate", verbosity=0)
        real = demo_borough.demo_events_load
        demo_borough.demo_events_load = lambda **kw: real(  # type: ignore[assignment]
            borough=dataclasses.replace(kw["borough"], events=()), clocks=kw["clocks"]
        )
        call_command("demo_borough", children=children, years=2, seed=11, with_history=True)
        return
    from django.utils import timezone

    from sightline.demo.events_load import demo_events_load
    from sightline.demo.generator import generate_borough

    borough = generate_borough(
        children=children, years=2, seed=11, networks=None, end=timezone.localdate()
    )
    load0 = Path("/proc/loadavg").read_text().split()[0]
    cpu0, wall0 = _cpu(), time.perf_counter()
    report = demo_events_load(borough=borough, clocks=True)
    cpu, wall = _cpu() - cpu0, time.perf_counter() - wall0
    load1 = Path("/proc/loadavg").read_text().split()[0]
    print(json.dumps({"tree": tree, "db": db, "events_cpu_s": round(cpu, 1),
                      "events_wall_s": round(wall, 1), "load": [load0, load1],
                      "stored": report.stored, "alerts": report.alerts}))  # fmt: skip


if __name__ == "__main__":
    main()

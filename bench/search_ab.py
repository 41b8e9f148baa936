"""Search before and after in one process: another commit's search (default `main`) against
this tree's, alternating query by query over the same queries on the kept database of
`bench_search.py` (run that once with `BENCH_SEARCH_KEEP=1` first).

    nice -n 5 .venv/bin/python bench/search_ab.py [REF]

REF's `reporting/search.py`, `search_intel.py`, `search_entities.py` (where REF has it),
`search_query.py` and `scope.py` are read with `git show` and loaded as a separate package
(`_search_before`), their imports of each other pointed at it; everything else (the selectors,
matching, models) is this tree's. Each query runs through both searches (`search` alone, no
audit row), the order swapped every query; for each kind: p50 / p95 wall time, CPU per search
in this process (Python) and in the PostgreSQL backend (its /proc stat), statements per search,
and whether every query gave the same hits (type, id, title, score, reasons, in order). Prints
JSON; the load average beside. `BENCH_SEARCH_AB_DB` names another database loaded by
`bench_search.py` (with its `BENCH_SEARCH_CHILDREN` and `BENCH_SEARCH_PERSONS` as loaded).
"""

from __future__ import annotations

import importlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(BENCH_DIR.parent))

import bench_search as bench  # noqa: E402

MODULES = ("scope", "search_query", "search_intel", "search_entities", "search")


def _load_before(ref: str) -> Any:
    """REF's search modules as the package `_search_before`; returns its `search` module."""
    root = Path(tempfile.mkdtemp(prefix="search_ab_"))
    package = root / "_search_before"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in MODULES:
        shown = subprocess.run(
            ["git", "show", f"{ref}:sightline/reporting/{name}.py"],
            cwd=BENCH_DIR.parent,
            capture_output=True,
            text=True,
            check=False,
        )
        if shown.returncode:  # a module REF does not have (search_entities before 0872713)
            continue
        text = shown.stdout
        for other in MODULES:
            text = text.replace(f"sightline.reporting.{other} ", f"_search_before.{other} ")
            text = text.replace(f"sightline.reporting.{other}\n", f"_search_before.{other}\n")
        (package / f"{name}.py").write_text(text)
    sys.path.insert(0, str(root))
    return importlib.import_module("_search_before.search")


def _backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        return int(cur.fetchone()[0])


def _backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _key(result: Any) -> list[tuple[Any, ...]]:
    return [(h.type, h.id, h.title, h.score, tuple(h.reasons)) for h in result.hits]


def compare(
    modules: dict[str, Any], user: Any, texts: list[str], types: list[str] | None
) -> dict[str, Any]:
    from django.db import connection

    kinds = modules["after"].resolve_types(user=user, requested=types)
    pid = _backend_pid()
    figures = {
        side: {"wall": [], "client": 0.0, "server": 0.0, "statements": 0} for side in modules
    }
    counted = {"n": 0}

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        counted["n"] += 1
        return execute(sql, params, many, context)

    def once(side: str, text: str) -> Any:
        return modules[side].search(user=user, text=text, purpose="case_work", types=kinds)

    for text in texts[:10]:  # warm-up
        for side in modules:
            once(side, text)
    same = 0
    with connection.execute_wrapper(count):
        for i, text in enumerate(texts):
            keys = {}
            for side in list(modules)[:: 1 if i % 2 else -1]:
                f = figures[side]
                counted["n"] = 0
                server, client, began = _backend_cpu(pid), time.process_time(), time.perf_counter()
                result = once(side, text)
                f["wall"].append(time.perf_counter() - began)
                f["client"] += time.process_time() - client
                f["server"] += _backend_cpu(pid) - server
                f["statements"] += counted["n"]
                keys[side] = _key(result)
            same += keys["before"] == keys["after"]
    n = len(texts)
    return {
        side: {
            "p50_ms": bench._p(f["wall"], 50),
            "p95_ms": bench._p(f["wall"], 95),
            "cpu_python_ms": round(f["client"] / n * 1000, 2),
            "cpu_postgresql_ms": round(f["server"] / n * 1000, 2),
            "statements": round(f["statements"] / n, 2),
        }
        for side, f in figures.items()
    } | {"same_hits": f"{same} of {n}"}


def main() -> None:
    ref = sys.argv[1] if len(sys.argv) > 1 else "main"
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["SIGHTLINE_TEST_DATABASE_URL"] = (
        f"postgres://{bench.USER}@127.0.0.1:{bench.PORT}/"
        + os.environ.get("BENCH_SEARCH_AB_DB", bench.KEPT)
    )
    import django

    django.setup()
    from django.db import connection

    from sightline.accounts.models import User

    modules = {"before": _load_before(ref), "after": importlib.import_module(
        "sightline.reporting.search")}  # fmt: skip
    front_door = User.objects.get(username="b-fd")
    school_lead = User.objects.get(username="b-lead")
    with connection.cursor() as cur:
        children, persons = bench._queries(cur.cursor, random.Random(5))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BENCH_DIR.parent,
                            capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    out: dict[str, Any] = {
        "before": ref,
        "after": f"{commit} and the working tree",
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    for label, user, texts, types in (
        ("children, front door", front_door, children, ["child"]),
        ("children, education lead", school_lead, children, ["child"]),
        ("persons of concern, front door", front_door, persons, ["person"]),
        ("all five types, front door", front_door, children[::2] + persons[::2], None),
    ):
        out[label] = compare(modules, user, texts, types)
        print(label, json.dumps(out[label]), file=sys.stderr)
    out["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()

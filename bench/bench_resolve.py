"""Batch linkage at 1,000,000 records: `manage.py intel_resolve` (Splink on DuckDB) on the
synthetic person records of `demo.synthetic.write_people` (seed 3, 625,000 entities, about
1.6 records each, 999,858 records), as in issue 12 §4.

Reported: wall time, CPU time (user + system of the child process: the machine is shared, so
wall time depends on the load average, also reported at start and end), peak memory (RSS),
pairwise precision, recall and F1, and the *ceiling* of this data set: the F1 of the oracle
that links every pair of one entity's records that have at least one field besides the name
filled on both sides (and nothing else). Records of one entity that share only their name
(one written with a date of birth only, the other with a phone only) cannot be told from
namesakes: among such name-only pairs, even for names held by two records in the million, most
are different people (bench/README.md), so no model that does not link on a name alone can
pass that ceiling.

Knobs: BENCH_RESOLVE_ENTITIES (625000), BENCH_RESOLVE_SEED (3), BENCH_RESOLVE_THREADS (unset:
DuckDB's default, every core).
"""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(BENCH_DIR.parent))

from _common import row  # noqa: E402

NAME = "resolve"
TITLE = "Batch linkage: intel_resolve on 1,000,000 records"

ENTITIES = int(os.environ.get("BENCH_RESOLVE_ENTITIES", "625000"))
SEED = int(os.environ.get("BENCH_RESOLVE_SEED", "3"))
THREADS = os.environ.get("BENCH_RESOLVE_THREADS")


def _ceiling(source: Path, truth: dict[str, str], tmp: Path) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of the oracle described in the module's docstring."""
    import duckdb

    from sightline.intel.batch import pairwise_f1

    truth_csv = tmp / "truth.csv"
    with truth_csv.open("w") as fh:
        fh.write("id,entity\n")
        fh.writelines(f"{k},{v}\n" for k, v in truth.items())
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE j AS SELECT p.*, t.entity FROM read_csv(?, all_varchar = true) p "
        "JOIN read_csv(?, all_varchar = true) t USING (id)",
        [str(source), str(truth_csv)],
    )
    fields = ("date_of_birth", "address", "postcode", "phone")
    shared = " OR ".join(f"(l.{f} IS NOT NULL AND r.{f} IS NOT NULL)" for f in fields)
    edges = con.execute(
        "SELECT l.id, r.id FROM j l JOIN j r ON l.entity = r.entity AND l.id < r.id "  # noqa: S608
        f"WHERE {shared}"
    ).fetchall()
    con.close()
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    oracle = tmp / "oracle.csv"
    with oracle.open("w") as fh:
        fh.write("id,cluster_id\n")
        fh.writelines(f"{k},{find(k)}\n" for k in truth)
    return pairwise_f1(truth, oracle)


def measure(ctx: Any, log: Any) -> list[dict[str, Any]]:
    from sightline.demo.synthetic import write_people
    from sightline.intel.batch import pairwise_f1

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        source, target = tmp / "people.csv", tmp / "clusters.csv"
        truth = write_people(source, entities=ENTITIES, seed=SEED)
        log(f"{len(truth)} person records written; running intel_resolve")
        root = getattr(ctx, "root", BENCH_DIR.parent)
        python = str(getattr(ctx, "python", sys.executable))
        load_before = os.getloadavg()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        command = [python, "manage.py", "intel_resolve", "--input", str(source), "--output",
                   str(target), *(["--threads", THREADS] if THREADS else [])]  # fmt: skip
        done = subprocess.run(
            command, cwd=root, check=True, capture_output=True, text=True,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
        )  # fmt: skip
        elapsed = time.perf_counter() - began
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        load_after = os.getloadavg()
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        peak = after.ru_maxrss / 1024
        precision, recall, f1 = pairwise_f1(truth, target)
        log(done.stdout.strip())
        log("computing the data set's ceiling")
        _c_precision, c_recall, c_f1 = _ceiling(source, truth, tmp)
        trained = next(
            (line for line in done.stdout.splitlines() if line.startswith("trained on")), ""
        )
    db = "duckdb"
    return [
        row(f"intel_resolve wall time ({len(truth):,} records)", round(elapsed, 1), "s",
            database=db, goal="< 60 s"),
        row("intel_resolve CPU time (user + system)", round(cpu, 1), "s", database=db),
        row("load average at start (1, 5, 15 min)",
            ", ".join(f"{x:.1f}" for x in load_before), "", database=db),
        row("load average at end (1, 5, 15 min)",
            ", ".join(f"{x:.1f}" for x in load_after), "", database=db),
        row("intel_resolve peak memory (RSS)", round(peak), "MiB", database=db, goal="< 2048"),
        row("intel_resolve pairwise F1", round(f1, 4), "", database=db, goal=">= 0.995"),
        row("intel_resolve pairwise precision", round(precision, 4), "", database=db),
        row("intel_resolve pairwise recall", round(recall, 4), "", database=db),
        row("data set ceiling: oracle F1 (no link on a name alone)", round(c_f1, 4), "",
            database=db),
        row("data set ceiling: oracle recall", round(c_recall, 4), "", database=db),
        row("share of the ceiling reached (F1 / oracle F1)", round(f1 / c_f1, 4), "",
            database=db),
        row("model", trained, "", database=db),
    ]  # fmt: skip


def run(ctx: Any = None) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    log = getattr(ctx, "log", print)
    return {"rows": measure(ctx, log)}


if __name__ == "__main__":
    out = run()
    buf = io.StringIO()
    json.dump(out, buf, indent=1)
    print(buf.getvalue())

"""A/B of the partner-events import: two trees (say /work/main and this branch) import the
same file (`bench_events_import._file`) at the same time, each into its own copy of one
migrated database; reported per tree: wall time, the import process's CPU seconds, SQL
statements, what was stored, and a digest of every table the import writes (md5 over every
row's values, each random id replaced by the reference of its row, times of the run's own
clock replaced by a marker), so "the same rows" is checked, not assumed. The load average
is reported at the start and the end. Not part of `bench/run.py` (it needs two trees).

    .venv/bin/python bench/events_import_ab.py ROWS PREFIX TREE_A TREE_B [--keep]

Databases PREFIX_tpl, PREFIX_a, PREFIX_b on 127.0.0.1 (dropped at the end unless --keep).
The imports run under `nice -n 5` already: start the script itself without `nice`."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_events_import import _file

PG = ["-h", "127.0.0.1", "-U", "postgres"]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Columns that hold the run's own clock or a value derived from the row's random id.
_SKIP = {"created_at", "updated_at", "received_at", "at", "hash", "prev_hash", "row_hash"}


def _env(tree: Path, db: str) -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{db}"}  # fmt: skip


def _manage(tree: Path, db: str, *args: str) -> None:
    subprocess.run([str(tree / ".venv/bin/python"), "manage.py", *args], cwd=tree,
                   env=_env(tree, db), check=True, capture_output=True)  # fmt: skip


def _template(tree: Path, db: str) -> None:
    subprocess.run(["createdb", *PG, db], check=True)
    _manage(tree, db, "migrate", "--no-input")
    _manage(tree, db, "shell", "-c", (
        "from sightline.accounts.models import Agency, User;"
        "a=Agency.objects.create(code='police', name='Bench Police', kind='police');"
        "User.objects.create(username='bench-police', agency=a, role='police_analyst')"
    ))  # fmt: skip


def _start(tree: Path, db: str, path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["nice", "-n", "5", str(tree / ".venv/bin/python"), "manage.py", "import_events",
         str(path), "--kind", "missing_episode", "--agency", "police", "--no-notify"],
        cwd=tree, env=_env(tree, db), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip


def _norm(value: Any, refs: dict[str, str], now: dt.datetime) -> Any:
    if isinstance(value, dt.datetime):
        return "NOW" if value > now - dt.timedelta(days=1) else value.isoformat()
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    return UUID.sub(lambda m: refs.get(m.group(0), "ID"), text)


def digest(db: str) -> dict[str, str]:
    """md5 of each non-empty table, rows normalised and sorted."""
    now = dt.datetime.now(dt.UTC)
    out: dict[str, str] = {}
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{db}") as conn:
        tables = [t for (t,) in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema='public'"
            " AND table_type='BASE TABLE' ORDER BY 1")]  # fmt: skip
        refs: dict[str, str] = {}
        for t in tables:
            cols = {
                c
                for (c,) in conn.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name=%s", [t]
                )
            }
            if {"id", "reference"} <= cols:
                for i, r in conn.execute(f'SELECT id::text, reference FROM "{t}"'):  # noqa: S608
                    refs[i] = f"{t}:{r}"
        for t in tables:
            cur = conn.execute(f'SELECT * FROM "{t}"')  # noqa: S608
            names = [d.name for d in cur.description or ()]
            rows = cur.fetchall()
            if not rows or t.startswith(("django_", "auth_")):
                continue
            keep = [i for i, n in enumerate(names) if n not in _SKIP]
            lines = sorted("|".join(str(_norm(r[i], refs, now)) for i in keep) for r in rows)
            md5 = hashlib.md5("\n".join(lines).encode()).hexdigest()  # noqa: S324
            out[t] = f"{len(rows)} {md5}"
    return out


def main() -> None:
    rows, prefix, tree_a, tree_b = (
        int(sys.argv[1]),
        sys.argv[2],
        Path(sys.argv[3]),
        Path(sys.argv[4]),
    )
    keep = "--keep" in sys.argv
    tpl, dbs = f"{prefix}_tpl", {"a": f"{prefix}_a", "b": f"{prefix}_b"}
    path = Path(tempfile.mkdtemp(prefix="events-ab-")) / "file.csv"
    _file(path, rows)
    try:
        _template(tree_a, tpl)
        for db in dbs.values():
            subprocess.run(["createdb", *PG, "-T", tpl, db], check=True)
        load = [os.getloadavg()[0]]
        started = time.time()
        procs = {"a": _start(tree_a, dbs["a"], path), "b": _start(tree_b, dbs["b"], path)}
        result: dict[str, Any] = {}
        pending = {p.pid: k for k, p in procs.items()}
        while pending:
            pid, status, usage = os.wait4(-1, 0)
            k = pending.pop(pid, None)
            if k is None:
                continue
            out = procs[k].stdout.read() if procs[k].stdout else ""
            result[k] = {"wall": round(time.time() - started, 1),
                         "cpu": round(usage.ru_utime + usage.ru_stime, 1), "status": status,
                         "report": json.loads(out) if status == 0 else out[-500:]}  # fmt: skip
        load.append(os.getloadavg()[0])
        for k, db in dbs.items():
            result[k]["digest"] = digest(db)
        same = result["a"]["digest"] == result["b"]["digest"]
        for k in "ab":
            rep = result[k]["report"]
            print(k, str(tree_a if k == "a" else tree_b), "wall", result[k]["wall"], "cpu",
                  result[k]["cpu"], "report", {x: rep.get(x) for x in ("stored", "statements",
                  "children_created", "alerts")} if isinstance(rep, dict) else rep)  # fmt: skip
        print("load average start, end:", [round(x, 1) for x in load])
        print("digests equal:", same)
        if not same:
            for t in sorted(set(result["a"]["digest"]) | set(result["b"]["digest"])):
                a, b = result["a"]["digest"].get(t), result["b"]["digest"].get(t)
                if a != b:
                    print("  differs:", t, a, b)
        print("tables:", json.dumps(result["a"]["digest"], indent=0))
    finally:
        path.unlink()
        path.parent.rmdir()
        if not keep:
            for db in [*dbs.values(), tpl]:
                subprocess.run(["dropdb", "--if-exists", *PG, db], check=False)


if __name__ == "__main__":
    main()

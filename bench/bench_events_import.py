"""Partner events: a CSV of ROWS missing episodes imported with `manage.py import_events` on
PostgreSQL. A throwaway database on 127.0.0.1 is migrated (settings config.settings.local),
one police agency and analyst made, a file of ROWS episodes about ROWS / 5 children written
(every child appears five times, 20,000 rows apart: the first chunks of 2,000 make the
children, the later ones match them; about 15 children share a postcode, 5 a date of birth),
then imported, then imported again (nothing new). Goal: 100,000 rows in under 2 minutes.
Beside the wall time, the CPU seconds of the import process (its own work, which a busy
shared machine does not stretch), the SQL statements per row and the load average.
Knobs: BENCH_EVENTS_ROWS (100000), BENCH_PG_PORT (5432), BENCH_PG_USER (postgres),
BENCH_EVENTS_DB_PREFIX (sl_bench_events: the throwaway database's name before its suffix). Only
127.0.0.1 is contacted."""

from __future__ import annotations

import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from _common import row  # noqa: E402

NAME = "events_import"
TITLE = "Partner events: CSV import of 100,000 missing episodes (PostgreSQL)"
ROWS = int(os.environ.get("BENCH_EVENTS_ROWS", "100000"))
PG_PORT = os.environ.get("BENCH_PG_PORT", "5432")
PG_USER = os.environ.get("BENCH_PG_USER", "postgres")


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env, cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed: {done.stderr[-1500:]}")
    return done.stdout


def _letters(n: int) -> str:
    """0 -> "a", 25 -> "z", 26 -> "aa": names made of letters (matching compares names with
    their digits taken out, so "Child12" and "Child13" would be the same name)."""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(97 + r) + out
    return out


def _family(n: int) -> str:
    """A family name whose phonetic key (the matching block) few others share: consonants
    with different metaphone codes ("Fam" + letters would put most names in one block)."""
    c = "BDFJKLMNPRST"
    return f"{c[n % 12]}a{c[n // 12 % 12].lower()}o{c[n // 144 % 12].lower()}er"


def _file(path: Path, rows: int = ROWS) -> None:
    """`rows` episodes of rows / 5 children; about 15 children share a postcode and 5 a date
    of birth (a borough's densities), 20 to 25 a family name's phonetic key."""
    with path.open("w", newline="") as out:
        w = csv.writer(out)
        w.writerow(["source_id", "occurred_at", "child_given_name", "child_family_name",
                    "child_date_of_birth", "child_postcode", "started_at", "risk_grade",
                    "returned_at"])  # fmt: skip
        children = max(rows // 5, 1)
        for n in range(rows):
            child = n % children
            unit = child // 15
            postcode = (f"OL{1 + unit % 16} {unit // 16 % 10}{chr(65 + unit // 160 % 26)}"
                        f"{chr(65 + unit // 4160 % 26)}")  # fmt: skip
            day = 1 + n % 27
            born = f"{2008 + child % 12}-{1 + child // 12 % 12:02d}-{1 + child // 144 % 27:02d}"
            w.writerow([f"B-{n}", f"2026-02-{day:02d} 20:00", f"Bench{_letters(child)}",
                        _family(child % 997),
                        born, postcode, f"2026-02-{day:02d} 20:00", "medium",
                        f"2026-02-{day:02d} 23:00"])  # fmt: skip


def run(ctx: Any) -> dict[str, Any]:
    db = f"{os.environ.get('BENCH_EVENTS_DB_PREFIX', 'sl_bench_events')}_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local",
           "DATABASE_URL": f"postgres://{PG_USER}@127.0.0.1:{PG_PORT}/{db}"}  # fmt: skip
    subprocess.run(["createdb", "-h", "127.0.0.1", "-p", PG_PORT, "-U", PG_USER, db], check=True)
    try:
        _manage(env, "migrate", "--no-input")
        _manage(env, "shell", "-c", (
            "from sightline.accounts.models import Agency, User;"
            "a=Agency.objects.create(code='police', name='Bench Police', kind='police');"
            "User.objects.create(username='bench-police', agency=a, role='police_analyst')"
        ))  # fmt: skip
        path = Path(tempfile.mkdtemp(prefix="sl-bench-events-")) / f"{db}.csv"
        _file(path)
        load_before = os.getloadavg()[0]
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.time()
        first = json.loads(_manage(env, "import_events", str(path), "--kind", "missing_episode",
                                   "--agency", "police", "--no-notify"))  # fmt: skip
        seconds = time.time() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        load_after = os.getloadavg()[0]
        cpu_seconds = (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)
        started = time.time()
        again = json.loads(_manage(env, "import_events", str(path), "--kind", "missing_episode",
                                   "--agency", "police", "--no-notify"))  # fmt: skip
        again_seconds = time.time() - started
        path.unlink()
        path.parent.rmdir()
        stored = max(first["stored"], 1)
        return {
            "import": first,
            "reimport": again,
            "load_average": [round(load_before, 1), round(load_after, 1)],
            "rows": [
                row(f"import {first['stored']} rows", round(seconds, 1), "s",
                    database="postgres", goal="< 120 s for 100,000"),
                row("import rate", round(first["stored"] / seconds), "rows/s",
                    database="postgres"),
                row("import CPU time (the import process, start-up included)",
                    round(cpu_seconds, 1), "s", database="postgres"),
                row("import CPU time per row", round(1000 * cpu_seconds / stored, 2), "ms",
                    database="postgres"),
                row("SQL statements per row", round(first["statements"] / stored, 3), "",
                    database="postgres"),
                row("children made, alerts raised",
                    f"{first['children_created']}, {first['alerts']}", "", database="postgres"),
                row("load average (1 min) before, after",
                    f"{load_before:.1f}, {load_after:.1f}", "", database="postgres"),
                row(f"re-import ({again['already_stored']} already stored, "
                    f"{again['stored']} new)", round(again_seconds, 1), "s",
                    database="postgres"),
            ],
        }  # fmt: skip
    finally:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-p", PG_PORT, "-U", PG_USER, db], check=False)

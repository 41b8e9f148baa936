"""Intake through the HTTP API: synthetic referrals from concurrent clients against gunicorn.

For each database (SQLite, then PostgreSQL): a throwaway database is migrated and loaded with
a small synthetic borough (so child matching has records to search), a token is issued to
`demo-referrer`, gunicorn serves `config.wsgi` on 127.0.0.1, and CLIENTS threads (httpx, one
connection each) POST REFERRALS referrals between them. Every request's latency is measured and
every answer other than 201 is counted. Then, in the same run and on the same database, the
same referral rows (copied from what the API stored, with fresh ids and references) are written
with a raw driver `executemany` INSERT in one transaction: the ceiling for "how fast can this
database take referral rows at all". The ratio API rate / raw rate says how much of that
ceiling the whole intake path (HTTP, validation, child matching, audit rows, outbox,
idempotency, scoring) keeps.

Knobs (environment): BENCH_INTAKE_REFERRALS (2000), BENCH_INTAKE_CLIENTS (8),
BENCH_INTAKE_WORKERS (gunicorn workers, 3), BENCH_INTAKE_DATABASES ("sqlite,postgresql"),
BENCH_INTAKE_DEADLINE_S (300, per database), BENCH_INTAKE_START_S (240, gunicorn start-up),
BENCH_PG_PORT (5432), BENCH_PG_USER (postgres);
PGPASSWORD is honoured. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import re
import secrets
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from _common import Context, free_port, row

NAME = "intake_api"
TITLE = "Referral intake through POST /api/v1/referrals (gunicorn) vs a raw INSERT"

HOST = "127.0.0.1"
BOROUGH = {"children": 200, "years": 1, "seed": 1}
NEW_CHILDREN_SEED = 2  # a second synthetic borough whose children are not in the database
EXISTING_SHARE = 4  # every 4th referral names children already on record
WARMUP_PER_CLIENT = 2


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


@dataclass(frozen=True)
class Settings:
    referrals: int = field(default_factory=lambda: _env_int("BENCH_INTAKE_REFERRALS", 2000))
    clients: int = field(default_factory=lambda: _env_int("BENCH_INTAKE_CLIENTS", 8))
    # Sync workers: usable CPUs + 1 (3 on the 2-core machine, which also runs the 8 client
    # threads and PostgreSQL); README.md ("Why 3 workers") has the reasoning and measurements.
    workers: int = field(
        default_factory=lambda: _env_int("BENCH_INTAKE_WORKERS", len(os.sched_getaffinity(0)) + 1)
    )
    deadline_s: int = field(default_factory=lambda: _env_int("BENCH_INTAKE_DEADLINE_S", 300))
    # Referrals sent first to a single gunicorn worker (the rate 3 workers reach is compared
    # with it, in the same run); 0 skips that phase.
    single_worker: int = field(default_factory=lambda: _env_int("BENCH_INTAKE_SINGLE", 600))
    # Referrals whose statements are counted in-process after the load.
    probe: int = field(default_factory=lambda: _env_int("BENCH_INTAKE_PROBE", 20))
    databases: tuple[str, ...] = field(
        default_factory=lambda: tuple(
            d.strip()
            for d in os.environ.get("BENCH_INTAKE_DATABASES", "sqlite,postgresql").split(",")
            if d.strip()
        )
    )
    # A git revision (for example the commit before a change): the probe's referrals are then
    # also posted by that revision's code and by this tree's, each on its own copy of the
    # database as the load left it, in alternating rounds, so the CPU per referral before and
    # after is measured in the same run on the same data.
    baseline: str = field(default_factory=lambda: os.environ.get("BENCH_INTAKE_BASELINE", ""))
    ab_rounds: int = field(default_factory=lambda: _env_int("BENCH_INTAKE_AB_ROUNDS", 2))
    pg_port: int = field(default_factory=lambda: _env_int("BENCH_PG_PORT", 5432))
    pg_user: str = field(default_factory=lambda: os.environ.get("BENCH_PG_USER", "postgres"))


# ------------------------------------------------------------------------------------------
# Synthetic payloads
# ------------------------------------------------------------------------------------------


def _child_json(child: Any) -> dict[str, Any]:
    return {
        "given_name": child.given_name,
        "family_name": child.family_name,
        "date_of_birth": child.date_of_birth.isoformat(),
        "sex": child.sex,
        "address": child.address,
        "postcode": child.postcode,
        "school": child.school,
        "nhs_number": child.nhs_number or "",
        "has_learning_disability": child.has_learning_disability,
    }


def _referral_json(spec: Any, children: dict[str, Any]) -> dict[str, Any]:
    return {
        "narrative": spec.narrative,
        "children": [_child_json(children[key]) for key in spec.child_keys],
        "persons_named": [
            {
                "name": p.name,
                "nickname": p.nickname,
                "approximate_age": p.approximate_age,
                "description": p.description,
                "phone": p.phone,
                "vehicle_registration": p.vehicle_registration,
                "address": p.address,
            }
            for p in spec.persons_named
        ],
        "places_named": [
            {"name": p.name, "kind": p.kind, "address": p.address, "postcode": p.postcode}
            for p in spec.places_named
        ],
        "concern_categories": list(spec.concern_categories),
        "child_aware": spec.child_aware,
        "family_aware": spec.family_aware,
        "urgency": spec.urgency,
    }


def build_payloads(count: int, extra: int, today: dt.date) -> tuple[list[bytes], list[bytes]]:
    """`count` measured bodies and `extra` warm-up bodies, all synthetic.

    Every EXISTING_SHARE-th referral comes from the same generator call as the loaded borough,
    so its children are already on record (exact match); the rest come from a second borough
    whose children are new the first time and match the record the API made on later
    referrals of the same child.
    """
    from sightline.demo.generator import generate_borough

    existing = generate_borough(end=today, **BOROUGH)
    wanted_new = count + extra
    new = generate_borough(
        children=max(50, wanted_new // 2 + 50), years=1, seed=NEW_CHILDREN_SEED, end=today
    )
    old_children = {c.key: c for c in existing.children}
    new_children = {c.key: c for c in new.children}
    old_refs = list(existing.referrals)
    new_refs = list(new.referrals)
    random.Random(BOROUGH["seed"]).shuffle(old_refs)
    bodies: list[bytes] = []
    i_old = i_new = 0
    for i in range(count + extra):
        if i % EXISTING_SHARE == 0 or i_new >= len(new_refs):
            spec, kids = old_refs[i_old % len(old_refs)], old_children
            i_old += 1
        else:
            spec, kids = new_refs[i_new], new_children
            i_new += 1
        bodies.append(json.dumps(_referral_json(spec, kids)).encode())
    return bodies[:count], bodies[count:]


# ------------------------------------------------------------------------------------------
# Databases
# ------------------------------------------------------------------------------------------


@dataclass
class Database:
    kind: str  # "sqlite" | "postgresql"
    url: str
    version: str
    facts: dict[str, Any]
    sqlite_path: Path | None = None
    pg_conninfo: str | None = None


def _fs_type(path: Path) -> str:
    best, kind = "", "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/mounts").read_text().splitlines():
            parts = line.split()
            if len(parts) > 2 and str(path).startswith(parts[1]) and len(parts[1]) > len(best):
                best, kind = parts[1], parts[2]
    return kind


@contextlib.contextmanager
def sqlite_database(workdir: Path) -> Iterator[Database]:
    path = workdir / "intake.sqlite3"
    yield Database(
        kind="sqlite",
        url=f"sqlite:///{path}",
        version=f"SQLite {sqlite3.sqlite_version}",
        facts={
            "sqlite_version": sqlite3.sqlite_version,
            "file_system": _fs_type(path),
            "settings": "WAL, synchronous=NORMAL, BEGIN IMMEDIATE, busy timeout 30 s "
            "(config.settings.base.database_from_url)",
        },
        sqlite_path=path,
    )


class NotRunError(Exception):
    """The database is not there to benchmark; the rows say so and the run goes on."""


@contextlib.contextmanager
def postgresql_database(settings: Settings) -> Iterator[Database]:
    try:
        import psycopg
        from psycopg import sql
    except ImportError as exc:
        raise NotRunError(f"psycopg is not installed ({exc})") from exc
    admin = f"host={HOST} port={settings.pg_port} user={settings.pg_user} dbname=postgres"
    try:
        conn = psycopg.connect(admin, connect_timeout=5, autocommit=True)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise NotRunError(f"PostgreSQL on {HOST}:{settings.pg_port} unreachable: {first}") from exc
    name = f"sightline_bench_{os.getpid()}_{secrets.token_hex(3)}"
    conninfo = f"host={HOST} port={settings.pg_port} user={settings.pg_user} dbname={name}"
    with conn:
        shown = conn.execute("SHOW server_version").fetchone()
        version = str(shown[0]) if shown else "unknown"
        facts: dict[str, Any] = {"server_version": version}
        for setting in ("synchronous_commit", "fsync", "shared_buffers", "max_connections"):
            shown = conn.execute(sql.SQL("SHOW {}").format(sql.Identifier(setting))).fetchone()
            facts[setting] = str(shown[0]) if shown else None
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield Database(
            kind="postgresql",
            # No password in the URL: libpq reads PGPASSWORD from the inherited environment.
            url=f"postgres://{settings.pg_user}@{HOST}:{settings.pg_port}/{name}",
            version=f"PostgreSQL {version.split(' ', 1)[0]}",
            facts=facts,
            pg_conninfo=conninfo,
        )
    finally:
        with psycopg.connect(admin, connect_timeout=5, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


# ------------------------------------------------------------------------------------------
# The application: manage.py and gunicorn
# ------------------------------------------------------------------------------------------


def app_env(db: Database) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=db.url,
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(ctx: Context, env: dict[str, str], *args: str, timeout: float = 300) -> str:
    done = subprocess.run(
        [str(ctx.python), "manage.py", *args],
        cwd=ctx.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


@contextlib.contextmanager
def gunicorn(
    ctx: Context, env: dict[str, str], workers: int, log_path: Path
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    cmd = [
        str(ctx.venv_bin / "gunicorn"),
        "config.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--threads",
        "1",
        "--timeout",
        "60",
        "--graceful-timeout",
        "10",
        "--log-level",
        "warning",
    ]
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            cmd, cwd=ctx.root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://{HOST}:{port}"
    try:
        # Importing Django in each worker takes seconds on a quiet machine but over a minute at
        # load average 15-19 (two CPUs shared with other work): BENCH_INTAKE_START_S.
        start_s = _env_int("BENCH_INTAKE_START_S", 240)
        deadline = time.monotonic() + start_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({proc.returncode}): {_tail(log_path)}")
            # The health page, not the OpenAPI document: at load average 13 building the
            # document took 18 s, so a 2 s probe of it never saw the server up. 503 (the
            # sealer not running yet) still means Django answers.
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/health/", timeout=5).status_code in (200, 503):
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within {start_s} s: {_tail(log_path)}")
            time.sleep(0.2)
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)


def _children_cpu_s(parent: int) -> float:
    """User + system CPU seconds of `parent`'s live children (the gunicorn workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent:  # fields[1] is the ppid
                total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies over all CPUs since boot, from /proc/stat."""
    try:
        values = [float(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    idle = values[3] + (values[4] if len(values) > 4 else 0.0)  # idle + iowait
    total = sum(values[:8])  # guest time is already counted in user
    return total - idle, total


class LockSampler:
    """Samples pg_stat_activity ten times a second: how many of the app's sessions are in a
    transaction, how many are running a statement, how many of those wait for a lock held by
    another transaction, and on which table the waiting statement works."""

    def __init__(self, conninfo: str) -> None:
        self.conninfo = conninfo
        self.samples: list[tuple[int, int, int]] = []
        self.waits: Counter[str] = Counter()
        self.tables: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pg-lock-sampler", daemon=True)

    def _run(self) -> None:
        import psycopg

        query = (
            "SELECT state, wait_event_type, wait_event, query FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend'"
        )
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            while not self._stop.wait(0.1):
                active = waiting = in_tx = 0
                for state, wait_type, wait_event, text in conn.execute(query):
                    in_tx += state in {"active", "idle in transaction"}
                    if state == "active":
                        active += 1
                        if wait_type == "Lock":
                            waiting += 1
                            self.waits[f"{wait_type}:{wait_event}"] += 1
                            table = re.search(r'(?:FROM|UPDATE|INTO)\s+"?(\w+)"?', text or "")
                            self.tables[table.group(1) if table else "?"] += 1
                self.samples.append((active, waiting, in_tx))

    def __enter__(self) -> LockSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def summary(self) -> dict[str, Any]:
        n = len(self.samples)
        if not n:
            return {"samples": 0}
        return {
            "samples": n,
            "mean_sessions_in_a_transaction": round(sum(s[2] for s in self.samples) / n, 2),
            "mean_sessions_running_a_statement": round(sum(s[0] for s in self.samples) / n, 2),
            "mean_sessions_waiting_for_a_lock": round(sum(s[1] for s in self.samples) / n, 2),
            "share_of_samples_with_a_lock_wait": round(sum(1 for s in self.samples if s[1]) / n, 3),
            "lock_waits_by_kind": dict(self.waits.most_common()),
            "lock_waits_by_table_in_waiting_statement": dict(self.tables.most_common()),
        }


class SealLagSampler:
    """Twice a second: how long the oldest audit row not yet sealed into a checkpoint has
    waited (0 when every row is sealed), while `manage.py audit_seal --loop 1` runs."""

    def __init__(self, conninfo: str) -> None:
        self.conninfo = conninfo
        self.lags: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="seal-lag", daemon=True)

    def _run(self) -> None:
        import psycopg

        query = (
            "SELECT coalesce(extract(epoch FROM clock_timestamp() - min(occurred_at)), 0) "
            "FROM audit_auditevent WHERE seq > "
            "coalesce((SELECT max(last_seq) FROM audit_auditcheckpoint), 0)"
        )
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            while not self._stop.wait(0.5):
                got = conn.execute(query).fetchone()
                self.lags.append(float(got[0]) if got else 0.0)

    def __enter__(self) -> SealLagSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def summary(self) -> dict[str, Any]:
        lags = sorted(self.lags)
        return {
            "samples": len(lags),
            "max_lag_s": round(lags[-1], 2) if lags else None,
            "p95_lag_s": round(_percentile(lags, 95), 2) if lags else None,
        }


SEAL_SNIPPET = """
import json, sys, time
sys.path.insert(0, '.')
import django
django.setup()
from sightline.audit.models import AuditEvent
from sightline.audit.sealing import audit_seal
t0 = time.perf_counter()
report = audit_seal(max_checkpoints=10**6)
took = time.perf_counter() - t0
print(json.dumps({"rows_sealed": report.rows_sealed, "gaps": report.gaps,
                  "checkpoints": report.checkpoints, "seconds": took,
                  "problem": report.problem, "rows_in_table": AuditEvent.objects.count()}))
"""


def _wait_until_sealed(conninfo: str, timeout_s: float) -> None:
    import psycopg

    deadline = time.monotonic() + timeout_s
    with psycopg.connect(conninfo, autocommit=True) as conn:
        while time.monotonic() < deadline:
            got = conn.execute(
                "SELECT count(*) FROM audit_auditevent WHERE seq > "
                "coalesce((SELECT max(last_seq) FROM audit_auditcheckpoint), 0)"
            ).fetchone()
            if got and got[0] == 0:
                return
            time.sleep(0.5)


def timed_seal(ctx: Context, env: dict[str, str]) -> dict[str, Any]:
    """One sealing pass over everything written so far, timed inside the process."""
    done = subprocess.run(
        [str(ctx.python), "-c", SEAL_SNIPPET],
        cwd=ctx.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"audit_seal failed: {done.stderr[-1500:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["rows_per_s"] = (
        round(result["rows_sealed"] / result["seconds"], 1) if result["seconds"] else None
    )
    return result


def statements_probe(
    ctx: Context, env: dict[str, str], token: str, bodies: list[bytes], workdir: Path
) -> dict[str, Any]:
    """Statements per API request, counted in-process (bench/intake_probe.py)."""
    path = workdir / "probe-bodies.json"
    path.write_text(json.dumps([b.decode() for b in bodies]))
    done = subprocess.run(
        [str(ctx.python), str(ctx.root / "bench" / "intake_probe.py"), str(path), token],
        cwd=ctx.root,
        env={**env, "ALLOWED_HOSTS": "testserver,127.0.0.1"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"intake_probe failed: {done.stderr[-1500:]}")
    got = json.loads(done.stdout.strip().splitlines()[-1])
    counts = [c for c, st in zip(got["statements"], got["statuses"], strict=True) if st == 201]
    return {
        "requests": len(got["statuses"]),
        "created": len(counts),
        "statements_mean": round(statistics.fmean(counts), 1) if counts else None,
        "statements_min_max": [min(counts), max(counts)] if counts else None,
    }


def _probe_run(ctx: Context, root: Path, env: dict[str, str], token: str, path: Path) -> Any:
    done = subprocess.run(
        [str(ctx.python), str(root / "bench" / "intake_probe.py"), str(path), token],
        cwd=root,
        env={**env, "ALLOWED_HOSTS": "testserver,127.0.0.1"},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"intake_probe failed: {done.stderr[-1500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def _database_copy(db: Database, workdir: Path, label: str) -> Iterator[str]:
    """A copy of the benchmark database as it is now (gunicorn stopped): its URL."""
    if db.sqlite_path is not None:
        target = workdir / f"copy-{label}.sqlite3"
        with sqlite3.connect(db.sqlite_path) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        yield f"sqlite:///{target}"
        return
    import psycopg
    from psycopg import sql

    assert db.pg_conninfo is not None
    source = db.url.rsplit("/", 1)[1]
    name = f"{source}_{label}"
    admin = db.pg_conninfo.replace(f"dbname={source}", "dbname=postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(source)
            )
        )
    try:
        yield db.url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def cpu_before_after(
    ctx: Context,
    db: Database,
    env: dict[str, str],
    token: str,
    bodies: list[bytes],
    workdir: Path,
    baseline: str,
    rounds: int,
) -> dict[str, Any]:
    """App CPU per referral in one warm process (the probe, time.process_time), the code at
    `baseline` against this tree, on copies of the same database with the same bodies."""
    base_root = workdir / "baseline"
    base_root.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ctx.root), "archive", baseline],
        capture_output=True,
        check=True,
    )
    subprocess.run(["tar", "-x", "-C", str(base_root)], input=archive.stdout, check=True)
    # The same probe (with its CPU timing) runs the old code.
    (base_root / "bench" / "intake_probe.py").write_text(
        (ctx.root / "bench" / "intake_probe.py").read_text()
    )
    path = workdir / "ab-bodies.json"
    path.write_text(json.dumps([b.decode() for b in bodies]))
    warm = max(1, len(bodies) // 6)
    got: dict[str, dict[str, list[float]]] = {
        "before": {"cpu": [], "stmts": []},
        "after": {"cpu": [], "stmts": []},
    }
    load = [round(os.getloadavg()[0], 2)]
    for i in range(rounds):
        for label, root in (("before", base_root), ("after", ctx.root)):
            with _database_copy(db, workdir, f"{label}{i}") as url:
                out = _probe_run(
                    ctx,
                    root,
                    {**env, "DATABASE_URL": url, "INTAKE_PROBE_WARMUP": str(warm)},
                    token,
                    path,
                )
            ok = [j for j, st in enumerate(out["statuses"]) if st == 201]
            got[label]["cpu"].extend(out["cpu_ms"][j] for j in ok)
            got[label]["stmts"].extend(out["statements"][j] for j in ok)
    load.append(round(os.getloadavg()[0], 2))

    def summary(d: dict[str, list[float]]) -> dict[str, Any]:
        return {
            "requests": len(d["cpu"]),
            "cpu_ms_mean": round(statistics.fmean(d["cpu"]), 2) if d["cpu"] else None,
            "cpu_ms_median": round(statistics.median(d["cpu"]), 2) if d["cpu"] else None,
            "statements_mean": round(statistics.fmean(d["stmts"]), 1) if d["stmts"] else None,
        }

    before, after = summary(got["before"]), summary(got["after"])
    return {
        "baseline": baseline,
        "rounds": rounds,
        "warmup_per_process": warm,
        "before": before,
        "after": after,
        "load_average_before_after": load,
    }


def _tail(path: Path, chars: int = 1500) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


# ------------------------------------------------------------------------------------------
# The load
# ------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    latency_s: float
    status: int  # 0: no HTTP answer (connection error, timeout)
    reference: str | None = None
    children_matched: int = 0
    children_new: int = 0
    error: str | None = None


def _post_all(
    base: str, token: str, bodies: list[bytes], clients: int, deadline_s: float
) -> tuple[list[Outcome], float, bool]:
    """POST every body once, from `clients` threads pulling from one shared list."""
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    next_index = iter(range(len(bodies)))
    start = threading.Barrier(clients + 1)
    stop_at: list[float] = []

    def client() -> None:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        local: list[Outcome] = []
        with httpx.Client(base_url=base, headers=headers, timeout=60, limits=limits) as http:
            start.wait()
            while True:
                with lock:
                    i = next(next_index, None)
                if i is None or time.perf_counter() > stop_at[0]:
                    break
                key = {"Idempotency-Key": str(uuid.uuid4())}
                t0 = time.perf_counter()
                try:
                    resp = http.post("/api/v1/referrals", content=bodies[i], headers=key)
                    latency = time.perf_counter() - t0
                    body = resp.json() if resp.status_code == 201 else None
                except (httpx.HTTPError, ValueError) as exc:
                    error = f"{type(exc).__name__}: {exc}"[:300]
                    local.append(Outcome(time.perf_counter() - t0, 0, error=error))
                    continue
                if body is not None:
                    matched = sum(1 for c in body["children"] if c["matched_existing"])
                    local.append(
                        Outcome(
                            latency,
                            201,
                            reference=body["reference"],
                            children_matched=matched,
                            children_new=len(body["children"]) - matched,
                        )
                    )
                else:
                    local.append(Outcome(latency, resp.status_code, error=resp.text[:300]))
        with lock:
            outcomes.extend(local)

    threads = [threading.Thread(target=client, name=f"client-{n}") for n in range(clients)]
    for t in threads:
        t.start()
    stop_at.append(time.perf_counter() + deadline_s)
    start.wait()
    t_start = time.perf_counter()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t_start
    return outcomes, wall, len(outcomes) < len(bodies)


def _percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, round(q / 100 * len(sorted_values) + 0.5 - 1e-9))
    return sorted_values[min(rank, len(sorted_values)) - 1]


# ------------------------------------------------------------------------------------------
# The ceiling: the same referral rows through the driver
# ------------------------------------------------------------------------------------------


def _ceiling_sqlite(path: Path, references: set[str]) -> dict[str, Any]:
    con = sqlite3.connect(path, isolation_level=None, timeout=30)
    try:
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        cur = con.execute("SELECT * FROM referrals_referral WHERE channel = 'api'")
        cols = [d[0] for d in cur.description]
        ref_i, id_i = cols.index("reference"), cols.index("id")
        source = [r for r in cur.fetchall() if r[ref_i] in references]
        placeholders = ", ".join("?" for _ in cols)
        insert = f"INSERT INTO referrals_referral ({', '.join(cols)}) VALUES ({placeholders})"  # noqa: S608 - column names from the table itself

        def copies(prefix: str) -> list[list[Any]]:
            out = []
            for n, r in enumerate(source):
                values = list(r)
                values[id_i], values[ref_i] = uuid.uuid4().hex, f"{prefix}-{n:06d}"
                out.append(values)
            return out

        bulk = copies("BN")
        t0 = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        con.executemany(insert, bulk)
        con.execute("COMMIT")
        bulk_s = time.perf_counter() - t0

        single = copies("BR")
        t0 = time.perf_counter()
        for values in single:
            con.execute("BEGIN IMMEDIATE")
            con.execute(insert, values)
            con.execute("COMMIT")
        single_s = time.perf_counter() - t0
    finally:
        con.close()
    return {"rows": len(source), "bulk_s": bulk_s, "per_row_commit_s": single_s}


def _ceiling_postgresql(conninfo: str, references: set[str]) -> dict[str, Any]:
    import psycopg
    from psycopg.types.json import Jsonb

    with psycopg.connect(conninfo) as conn:
        cur = conn.execute("SELECT * FROM referrals_referral WHERE channel = 'api'")
        assert cur.description is not None
        cols = [d.name for d in cur.description]
        ref_i, id_i = cols.index("reference"), cols.index("id")
        source = [r for r in cur.fetchall() if r[ref_i] in references]
        conn.commit()
        placeholders = ", ".join("%s" for _ in cols)
        insert = f"INSERT INTO referrals_referral ({', '.join(cols)}) VALUES ({placeholders})"  # noqa: S608 - column names from the table itself

        def copies(prefix: str) -> list[list[Any]]:
            out = []
            for n, r in enumerate(source):
                values = [Jsonb(v) if isinstance(v, dict | list) else v for v in r]
                values[id_i], values[ref_i] = uuid.uuid4(), f"{prefix}-{n:06d}"
                out.append(values)
            return out

        bulk = copies("BN")
        t0 = time.perf_counter()
        with conn.transaction(), conn.cursor() as c:
            c.executemany(insert, bulk)
        conn.commit()
        bulk_s = time.perf_counter() - t0

        single = copies("BR")
        conn.autocommit = True
        t0 = time.perf_counter()
        with conn.cursor() as c:
            for values in single:
                c.execute(insert, values)
        single_s = time.perf_counter() - t0
    return {"rows": len(source), "bulk_s": bulk_s, "per_row_commit_s": single_s}


def _stored(db: Database, references: set[str]) -> int:
    if db.sqlite_path is not None:
        con = sqlite3.connect(db.sqlite_path)
        try:
            got = {r[0] for r in con.execute("SELECT reference FROM referrals_referral")}
        finally:
            con.close()
    else:
        import psycopg

        assert db.pg_conninfo is not None
        with psycopg.connect(db.pg_conninfo) as conn:
            got = {r[0] for r in conn.execute("SELECT reference FROM referrals_referral")}
    return len(references & got)


# ------------------------------------------------------------------------------------------
# One database, start to finish
# ------------------------------------------------------------------------------------------


def _phase(
    ctx: Context,
    db: Database,
    env: dict[str, str],
    settings: Settings,
    *,
    workers: int,
    token: str,
    bodies: list[bytes],
    warmup: list[bytes],
    log_path: Path,
    seal_loop: bool,
) -> dict[str, Any]:
    """One load: gunicorn with `workers`, warm-up, then `bodies` from the clients, with the
    lock sampler (PostgreSQL) and, if `seal_loop`, `audit_seal --loop 1` and its lag."""
    sealer: subprocess.Popen[bytes] | None = None
    with gunicorn(ctx, env, workers, log_path) as (base, proc):
        if seal_loop:
            sealer = subprocess.Popen(
                [str(ctx.python), "manage.py", "audit_seal", "--loop", "1"],
                cwd=ctx.root,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        warm, _, _ = _post_all(base, token, warmup, settings.clients, 60)
        if seal_loop and db.pg_conninfo:
            _wait_until_sealed(db.pg_conninfo, 90)  # the sealer is up and has caught up
        ctx.log(f"{db.kind}: {len(bodies)} referrals, {workers} workers")
        app_cpu0, client_cpu0, machine0 = (
            _children_cpu_s(proc.pid),
            time.process_time(),
            _machine_cpu(),
        )
        load0 = os.getloadavg()
        locks: contextlib.AbstractContextManager[Any] = (
            LockSampler(db.pg_conninfo) if db.pg_conninfo else contextlib.nullcontext()
        )
        lag: contextlib.AbstractContextManager[Any] = (
            SealLagSampler(db.pg_conninfo)
            if db.pg_conninfo and seal_loop
            else contextlib.nullcontext()
        )
        try:
            with locks, lag:
                outcomes, wall, cut_short = _post_all(
                    base, token, bodies, settings.clients, settings.deadline_s
                )
        finally:
            if sealer is not None:
                sealer.terminate()
                sealer.wait(timeout=30)
        app_cpu = _children_cpu_s(proc.pid) - app_cpu0
        client_cpu = time.process_time() - client_cpu0
        machine1 = _machine_cpu()
    busy, total = machine1[0] - machine0[0], machine1[1] - machine0[1]
    ok = [o for o in outcomes if o.status == 201]
    return {
        "workers": workers,
        "warm": warm,
        "outcomes": outcomes,
        "ok": ok,
        "wall": wall,
        "cut_short": cut_short,
        "rate": len(ok) / wall if wall > 0 else 0.0,
        "app_cpu": app_cpu,
        "client_cpu": client_cpu,
        "busy_pct": round(100 * busy / total, 1) if total else None,
        "load_average_before_after": [round(load0[0], 2), round(os.getloadavg()[0], 2)],
        "locks": locks.summary() if isinstance(locks, LockSampler) else None,
        "seal_lag": lag.summary() if isinstance(lag, SealLagSampler) else None,
    }


def bench_database(
    ctx: Context,
    db: Database,
    settings: Settings,
    bodies: list[bytes],
    warmup: list[bytes],
    workdir: Path,
    single: list[bytes],
    probe: list[bytes],
) -> dict[str, Any]:
    env = app_env(db)
    t0 = time.perf_counter()
    manage(ctx, env, "migrate", "--noinput", "-v", "0")
    manage(
        ctx,
        env,
        "demo_borough",
        "--children",
        str(BOROUGH["children"]),
        "--years",
        str(BOROUGH["years"]),
        "--seed",
        str(BOROUGH["seed"]),
        "--truth",
        str(workdir / f"truth-{db.kind}.json"),
    )
    token = manage(ctx, env, "api_token", "demo-referrer", "--name", "bench").strip().splitlines()
    setup_s = time.perf_counter() - t0
    ctx.log(f"{db.kind}: migrated and loaded in {setup_s:.1f} s")
    one: dict[str, Any] | None = None
    seal: dict[str, Any] | None = None
    if single:
        one = _phase(
            ctx,
            db,
            env,
            settings,
            workers=1,
            token=token[-1],
            bodies=single,
            warmup=warmup,
            log_path=workdir / f"gunicorn-{db.kind}-1.log",
            seal_loop=False,
        )
        ctx.log(f"{db.kind}: 1 worker {one['rate']:.1f}/s")
    if db.pg_conninfo:
        seal = timed_seal(ctx, env)  # everything so far, sealer stopped until now
        ctx.log(f"{db.kind}: sealed {seal['rows_sealed']} rows at {seal['rows_per_s']}/s")
    log_path = workdir / f"gunicorn-{db.kind}.log"
    main = _phase(
        ctx,
        db,
        env,
        settings,
        workers=settings.workers,
        token=token[-1],
        bodies=bodies,
        warmup=warmup[: settings.clients],
        log_path=log_path,
        seal_loop=db.pg_conninfo is not None,
    )
    outcomes, wall, ok = main["outcomes"], main["wall"], main["ok"]
    log_text = _tail(log_path, 2_000_000)
    references = {o.reference for o in ok if o.reference}
    ctx.log(f"{db.kind}: {len(ok)} created in {wall:.1f} s; counting statements, raw INSERT")
    counted = statements_probe(ctx, env, token[-1], probe, workdir) if probe else None
    ab = None
    if probe and settings.baseline:
        ctx.log(f"{db.kind}: CPU per referral, {settings.baseline} against this tree")
        ab = cpu_before_after(
            ctx, db, env, token[-1], probe, workdir, settings.baseline, settings.ab_rounds
        )
    if db.sqlite_path is not None:
        ceiling = _ceiling_sqlite(db.sqlite_path, references)
    else:
        assert db.pg_conninfo is not None
        ceiling = _ceiling_postgresql(db.pg_conninfo, references)
    stored = _stored(db, references)
    latencies = sorted(o.latency_s * 1000 for o in ok)
    failures = [o for o in outcomes if o.status != 201]
    statuses = Counter(str(o.status) for o in outcomes)
    samples: dict[str, str] = {}
    for o in failures:
        samples.setdefault(f"{o.status}: {(o.error or '')[:120]}", o.error or "")
    api_rate = main["rate"]
    raw_rate = ceiling["rows"] / ceiling["bulk_s"] if ceiling["bulk_s"] > 0 else 0.0
    single_rate = ceiling["rows"] / ceiling["per_row_commit_s"] if ceiling["rows"] else 0.0
    app_cpu = main["app_cpu"]
    return {
        "database": db.version,
        "database_facts": db.facts,
        "workers": settings.workers,
        "setup_s": round(setup_s, 1),
        "warmup_requests": len(main["warm"]),
        "warmup_non_201": sum(1 for o in main["warm"] if o.status != 201),
        "requests": len(outcomes),
        "requests_planned": len(bodies),
        "cut_short_by_deadline": main["cut_short"],
        "created_201": len(ok),
        "non_201": len(failures),
        "status_counts": dict(statuses),
        "error_samples": list(samples.values())[:10],
        "stored_referrals_found": stored,
        "children_matched_existing": sum(o.children_matched for o in ok),
        "children_new_record": sum(o.children_new for o in ok),
        "wall_s": round(wall, 3),
        "referrals_per_s": round(api_rate, 2),
        "load_average_before_after": main["load_average_before_after"],
        "single_worker": None
        if one is None
        else {
            "referrals": len(one["ok"]),
            "non_201": len(one["outcomes"]) - len(one["ok"]),
            "wall_s": round(one["wall"], 2),
            "referrals_per_s": round(one["rate"], 2),
            "gunicorn_ms_per_referral": round(1000 * one["app_cpu"] / len(one["ok"]), 1)
            if one["ok"]
            else None,
            "load_average_before_after": one["load_average_before_after"],
            "pg_lock_waits": one["locks"],
        },
        "ratio_workers_to_one": round(api_rate / one["rate"], 2) if one and one["rate"] else None,
        "statements_per_referral": counted,
        "cpu_before_after": ab,
        "audit_seal": None
        if seal is None
        else {"backlog_pass": seal, "lag_under_load": main["seal_lag"]},
        "cpu": {
            "gunicorn_workers_s": round(app_cpu, 2),
            "gunicorn_ms_per_referral": round(1000 * app_cpu / len(ok), 1) if ok else None,
            "load_generator_s": round(main["client_cpu"], 2),
            "machine_busy_pct": main["busy_pct"],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "pg_lock_waits": main["locks"],
        "latency_ms": {
            "mean": round(statistics.fmean(latencies), 1) if latencies else None,
            "p50": round(_percentile(latencies, 50), 1) if latencies else None,
            "p95": round(_percentile(latencies, 95), 1) if latencies else None,
            "p99": round(_percentile(latencies, 99), 1) if latencies else None,
            "max": round(latencies[-1], 1) if latencies else None,
        },
        "raw_insert": {
            "rows": ceiling["rows"],
            "bulk_executemany_s": round(ceiling["bulk_s"], 4),
            "bulk_inserts_per_s": round(raw_rate, 1),
            "per_row_commit_s": round(ceiling["per_row_commit_s"], 3),
            "per_row_commit_inserts_per_s": round(single_rate, 1),
        },
        "ratio_api_to_raw_bulk": round(api_rate / raw_rate, 5) if raw_rate else None,
        "ratio_api_to_raw_per_row_commit": round(api_rate / single_rate, 4)
        if single_rate
        else None,
        "server_log": {
            "database_is_locked": log_text.count("database is locked"),
            "tracebacks": log_text.count("Traceback (most recent call last)"),
            "worker_timeouts": log_text.count("WORKER TIMEOUT"),
            "tail": log_text[-1500:] if failures else "",
        },
    }


def rows_for(r: dict[str, Any]) -> list[dict[str, Any]]:
    lat = r["latency_ms"]
    raw = r["raw_insert"]
    db = r["database"]
    out = [
        row("referrals per second (API, wall clock)", r["referrals_per_s"], "/s", database=db),
        row("latency p50", lat["p50"], "ms", database=db),
        row("latency p95", lat["p95"], "ms", database=db),
        row("latency p99", lat["p99"], "ms", database=db),
        row("answers other than 201", r["non_201"], "", database=db, goal="0"),
        row(
            "app CPU per referral (gunicorn)",
            r["cpu"]["gunicorn_ms_per_referral"],
            "ms",
            database=db,
            goal="< 15 ms",
        ),
        row("machine CPU busy during the run", r["cpu"]["machine_busy_pct"], "%", database=db),
        row("raw INSERT ceiling (executemany, 1 tx)", raw["bulk_inserts_per_s"], "/s", database=db),
        row("ratio API / raw INSERT", r["ratio_api_to_raw_bulk"], "", database=db),
        row("raw INSERT, 1 tx per row", raw["per_row_commit_inserts_per_s"], "/s", database=db),
    ]
    locks = r.get("pg_lock_waits") or {}
    if locks.get("samples"):
        out.append(
            row(
                "app sessions waiting for a row lock (mean)",
                locks["mean_sessions_waiting_for_a_lock"],
                f"of {r['workers']} workers",
                database=db,
            )
        )
        out.append(
            row(
                "share of pg_stat_activity samples with a lock wait",
                round(100 * locks["share_of_samples_with_a_lock_wait"], 1),
                "%",
                database=db,
                goal="< 5 %",
            )
        )
    one = r.get("single_worker")
    if one:
        out.append(
            row(
                f"rate with {r['workers']} workers / with 1 worker, same run "
                f"({r['referrals_per_s']} vs {one['referrals_per_s']} /s)",
                r["ratio_workers_to_one"],
                "x",
                database=db,
                goal=">= 1.6",
            )
        )
    ab = r.get("cpu_before_after")
    if ab:
        for label in ("before", "after"):
            side = ab[label]
            out.append(
                row(
                    f"app CPU per referral, warm process, {label} ({ab['baseline'][:12]} vs "
                    f"this tree; {side['requests']} referrals, mean / median)",
                    f"{side['cpu_ms_mean']} / {side['cpu_ms_median']}",
                    "ms",
                    goal="< 15" if label == "after" else None,
                    database=db,
                )
            )
            out.append(
                row(
                    f"SQL statements per referral, warm process, {label}",
                    side["statements_mean"],
                    "statements",
                    database=db,
                )
            )
        out.append(
            row(
                "load average during the CPU before/after",
                " to ".join(str(x) for x in ab["load_average_before_after"]),
                "",
                database=db,
            )
        )
    counted = r.get("statements_per_referral")
    if counted and counted.get("statements_mean") is not None:
        out.append(
            row(
                "SQL statements per API referral (mean, in-process probe)",
                counted["statements_mean"],
                "",
                database=db,
            )
        )
    out.append(
        row(
            "load average (1 min) before, after the run",
            ", ".join(str(x) for x in r["load_average_before_after"]),
            "",
            database=db,
        )
    )
    return out


def not_run_rows(kind: str, reason: str) -> list[dict[str, Any]]:
    label = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(kind, kind)
    return [row("referrals per second (API, wall clock)", f"not run: {reason}", database=label)]


def run(ctx: Context) -> dict[str, Any]:
    settings = Settings()
    root = str(ctx.root)
    if root not in sys.path:
        sys.path.insert(0, root)
    today = dt.datetime.now(ZoneInfo("Europe/London")).date()  # what demo_borough uses
    extra = settings.clients * WARMUP_PER_CLIENT + settings.single_worker + settings.probe
    bodies, spare = build_payloads(settings.referrals, extra, today)
    warmup = spare[: settings.clients * WARMUP_PER_CLIENT]
    single = spare[len(warmup) : len(warmup) + settings.single_worker]
    probe = spare[len(warmup) + len(single) :]
    per_db: dict[str, Any] = {}
    rows: list[dict[str, Any]] = []
    for kind in settings.databases:
        with tempfile.TemporaryDirectory(prefix=f"sightline-bench-{kind}-") as tmp:
            workdir = Path(tmp)
            try:
                if kind == "sqlite":
                    manager = sqlite_database(workdir)
                elif kind == "postgresql":
                    manager = postgresql_database(settings)
                else:
                    raise NotRunError(f"unknown database {kind!r}")
                with manager as db:
                    result = bench_database(
                        ctx, db, settings, bodies, warmup, workdir, single, probe
                    )
            except NotRunError as exc:
                ctx.log(f"{kind}: not run: {exc}")
                per_db[kind] = {"not_run": str(exc)}
                rows.extend(not_run_rows(kind, str(exc)))
                continue
            except Exception as exc:  # record it, keep going with the next database
                traceback.print_exc()
                ctx.log(f"{kind}: failed: {type(exc).__name__}: {exc}")
                per_db[kind] = {"failed": f"{type(exc).__name__}: {exc}"}
                rows.extend(not_run_rows(kind, f"failed: {type(exc).__name__}: {exc}"[:300]))
                continue
        per_db[kind] = result
        rows.extend(rows_for(result))
        ctx.log(
            f"{kind}: {result['referrals_per_s']}/s, p50 {result['latency_ms']['p50']} ms, "
            f"p95 {result['latency_ms']['p95']} ms, non-201 {result['non_201']}, "
            f"raw {result['raw_insert']['bulk_inserts_per_s']}/s, "
            f"ratio {result['ratio_api_to_raw_bulk']}"
        )
    return {
        "parameters": {
            "referrals": settings.referrals,
            "clients": settings.clients,
            "gunicorn": f"{settings.workers} sync workers x 1 thread on {HOST}",
            "warmup_requests_per_database": settings.clients * WARMUP_PER_CLIENT,
            "borough": BOROUGH,
            "existing_child_share": f"1 in {EXISTING_SHARE} referrals from the loaded borough",
            "idempotency_key": "a fresh UUID on every request",
            "settings": "config.settings.local",
            "deadline_s_per_database": settings.deadline_s,
        },
        "databases": per_db,
        "rows": rows,
    }

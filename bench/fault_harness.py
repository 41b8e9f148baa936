"""Fault harness: referral intake under worker kills and database crashes loses nothing.

Not part of `make bench` or `make test` (it takes about 15 minutes); run it alone with
`.venv/bin/python bench/run.py fault_intake`.

1. A private PostgreSQL 15 cluster in a temporary directory (initdb from
   /usr/lib/postgresql/15/bin, as the `postgres` system user when run as root; fsync and
   synchronous_commit on, listening on 127.0.0.1 only), `migrate`, `demo_borough --children
   200 --years 1 --seed 1` and `api_token demo-referrer`, all under `config.settings.local`.
2. gunicorn serves `config.wsgi` with 3 sync workers on 127.0.0.1.
3. For FAULT_SECONDS (600) FAULT_CLIENTS (32) client threads send referral i when it falls
   due, at t0 + i / FAULT_RATE (10/s); a client that falls behind (the server is slower than
   the rate) sends its next one at once, so a slow server slows the clients rather than
   piling up a queue of requests whose clients have long given up, and nothing new is sent
   after the end. Each referral is a synthetic body from the demo generator whose narrative
   carries a unique marker token, sent with its own Idempotency-Key; a failed or unanswered
   attempt (connection error, timeout, 5xx, 409) is retried with the same key and the same
   bytes, with exponential back-off, up to FAULT_TRIES (14) attempts spread over about 3
   minutes (longer than the server's 120-second idempotency lease, after which a retry takes
   over a key whose first attempt died). A request that never gets a 201 is recorded as
   "unacknowledged, reported to the client".
4. Meanwhile a chaos thread SIGKILLs a random gunicorn worker at least 20 times and crashes
   PostgreSQL (`pg_ctl restart -m immediate`) at least 5 times, at random moments spread
   over the run.
5. Afterwards the checker reads the database: every acknowledged referral is stored exactly
   once under the reference it was acknowledged with, and its idempotency record is completed
   with that reference; each marker appears at most once (no duplicates) and exactly once for
   acknowledged requests (no loss); every unacknowledged request was stored once or not at
   all (and was reported as failed); `manage.py audit_seal` then `audit_verify` pass.

Knobs: FAULT_SECONDS (600), FAULT_RATE (10), FAULT_TRIES (14), FAULT_WORKER_KILLS (20),
FAULT_PG_RESTARTS (5), FAULT_CLIENTS (32), FAULT_PG_PORT (55432, or a free port if that one
is taken), FAULT_PG_BIN (/usr/lib/postgresql/15/bin). Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

import httpx  # noqa: E402
from _common import Context, free_port, row  # noqa: E402
from bench_intake import (  # noqa: E402
    BOROUGH,
    _percentile,
    _tail,
    build_payloads,
    gunicorn,
    manage,
)

NAME = "fault_intake"
TITLE = "Intake under worker kills and PostgreSQL crashes: nothing lost, nothing twice"
RUN_BY_DEFAULT = False  # bench/run.py runs it only when named

HOST = "127.0.0.1"
DB_NAME = "sightline_fault"
UNIQUE_BODIES = 1500
MARKER_RE = re.compile(r"\[fault-marker ([0-9a-f]{32})\]")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


@dataclass(frozen=True)
class Settings:
    seconds: int = field(default_factory=lambda: _env_int("FAULT_SECONDS", 600))
    rate: float = field(default_factory=lambda: _env_float("FAULT_RATE", 10.0))
    tries: int = field(default_factory=lambda: _env_int("FAULT_TRIES", 14))
    worker_kills: int = field(default_factory=lambda: _env_int("FAULT_WORKER_KILLS", 20))
    pg_restarts: int = field(default_factory=lambda: _env_int("FAULT_PG_RESTARTS", 5))
    pg_port: int = field(default_factory=lambda: _env_int("FAULT_PG_PORT", 55432))
    pg_bin: Path = field(
        default_factory=lambda: Path(
            os.environ.get("FAULT_PG_BIN", "/usr/lib/postgresql/15/bin").strip()
        )
    )
    clients: int = field(default_factory=lambda: _env_int("FAULT_CLIENTS", 32))
    workers: int = 3
    attempt_timeout_s: float = 30.0
    backoff_first_s: float = 0.5
    backoff_cap_s: float = 20.0


# ------------------------------------------------------------------------------------------
# The private PostgreSQL cluster
# ------------------------------------------------------------------------------------------


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


class Cluster:
    """initdb, pg_ctl start / restart -m immediate / stop, in a directory of its own."""

    def __init__(self, settings: Settings, workdir: Path, log: Any) -> None:
        self.bin = settings.pg_bin
        self.port = settings.pg_port if _port_free(settings.pg_port) else free_port()
        self.dir = workdir / "pg"
        self.data = self.dir / "data"
        self.logfile = self.dir / "postgresql.log"
        self.log = log
        self.lock = threading.Lock()  # one pg_ctl at a time
        self.restarts: list[dict[str, Any]] = []
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            self.as_user = ["runuser", "-u", "postgres", "--"]

    @property
    def url(self) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{DB_NAME}"

    @property
    def conninfo(self) -> str:
        return f"host={HOST} port={self.port} user=postgres dbname={DB_NAME}"

    def _run(self, *args: str, timeout: float = 120) -> str:
        done = subprocess.run(
            [*self.as_user, *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            cwd=self.dir,
        )
        if done.returncode != 0:
            raise RuntimeError(
                f"{Path(args[0]).name} failed ({done.returncode}): "
                f"{done.stderr[-1500:]} {_tail(self.logfile)}"
            )
        return done.stdout

    def init(self) -> None:
        if not (self.bin / "initdb").exists():
            raise RuntimeError(f"no initdb in {self.bin}")
        self.dir.mkdir(parents=True)
        if self.as_user:
            shutil.chown(self.dir, "postgres", "postgres")
            shutil.chown(self.dir.parent, "postgres", "postgres")
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-instructions",
        )
        conf = self.data / "postgresql.conf"
        with conf.open("a") as f:
            f.write(
                "\n# fault harness\n"
                f"listen_addresses = '{HOST}'\nport = {self.port}\n"
                f"unix_socket_directories = '{self.dir}'\n"
                "fsync = on\nsynchronous_commit = on\nfull_page_writes = on\n"
                "max_connections = 40\nshared_buffers = 128MB\n"
            )

    def start(self) -> None:
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.logfile), "-w", "start"
        )

    def crash_restart(self) -> float:
        """pg_ctl restart -m immediate: no checkpoint, crash recovery from the WAL on start."""
        with self.lock:
            t0 = time.perf_counter()
            self._run(
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.logfile),
                "-m",
                "immediate",
                "-w",
                "restart",
            )
            took = time.perf_counter() - t0
        return took

    def stop(self) -> None:
        with self.lock, contextlib.suppress(Exception):
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def facts(self) -> dict[str, Any]:
        import psycopg

        out: dict[str, Any] = {"port": self.port}
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            for setting in ("server_version", "fsync", "synchronous_commit", "full_page_writes"):
                shown = conn.execute(f"SHOW {setting}").fetchone()  # names from the list above
                out[setting] = str(shown[0]) if shown else None
        return out


@contextlib.contextmanager
def worker(ctx: Context, env: dict[str, str], log_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """The background worker (scheduler and task worker: the audit sealer every minute, the
    sweep, the outbox) running through the whole fault run, as in production; it rides out
    PostgreSQL's crashes by retrying. Stopped with SIGTERM at the end."""
    with log_path.open("wb") as out:
        proc = subprocess.Popen(
            [str(ctx.python), "manage.py", "run_worker"],
            cwd=ctx.root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield proc
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextlib.contextmanager
def private_cluster(settings: Settings, workdir: Path, log: Any) -> Iterator[Cluster]:
    import psycopg

    cluster = Cluster(settings, workdir, log)
    cluster.init()
    cluster.start()
    try:
        with psycopg.connect(
            f"host={HOST} port={cluster.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f"CREATE DATABASE {DB_NAME}")  # a constant name
        yield cluster
    finally:
        cluster.stop()


# ------------------------------------------------------------------------------------------
# Clients that retry with the same key and body
# ------------------------------------------------------------------------------------------


@dataclass
class Request:
    n: int
    key: str
    marker: str
    body: bytes
    attempts: int = 0
    statuses: list[str] = field(default_factory=list)
    acknowledged: bool = False
    reference: str | None = None
    final: str = ""  # "201" | "gave up" | "rejected <status>"
    latency_s: float = 0.0
    started: float = 0.0
    lag_s: float = 0.0  # how late after its due time the first attempt went out


def _retryable(status: int) -> bool:
    return status >= 500 or status in {409, 429}


def _send(base: str, token: str, req: Request, settings: Settings, stop: threading.Event) -> None:
    rng = random.Random(req.n)
    req.started = time.perf_counter()
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Idempotency-Key": req.key,
    }
    with httpx.Client(timeout=settings.attempt_timeout_s) as client:
        for attempt in range(settings.tries):
            req.attempts = attempt + 1
            try:
                resp = client.post(f"{base}/api/v1/referrals", content=req.body, headers=headers)
            except httpx.HTTPError as exc:
                req.statuses.append(type(exc).__name__)
            else:
                req.statuses.append(str(resp.status_code))
                if resp.status_code == 201:
                    try:
                        reference = resp.json().get("reference")
                    except ValueError:
                        reference = None
                    if reference:
                        req.acknowledged, req.reference, req.final = True, reference, "201"
                        break
                elif not _retryable(resp.status_code):
                    req.final = f"rejected {resp.status_code}"
                    break
            if attempt + 1 < settings.tries:
                delay = min(settings.backoff_cap_s, settings.backoff_first_s * 2**attempt)
                time.sleep(delay * (0.75 + 0.5 * rng.random()))
        else:
            req.final = "gave up"
    req.latency_s = time.perf_counter() - req.started


# ------------------------------------------------------------------------------------------
# Chaos
# ------------------------------------------------------------------------------------------


def _worker_pids(master: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == master:
                pids.append(int(stat.parent.name))
    return pids


def _schedule(count: int, start: float, length: float, rng: random.Random) -> list[float]:
    """`count` moments, one at a random point in each of `count` equal slots (none for 0: a
    run with no chaos, the baseline its latencies are read against)."""
    if count <= 0:
        return []
    slot = length / count
    return [start + slot * (i + 0.1 + 0.8 * rng.random()) for i in range(count)]


class Chaos:
    def __init__(
        self, cluster: Cluster, master: int, settings: Settings, t0: float, log: Any
    ) -> None:
        rng = random.Random(1)
        # Leave the last 5 % quiet so the run ends on a settled system; the retries go on.
        length = settings.seconds * 0.95
        events = [(t, "kill") for t in _schedule(settings.worker_kills, t0, length, rng)]
        events += [(t, "pg") for t in _schedule(settings.pg_restarts, t0, length, rng)]
        self.events = sorted(events)
        self.cluster, self.master, self.log, self.rng = cluster, master, log, rng
        self.kills: list[dict[str, Any]] = []
        self.restarts: list[dict[str, Any]] = []
        self.errors: list[str] = []
        self._stop = threading.Event()
        self.t0 = t0
        self._thread = threading.Thread(target=self._run, name="chaos", daemon=True)

    def _run(self) -> None:
        for when, kind in self.events:
            if self._stop.wait(max(0.0, when - time.perf_counter())):
                return
            at = round(time.perf_counter() - self.t0, 1)
            try:
                if kind == "kill":
                    pids = _worker_pids(self.master)
                    if not pids:
                        self.errors.append(f"{at}s: no worker to kill")
                        continue
                    pid = self.rng.choice(pids)
                    os.kill(pid, signal.SIGKILL)
                    self.kills.append({"at_s": at, "pid": pid, "workers_alive": len(pids)})
                else:
                    took = self.cluster.crash_restart()
                    self.restarts.append({"at_s": at, "restart_s": round(took, 2)})
                    self.log(f"chaos: PostgreSQL crashed and restarted at {at} s ({took:.1f} s)")
            except Exception as exc:  # keep going; the report shows it
                self.errors.append(f"{at}s {kind}: {type(exc).__name__}: {exc}"[:500])

    def __enter__(self) -> Chaos:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=180)


# ------------------------------------------------------------------------------------------
# The checker
# ------------------------------------------------------------------------------------------


def check(cluster: Cluster, requests: list[Request], ctx: Context, env: dict[str, str]) -> dict:
    import psycopg

    with psycopg.connect(cluster.conninfo, autocommit=True) as conn:
        referrals = conn.execute(
            "SELECT reference, narrative FROM referrals_referral WHERE channel = 'api'"
        ).fetchall()
        duplicate_references = conn.execute(
            "SELECT count(*) FROM (SELECT reference FROM referrals_referral "
            "GROUP BY reference HAVING count(*) > 1) AS d"
        ).fetchone()
        records = conn.execute(
            "SELECT r.key, r.completed_at IS NOT NULL, r.status_code, r.response_body "
            "FROM api_idempotencyrecord r JOIN accounts_user u ON u.id = r.user_id "
            "WHERE u.username = 'demo-referrer'"
        ).fetchall()
    by_marker: dict[str, list[str]] = {}
    for reference, narrative in referrals:
        for marker in MARKER_RE.findall(narrative or ""):
            by_marker.setdefault(marker, []).append(reference)
    record_by_key = {key: (done, status, body) for key, done, status, body in records}
    problems: list[str] = []
    lost = duplicates = stored_unack = record_mismatch = reference_mismatch = 0
    unack_not_reported = 0
    for req in requests:
        refs = by_marker.get(req.marker, [])
        if len(refs) > 1:
            duplicates += len(refs) - 1
            problems.append(f"request {req.n}: stored {len(refs)} times: {refs}")
        if req.acknowledged:
            if not refs:
                lost += 1
                problems.append(f"request {req.n}: acknowledged {req.reference} but not stored")
                continue
            if req.reference not in refs:
                reference_mismatch += 1
                problems.append(f"request {req.n}: acknowledged {req.reference}, stored as {refs}")
            rec = record_by_key.get(req.key)
            body = rec[2] if rec else None
            if not (
                rec
                and rec[0]
                and rec[1] == 201
                and isinstance(body, dict)
                and body.get("reference") == req.reference
            ):
                record_mismatch += 1
                problems.append(f"request {req.n}: idempotency record {rec!r:.200}")
        else:
            stored_unack += len(refs) == 1
            if req.final == "":
                unack_not_reported += 1
    unknown_markers = set(by_marker) - {r.marker for r in requests}
    # The sealer runs beside the web servers in production; here one pass seals the run's
    # rows (gaps left by killed requests and by sequence values lost in a crash included)
    # before audit_verify checks them.
    seal = subprocess.run(
        [str(ctx.python), "manage.py", "audit_seal"],
        cwd=ctx.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    audit = subprocess.run(
        [str(ctx.python), "manage.py", "audit_verify"],
        cwd=ctx.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return {
        "referrals_stored_via_api": len(referrals),
        "requests_stored": sum(1 for r in requests if by_marker.get(r.marker)),
        "duplicate_referrals": duplicates,
        "duplicate_references": int(duplicate_references[0]) if duplicate_references else None,
        "lost_acknowledged": lost,
        "acknowledged_reference_mismatch": reference_mismatch,
        "idempotency_record_mismatch": record_mismatch,
        "unacknowledged_but_stored_once": stored_unack,
        "unacknowledged_not_reported": unack_not_reported,
        "markers_from_no_request": len(unknown_markers),
        "idempotency_records": len(records),
        "idempotency_records_incomplete": sum(1 for r in records if not r[1]),
        "audit_verify_ok": seal.returncode == 0 and audit.returncode == 0,
        "audit_verify_output": (seal.stdout + seal.stderr + audit.stdout + audit.stderr).strip()[
            -600:
        ],
        "problems": problems[:50],
    }


# ------------------------------------------------------------------------------------------
# The run
# ------------------------------------------------------------------------------------------


def _env(cluster: Cluster) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=cluster.url,
        # This run's own checkpoint copy, beside its throwaway cluster.
        SIGHTLINE_AUDIT_CHECKPOINT_DIR=str(cluster.dir.parent / "audit-checkpoints"),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
    )
    return env


def _bodies(count: int) -> list[tuple[str, bytes]]:
    today = dt.datetime.now(ZoneInfo("Europe/London")).date()
    # Generating a borough is slow; 1,500 distinct bodies are cycled (the marker makes every
    # request's body unique anyway).
    plain, _ = build_payloads(min(count, UNIQUE_BODIES), 0, today)
    out = []
    for i in range(count):
        raw = plain[i % len(plain)]
        marker = uuid.uuid4().hex
        data = json.loads(raw)
        data["narrative"] = f"{data['narrative']}\n\n[fault-marker {marker}]"
        out.append((marker, json.dumps(data).encode()))
    return out


def drive(
    ctx: Context, settings: Settings, cluster: Cluster, env: dict[str, str], workdir: Path
) -> dict[str, Any]:
    count = int(settings.seconds * settings.rate)
    ctx.log(f"building {count} synthetic bodies")
    bodies = _bodies(count)
    token = manage(ctx, env, "api_token", "demo-referrer", "--name", "fault").strip()
    token = token.splitlines()[-1]
    requests = [
        Request(n=i, key=str(uuid.uuid4()), marker=marker, body=body)
        for i, (marker, body) in enumerate(bodies)
    ]
    log_path = workdir / "gunicorn.log"
    stop = threading.Event()
    lock = threading.Lock()
    next_index = [0]
    with (
        gunicorn(ctx, env, settings.workers, log_path) as (base, proc),
        worker(ctx, env, workdir / "worker.log") as worker_proc,
    ):
        ctx.log(
            f"driving up to {count} referrals at {settings.rate}/s for {settings.seconds} s "
            f"from {settings.clients} clients, {settings.worker_kills} worker kills, "
            f"{settings.pg_restarts} PostgreSQL crashes"
        )
        t0 = time.perf_counter()
        end_at = t0 + settings.seconds

        def client() -> None:
            # Request i is due at t0 + i / rate; a client that falls behind sends at once.
            # Nothing new is sent after the run's end; retries of what was sent go on.
            while True:
                with lock:
                    i = next_index[0]
                    next_index[0] += 1
                due = t0 + i / settings.rate
                if i >= count or due >= end_at:
                    return
                delay = due - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                if time.perf_counter() >= end_at:
                    return
                requests[i].lag_s = time.perf_counter() - due
                _send(base, token, requests[i], settings, stop)

        threads = [
            threading.Thread(target=client, name=f"client-{n}", daemon=True)
            for n in range(settings.clients)
        ]
        with Chaos(cluster, proc.pid, settings, t0, ctx.log) as chaos:
            for t in threads:
                t.start()
            last_log = t0
            while any(t.is_alive() for t in threads):
                time.sleep(1)
                now = time.perf_counter()
                if now - last_log >= 60:
                    last_log = now
                    sent = sum(1 for r in requests if r.started)
                    done = sum(1 for r in requests if r.final)
                    acked = sum(1 for r in requests if r.acknowledged)
                    ctx.log(
                        f"{now - t0:.0f} s: {sent} sent, {done} finished, {acked} acknowledged, "
                        f"{len(chaos.kills)} kills, {len(chaos.restarts)} crashes"
                    )
        wall = time.perf_counter() - t0
        dispatch_s = min(wall, float(settings.seconds))
        log_text = _tail(log_path, 5_000_000)
        worker_alive = worker_proc.poll() is None
    worker_log = _tail(workdir / "worker.log", 5_000_000)
    not_sent = sum(1 for r in requests if not r.started)
    requests = [r for r in requests if r.started]
    ctx.log("load finished; checking the database")
    result = check(cluster, requests, ctx, env)
    acked = [r for r in requests if r.acknowledged]
    latencies = sorted(r.latency_s * 1000 for r in acked)
    all_lat = sorted(r.latency_s * 1000 for r in requests)
    finals = Counter(r.final for r in requests)
    attempt_statuses = Counter(s for r in requests for s in r.statuses)
    return {
        "requests": len(requests),
        "requests_not_sent_behind_schedule": not_sent,
        "first_attempt_lag_s": {
            "p50": round(_percentile(sorted(r.lag_s for r in requests), 50), 2),
            "max": round(max((r.lag_s for r in requests), default=0.0), 2),
        },
        "acknowledged": len(acked),
        "retried": sum(1 for r in requests if r.attempts > 1),
        "attempts": sum(r.attempts for r in requests),
        "unacknowledged_reported_to_client": sum(1 for r in requests if not r.acknowledged),
        "final_outcomes": dict(finals),
        "attempt_outcomes": dict(attempt_statuses.most_common()),
        "worker_kills": len(chaos.kills),
        "postgresql_restarts": len(chaos.restarts),
        "sealer": {
            "worker_alive_at_end": worker_alive,
            "passes_during_run": worker_log.count("audit sealed:"),
            "alarms": worker_log.count("ALARM audit sealed"),
        },
        "chaos": {"kills": chaos.kills, "restarts": chaos.restarts, "errors": chaos.errors},
        "dispatch_s": round(dispatch_s, 1),
        "wall_s": round(wall, 1),
        "sent_rate_per_s": round(len(requests) / dispatch_s, 2) if dispatch_s else None,
        "achieved_rate_per_s": round(len(acked) / wall, 2) if wall else None,
        "latency_including_retries_ms": {
            "p50": round(_percentile(latencies, 50), 1) if latencies else None,
            "p95": round(_percentile(latencies, 95), 1) if latencies else None,
            "p99": round(_percentile(latencies, 99), 1) if latencies else None,
            "max": round(latencies[-1], 1) if latencies else None,
            "mean": round(statistics.fmean(latencies), 1) if latencies else None,
            "all_requests_p95": round(_percentile(all_lat, 95), 1) if all_lat else None,
        },
        "server_log": {
            "tracebacks": log_text.count("Traceback (most recent call last)"),
            "worker_timeouts": log_text.count("WORKER TIMEOUT"),
            "workers_sigkilled": log_text.count("was sent SIGKILL"),
        },
        "check": result,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def rows_for(r: dict[str, Any], db: str) -> list[dict[str, Any]]:
    c = r["check"]
    lat = r["latency_including_retries_ms"]
    return [
        row("requests (referrals sent, each with its own key)", r["requests"], database=db),
        row("acknowledged (201 with a reference)", r["acknowledged"], database=db),
        row("retried (more than one attempt)", r["retried"], database=db),
        row(
            "unacknowledged, reported to client",
            r["unacknowledged_reported_to_client"],
            database=db,
        ),
        row("stored (requests found in the database)", c["requests_stored"], database=db),
        row(
            "duplicates (stored twice for one key)", c["duplicate_referrals"], database=db, goal="0"
        ),
        row("lost acknowledged", c["lost_acknowledged"], database=db, goal="0"),
        row(
            "acknowledged with a wrong reference or idempotency record",
            c["acknowledged_reference_mismatch"] + c["idempotency_record_mismatch"],
            database=db,
            goal="0",
        ),
        row("audit chain verifies", c["audit_verify_ok"], database=db, goal="yes"),
        row("gunicorn workers SIGKILLed", r["worker_kills"], database=db, goal=">= 20"),
        row("PostgreSQL crash restarts", r["postgresql_restarts"], database=db, goal=">= 5"),
        row(
            "achieved rate (acknowledged / wall clock)", r["achieved_rate_per_s"], "/s", database=db
        ),
        row("latency p95 including retries (acknowledged)", lat["p95"], "ms", database=db),
    ]


def run(ctx: Context) -> dict[str, Any]:
    settings = Settings()
    root = str(ctx.root)
    if root not in sys.path:
        sys.path.insert(0, root)
    workdir = Path(tempfile.mkdtemp(prefix="sightline-fault-"))
    try:
        with private_cluster(settings, workdir, ctx.log) as cluster:
            env = _env(cluster)
            facts = cluster.facts()
            db = f"PostgreSQL {facts['server_version'].split(' ', 1)[0]} (private, fsync on)"
            ctx.log(f"private cluster on {HOST}:{cluster.port}; migrating and loading")
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
            )
            setup_s = time.perf_counter() - t0
            result = drive(ctx, settings, cluster, env, workdir)
            pg_log = _tail(cluster.logfile, 5_000_000)
            result["postgresql_log"] = {  # one of each per crash recovery
                "not_properly_shut_down": pg_log.count("was not properly shut down"),
                "redo_done": pg_log.count("redo done"),
            }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    c = result["check"]
    ctx.log(
        f"{result['requests']} requests, {result['acknowledged']} acknowledged, "
        f"{result['retried']} retried, "
        f"{result['unacknowledged_reported_to_client']} unacknowledged, "
        f"{c['requests_stored']} stored, {c['duplicate_referrals']} duplicates, "
        f"{c['lost_acknowledged']} lost, audit {'ok' if c['audit_verify_ok'] else 'BROKEN'}, "
        f"{result['worker_kills']} kills, {result['postgresql_restarts']} crashes"
    )
    return {
        "parameters": {
            "seconds": settings.seconds,
            "rate_per_s": settings.rate,
            "tries": settings.tries,
            "backoff": f"{settings.backoff_first_s} s doubling, cap {settings.backoff_cap_s} s, "
            "+-25 % jitter",
            "attempt_timeout_s": settings.attempt_timeout_s,
            "gunicorn": f"{settings.workers} sync workers on {HOST}",
            "borough": BOROUGH,
            "settings": "config.settings.local",
            "planned_worker_kills": settings.worker_kills,
            "planned_postgresql_restarts": settings.pg_restarts,
        },
        "database": db,
        "database_facts": facts,
        "setup_s": round(setup_s, 1),
        **result,
        "rows": rows_for(result, db),
    }

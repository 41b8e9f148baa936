"""Readers: 8 people reading the queue and referral pages at once against 1, in the same run,
on PostgreSQL through gunicorn (throwaway database on 127.0.0.1:5432, dropped afterwards).

`migrate`, `demo_borough --children 960 --years 2 --seed 11` (about 2,000 referrals), a
signed-in session for the partnership safeguarding lead (made in a child process with
Django's test client, as the sign-in view leaves it), gunicorn with 3 sync workers. Each
reader (a thread with one httpx connection) GETs the queue, then a referral page (a random
referral of the borough), then the queue again, and so on, for READ_S seconds: first 1
reader, then 8. Reported: pages per second for each, their ratio (goal >= 2), the latency,
answers other than 200, and the share of pg_stat_activity samples with a lock wait during the
8-reader phase (goal < 5 %), with the load average beside the times.

Knobs: BENCH_READERS_SECONDS (30), BENCH_READERS_MANY (8), BENCH_READERS_WORKERS (3),
BENCH_PG_PORT, BENCH_PG_USER."""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from _common import Context, row
from bench_intake import (
    LockSampler,
    NotRunError,
    Settings,
    _env_int,
    _percentile,
    app_env,
    gunicorn,
    manage,
    postgresql_database,
)

NAME = "readers"
TITLE = "8 concurrent readers of the queue and referral pages against 1 (PostgreSQL, gunicorn)"

SESSION_SNIPPET = """
import json, sys, time
sys.path.insert(0, '.')
import django
django.setup()
from django.test import Client
from sightline.accounts.models import User
from sightline.referrals.models import Referral
client = Client()
client.force_login(User.objects.get(username='demo-safeguarding-lead'))
session = client.session
session['signed_in_at'] = time.time()
session.save()
refs = list(Referral.objects.values_list('reference', flat=True))
print(json.dumps({'session': session.session_key, 'references': refs}))
"""


def _read(
    base: str, session: str, references: list[str], readers: int, seconds: float
) -> dict[str, Any]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    start = threading.Barrier(readers + 1)
    stop = threading.Event()

    def reader(n: int) -> None:
        rng = random.Random(n)
        local: list[tuple[float, int]] = []
        cookies = {"sessionid": session}
        with httpx.Client(base_url=base, cookies=cookies, timeout=60) as http:
            start.wait()
            i = 0
            while not stop.is_set():
                url = "/referrals/" if i % 2 == 0 else f"/referrals/{rng.choice(references)}/"
                i += 1
                t0 = time.perf_counter()
                try:
                    status = http.get(url).status_code
                except httpx.HTTPError:
                    status = 0
                local.append((time.perf_counter() - t0, status))
        with lock:
            for latency, status in local:
                statuses[status] = statuses.get(status, 0) + 1
                if status == 200:
                    latencies.append(latency * 1000)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(readers)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    load0 = os.getloadavg()[0]
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    latencies.sort()
    ok = statuses.get(200, 0)
    return {
        "readers": readers,
        "wall_s": round(wall, 2),
        "pages_ok": ok,
        "pages_per_s": round(ok / wall, 2),
        "non_200": sum(v for k, v in statuses.items() if k != 200),
        "statuses": statuses,
        "p50_ms": round(_percentile(latencies, 50), 1) if latencies else None,
        "p95_ms": round(_percentile(latencies, 95), 1) if latencies else None,
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
        "load_average_before_after": [round(load0, 2), round(os.getloadavg()[0], 2)],
    }


def run(ctx: Context) -> dict[str, Any]:
    settings = Settings()
    seconds = _env_int("BENCH_READERS_SECONDS", 30)
    many = _env_int("BENCH_READERS_MANY", 8)
    workers = _env_int("BENCH_READERS_WORKERS", 3)
    db_label = "PostgreSQL"
    try:
        with (
            postgresql_database(settings) as db,
            tempfile.TemporaryDirectory(prefix="sightline-readers-") as tmp,
        ):
            env = app_env(db)
            manage(ctx, env, "migrate", "--noinput", "-v", "0")
            manage(
                ctx,
                env,
                "demo_borough",
                *("--children", "960", "--years", "2", "--seed", "11"),
                *("--truth", os.devnull),
                timeout=1200,
            )
            made = subprocess.run(
                [str(ctx.python), "-c", SESSION_SNIPPET],
                cwd=ctx.root,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=True,
            )
            got = json.loads(made.stdout.strip().splitlines()[-1])
            db_label = db.version
            with gunicorn(ctx, env, workers, Path(tmp) / "gunicorn.log") as (base, _proc):
                _read(base, got["session"], got["references"], 2, 3)  # warm-up
                ctx.log(f"readers: 1 reader for {seconds} s")
                one = _read(base, got["session"], got["references"], 1, seconds)
                ctx.log(f"readers: {many} readers for {seconds} s")
                assert db.pg_conninfo is not None
                with LockSampler(db.pg_conninfo) as sampler:
                    lots = _read(base, got["session"], got["references"], many, seconds)
                locks = sampler.summary()
    except NotRunError as exc:
        return {"rows": [row("readers", f"not run: {exc}", database="PostgreSQL")]}
    ratio = lots["pages_per_s"] / one["pages_per_s"] if one["pages_per_s"] else None
    share = locks.get("share_of_samples_with_a_lock_wait")
    rows = [
        row("pages per second, 1 reader", one["pages_per_s"], "/s", database=db_label),
        row(f"pages per second, {many} readers", lots["pages_per_s"], "/s", database=db_label),
        row(
            f"throughput {many} readers / 1 reader, same run ({workers} gunicorn workers)",
            round(ratio, 2) if ratio else None,
            "x",
            database=db_label,
            goal=">= 2",
        ),
        row(
            f"latency p50 / p95, 1 reader; {many} readers",
            f"{one['p50_ms']} / {one['p95_ms']}; {lots['p50_ms']} / {lots['p95_ms']}",
            "ms",
            database=db_label,
        ),
        row("answers other than 200", one["non_200"] + lots["non_200"], "", database=db_label),
        row(
            f"share of pg_stat_activity samples with a lock wait, {many} readers",
            round(100 * share, 1) if share is not None else None,
            "%",
            database=db_label,
            goal="< 5 %",
        ),
        row(
            "load average (1 min) before, after: 1 reader; many",
            f"{one['load_average_before_after']}; {lots['load_average_before_after']}",
            "",
            database=db_label,
        ),
    ]
    return {"one": one, "many": lots, "locks": locks, "workers": workers, "rows": rows}

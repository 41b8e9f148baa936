"""Growth: whether intake and the pages cost the same statements, and not much more database
time, as the history grows. PostgreSQL only (throwaway databases on 127.0.0.1:5432, dropped
afterwards). For each size, in one run: `migrate`, `demo_borough --children N --years 2
--seed 11 --with-history` (timed: the build of a region's history), `VACUUM ANALYZE`, then
`growth_probe.py` in a child process: one intake and each page read as the partnership
safeguarding lead through Django's test client, statements and database time (median of 5
after a warm-up), and the plan (EXPLAIN) of each page's slowest SELECT.

Goals: statements equal across sizes; database time at the largest size at most twice that
at the size before (for 100k against 10k); each page's slowest statement uses an index.

Knobs: BENCH_GROWTH_CHILDREN ("480,4800": about 1k and 10k referrals; add 48800 for about
100k; empty for none), BENCH_GROWTH_DATABASES (comma-separated URLs of databases already
built by `demo_borough --with-history`, e.g. the 100k one `bench/build_phases.py` timed:
migrated, their performance summary rebuilt, then probed as the largest sizes; not dropped),
BENCH_PG_PORT, BENCH_PG_USER."""

from __future__ import annotations

import json
import os
import subprocess
import time
from typing import Any

import psycopg
from _common import Context, row
from bench_intake import NotRunError, Settings, app_env, manage, postgresql_database

NAME = "growth"
TITLE = "Statements and database time of intake and the pages at 1k, 10k (and 100k) referrals"


def _sizes() -> list[int]:
    raw = os.environ.get("BENCH_GROWTH_CHILDREN", "480,4800")
    return [int(x) for x in raw.split(",") if x.strip()]


def _build(ctx: Context, env: dict[str, str], children: int) -> dict[str, Any]:
    manage(ctx, env, "migrate", "--noinput", "-v", "0")
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    out = manage(
        ctx,
        env,
        "demo_borough",
        "--children",
        str(children),
        "--years",
        "2",
        "--seed",
        "11",
        "--with-history",
        "--truth",
        os.devnull,
        timeout=3600,
    )
    return {
        "build_s": round(time.perf_counter() - t0, 1),
        "load_average_before_after": [round(load0, 2), round(os.getloadavg()[0], 2)],
        "output": out.strip().splitlines()[-3:],
    }


def _probe(ctx: Context, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [str(ctx.python), str(ctx.root / "bench" / "growth_probe.py")],
        cwd=ctx.root,
        env={**env, "ALLOWED_HOSTS": "testserver,127.0.0.1"},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"growth_probe failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _prebuilt(ctx: Context) -> list[dict[str, Any]]:
    sizes = []
    for url in filter(None, os.environ.get("BENCH_GROWTH_DATABASES", "").split(",")):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": url.strip(),
            "DEBUG": "false",
            "PYTHONUNBUFFERED": "1",
        }
        manage(ctx, env, "migrate", "--noinput", "-v", "0", timeout=1800)
        manage(ctx, env, "performance_months", timeout=1800)
        # a database just built has no planner statistics for its big tables until autovacuum
        # comes round: without them the pages' plans scan (queue 308 ms instead of 15 at 100k)
        with psycopg.connect(url.strip(), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        ctx.log(f"growth: probing the prebuilt {url.rsplit('/', 1)[-1]}")
        probe = _probe(ctx, env)
        sizes.append({"children": None, "build_s": None, "prebuilt": True, **probe})
    return sizes


def run(ctx: Context) -> dict[str, Any]:
    settings = Settings()
    sizes: list[dict[str, Any]] = []
    for children in _sizes():
        try:
            with postgresql_database(settings) as db:
                env = app_env(db)
                ctx.log(f"growth: building {children} children over 2 years")
                built = _build(ctx, env, children)
                assert db.pg_conninfo is not None
                with psycopg.connect(db.pg_conninfo, autocommit=True) as conn:
                    conn.execute("VACUUM ANALYZE")
                ctx.log(f"growth: built in {built['build_s']} s; probing")
                probe = _probe(ctx, env)
                sizes.append({"children": children, **built, **probe})
        except NotRunError as exc:
            return {"rows": [row("growth", f"not run: {exc}", database="PostgreSQL")]}
    sizes += _prebuilt(ctx)
    return {"sizes": sizes, "rows": _rows(sizes)}


def _rows(sizes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    db = "PostgreSQL"
    rows: list[dict[str, Any]] = []
    for size in sizes:
        if size.get("prebuilt"):
            continue
        rows.append(
            row(
                f"{size['referrals']:,} referrals: demo_borough --with-history "
                f"(load average before, after {size['load_average_before_after']})",
                size["build_s"],
                "s",
                database=db,
            )
        )
    if not sizes:
        return rows
    pages = [p["page"] for p in sizes[0]["pages"]]
    for page in pages:
        found = [next(p for p in s["pages"] if p["page"] == page) for s in sizes]
        counts = [p["statements"] for p in found]
        times = [p["db_ms"] for p in found]
        label = " / ".join(f"{s['referrals']:,}" for s in sizes)
        rows.append(
            row(
                f"{page}: statements at {label} referrals",
                " / ".join(str(c) for c in counts),
                "",
                database=db,
                goal="equal",
            )
        )
        ratio = times[-1] / times[-2] if len(times) > 1 and times[-2] else None
        rows.append(
            row(
                f"{page}: DB time at {label} (ratio last / before)",
                " / ".join(f"{t:.1f}" for t in times)
                + (f" ({ratio:.2f})" if ratio is not None else ""),
                "ms",
                database=db,
                goal="ratio <= 2",
            )
        )
        last = found[-1]
        if "big_seq_scans_top" in last:
            big = last["big_seq_scans_top"]
            rows.append(
                row(
                    f"{page}: 3 slowest SELECTs at the largest size read no big table "
                    "(2,000+ rows) by a sequential scan",
                    "yes" if not big else f"no ({', '.join(big)})",
                    "",
                    database=db,
                    goal="yes",
                )
            )
        if "index_scan" in last:
            scans = "; ".join(s.split("(")[0].strip("-> ") for s in last.get("seq_scans", []))
            rows.append(
                row(
                    f"{page}: slowest SELECT at the largest size uses an index",
                    ("yes" if last["index_scan"] else "no")
                    + (f" (also seq scans: {scans})" if scans else ""),
                    "",
                    database=db,
                    goal="yes",
                )
            )
    return rows

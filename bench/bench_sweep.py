"""The escalation sweep over 1,000,000 open clocks on PostgreSQL.

A throwaway database on 127.0.0.1:5432 is migrated (`manage.py migrate`, settings
`config.settings.local`), then filled in SQL with generate_series: one agency with one person
on each rung of the ladder, CLOCKS / 8 referrals and, for each, one open clock of each of the
8 kinds (the schema allows one open clock per kind per referral), so CLOCKS open clocks in all.
Their due times are spread over the next 60 days, except OVERDUE of them, which fell due in
the last hour. ANALYZE, then, in a child process (its own Django setup), the real
`escalation.services.sweep`:

1. sweep at T: a burst (a worker that was down for a while): the OVERDUE clocks breach and
   each raises an escalation (row, event, inbox item, outbox e-mail, audit row; since ADR
   0006 the audit row no longer waits on a chain head shared by every writer). Goal: under
   5 s.
2. sweep again at T: nothing to do (idempotent).
3. sweep at T + 5 h: every escalation climbs to the team manager's rung.
4. sweep at T + 1 day + 1 minute: the steady state of a worker sweeping every minute: the
   clocks that fell due in that minute (about CLOCKS / 86,400 of them here).

Also reported: the plan of the claim query (it must use the partial index `clock_sweep_idx`,
not scan 1,000,000 rows) and the rows each sweep touched. Knobs: BENCH_SWEEP_CLOCKS
(1000000), BENCH_SWEEP_OVERDUE (1000), BENCH_SWEEP_DB_PREFIX (sl_bench_sweep), BENCH_PG_PORT
(5432), BENCH_PG_USER (postgres);
PGPASSWORD is honoured. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from _common import row  # noqa: E402

NAME = "escalation_sweep"
TITLE = "Escalation sweep over 1,000,000 open clocks (PostgreSQL)"

CLOCKS = int(os.environ.get("BENCH_SWEEP_CLOCKS", "1000000"))
OVERDUE = int(os.environ.get("BENCH_SWEEP_OVERDUE", "1000"))
PG_PORT = os.environ.get("BENCH_PG_PORT", "5432")
PG_USER = os.environ.get("BENCH_PG_USER", "postgres")
# The throwaway database's name starts with this (a shared server may allow only some names).
DB_PREFIX = os.environ.get("BENCH_SWEEP_DB_PREFIX", "sl_bench_sweep")
KINDS = (
    "decision",
    "rag",
    "strategy_discussion",
    "assessment",
    "icpc",
    "screening_review",
    "return_interview",
    "referrer_feedback",
)
GOAL = "< 5 s"


def _url(name: str) -> str:
    return f"postgres://{PG_USER}@127.0.0.1:{PG_PORT}/{name}"


def _admin() -> Any:
    import psycopg

    return psycopg.connect(
        f"host=127.0.0.1 port={PG_PORT} user={PG_USER} dbname=postgres", autocommit=True
    )


def _fill(url: str, at: dt.datetime, log: Any) -> None:
    """Staff, referrals and clocks with generate_series (no Python loop over rows)."""
    import psycopg

    referrals = CLOCKS // len(KINDS)
    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=False) as conn:
        cur = conn.cursor()
        agency = uuid.uuid4()
        cur.execute(
            "INSERT INTO accounts_agency (id, created_at, updated_at, name, code, kind, "
            "cin_source_code, is_active) VALUES (%s, now(), now(), 'Bench borough children''s "
            "services', 'bench-csc', 'csc', '5A', true)",
            (agency,),
        )
        people = {}
        for role in (
            "referrer",
            "front_door_practitioner",
            "team_manager",
            "head_of_service",
            "safeguarding_lead",
        ):
            cur.execute(
                "INSERT INTO accounts_user (password, is_superuser, username, first_name, "
                "last_name, email, is_staff, is_active, date_joined, agency_id, role, job_title)"
                " VALUES ('!', false, %s, 'Bench', %s, %s, false, true, now(), %s, %s, '') "
                "RETURNING id",
                (f"bench-{role}", role, f"bench-{role}@example.invalid", agency, role),
            )
            people[role] = cur.fetchone()[0]  # type: ignore[index]
        log(f"inserting {referrals:,} referrals")
        cur.execute(
            """
            INSERT INTO referrals_referral (id, created_at, updated_at, reference, received_at,
                source_agency_id, referred_by_id, channel, narrative, concern_categories,
                urgency, status, decision_due_at, rag, rag_due_at, risk_rank)
            SELECT gen_random_uuid(), now(), now(), 'SL-BENCH-' || lpad(i::text, 8, '0'),
                %(at)s - interval '1 day', %(agency)s, %(referrer)s, 'api',
                'Synthetic benchmark referral.', '[]'::jsonb, 'routine', 'awaiting_decision',
                %(at)s + interval '1 day', 'green', %(at)s, 0
            FROM generate_series(1, %(n)s) AS i
            """,
            {"at": at, "agency": agency, "referrer": people["referrer"], "n": referrals},
        )
        log(f"inserting {referrals * len(KINDS):,} clocks ({OVERDUE:,} overdue)")
        # Row number r (1-based) over (referral, kind): the first OVERDUE fell due in the last
        # hour; the rest are due from a day to 60 days on.
        cur.execute(
            """
            INSERT INTO escalation_clock (id, created_at, updated_at, kind, referral_id,
                agency_id, started_at, due_at, status, stopped_reason, detail, next_check_at)
            SELECT gen_random_uuid(), now(), now(), k.kind, r.id, %(agency)s,
                %(at)s - interval '1 day', d.due, 'running', '', '', d.due
            FROM (SELECT id, row_number() OVER (ORDER BY reference) AS n
                  FROM referrals_referral) AS r
            CROSS JOIN unnest(%(kinds)s::text[]) WITH ORDINALITY AS k(kind, o)
            CROSS JOIN LATERAL (
                SELECT CASE WHEN (r.n - 1) * %(nk)s + k.o <= %(overdue)s
                    THEN %(at)s - (((r.n * 7 + k.o) %% 3600) || ' seconds')::interval
                    ELSE %(at)s + interval '1 day'
                        + (((r.n * 7919 + k.o * 104729) %% 5184000) || ' seconds')::interval
                END AS due
            ) AS d
            """,
            {
                "at": at,
                "agency": agency,
                "kinds": list(KINDS),
                "nk": len(KINDS),
                "overdue": OVERDUE,
            },
        )
        conn.commit()
    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE escalation_clock")
        conn.execute("ANALYZE referrals_referral")


def child(url: str, at_iso: str) -> None:
    """Runs in a subprocess with its own Django; prints one JSON line."""
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    from sightline.escalation.models import Clock, Escalation
    from sightline.escalation.services import sweep

    at = dt.datetime.fromisoformat(at_iso)
    claim = Clock.objects.filter(next_check_at__lte=at).order_by("next_check_at").only("id")[:500]
    sql, params = claim.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cur.fetchall())
    results: dict[str, Any] = {"plan": plan, "open_clocks": Clock.objects.count()}
    for label, when in (
        ("first", at),
        ("repeat", at),
        ("climb", at + dt.timedelta(hours=5)),
        ("minute", at + dt.timedelta(days=1, minutes=1)),
    ):
        start = time.perf_counter()
        if os.environ.get("BENCH_SWEEP_PROFILE") and label == os.environ["BENCH_SWEEP_PROFILE"]:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            report = profiler.runcall(sweep, at=when)
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
        else:
            report = sweep(at=when)
        results[label] = {"seconds": time.perf_counter() - start, **report.as_dict()}
    results["escalations"] = Escalation.objects.count()
    results["at_rung_2"] = Escalation.objects.filter(rung=2).count()
    print(json.dumps(results))


def run(ctx: Any = None) -> dict[str, Any]:
    log = ctx.log if ctx is not None else (lambda message: print(message, file=sys.stderr))
    name = f"{DB_PREFIX}_{uuid.uuid4().hex[:8]}"
    url = _url(name)
    try:
        admin = _admin()
    except Exception as exc:
        reason = f"not run: PostgreSQL unreachable ({type(exc).__name__})"
        return {
            "rows": [row("sweep of 1,000 overdue among 1M clocks", reason, database="postgresql")]
        }
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
        }
        log(f"migrating {name}")
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
        started = time.perf_counter()
        _fill(url, at, log)
        fill_s = time.perf_counter() - started
        log("sweeping")
        out = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", url, at.isoformat()],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    uses_index = "clock_sweep_idx" in result["plan"]
    db = "postgresql"
    first, repeat, climb = result["first"], result["repeat"], result["climb"]
    minute = result["minute"]
    rows = [
        row("open clocks in the table", result["open_clocks"], "clocks", database=db),
        row(
            f"steady sweep: a minute's due clocks ({minute['escalations_raised']} escalated)",
            round(minute["seconds"] * 1000, 1),
            "ms",
            database=db,
            goal=GOAL,
        ),
        row(
            f"sweep raising {first['escalations_raised']:,} escalations",
            round(first["seconds"], 2),
            "s",
            database=db,
            goal=GOAL,
        ),
        row(
            "repeat sweep at the same time (nothing to do)",
            round(repeat["seconds"] * 1000, 1),
            "ms",
            database=db,
            goal=GOAL,
        ),
        row(
            f"sweep climbing {climb['rungs_climbed']:,} escalations a rung",
            round(climb["seconds"], 2),
            "s",
            database=db,
            goal=GOAL,
        ),
        row(
            "claim query uses the partial index clock_sweep_idx",
            "yes" if uses_index else "no",
            database=db,
            goal="yes",
        ),
        row("time to generate the rows (SQL)", round(fill_s, 1), "s", database=db),
    ]
    return {
        "rows": rows,
        # The machine is shared (2 CPUs, other work running): say how busy it was.
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "clocks": CLOCKS,
        "overdue": OVERDUE,
        "plan": result["plan"],
        "sweeps": {"first": first, "repeat": repeat, "climb": climb, "minute": minute},
        "escalations": result["escalations"],
        "escalations_at_rung_2": result["at_rung_2"],
        "repeat_raised_nothing": repeat["escalations_raised"] == 0
        and repeat["clocks_checked"] == 0,
    }


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        print(json.dumps(run(), indent=2, default=str))

"""Search at scale: `reporting.search.search_record` (the search and its audit row, what a
request pays apart from HTTP) against 1,000,000 children and 1,000,000 persons of concern on
PostgreSQL.

A throwaway database on 127.0.0.1:5432 is migrated (so every index and the pg_trgm extension
of `reporting/0001_search_indexes` are the real ones), then filled with `INSERT ... SELECT
generate_series`: children (one referral each, half from a school, half from the police),
persons of concern with their blocking keys and one mention each on a random referral.
Names come from Faker en_GB lists; the phonetic and nickname keys are computed in Python for
each distinct name and joined in. Queries are taken from the loaded rows and written as a
user would: full names, short forms ("Becky" for Rebecca), a misspelt family name, name and
date of birth, date of birth alone, postcode, reference; persons by name, nickname and phone.
Timed for a front-door practitioner (the partnership's referrals) and an education lead
(half of them: scope is a condition of the same statement). The database is dropped at the
end.

Knobs: BENCH_SEARCH_CHILDREN (1000000), BENCH_SEARCH_PERSONS (1000000),
BENCH_SEARCH_QUERIES (300), BENCH_PG_PORT, BENCH_PG_USER. Only 127.0.0.1 is contacted.
BENCH_SEARCH_KEEP=1 uses a database of a fixed name (`sightline_bench_search_keep`), loads it
only if it is not there yet (migrating it on every run, so new indexes are built), and keeps
it afterwards: a second run measures without the 4 to 7 minutes of loading. Drop it with
BENCH_SEARCH_KEEP=drop (or `DROP DATABASE sightline_bench_search_keep`).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(BENCH_DIR.parent))

from _common import row  # noqa: E402

NAME = "search"
TITLE = "Search: children and persons of concern at 1M rows each (PostgreSQL)"

CHILDREN = int(os.environ.get("BENCH_SEARCH_CHILDREN", "1000000"))
PERSONS = int(os.environ.get("BENCH_SEARCH_PERSONS", "1000000"))
QUERIES = int(os.environ.get("BENCH_SEARCH_QUERIES", "300"))
PORT = os.environ.get("BENCH_PG_PORT", "5432")
USER = os.environ.get("BENCH_PG_USER", "postgres")
PG = f"host=127.0.0.1 port={PORT} user={USER}"
KEEP = os.environ.get("BENCH_SEARCH_KEEP", "")
KEPT = "sightline_bench_search_keep"


def _p(samples: list[float], q: int) -> float:
    return round(statistics.quantiles(samples, n=100)[q - 1] * 1000, 2)


def _names() -> tuple[list[str], list[str]]:
    from faker import Faker

    fake = Faker("en_GB")
    fake.seed_instance(11)
    givens = sorted({fake.first_name_female() for _ in range(4000)}
                    | {fake.first_name_male() for _ in range(4000)}
                    | {"Rebecca", "Katherine", "Samantha", "Victoria", "Stephanie"})  # fmt: skip
    families = sorted({fake.last_name() for _ in range(20000)})
    return givens, families


def _load(cur: Any, log: Any) -> dict[str, Any]:
    from sightline.intel.normalise import given_key, phonetic
    from sightline.people.matching import name_key

    givens, families = _names()
    cur.execute("CREATE TEMP TABLE g (i int, name text, low text, gkey text)")
    cur.executemany(
        "INSERT INTO g VALUES (%s, %s, %s, %s)",
        [(i, n, n.lower(), given_key(n)) for i, n in enumerate(givens)],
    )
    cur.execute("CREATE TEMP TABLE f (i int, name text, key text, pkey text)")
    cur.executemany(
        "INSERT INTO f VALUES (%s, %s, %s, %s)",
        [(i, n, name_key(n), phonetic(n)) for i, n in enumerate(families)],
    )
    cur.execute(
        "SELECT id FROM accounts_agency WHERE code IN ('b-school', 'b-police') ORDER BY code"
    )
    police, school = (r[0] for r in cur.fetchall())
    cur.execute("SELECT id FROM accounts_user WHERE username = 'b-referrer'")
    referrer = cur.fetchone()[0]
    ng, nf = len(givens), len(families)
    began = time.perf_counter()
    cur.execute(
        """
        INSERT INTO people_child (id, created_at, updated_at, reference, given_name, family_name,
          date_of_birth, date_of_birth_is_estimated, sex, address, postcode, school, nhs_number,
          has_learning_disability, is_restricted, family_name_key, postcode_key)
        SELECT md5('c' || s)::uuid, now(), now(), 'CH-2025-' || lpad(s::text, 7, '0'),
          g.name, f.name, date '2008-01-01' + (s * 37 %% 6200)::int, false, 'female', '',
          'NB' || (s %% 9 + 1) || ' ' || (s %% 10) || chr((65 + s %% 26)::int)
            || chr((65 + s / 26 %% 26)::int),
          '', '', false, false, f.key,
          'NB' || (s %% 9 + 1) || (s %% 10) || chr((65 + s %% 26)::int)
            || chr((65 + s / 26 %% 26)::int)
        FROM generate_series(1, %s::bigint) s
        JOIN g ON g.i = (s * 7919) %% %s JOIN f ON f.i = (s * 104729) %% %s
        """,
        (CHILDREN, ng, nf),
    )
    cur.execute(
        """
        INSERT INTO referrals_referral (id, created_at, updated_at, reference, received_at,
          source_agency_id, referred_by_id, channel, narrative, concern_categories, urgency,
          status, decision_due_at, rag, rag_due_at, risk_rank)
        SELECT md5('r' || s)::uuid, now(), now(), 'SL-2025-' || lpad(s::text, 7, '0'),
          now() - (s %% 700) * interval '1 day',
          CASE WHEN s %% 2 = 0 THEN %s ELSE %s END, %s,
          'api', 'Synthetic concern.', '[]', 'routine', 'decided', now(), 'green', now(), 0
        FROM generate_series(1, %s::bigint) s
        """,
        (school, police, referrer, CHILDREN),
    )
    cur.execute(
        """
        INSERT INTO referrals_referralchild (id, created_at, updated_at, referral_id, child_id,
          position, given_name, family_name, date_of_birth, sex, address, postcode, school,
          nhs_number, age_on_day, screening_required, match_status)
        SELECT md5('rc' || s)::uuid, now(), now(), md5('r' || s)::uuid, md5('c' || s)::uuid, 0,
          '', '', NULL, 'female', '', '', '', '', 14, true, 'new_child'
        FROM generate_series(1, %s::bigint) s
        """,
        (CHILDREN,),
    )
    log(f"{CHILDREN} children, referrals and links in {time.perf_counter() - began:.0f}s")
    began = time.perf_counter()
    cur.execute(
        """
        INSERT INTO intel_personofconcern (id, created_at, updated_at, reference, is_active,
          names, nicknames, estimated_birth_year, description, addresses, phones, plates, profile)
        SELECT md5('p' || s)::uuid, now(), now(), 'POC-2025-' || lpad(s::text, 7, '0'), true,
          json_build_array(g.name || ' ' || f.name),
          CASE WHEN s %% 3 = 0 THEN json_build_array(initcap(NICK)) ELSE '[]'::json END,
          1960 + s %% 45, '', '[]',
          json_build_array('+447' || lpad((700000000 + s)::text, 9, '0')),
          '[]',
          json_build_object('givens', json_build_array(g.low), 'families',
            json_build_array(lower(f.name)), 'initials', json_build_array(left(g.low, 1)),
            'nicknames', CASE WHEN s %% 3 = 0 THEN json_build_array(NICK)
              ELSE '[]'::json END,
            'birth_years', json_build_array(1960 + s %% 45),
            'phones', json_build_array('+447' || lpad((700000000 + s)::text, 9, '0')),
            'plates', '[]'::json, 'partial_plates', '[]'::json, 'addresses', '[]'::json,
            'description', '[]'::json, 'details', '[]'::json, 'place_ids', '[]'::json)
        FROM generate_series(1, %s::bigint) s
        JOIN g ON g.i = (s * 6151) %% %s JOIN f ON f.i = (s * 15485863) %% %s
        """.replace("NICK", NICK),
        (PERSONS, ng, nf),
    )
    cur.execute(
        """
        INSERT INTO intel_personkey (person_id, key)
        SELECT md5('p' || s)::uuid, k
        FROM generate_series(1, %s::bigint) s
        JOIN g ON g.i = (s * 6151) %% %s JOIN f ON f.i = (s * 15485863) %% %s,
        LATERAL (VALUES ('fam:' || f.pkey), ('giv:' || g.gkey),
                        ('nm:' || g.gkey || ':' || f.pkey),
                        ('tel:+447' || lpad((700000000 + s)::text, 9, '0')),
                        (CASE WHEN s %% 3 = 0 THEN 'nick:' || NICK END)) AS keys(k)
        WHERE k IS NOT NULL
        """.replace("NICK", NICK),
        (PERSONS, ng, nf),
    )
    cur.execute(
        """
        INSERT INTO intel_mention (id, created_at, updated_at, entity_type, entity_id,
          referral_id, agency_id, occurred_at, said, details, link_status, score, reasons,
          source_kind, source_ref, child_ids, explanation)
        SELECT md5('m' || s)::uuid, now(), now(), 'person', md5('p' || s)::uuid,
          md5('r' || (s * 7 %% %s + 1))::uuid, %s, now(), '', '{}', 'origin', 1, '[]',
          'referral', '', '[]', '{}'
        FROM generate_series(1, %s::bigint) s
        """,
        (CHILDREN, police, PERSONS),
    )
    log(f"{PERSONS} persons, keys and mentions in {time.perf_counter() - began:.0f}s")
    for table in ("people_child", "referrals_referral", "referrals_referralchild",
                  "intel_personofconcern", "intel_personkey", "intel_mention"):  # fmt: skip
        cur.execute(f"ANALYZE {table}")
    return {"givens": givens, "families": families}


# A nickname for one person in three: letters only ("Acebx"), as nicknames are written.
NICK = "'ace' || chr((97 + s %% 26)::int) || chr((97 + s / 26 %% 26)::int)"

SHORT = {"Rebecca": "Becky", "Katherine": "Kate", "Samantha": "Sam", "Victoria": "Vicky",
         "Stephanie": "Steph"}  # fmt: skip


def _misspell(family: str) -> str:
    return family[:-1] + "e" if len(family) > 4 and family[-1] != "e" else family


def _queries(cur: Any, rng: random.Random) -> tuple[list[str], list[str]]:
    picks = sorted(rng.sample(range(1, CHILDREN + 1), QUERIES))
    cur.execute(
        "SELECT reference, given_name, family_name, date_of_birth, postcode FROM people_child "
        "WHERE reference = ANY(%s)",
        ([f"CH-2025-{s:07d}" for s in picks],),
    )
    children = []
    for i, (ref, given, family, born, postcode) in enumerate(cur.fetchall()):
        style = i % 7
        children.append([
            f"{given} {family}",
            f"{SHORT.get(given, given)} {family}",
            f"{given} {_misspell(family)}",
            f"{given} {family} {born:%d/%m/%Y}",
            f"{born:%d/%m/%Y}",
            postcode,
            ref,
        ][style])  # fmt: skip
    cur.execute(
        "SELECT names->>0, nicknames->>0, phones->>0 FROM intel_personofconcern "
        "WHERE reference = ANY(%s)",
        ([f"POC-2025-{s:07d}" for s in rng.sample(range(1, PERSONS + 1), QUERIES)],),
    )
    persons = []
    for i, (name, nick, phone) in enumerate(cur.fetchall()):
        persons.append([name, nick or name, "0" + phone[3:]][i % 3])
    return children, persons


def _backend_cpu_s() -> float:
    """CPU seconds the PostgreSQL backend of this connection has used (its /proc stat: the
    server runs on this machine)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _time(
    user: Any, texts: list[str], types: list[str] | None, *, audited: bool = True
) -> tuple[list[float], int, dict[str, float]]:
    """Each query through `search_record` (validation, the search and its audit row in one
    transaction), or with `audited=False` through `search` alone. Also the CPU each search
    cost, which depends far less on the shared machine's load than the wall time: this
    process's (Python: parsing, building the SQL, scoring) and the PostgreSQL backend's,
    and the statements per search."""
    from django.db import connection

    from sightline.reporting.search import resolve_types, search, search_record

    kinds = resolve_types(user=user, requested=types)

    def once(text: str) -> Any:
        if audited:
            return search_record(user=user, query=text, purpose="case_work", types=types)
        return search(user=user, text=text, purpose="case_work", types=kinds)

    for text in texts[:10]:  # warm-up
        once(text)
    statements = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    samples, found = [], 0
    server, client = _backend_cpu_s(), time.process_time()
    with connection.execute_wrapper(count):
        for text in texts:
            began = time.perf_counter()
            result = once(text)
            samples.append(time.perf_counter() - began)
            found += result.count > 0
    cpu = {
        "client_ms": (time.process_time() - client) / len(texts) * 1000,
        "server_ms": (_backend_cpu_s() - server) / len(texts) * 1000,
        "statements": statements / len(texts),
    }
    return samples, found, cpu


def run(ctx: Any = None) -> dict[str, Any]:
    import psycopg

    log = getattr(ctx, "log", print)
    name = KEPT if KEEP else f"sightline_bench_search_{os.getpid()}"
    try:
        admin = psycopg.connect(PG + " dbname=postgres", autocommit=True)
    except psycopg.OperationalError as exc:
        return {"rows": [row("postgresql", f"not run: {exc}".splitlines()[0])]}
    if KEEP == "drop":
        admin.execute(f'DROP DATABASE IF EXISTS "{KEPT}" WITH (FORCE)')
        admin.close()
        return {"rows": [row("kept database", "dropped")]}
    there = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    if there and not _complete(name):  # a load cut short: start again
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        there = None
    if not there:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        return _run_in(name, log)
    finally:
        from django.db import connections

        connections.close_all()
        if not KEEP:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _complete(name: str) -> bool:
    """A kept database whose load ran to its end (the mentions are its last rows)."""
    import psycopg

    with psycopg.connect(PG + f" dbname={name}") as conn:
        try:
            return conn.execute("SELECT EXISTS (SELECT 1 FROM intel_mention)").fetchone()[0]
        except psycopg.errors.UndefinedTable:
            return False


def _run_in(name: str, log: Any) -> dict[str, Any]:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["SIGHTLINE_TEST_DATABASE_URL"] = f"postgres://{USER}@127.0.0.1:{PORT}/{name}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from sightline.accounts.models import Agency, User

    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"migrated in {time.perf_counter() - began:.0f}s")
    loaded = Agency.objects.filter(code="b-police").exists()  # a kept database, loaded
    if not loaded:
        police = Agency.objects.create(name="Bench police", code="b-police", kind="police",
                                       cin_source_code="6")  # fmt: skip
        school = Agency.objects.create(name="Bench school", code="b-school", kind="education",
                                       cin_source_code="2A")  # fmt: skip
        csc = Agency.objects.create(name="Bench council", code="b-csc", kind="csc",
                                    cin_source_code="5A")  # fmt: skip
        User.objects.create(username="b-referrer", agency=police, role="referrer")
        User.objects.create(username="b-fd", agency=csc, role="front_door_practitioner")
        User.objects.create(username="b-lead", agency=school, role="education_lead")
    front_door = User.objects.get(username="b-fd")
    school_lead = User.objects.get(username="b-lead")
    began = time.perf_counter()
    with connection.cursor() as cur:
        if not loaded:
            _load(cur.cursor, log)
        else:
            log("kept database: loaded before, not loaded again")
        load_s = time.perf_counter() - began
        children, persons = _queries(cur.cursor, random.Random(5))
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cur.fetchone()[0]
    rows: list[dict[str, Any]] = []
    db = "postgresql"
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    label = f"{CHILDREN // 1000}k children, {PERSONS // 1000}k persons"
    samples, _found, cpu = _time(front_door, children, ["child"], audited=False)
    log(f"front door, children, search alone: p95 {_p(samples, 95)} ms, {cpu}")
    rows.append(row(f"search p95, front door, children, without the audit row ({label})",
                    _p(samples, 95), "ms", database=db, goal="< 50 ms"))  # fmt: skip
    rows.append(row("search p50, front door, children, without the audit row",
                    _p(samples, 50), "ms", database=db))  # fmt: skip
    rows.append(row("CPU per search, front door, children, without the audit row: Python / "
                    "PostgreSQL backend", f"{cpu['client_ms']:.1f} / {cpu['server_ms']:.1f}",
                    "ms", database=db))  # fmt: skip
    for who, user, texts, types in (
        ("front door, children", front_door, children, ["child"]),
        ("education lead (half in scope), children", school_lead, children, ["child"]),
        ("front door, persons of concern", front_door, persons, ["person"]),
        ("front door, all five types", front_door, children + persons, None),
    ):
        samples, found, cpu = _time(user, texts, types)
        log(f"{who}: p95 {_p(samples, 95)} ms, {cpu}")
        rows.append(row(f"search p95, {who} ({label})", _p(samples, 95), "ms", database=db,
                        goal="< 50 ms"))  # fmt: skip
        rows.append(row(f"search p50, {who}", _p(samples, 50), "ms", database=db))
        rows.append(row(f"queries with a result, {who}", round(found / len(texts), 3),
                        "share", database=db))  # fmt: skip
        rows.append(row(f"CPU per search, {who}: Python / PostgreSQL backend",
                        f"{cpu['client_ms']:.1f} / {cpu['server_ms']:.1f}", "ms",
                        database=db))  # fmt: skip
        rows.append(row(f"statements per search, {who} (with the audit row's 2)",
                        round(cpu["statements"], 2), "", database=db))  # fmt: skip
    if not loaded:
        rows.append(row("rows loaded (children, referrals, persons, keys, mentions)",
                        round(load_s, 1), "s", database=db))  # fmt: skip
    rows.append(row("database size", size, "", database=db))
    return {"rows": rows, "children": CHILDREN, "persons": PERSONS, "queries": QUERIES,
            "load_average_at_start": load_at_start,
            "load_average_at_end": [round(x, 2) for x in os.getloadavg()]}  # fmt: skip


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=1, default=str))

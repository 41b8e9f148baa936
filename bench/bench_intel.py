"""Intel at scale: online candidate matching, batch resolution, network lookups.

1. Online candidate match against 1,000,000 persons of concern on PostgreSQL (throwaway
   database on 127.0.0.1:5432): the same blocking-key table and index as
   `intel.PersonKey`, the same query shape as `intel.entities.person_candidates` (strong keys
   in one IN lookup, each weak key capped), then scoring with `intel.resolution.compare`.
   Queries are mentions of existing persons written with errors (short forms, typos,
   nickname only, phone in another format). p95 of the whole call.
2. Batch resolution (`manage.py intel_resolve` on 1,000,000 records) moved to
   `bench/bench_resolve.py` (issue 12 §4), which also reports CPU time and the data's ceiling.
3. Two-step network around a node in a graph of 1,000,000 nodes and 5,000,000 links stored
   both ways in the `intel.Edge` shape (index on a_id): p95 of the two indexed lookups.

Knobs: BENCH_INTEL_PERSONS (1000000), BENCH_INTEL_NODES (1000000), BENCH_INTEL_LINKS
(5000000), BENCH_INTEL_QUERIES (500), BENCH_PG_PORT (5432), BENCH_PG_USER (postgres).
Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import io
import json
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(BENCH_DIR.parent))

from _common import row  # noqa: E402

NAME = "intel"
TITLE = "Intel: candidate matching, batch resolution, network lookups"

PERSONS = int(os.environ.get("BENCH_INTEL_PERSONS", "1000000"))
NODES = int(os.environ.get("BENCH_INTEL_NODES", "1000000"))
LINKS = int(os.environ.get("BENCH_INTEL_LINKS", "5000000"))
QUERIES = int(os.environ.get("BENCH_INTEL_QUERIES", "500"))
PG = (
    f"host=127.0.0.1 port={os.environ.get('BENCH_PG_PORT', '5432')} "
    f"user={os.environ.get('BENCH_PG_USER', 'postgres')}"
)


def _p95(samples: list[float]) -> float:
    return round(statistics.quantiles(samples, n=20)[18] * 1000, 2)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def _copy(cur: Any, table: str, columns: str, rows: Any) -> None:
    with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for r in rows:
            copy.write_row(r)


def population(rng: random.Random, count: int, queries: int) -> tuple[list[Any], list[Any]]:
    """`count` persons (id, given, family, nickname, birth year, phone) and `queries` mentions of
    some of them written with errors (short forms, a surname typo, nickname only, a phone in
    another format), each with its true person. Pure: the simulator in tests uses it too."""
    from faker import Faker

    from sightline.demo.generator import NAME_VARIANTS

    fake = Faker("en_GB")
    fake.seed_instance(7)
    givens = [fake.first_name_male() for _ in range(2500)]
    families = [fake.last_name() for _ in range(6000)]
    nicks = ["Tank", "Ace", "Big", "Smudge", "Spider", "Ghost", "Blue", "Kiki", "Bear", "Red"]
    people: list[tuple[uuid.UUID, str, str, str, int, str]] = []
    for i in range(count):
        pid = uuid.UUID(int=rng.getrandbits(128), version=4)
        g, f = rng.choice(givens), rng.choice(families)
        nick = f"{rng.choice(nicks)}{i % 9973}".lower() if rng.random() < 0.3 else ""
        phone = f"+447{700000000 + i:09d}" if rng.random() < 0.5 else ""
        year = rng.randint(1960, 2006)
        people.append((pid, g, f, nick, year, phone))
    asked = []
    for pid, g, f, nick, year, phone in rng.sample(people, queries):
        style = rng.random()
        if style < 0.3 and g in NAME_VARIANTS:
            name = f"{rng.choice(NAME_VARIANTS[g])} {f}"
        elif style < 0.5:
            name = f"{g} {f[:-1] + 'e' if len(f) > 3 else f}"
        elif style < 0.7 and nick:
            name = ""
        else:
            name = f"{g} {f}"
        asked.append(
            {
                "truth": pid,
                "name": name,
                "nickname": nick if (not name or rng.random() < 0.3) else "",
                "approximate_age": 2026 - year + rng.randint(-2, 2),
                "phone": f"0{phone[3:]}" if phone and rng.random() < 0.4 else "",
            }
        )
    return people, asked


def person_record(g: str, f: str, nick: str, year: int, phone: str) -> tuple[str, list[str]]:
    """A person's stored profile (JSON) and blocking keys, made by the product's own code
    (`intel.entities.person_summary`) from one mention of it."""
    from sightline.intel.entities import person_summary

    details = {"name": f"{g} {f}", "nickname": nick, "phone": phone}
    details |= {"approximate_age": 2026 - year, "year": 2026}
    _profile, fields, keys = person_summary([details])
    return json.dumps(fields["profile"]), sorted(keys)


def _persons(cur: Any, rng: random.Random, log: Any) -> list[dict[str, Any]]:
    """Create and fill the person and key tables; return query mentions with their truth."""
    cur.execute(
        "CREATE TABLE intel_personofconcern (id uuid PRIMARY KEY, reference varchar(20), "
        "is_active boolean, profile jsonb)"
    )
    cur.execute(
        "CREATE TABLE intel_personkey (id bigserial PRIMARY KEY, person_id uuid, key varchar(60))"
    )
    people, queries = population(rng, PERSONS, QUERIES)
    person_rows = []
    key_rows = []
    for i, (pid, g, f, nick, year, phone) in enumerate(people):
        profile, keys = person_record(g, f, nick, year, phone)
        person_rows.append((pid, f"POC-2026-{i:07d}", True, profile))
        key_rows.extend((pid, k) for k in keys)
        if len(person_rows) >= 100_000:
            _copy(cur, "intel_personofconcern", "id, reference, is_active, profile", person_rows)
            _copy(cur, "intel_personkey", "person_id, key", key_rows)
            person_rows, key_rows = [], []
    _copy(cur, "intel_personofconcern", "id, reference, is_active, profile", person_rows)
    _copy(cur, "intel_personkey", "person_id, key", key_rows)
    log(f"{PERSONS} persons loaded; indexing keys")
    cur.execute("CREATE INDEX intel_personkey_idx ON intel_personkey (key)")
    cur.execute("ANALYZE intel_personkey")
    cur.execute("ANALYZE intel_personofconcern")
    return queries


def _candidate_lookup(cur: Any, features: Any) -> list[tuple[uuid.UUID, float]]:
    """The query shape of intel.entities.person_candidates, on a raw connection: its key plan
    (exact keys in one lookup; each broad key capped, all in one UNION ALL statement), then
    its ranking (`rank_persons`)."""
    from sightline.intel import entities
    from sightline.intel.normalise import phonetic
    from sightline.intel.resolution import Profile

    strong, capped = entities.key_plan(features)
    ids: set[uuid.UUID] = set()
    if strong:
        cur.execute(
            "SELECT person_id FROM intel_personkey WHERE key = ANY(%s) LIMIT %s",
            (strong, entities.STRONG_KEY_LIMIT),
        )
        ids.update(r[0] for r in cur.fetchall())
    if capped:
        one = "(SELECT person_id FROM intel_personkey WHERE key = %s LIMIT %s)"
        cur.execute(
            " UNION ALL ".join([one] * len(capped)),
            [v for key in capped for v in (key, entities.WEAK_KEY_LIMIT)],
        )
        ids.update(r[0] for r in cur.fetchall())
    if not ids:
        return []
    sole = None  # entities.surname_sole_holder: the only person with this surname, if one
    if features.family:
        cur.execute(
            "SELECT person_id FROM intel_personkey WHERE key = %s LIMIT 2",
            (f"fam:{phonetic(features.family)}"[:60],),
        )
        holders = [r[0] for r in cur.fetchall()]
        sole = holders[0] if len(holders) == 1 else None
    cur.execute(
        "SELECT id, reference, profile FROM intel_personofconcern WHERE id = ANY(%s) AND is_active",
        (list(ids),),
    )
    rows = ((pid, ref, Profile.from_json(profile)) for pid, ref, profile in cur.fetchall())
    ranked = entities.rank_persons(features, rows, sole=sole, shared={})
    return [(r.entity_id, r.score) for r in ranked]


def _bench_candidates(conn: Any, log: Any) -> list[dict[str, Any]]:
    from sightline.intel.resolution import PersonFeatures

    rng = random.Random(11)
    with conn.cursor() as cur:
        began = time.perf_counter()
        queries = _persons(cur, rng, log)
        conn.commit()
        load_s = time.perf_counter() - began
        for q in queries[:20]:  # warm-up
            _candidate_lookup(cur, PersonFeatures.from_named(year=2026, **_fields(q)))
        times: list[float] = []
        cpu: list[float] = []  # this process's CPU per call: what the load average does not inflate
        found = 0
        for q in queries:
            features = PersonFeatures.from_named(year=2026, **_fields(q))
            t, c = time.perf_counter(), time.process_time()
            ranked = _candidate_lookup(cur, features)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
            found += bool(ranked) and q["truth"] in {pid for pid, _s in ranked[:5]}
    return [
        row("candidate match p95 (1M persons)", _p95(times), "ms", database="postgresql",
            goal="< 20 ms"),
        row("candidate match median", round(statistics.median(times) * 1000, 2), "ms",
            database="postgresql"),
        row("candidate match app CPU p95 (client process)", _p95(cpu), "ms",
            database="postgresql"),
        row("true person in top 5 candidates", round(found / len(queries), 3), "share",
            database="postgresql", goal=">= 0.95"),
        row("load average after", round(os.getloadavg()[0], 2), "", database="postgresql"),
        row("persons loaded (with keys)", round(load_s, 1), "s", database="postgresql"),
    ]  # fmt: skip


def _fields(q: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in q.items() if k != "truth"}


def _bench_network(conn: Any, log: Any) -> list[dict[str, Any]]:
    with conn.cursor() as cur:
        began = time.perf_counter()
        cur.execute(
            "CREATE TABLE intel_edge (id bigserial PRIMARY KEY, a_type varchar(10), a_id uuid, "
            "b_type varchar(10), b_id uuid, referral_id uuid)"
        )
        cur.execute(
            "CREATE TEMP TABLE links AS SELECT (random() * %s)::int AS a, "
            "(random() * %s)::int AS b FROM generate_series(1, %s)",
            (NODES - 1, NODES - 1, LINKS),
        )
        cur.execute(
            "INSERT INTO intel_edge (a_type, a_id, b_type, b_id) "
            "SELECT 'person', md5(a::text)::uuid, 'child', md5(b::text)::uuid FROM links "
            "UNION ALL "
            "SELECT 'child', md5(b::text)::uuid, 'person', md5(a::text)::uuid FROM links"
        )
        cur.execute("CREATE INDEX intel_edge_a_idx ON intel_edge (a_id)")
        cur.execute("ANALYZE intel_edge")
        conn.commit()
        build_s = time.perf_counter() - began
        log(f"graph built in {build_s:.0f}s")
        rng = random.Random(5)
        times: list[float] = []
        sizes: list[int] = []
        for i in range(QUERIES + 20):
            root = uuid.UUID(
                __import__("hashlib").md5(str(rng.randrange(NODES)).encode()).hexdigest()
            )
            t = time.perf_counter()
            cur.execute("SELECT b_id FROM intel_edge WHERE a_id = %s LIMIT 1600", (root,))
            first = list({r[0] for r in cur.fetchall()})
            cur.execute(
                "SELECT a_id, b_type, b_id FROM intel_edge WHERE a_id = ANY(%s) LIMIT 1600",
                (first,),
            )
            second = cur.fetchall()
            if i >= 20:
                times.append(time.perf_counter() - t)
                sizes.append(len({r[2] for r in second}) + len(first))
    return [
        row("two-step network p95 (1M nodes, 5M links)", _p95(times), "ms",
            database="postgresql", goal="< 20 ms"),
        row("two-step network median nodes", statistics.median(sizes), "nodes",
            database="postgresql"),
        row("graph build (10M adjacency rows)", round(build_s, 1), "s", database="postgresql"),
    ]  # fmt: skip


def run(ctx: Any = None) -> dict[str, Any]:
    import psycopg

    log = getattr(ctx, "log", print)
    _setup_django()
    rows: list[dict[str, Any]] = []
    name = f"sightline_bench_intel_{os.getpid()}"
    try:
        admin = psycopg.connect(PG + " dbname=postgres", autocommit=True)
    except psycopg.OperationalError as exc:
        rows.append(row("postgresql", f"not run: {exc}".splitlines()[0], database="postgresql"))
        admin = None
    if admin is not None:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            with psycopg.connect(PG + f" dbname={name}") as conn:
                rows += _bench_candidates(conn, log)
                rows += _bench_network(conn, log)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
    return {"rows": rows}


if __name__ == "__main__":
    out = run()
    buf = io.StringIO()
    json.dump(out, buf, indent=1)
    print(buf.getvalue())

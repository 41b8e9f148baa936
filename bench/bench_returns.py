"""Producing the CIN census and Ofsted Annex A for a borough of BENCH_RETURNS_CHILDREN (20,000)
children.

In a child process (settings `config.settings.test`: SQLite in memory, migrated first), the
borough is bulk-inserted: one referral per child received in 2025-26 (a tenth closed with no
further action), an authorised assessment with factors for half, a strategy discussion,
section 47 enquiry, initial conference and child protection plan for a tenth, a child-in-need
plan for a fifth. Then `cin_census("2025-26")` and Annex A (`build` + `workbook`) are timed.
Goal: both under 60 s. The partnership dashboard's figures for the year (as the safeguarding
lead) are timed too, with the number of queries they took.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from _common import row  # noqa: E402

NAME = "returns"
TITLE = "Statutory returns: CIN census and Ofsted Annex A"
CHILDREN = int(os.environ.get("BENCH_RETURNS_CHILDREN", "20000"))
BATCH = 2000


def _seed(n: int) -> None:
    from sightline.accounts.tests.factories import AgencyFactory, UserFactory
    from sightline.casework.models import (
        Assessment,
        Conference,
        EpisodeClosure,
        Plan,
        Section47Enquiry,
        StrategyDiscussion,
    )
    from sightline.people.models import Child
    from sightline.referrals.models import Referral, ReferralChild

    agency = AgencyFactory(kind="csc")
    user = UserFactory(username="bench-returns", agency=agency)
    start = dt.datetime(2025, 4, 7, 10, tzinfo=dt.UTC)
    children, referrals, links = [], [], []
    for i in range(n):
        received = start + dt.timedelta(days=i % 300)
        child = Child(
            reference=f"CH{i:010d}", given_name="Synthetic", family_name=f"Child{i}",
            date_of_birth=dt.date(2008 + i % 10, 1 + i % 12, 1 + i % 28),
            sex=("female", "male", "unknown")[i % 3], has_learning_disability=i % 17 == 0,
        )  # fmt: skip
        referral = Referral(
            reference=f"SL-B-{i:08d}", received_at=received, source_agency=agency,
            referred_by=user, channel="web_form", narrative="Synthetic.", status="decided",
            decision_due_at=received, rag="green", rag_due_at=received,
        )  # fmt: skip
        children.append(child)
        referrals.append(referral)
        links.append(
            ReferralChild(
                referral=referral, child=child, given_name="Synthetic", family_name="Child",
                screening_required=False, match_status="new_child",
            )
        )  # fmt: skip
    Child.objects.bulk_create(children, batch_size=BATCH)
    Referral.objects.bulk_create(referrals, batch_size=BATCH)
    ReferralChild.objects.bulk_create(links, batch_size=BATCH)
    steps: dict[Any, list[Any]] = {m: [] for m in (Assessment, StrategyDiscussion, EpisodeClosure)}
    later: list[tuple[int, Any]] = []
    for i, (child, referral) in enumerate(zip(children, referrals, strict=True)):
        day = referral.received_at.date()
        common = {"child": child, "referral": referral, "recorded_by": user, "agency": agency}
        if i % 10 == 9:
            steps[EpisodeClosure].append(
                EpisodeClosure(**common, closed_on=day + dt.timedelta(days=2), reason="RC8")
            )
            continue
        if i % 2 == 0:
            steps[Assessment].append(Assessment(
                **common, started_on=day + dt.timedelta(days=1),
                authorised_on=day + dt.timedelta(days=30), factors=["11A", "10A"],
            ))  # fmt: skip
        if i % 10 == 0:
            sd = StrategyDiscussion(
                **common, held_at=referral.received_at + dt.timedelta(days=1),
                police_present=True, csc_present=True, health_present=True,
            )  # fmt: skip
            steps[StrategyDiscussion].append(sd)
            later.append((i, sd))
    for model, objs in steps.items():
        model.objects.bulk_create(objs, batch_size=BATCH)
    enquiries, conferences, plans = [], [], []
    for i, sd in later:
        child, referral = children[i], referrals[i]
        day = referral.received_at.date() + dt.timedelta(days=1)
        common = {"child": child, "referral": referral, "recorded_by": user, "agency": agency}
        enquiry = Section47Enquiry(
            **common, strategy_discussion=sd, started_on=day, outcome="substantiated_conference"
        )
        enquiries.append(enquiry)
        held = day + dt.timedelta(days=14)
        while held.weekday() >= 5:
            held += dt.timedelta(days=1)
        conferences.append(Conference(**common, kind="initial", enquiry=enquiry, held_on=held))
        plans.append(Plan(**common, kind="cp", category="SAB", started_on=held))
    Section47Enquiry.objects.bulk_create(enquiries, batch_size=BATCH)
    Conference.objects.bulk_create(conferences, batch_size=BATCH)
    Plan.objects.bulk_create(plans, batch_size=BATCH)
    cin_plans = [
        Plan(child=children[i], referral=referrals[i], recorded_by=user, agency=agency,
             kind="cin", started_on=referrals[i].received_at.date() + dt.timedelta(days=31))
        for i in range(0, n, 5) if i % 10 != 0 and i % 10 != 9
    ]  # fmt: skip
    Plan.objects.bulk_create(cin_plans, batch_size=BATCH)


def _dashboard() -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sightline.accounts.models import Agency
    from sightline.accounts.tests.factories import UserFactory
    from sightline.reporting.dashboard import dashboard
    from sightline.reporting.dashboard_types import dashboard_filters

    lead = UserFactory(
        username="bench-lead", agency=Agency.objects.first(), role="safeguarding_lead"
    )
    filters = dashboard_filters(start="2025-04-01", end="2026-03-31")
    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        dashboard(user=lead, filters=filters)
    return time.perf_counter() - t0, len(queries.captured_queries)


def child() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from sightline.reporting.returns import annex_a, cin_census

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    _seed(CHILDREN)
    seeded = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    result = cin_census("2025-26")
    census_s, census_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    sheets = annex_a.build(dt.date(2025, 4, 1), dt.date(2026, 3, 31))
    book = annex_a.workbook(sheets)
    annex_s, annex_cpu = time.perf_counter() - t0, time.process_time() - c0
    dash_s, dash_queries = _dashboard()
    print(json.dumps({
        "children": result.children, "seed_s": seeded, "census_s": census_s,
        "census_bytes": len(result.xml or b""), "failures": len(result.failures),
        "annex_s": annex_s, "annex_rows": sum(len(s.rows) for s in sheets),
        "annex_bytes": len(book), "census_cpu_s": census_cpu, "annex_cpu_s": annex_cpu,
        "dashboard_s": dash_s, "dashboard_queries": dash_queries,
        "load": os.getloadavg()[0],
    }))  # fmt: skip


def run(ctx: Any) -> dict[str, Any]:
    proc = subprocess.run(
        [str(ctx.python), str(Path(__file__).resolve()), "--child"],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=1800,
    )  # fmt: skip
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    ctx.log(f"returns: {r}")
    return {
        "result": r,
        "rows": [
            row("children in the census", r["children"]),
            row("CIN census (gather, checks, XML)", round(r["census_s"], 2), "s",
                goal="< 60 s", database="SQLite"),
            row("CIN census, CPU time of the process", round(r["census_cpu_s"], 2), "s",
                database="SQLite"),
            row("CIN census XML size", round(r["census_bytes"] / 1024), "KiB"),
            row("Annex A (lists 1, 3-7, xlsx)", round(r["annex_s"], 2), "s", goal="< 60 s",
                database="SQLite"),
            row("Annex A, CPU time of the process", round(r["annex_cpu_s"], 2), "s",
                database="SQLite"),
            row("Annex A rows", r["annex_rows"]),
            row("partnership dashboard, the year's figures", round(r["dashboard_s"], 2), "s",
                database="SQLite"),
            row("partnership dashboard queries", r["dashboard_queries"]),
            row("load average (1 min) at the end", round(r["load"], 2)),
        ],
    }  # fmt: skip


if __name__ == "__main__" and "--child" in sys.argv:
    child()

"""Child process of bench_growth: on the database in DATABASE_URL (a loaded demo borough), one
intake and each page read as a signed-in partnership safeguarding lead, through Django's
test client: statements and database time of each (the median of REPEAT reads after one
warm-up), and on PostgreSQL the plans (EXPLAIN) of each page's three slowest SELECTs and the
big tables (BIG_ROWS rows or more) any of them reads with a sequential scan. Prints JSON."""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from sightline.accounts.models import User  # noqa: E402
from sightline.intel.models import Alert, PersonOfConcern  # noqa: E402
from sightline.referrals.inputs import (  # noqa: E402
    ChildInput,
    PersonInput,
    PlaceInput,
    ReferralInput,
)
from sightline.referrals.models import Referral  # noqa: E402
from sightline.workflows import referral_intake  # noqa: E402

REPEAT = 5
INDEXED = ("Index Scan", "Index Only Scan", "Bitmap Index Scan")


def _referral(n: int) -> ReferralInput:
    return ReferralInput(
        narrative="She was picked up in a car by older men near the Golden Grill and went "
        "missing overnight. She has a new phone.",
        children=[
            ChildInput(
                given_name=f"Probe{n}",
                family_name="Okafor",
                date_of_birth=dt.date(2012, 2, 3),
                sex="female",
                postcode="NB3 1AA",
            )
        ],
        persons_named=[
            PersonInput(
                name="Carl Venn",
                nickname="Big C",
                approximate_age=35,
                phone="07700 900456",
                vehicle_registration="NB21 KLM",
            ),
            PersonInput(
                name="Dean Marsh",
                approximate_age=40,
                phone="07700 900789",
                vehicle_registration="NB19 XYZ",
            ),
        ],
        places_named=[
            PlaceInput(
                name="Golden Grill", kind="takeaway", address="12 High Street", postcode="NB3 2BB"
            )
        ],
        urgency="urgent",
    )


BIG_ROWS = 2000  # a table this size or larger is a "big table" for the scan check
PLANNED = 3  # the slowest SELECTs of each page whose plans are asked for


def _big_tables() -> dict[str, int]:
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class "
            "WHERE relkind = 'r' AND reltuples >= %s",
            [BIG_ROWS],
        )
        return dict(cursor.fetchall())


def _plan(sql: str, big: dict[str, int]) -> dict[str, Any]:
    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        lines = [r[0] for r in cursor.fetchall()]
    seq_scans = [ln.strip() for ln in lines if "Seq Scan" in ln]
    scanned = {ln.split("Seq Scan on ", 1)[1].split()[0] for ln in seq_scans if " on " in ln}
    return {
        "index_scan": any(kind in ln for ln in lines for kind in INDEXED),
        "seq_scans": seq_scans,
        "big_seq_scans": sorted(t for t in scanned if t in big),
        "plan": lines[:25],
    }


def measure(name: str, call: Any) -> dict[str, Any]:
    call()  # warm-up: caches, first-use work
    runs = []
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            status = call()
        times = [float(q["time"]) for q in captured.captured_queries]
        runs.append((len(captured), sum(times), status, captured.captured_queries))
    counts = sorted({r[0] for r in runs})
    db_ms = statistics.median(r[1] for r in runs) * 1000
    reads = [q for q in runs[-1][3] if q["sql"].lstrip().upper().startswith("SELECT")]
    slowest = max(reads, key=lambda q: float(q["time"])) if reads else None
    out: dict[str, Any] = {
        "page": name,
        "status": runs[-1][2],
        "statements": counts[-1],
        "statements_seen": counts,
        "db_ms": round(db_ms, 2),
    }
    if slowest is not None:
        out["slowest_sql"] = slowest["sql"][:300]
        out["slowest_ms"] = round(float(slowest["time"]) * 1000, 2)
        out.update(_plan(slowest["sql"], BIG))
        # the next slowest too: a seq scan of a big table in any of them is recorded
        others = sorted(reads, key=lambda q: -float(q["time"]))[1:PLANNED]
        planned = [_plan(q["sql"], BIG) for q in others]
        out["big_seq_scans_top"] = sorted(
            set(out.get("big_seq_scans", [])).union(*(p.get("big_seq_scans", []) for p in planned))
        )
        out["slowest_others"] = [
            {"sql": q["sql"][:200], "ms": round(float(q["time"]) * 1000, 2), **p}
            for q, p in zip(others, planned, strict=True)
        ]
    return out


BIG: dict[str, int] = {}


def main() -> None:
    BIG.update(_big_tables())
    lead = User.objects.get(username="demo-safeguarding-lead")
    client = Client()
    client.force_login(lead)
    session = client.session
    session["signed_in_at"] = time.time()  # as the sign-in view does
    session.save()
    referral = Referral.objects.order_by("-received_at").first()
    assert referral is not None
    child_id = referral.children.values_list("child_id", flat=True).first()
    alert = Alert.objects.filter(entity_type="person").order_by("-created_at").first()
    person = (
        PersonOfConcern.objects.filter(pk=alert.entity_id).first()
        if alert is not None
        else PersonOfConcern.objects.order_by("created_at").first()
    )
    assert person is not None
    counter = iter(range(10**6))

    def intake() -> int:
        with transaction.atomic():
            referral_intake(acting_user=lead, data=_referral(next(counter)))
        return 201

    def get(url: str) -> Any:
        return lambda: client.get(url).status_code

    pages = [
        ("intake", intake),
        ("queue", get("/referrals/")),
        ("referral", get(f"/referrals/{referral.reference}/")),
        ("child", get(f"/children/{child_id}/")),
        ("person", get(f"/intel/persons/{person.pk}/")),
        ("network", get(f"/intel/network/person/{person.pk}/")),
        ("alerts", get("/intel/")),
        ("hotspots", get("/intel/hotspots/")),
        ("dashboard", get("/escalation/performance/")),
    ]
    started = time.perf_counter()
    results = [measure(name, call) for name, call in pages]
    print(
        json.dumps(
            {
                "referrals": Referral.objects.count(),
                "big_tables": BIG,
                "probe_s": round(time.perf_counter() - started, 1),
                "pages": results,
            },
            default=str,
        )
    )


if __name__ == "__main__":
    main()

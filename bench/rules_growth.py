"""The bulk indexer's alert rules for one entity named N times (ADR 0905), in memory, no
database: a person and a place named on N referrals over two years, each about a child of
another household, from three agencies, and the rules run after each mention as the bulk
indexer runs them. Times the rules over the whole history (`rules.evaluate` on
`MemoryStore.links_of`, the path before) against the books (`bulk_rules.evaluate`), in the
same process one after the other, and prints JSON: CPU seconds of each and their ratio.

    .venv/bin/python bench/rules_growth.py 100 200 400 800
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from sightline.intel import rules  # noqa: E402
from sightline.intel.services.bulk_rules import BulkStore, evaluate  # noqa: E402
from sightline.intel.services.bulk_store import MemoryStore  # noqa: E402

AGENCIES = [uuid.uuid4() for _ in range(3)]
START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def _store(n: int) -> tuple[BulkStore, list[dict[str, object]]]:
    store = BulkStore(lambda prefix: f"{prefix}-1")
    store.agency_code = {a: f"agency{i}" for i, a in enumerate(AGENCIES)}
    person, place = uuid.uuid4(), uuid.uuid4()
    mentions: list[dict[str, object]] = []
    for i in range(n):
        rid = uuid.uuid4()
        store.referral_info[rid] = (f"SL-{i}", frozenset({"sexual_exploitation"}))
        store.kids[rid] = [(str(uuid.uuid4()), f"CH-{i}", f"a:{i} mill lane")]
        at = START + dt.timedelta(hours=i * 730 * 24 // n)
        for etype, eid in (("person", person), ("place", place)):
            mentions.append(
                {
                    "referral_id": rid,
                    "agency_id": AGENCIES[i % 3],
                    "entity_type": etype,
                    "entity_id": eid,
                    "occurred_at": at,
                    "said": "Carl",
                    "details": {"concern": True},
                    "link_status": "probable" if i % 4 else "exact",
                    "score": 0.9,
                    "reasons": ["same name"],
                }
            )
    return store, mentions


def _run(n: int, incremental: bool) -> float:
    store, mentions = _store(n)
    links_of = MemoryStore.links_of.__get__(store)
    vehicles_of = MemoryStore.vehicles_of.__get__(store)
    cpu = time.process_time()
    for fields in mentions:
        m = store.mention_add(**fields)
        if incremental:
            evaluate(store, m.entity_type, m.entity_id)
        else:
            rules.evaluate(m.entity_type, m.entity_id, links_of=links_of, vehicles_of=vehicles_of)
    return time.process_time() - cpu


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [100, 200, 400]
    load = os.getloadavg()
    out = []
    for n in sizes:
        before, after = _run(n, False), _run(n, True)
        out.append(
            {
                "mentions": n,
                "whole_history_cpu_s": round(before, 3),
                "books_cpu_s": round(after, 3),
                "ratio": round(before / after, 1) if after else None,
            }
        )
    print(json.dumps({"load_average": [round(x, 2) for x in load], "runs": out}))


if __name__ == "__main__":
    main()

"""The bulk picture read from a database against the database: every entity holding an alert
evaluated by `bulk_rules.evaluate` over a `BulkStore` loaded from the database, and by
`rules.evaluate` reading it (holds, certainty, date, number of links); prints the entities
that differ. Read only (one transaction, rolled back).

    .venv/bin/python bench/bulk_picture_check.py DATABASE_NAME    # on 127.0.0.1"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{sys.argv[1]}"

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from sightline.intel import rules  # noqa: E402
from sightline.intel.models import Alert  # noqa: E402
from sightline.intel.services.bulk import ReferenceBlock  # noqa: E402
from sightline.intel.services.bulk_rules import BulkStore, evaluate  # noqa: E402


def main() -> None:
    with transaction.atomic():
        store = BulkStore(ReferenceBlock(2026))
        store.load()
        entities = set(Alert.objects.values_list("entity_type", "entity_id"))
        differing = 0
        for entity_type, entity_id in sorted(entities):
            got, want = (
                evaluate(store, entity_type, entity_id),
                rules.evaluate(entity_type, entity_id),
            )
            for trigger, w in want.items():
                g = got[trigger]
                if (g.holds, g.confirmed, g.possible_at, len(g.links)) != (
                    w.holds, w.confirmed, w.possible_at, len(w.links),
                ):  # fmt: skip
                    differing += 1
                    print("differs", entity_type, entity_id, trigger)
                    break
        print("entities", len(entities), "differing", differing)
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()

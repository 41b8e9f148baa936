"""The language checker on long texts: how long `check_text` takes on 100,000 characters (the
longest text the API accepts), on a text full of flagged phrases and on an ordinary one.
Pure Python; no database."""

from __future__ import annotations

import os
import statistics
import sys
import time
from typing import Any

from _common import ROOT, row

NAME = "language"
TITLE = "Language checker: 100,000 characters"
REPEATS = 20


def _texts() -> dict[str, str]:
    dense = (
        "She keeps going missing and is putting herself at risk with her boyfriend (27). "
        "Staff describe her as streetwise and say it is a lifestyle choice. "
    )
    plain = "Adults have been seen collecting the child from school in different cars. "
    mixed = plain * 9 + dense
    return {
        "flag-dense": (dense * 2000)[:100_000],
        "mixed (1 flagged sentence in 10)": (mixed * 2000)[:100_000],
        "no flagged phrases": (plain * 2000)[:100_000],
    }


def run(ctx: Any = None) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from sightline.reviews.language import check_text, load_language

    started = time.perf_counter()
    load_language()
    load_ms = (time.perf_counter() - started) * 1000
    rows = [row("load and compile the phrase list (once per process)", round(load_ms, 1), "ms")]
    detail = {}
    for label, text in _texts().items():
        times, flags = [], 0
        for _ in range(REPEATS):
            t0 = time.perf_counter()
            flags = len(check_text(text))
            times.append((time.perf_counter() - t0) * 1000)
        median, worst = statistics.median(times), max(times)
        detail[label] = {"median_ms": round(median, 1), "max_ms": round(worst, 1), "flags": flags}
        rows.append(
            row(f"check 100,000 characters, {label}: median of {REPEATS} ({flags} flags)",
                round(median, 1), "ms", goal="< 1000 ms")
        )  # fmt: skip
    return {"rows": rows, "detail": detail}


if __name__ == "__main__":
    print(run())

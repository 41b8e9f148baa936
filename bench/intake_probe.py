"""Child process of bench_intake: on the database in DATABASE_URL, POST the referral bodies in
the file named by argv[1] (a JSON list of strings) to /api/v1/referrals through Django's test
client with the token in argv[2], each with its own Idempotency-Key, counting the SQL
statements of each request (token check, idempotency, intake, answer) and the process's CPU
time for it (time.process_time: what the machine's load does not inflate). The first
INTAKE_PROBE_WARMUP requests (default 0) are sent but not counted. With INTAKE_PROBE_PROFILE set
to a path, the counted requests run under cProfile and the stats are written there. Prints
JSON; with INTAKE_PROBE_OUT set to a path, also appends it there as one line (so that the runs of
an A/B, which print to the benchmark, can be read afterwards request by request)."""

from __future__ import annotations

import cProfile
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

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main() -> None:
    bodies = json.loads(Path(sys.argv[1]).read_text())
    token = sys.argv[2]
    warmup = int(os.environ.get("INTAKE_PROBE_WARMUP", "0"))
    profile_to = os.environ.get("INTAKE_PROBE_PROFILE")
    client = Client()

    def post(body: str) -> int:
        response = client.post(
            "/api/v1/referrals",
            data=body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
        return response.status_code

    for body in bodies[:warmup]:
        post(body)
    profiler = cProfile.Profile(time.process_time) if profile_to else None
    counts: list[int] = []
    statuses: list[int] = []
    cpu_ms: list[float] = []
    for body in bodies[warmup:]:
        # The log keeps at most 9,000 statements: emptied first, so that a long probe still counts.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as captured:
            cpu = time.process_time()
            if profiler is not None:
                profiler.enable()
            statuses.append(post(body))
            if profiler is not None:
                profiler.disable()
            cpu_ms.append(round((time.process_time() - cpu) * 1000, 2))
        counts.append(len(captured))
    if profiler is not None and profile_to:
        profiler.dump_stats(profile_to)
    out = json.dumps({"statements": counts, "statuses": statuses, "cpu_ms": cpu_ms})
    if os.environ.get("INTAKE_PROBE_OUT"):
        with open(os.environ["INTAKE_PROBE_OUT"], "a") as f:
            f.write(out + "\n")
    print(out)


if __name__ == "__main__":
    main()

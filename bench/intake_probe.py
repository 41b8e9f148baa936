"""Child process of bench_intake: on the database in DATABASE_URL, POST the referral bodies in
the file named by argv[1] (a JSON list of strings) to /api/v1/referrals through Django's test
client with the token in argv[2], each with its own Idempotency-Key, counting the SQL
statements of each request (token check, idempotency, intake, answer). Prints JSON."""

from __future__ import annotations

import json
import os
import sys
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
    client = Client()
    counts: list[int] = []
    statuses: list[int] = []
    for body in bodies:
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                "/api/v1/referrals",
                data=body,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
                HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
            )
        statuses.append(response.status_code)
        counts.append(len(captured))
    print(json.dumps({"statements": counts, "statuses": statuses}))


if __name__ == "__main__":
    main()

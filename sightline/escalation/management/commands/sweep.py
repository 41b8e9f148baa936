"""One escalation sweep, as if at a given time: `manage.py sweep --at 2026-03-02T09:00`.
It runs the sweep here and now (not through the task queue), then the other apps' registered
sweeps (`sightline.core.sweeps`: MACE actions and the disruption register), then sends
queued e-mail."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sightline.core.sweeps import sweeps_run
from sightline.core.tasks import outbox_relay_task
from sightline.escalation.services import sweep


def parse_at(value: str | None) -> dt.datetime:
    if not value:
        return timezone.now()
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--at must be an ISO date-time, e.g. 2026-03-02T09:00 ({exc})") from exc
    if moment.tzinfo is None:
        moment = timezone.make_aware(moment)  # UK local time
    return moment


class Command(BaseCommand):
    help = "Run one sweep of overdue clocks and challenge stages (optionally as if at --at)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", help="ISO date-time; naive times are UK local time.")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument(
            "--no-mail", action="store_true", help="Do not send queued e-mail after the sweep."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        at = parse_at(options.get("at"))
        report = sweep(at=at, batch_size=options["batch_size"])
        others = sweeps_run(at)
        sent = 0 if options["no_mail"] else outbox_relay_task.call()
        self.stdout.write(json.dumps({**report.as_dict(), **others, "emails_sent": sent}))

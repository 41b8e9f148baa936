from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sightline.audit.sealing import SealReport, audit_seal


class Command(BaseCommand):
    help = (
        "Seal committed audit rows into checkpoints and copy them to the external sink: one "
        "pass, or one every SECONDS with --loop (ADR 0006). Safe to run twice at once."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--loop", type=float, metavar="SECONDS", help="Run a pass every SECONDS until stopped."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval = options["loop"]
        if interval is not None and interval <= 0:
            raise CommandError("--loop needs a number of seconds above 0.")
        while True:
            report = audit_seal()
            if interval is None and report.problem:
                raise CommandError(_describe(report))
            self.stdout.write(_describe(report))
            if interval is None:
                return
            time.sleep(interval)


def _describe(report: SealReport) -> str:
    text = (
        f"Sealed {report.rows_sealed} rows and {report.gaps} gaps in {report.checkpoints} "
        f"checkpoints; oldest unsealed row {report.lag_seconds:.0f} s old."
    )
    if report.problem:
        text += f" Stopped at row #{report.waiting_at_seq}: {report.problem}."
    elif report.waiting_at_seq is not None:
        text += f" Waiting for the transaction that holds row #{report.waiting_at_seq}."
    return text

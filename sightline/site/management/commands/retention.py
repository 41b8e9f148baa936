"""`manage.py retention [--dry-run]`: delete what the retention schedule says is due (or,
with --dry-run, list it and why). Run by the scheduler nightly; see ADR 0801."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sightline.core.errors import Invalid
from sightline.workflows import retention_run


class Command(BaseCommand):
    help = "Delete records past the retention schedule (tombstone and audit row each)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List only; delete nothing.")
        parser.add_argument("--batch-size", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = retention_run(
                acting_user=None, dry_run=options["dry_run"], batch_size=options["batch_size"]
            )
        except Invalid as exc:
            raise CommandError(f"The retention schedule is refused: {exc}") from exc
        for item in result.due:
            self.stdout.write(
                f"{item.record_type}\t{item.reference}\tdue {item.due_on:%Y-%m-%d}\t"
                f"last activity {item.last_activity_on:%Y-%m-%d}\t{item.rule}: {item.why}"
            )
        if result.dry_run:
            self.stdout.write(f"Dry run: would delete {len(result.due)} records.")
            return
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(result.deleted.items()))
        self.stdout.write(f"Retention: deleted {counts or 'nothing'} in {result.batches} batches.")
        if result.skipped_held:
            self.stdout.write(f"Held at the last moment: {', '.join(result.skipped_held)}.")

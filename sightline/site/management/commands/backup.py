from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sightline.site.backup import BackupError, database_backup


class Command(BaseCommand):
    help = (
        "Back up the whole database to one file: pg_dump's custom format on PostgreSQL, "
        "an SQLite database file (online backup API) on SQLite. The export is audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="The backup file to write.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            file = database_backup(output=Path(options["output"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up to {file.path} ({file.size} bytes, sha256 {file.sha256}).")

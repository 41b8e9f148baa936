from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from sightline.audit.verify import verify_chain
from sightline.site.backup import BackupError, database_restore


class Command(BaseCommand):
    help = (
        "Replace the whole configured database with a backup made by `manage.py backup` "
        "(pg_restore --clean on PostgreSQL, the online backup API on SQLite). Stop the web "
        "server and worker first. Needs --yes. The restore is audited in the restored data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="The backup file to restore.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Confirm that every row in the configured database is to be replaced.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = connection.settings_dict["NAME"]
        if not options["yes"]:
            raise CommandError(
                f"Restoring replaces every row in the database {name}: "
                "run again with --yes to confirm."
            )
        try:
            file = database_restore(source=Path(options["input"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc

        report = verify_chain()
        chain = (
            f"audit chain intact ({report.checked} rows)"
            if report.ok
            else f"audit chain broken at {report.where}: {report.problem}"
        )
        self.stdout.write(
            f"Restored {name} from {file.path} (sha256 {file.sha256}); {chain}. "
            "Run `manage.py migrate` if the backup is older than this code."
        )

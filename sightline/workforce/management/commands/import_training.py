"""`manage.py import_training --agency CODE FILE.csv [--kind staff|training|headcount]
[--accept-valid]`: import an HR system's CSV for one agency, as the upload page does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sightline.accounts.models import Agency
from sightline.workforce.choices import ImportKind
from sightline.workforce.services import ImportRejected, ImportReport, workforce_import


class Command(BaseCommand):
    help = "Import staff, training records or headcount for an agency from a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--agency", required=True, help="The agency's code.")
        parser.add_argument("--kind", choices=ImportKind.values, default=ImportKind.TRAINING)
        parser.add_argument(
            "--accept-valid",
            action="store_true",
            help="Store the good rows and report the rest (default: a bad row stores nothing).",
        )

    def _errors(self, report: ImportReport) -> None:
        for e in report.errors:
            self.stderr.write(f"row {e.row}: {e.column or '(file)'}: {e.message}")

    def handle(self, *args: Any, **options: Any) -> None:
        agency = Agency.objects.filter(code=options["agency"]).first()
        if agency is None:
            raise CommandError(f"No agency with the code {options['agency']!r}.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            report = workforce_import(
                acting_user=None,
                actor_username="manage.py import_training",
                agency=agency,
                kind=options["kind"],
                data=path.read_bytes(),
                filename=path.name,
                accept_valid=options["accept_valid"],
                channel="command",
            )
        except ImportRejected as exc:
            self._errors(exc.report)
            raise CommandError(str(exc)) from exc
        self._errors(report)
        self.stdout.write(
            f"{report.kind} for {agency.code}: {report.rows} rows, {report.created} new, "
            f"{report.updated} changed, {report.unchanged} unchanged, "
            f"{report.rejected} not stored."
        )

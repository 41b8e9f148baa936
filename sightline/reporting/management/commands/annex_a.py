"""Write Ofsted Annex A (the lists Sightline holds) as one workbook, and optionally CSVs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sightline.core.errors import Invalid
from sightline.reporting.returns import annex_a


class Command(BaseCommand):
    help = "Write Annex A (--from 2025-04-01 --to 2026-03-31 --output annex_a.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, type=dt.date.fromisoformat)
        parser.add_argument("--to", dest="end", required=True, type=dt.date.fromisoformat)
        parser.add_argument("--output", required=True)
        parser.add_argument("--csv-dir", default="", help="Also write one CSV per list here.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            sheets = annex_a.build(options["start"], options["end"])
        except Invalid as exc:
            raise CommandError(str(exc)) from exc
        Path(options["output"]).write_bytes(annex_a.workbook(sheets))
        if options["csv_dir"]:
            folder = Path(options["csv_dir"])
            folder.mkdir(parents=True, exist_ok=True)
            for sheet in sheets:
                (folder / f"annex_a_{sheet.key}.csv").write_text(
                    annex_a.csv_text(sheet), encoding="utf-8"
                )
        counts = ", ".join(f"{s.key} {len(s.rows)}" for s in sheets)
        self.stdout.write(f"Wrote {options['output']}: {counts}.")

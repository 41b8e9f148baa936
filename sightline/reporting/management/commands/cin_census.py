"""Write the Children in Need census XML for a collection year, after the DfE checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sightline.core.errors import Invalid
from sightline.reporting.returns import cin_census


class Command(BaseCommand):
    help = "Write the CIN census XML (e.g. --year 2025-26 --la 999 --output census.xml)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True)
        parser.add_argument("--la", default="999")
        parser.add_argument("--output", required=True)
        parser.add_argument(
            "--strict", action="store_true", help="Write nothing while any error remains."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = cin_census(options["year"], options["la"], strict=options["strict"])
        except Invalid as exc:
            raise CommandError(str(exc)) from exc
        for f in result.failures:
            kind = "query" if f.is_query else "error"
            self.stderr.write(f"{f.child} rule {f.rule} ({kind}): {f.message}")
        if result.xml is None:
            raise CommandError(f"{len(result.errors)} error(s) remain; nothing written (--strict).")
        Path(options["output"]).write_bytes(result.xml)
        self.stdout.write(
            f"Wrote {options['output']}: {result.children} children, "
            f"{len(result.errors)} error(s), "
            f"{len(result.failures) - len(result.errors)} query(ies)."
        )

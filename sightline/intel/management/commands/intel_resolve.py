from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sightline.intel.batch import resolve


class Command(BaseCommand):
    help = (
        "Batch entity resolution of person records with Splink (DuckDB). Input columns: "
        "id,given_name,surname,date_of_birth,address,postcode,phone (any blank). Writes "
        "id,cluster_id. Persons of concern only: children are never merged automatically."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", type=Path, required=True)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--threads", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["input"]
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        began = time.perf_counter()
        report = resolve(source, options["output"], threads=options["threads"])
        self.stdout.write(
            f"{report.records} records in {report.clusters} clusters ({report.pairs} linked "
            f"pairs) in {time.perf_counter() - began:.1f}s -> {options['output']}"
        )

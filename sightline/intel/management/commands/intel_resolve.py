from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sightline.intel.batch import COLUMNS, resolve


class Command(BaseCommand):
    help = (
        "Batch entity resolution of person records with Splink on DuckDB (default) or Spark. "
        f"Input columns: id and any of {','.join(COLUMNS)} (a column blank in every row is left "
        "out with a warning). Writes id,cluster_id. Persons of concern only: children are never "
        "merged automatically."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", type=Path, required=True)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument("--threads", type=int, default=None)
        parser.add_argument(
            "--engine",
            choices=("duckdb", "spark"),
            default="duckdb",
            help="duckdb (one machine) or spark (Splink's Spark backend; local mode unless "
            "SPARK_REMOTE or spark-submit provides a cluster)",
        )
        parser.add_argument(
            "--model", type=Path, default=None, help="use this trained model (JSON) as it is"
        )
        parser.add_argument(
            "--save-model", type=Path, default=None, help="write the trained model (JSON) here"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["input"]
        if not source.is_file():
            raise CommandError(f"No such file: {source}")
        model: Path | None = options["model"]
        if model is not None and not model.is_file():
            raise CommandError(f"No such model file: {model}")
        began = time.perf_counter()
        try:
            report = resolve(
                source,
                options["output"],
                threads=options["threads"],
                engine=options["engine"],
                model_in=model,
                model_out=options["save_model"],
            )
        except (ValueError, ImportError) as exc:
            raise CommandError(str(exc)) from exc
        for message in report.warnings:
            self.stderr.write(f"warning: {message}")
        self.stdout.write(
            f"trained on: {', '.join(report.trained_on)}"
            + (f"; left out (blank): {', '.join(report.left_out)}" if report.left_out else "")
            + f"; training blocks: {', '.join(report.training_blocks) or 'none'}"
        )
        self.stdout.write(
            f"{report.records} records in {report.clusters} clusters ({report.pairs} linked "
            f"pairs) on {report.engine} in {time.perf_counter() - began:.1f}s "
            f"-> {options['output']}"
        )

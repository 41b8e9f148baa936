"""`intel_resolve --engine spark` (Splink's Spark backend, pyspark in local mode) gives the same
clusters as DuckDB on a 20,000-record file with the same model."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.core.management import call_command

from sightline.demo.synthetic import write_people
from sightline.intel.batch import pairwise_f1


def _partition(path: Path) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            groups.setdefault(row["cluster_id"], set()).add(row["id"])
    return {frozenset(ids) for ids in groups.values()}


def test_spark_engine_gives_the_same_clusters_as_duckdb(tmp_path: Path) -> None:
    source, model = tmp_path / "people.csv", tmp_path / "model.json"
    on_duckdb, on_spark = tmp_path / "duckdb.csv", tmp_path / "spark.csv"
    truth = write_people(source, entities=12_500, seed=21)
    assert len(truth) >= 19_900
    call_command(
        "intel_resolve", "--input", str(source), "--output", str(on_duckdb),
        "--save-model", str(model), stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    out = io.StringIO()
    call_command(
        "intel_resolve", "--input", str(source), "--output", str(on_spark),
        "--engine", "spark", "--model", str(model), stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    assert " on spark in " in out.getvalue()
    duck, spark = _partition(on_duckdb), _partition(on_spark)
    assert sum(len(c) for c in spark) == len(truth)
    assert spark == duck
    _precision, _recall, f1 = pairwise_f1(truth, on_spark)
    assert f1 >= 0.99

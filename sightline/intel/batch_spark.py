"""The batch model (sightline.intel.batch_model) on Splink's Spark backend (ADR 0208).

The normalised records arrive as Parquet (written by DuckDB in `batch.resolve`); the same
settings, training and clustering threshold run on Spark. Local mode by default
(`local[2]`); SIGHTLINE_SPARK_MASTER names a cluster's master instead (spark://..., yarn,
k8s://...). Needs `pyspark` and Java 17 or later.
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path
from typing import Any

from sightline.intel import batch_model as batch


def _session(checkpoints: str) -> Any:
    try:
        from pyspark.sql import SparkSession  # noqa: PLC0415 (optional dependency)
        from splink.backends.spark import similarity_jar_location  # noqa: PLC0415
    except ImportError as exc:  # pragma: no cover - pyspark is a dev dependency here
        raise ImportError("The spark engine needs pyspark (and Java 17+).") from exc
    spark = (
        SparkSession.builder.master(os.environ.get("SIGHTLINE_SPARK_MASTER", "local[2]"))
        .appName("sightline-intel-resolve")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", os.environ.get("SIGHTLINE_SPARK_PARTITIONS", "8"))
        .config("spark.default.parallelism", os.environ.get("SIGHTLINE_SPARK_PARTITIONS", "8"))
        .config("spark.driver.memory", os.environ.get("SIGHTLINE_SPARK_DRIVER_MEMORY", "2g"))
        .config("spark.sql.warehouse.dir", str(Path(checkpoints) / "warehouse"))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.ansi.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.sparkContext.setCheckpointDir(checkpoints)
    return spark


def run_spark(
    parquet: Path,
    output_path: Path,
    present: list[str],
    *,
    model_in: Path | None = None,
    model_out: Path | None = None,
) -> tuple[tuple[str, ...], int, int]:
    """Train (or load) the model, predict and cluster on Spark; write id,cluster_id."""
    from splink.backends.spark import SparkAPI  # noqa: PLC0415 (needs pyspark)

    with tempfile.TemporaryDirectory() as checkpoints:
        spark = _session(checkpoints)
        try:
            frame = spark.read.parquet(str(parquet))
            db_api = SparkAPI(
                spark_session=spark,
                break_lineage_method="parquet",
                num_partitions_on_repartition=int(
                    os.environ.get("SIGHTLINE_SPARK_PARTITIONS", "8")
                ),
            )
            people = db_api.register(frame, table_name="people_in")
            linker = batch.build_linker(db_api, people, present, model_in)
            sessions = ("loaded " + str(model_in),) if model_in else batch.train(linker, present)
            if model_out is not None:
                linker.misc.save_model_to_json(str(model_out), overwrite=True)
            predictions = linker.inference.predict(threshold_match_probability=batch.PREDICT_FLOOR)
            threshold = batch.MATCH_THRESHOLD
            clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
                predictions, threshold_match_probability=threshold
            )
            pairs = (
                predictions.as_spark_dataframe().where(f"match_probability >= {threshold}").count()
            )
            table = clusters.as_spark_dataframe().select("id", "cluster_id").orderBy("id")
            n_clusters = table.select("cluster_id").distinct().count()
            with output_path.open("w", newline="") as fh:
                out = csv.writer(fh)
                out.writerow(["id", "cluster_id"])
                for row in table.toLocalIterator():
                    out.writerow([row["id"], row["cluster_id"]])
        finally:
            spark.stop()
    return sessions, int(n_clusters), int(pairs)

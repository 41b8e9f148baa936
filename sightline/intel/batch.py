"""Batch entity resolution of person records with Splink, on DuckDB or Spark (ADR 0208).

Input CSV: an `id` column and any of COLUMNS (absent or blank columns are fine). Output CSV:
id, cluster_id. Normalisation happens in DuckDB SQL (names folded, given names mapped to
their group in data/nicknames.csv, UK phones to national digits, dates to ISO, postcodes and
identifiers without spaces), so a million rows never pass through Python objects. A column
blank in every row is left out of the model (comparisons, blocking and training) with a
warning, and the report says what the model was trained on.

The model is one Fellegi-Sunter model (m and u estimated from the file itself, term frequency
adjustments on names; sightline.intel.batch_model); `engine="spark"` runs the same model on
Splink's Spark backend (sightline.intel.batch_spark), reading the normalised table as Parquet.

This is for persons of concern (adults) only. Children are never merged automatically; the
people app proposes child matches for a practitioner to confirm.
"""

from __future__ import annotations

import csv
import logging
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from splink import DuckDBAPI

from sightline.intel.batch_model import (
    COLUMNS,
    MATCH_THRESHOLD,
    PREDICT_FLOOR,
    build_linker,
    train,
)
from sightline.intel.batch_spark import run_spark
from sightline.intel.normalise import DATA_DIR, given_key, normalise_name

__all__ = ["COLUMNS", "MATCH_THRESHOLD", "ResolveReport", "pairwise_f1", "resolve"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ResolveReport:
    records: int
    clusters: int
    pairs: int
    trained_on: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()
    training_blocks: tuple[str, ...] = ()
    engine: str = "duckdb"
    warnings: tuple[str, ...] = field(default_factory=tuple)


def _given_groups(con: duckdb.DuckDBPyConnection) -> None:
    rows: set[tuple[str, str]] = set()
    for raw in (DATA_DIR / "nicknames.csv").read_text(encoding="utf-8").splitlines():
        if raw.strip() and not raw.startswith("#"):
            for name in raw.split(","):
                clean = normalise_name(name)
                if clean:
                    rows.add((clean, given_key(clean)))
    con.execute("CREATE OR REPLACE TABLE given_groups (name VARCHAR, key VARCHAR)").fetchall()
    con.executemany("INSERT INTO given_groups VALUES (?, ?)", sorted(rows)).fetchall()


def _letters(col: str) -> str:
    return f"NULLIF(regexp_replace(lower(strip_accents(trim({col}))), '[^a-z]', '', 'g'), '')"


def _date(col: str) -> str:
    forms = ("%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
    tries = ", ".join(f"try_strptime(trim({col}), '{f}')" for f in forms)
    return f"strftime(coalesce({tries}), '%Y-%m-%d')"


# Each output column from the raw (all VARCHAR) input column of the same name.
_CLEAN = {
    "given_name": _letters("given_name"),
    "surname": _letters("surname"),
    "date_of_birth": _date("date_of_birth"),
    "address": "NULLIF(regexp_replace(lower(strip_accents(address)), '[^a-z0-9]', '', 'g'), '')",
    "town": _letters("town"),
    "postcode": "NULLIF(regexp_replace(upper(postcode), '[^A-Z0-9]', '', 'g'), '')",
    "phone": "NULLIF(regexp_replace(phone, '[^0-9+]', '', 'g'), '')",
    "identifier": "NULLIF(regexp_replace(upper(identifier), '[^A-Z0-9]', '', 'g'), '')",
}

# UK numbers to national digits: +44 / 0044 / 44 prefixes and a dropped leading zero.
_PHONE = """CASE
        WHEN phone LIKE '+44%' THEN '0' || ltrim(substr(phone, 4), '0')
        WHEN phone LIKE '0044%' THEN '0' || ltrim(substr(phone, 5), '0')
        WHEN phone LIKE '44%' AND length(phone) = 12 THEN '0' || substr(phone, 3)
        WHEN phone LIKE '7%' AND length(phone) = 10 THEN '0' || phone
        WHEN length(phone) >= 7 THEN replace(phone, '+', '')
        ELSE NULL
    END"""


def _prepare(con: duckdb.DuckDBPyConnection, source: Path) -> list[str]:
    """Create table `people` from the CSV; return the columns holding at least one value."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE raw AS SELECT * FROM read_csv(?, header = true, "
        "all_varchar = true)",
        [str(source)],
    ).fetchall()
    header = {r[0] for r in con.execute("DESCRIBE raw").fetchall()}
    if "id" not in header:
        raise ValueError("The file has no id column.")
    cols = [f"CAST({_CLEAN[c]} AS VARCHAR) AS {c}" for c in COLUMNS if c in header]
    cols += [f"CAST(NULL AS VARCHAR) AS {c}" for c in COLUMNS if c not in header]
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE clean AS SELECT id, {', '.join(cols)} FROM raw"  # noqa: S608
    ).fetchall()
    con.execute("DROP TABLE raw").fetchall()
    con.execute(
        f"""CREATE OR REPLACE TABLE people AS SELECT
            c.id, c.given_name, c.surname, c.date_of_birth, c.address, c.town, c.postcode,
            {_PHONE} AS phone, c.identifier,
            coalesce(g.key, c.given_name) AS given_key,
            substr(c.surname, 1, 3) AS surname3,
            substr(c.date_of_birth, 1, 4) AS birth_year,
            CASE WHEN length(c.postcode) >= 5 THEN substr(c.postcode, 1, length(c.postcode) - 2)
                 ELSE substr(c.postcode, 1, 2) END AS postcode_sector
        FROM clean c LEFT JOIN given_groups g ON g.name = c.given_name"""  # noqa: S608
    ).fetchall()
    con.execute("DROP TABLE clean").fetchall()
    counts = con.execute(
        f"SELECT {', '.join(f'count({c})' for c in COLUMNS)} FROM people"  # noqa: S608
    ).fetchall()[0]
    return [c for c, n in zip(COLUMNS, counts, strict=True) if n]


def resolve(
    input_path: Path,
    output_path: Path,
    *,
    threads: int | None = None,
    engine: str = "duckdb",
    model_in: Path | None = None,
    model_out: Path | None = None,
) -> ResolveReport:
    """Cluster the records in `input_path` and write id,cluster_id to `output_path`."""
    logging.getLogger("splink").setLevel(logging.ERROR)
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}").fetchall()
    _given_groups(con)
    present = _prepare(con, input_path)
    left_out = tuple(c for c in COLUMNS if c not in present)
    warnings = tuple(
        f"column {c} is blank in every row: left out of training and comparison" for c in left_out
    )
    for message in warnings:
        logger.warning(message)
    if not present:
        raise ValueError("Every column is blank: nothing to compare.")
    records = int(con.execute("SELECT count(*) FROM people").fetchall()[0][0])
    if engine == "spark":
        with tempfile.TemporaryDirectory() as tmp:
            parquet = Path(tmp) / "people.parquet"
            con.execute("COPY people TO ? (FORMAT parquet)", [str(parquet)]).fetchall()
            con.close()
            sessions, clusters, pairs = run_spark(
                parquet, output_path, present, model_in=model_in, model_out=model_out
            )
    elif engine == "duckdb":
        sessions, clusters, pairs = _run_duckdb(con, present, output_path, model_in, model_out)
        con.close()
    else:
        raise ValueError(f"Unknown engine: {engine}")
    return ResolveReport(
        records, clusters, pairs, tuple(present), left_out, sessions, engine, warnings
    )


def _run_duckdb(
    con: duckdb.DuckDBPyConnection,
    present: list[str],
    output_path: Path,
    model_in: Path | None,
    model_out: Path | None,
) -> tuple[tuple[str, ...], int, int]:
    db_api = DuckDBAPI(connection=con)
    people = db_api.register("people", table_name="people_in")
    linker = build_linker(db_api, people, present, model_in)
    sessions = ("loaded " + str(model_in),) if model_in else train(linker, present)
    if model_out is not None:
        linker.misc.save_model_to_json(str(model_out), overwrite=True)
    predictions = linker.inference.predict(threshold_match_probability=PREDICT_FLOOR)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=MATCH_THRESHOLD
    )
    pairs = con.execute(
        f"SELECT count(*) FROM {predictions.physical_name} "  # noqa: S608
        f"WHERE match_probability >= {MATCH_THRESHOLD}"
    ).fetchall()[0][0]
    con.execute(
        f"COPY (SELECT id, cluster_id FROM {clusters.physical_name} ORDER BY id) "  # noqa: S608
        "TO ? (HEADER, DELIMITER ',')",
        [str(output_path)],
    ).fetchall()
    n_clusters = con.execute(
        f"SELECT count(DISTINCT cluster_id) FROM {clusters.physical_name}"  # noqa: S608
    ).fetchall()[0][0]
    return sessions, int(n_clusters), int(pairs)


def pairwise_f1(truth: dict[str, str], clusters_csv: Path) -> tuple[float, float, float]:
    """Precision, recall and F1 over pairs of records, against a truth id -> entity map."""

    predicted: dict[str, str] = {}
    with clusters_csv.open(newline="") as fh:
        for row in csv.DictReader(fh):
            predicted[row["id"]] = row["cluster_id"]
    joint: Counter[tuple[str, str]] = Counter()
    by_pred: Counter[str] = Counter()
    by_true: Counter[str] = Counter()
    for rid, entity in truth.items():
        cluster = predicted.get(rid, f"solo-{rid}")
        joint[(cluster, entity)] += 1
        by_pred[cluster] += 1
        by_true[entity] += 1

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    tp = sum(pairs(n) for n in joint.values())
    pp = sum(pairs(n) for n in by_pred.values())
    tt = sum(pairs(n) for n in by_true.values())
    precision = tp / pp if pp else 1.0
    recall = tp / tt if tt else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1

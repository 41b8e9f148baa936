from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sightline.demo.synthetic import write_people
from sightline.intel.batch import COLUMNS, pairwise_f1, resolve


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


def test_a_column_blank_in_every_row_is_left_out_with_a_warning(tmp_path: Path) -> None:
    """A file with no phone numbers (and no town or identifier column at all) used to crash
    Splink's EM training on the phone rule."""
    full, source, target = tmp_path / "full.csv", tmp_path / "people.csv", tmp_path / "out.csv"
    truth = write_people(full, entities=400, seed=7)
    with full.open(newline="") as fh, source.open("w", newline="") as out:
        writer = csv.writer(out)
        for i, row in enumerate(csv.reader(fh)):
            writer.writerow([*row[:-1], "phone" if i == 0 else ""])
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(
        "intel_resolve", "--input", str(source), "--output", str(target),
        stdout=stdout, stderr=stderr,
    )  # fmt: skip
    assert "column phone is blank in every row" in stderr.getvalue()
    trained = stdout.getvalue().splitlines()[0]
    assert trained.startswith(
        "trained on: given_name, surname, date_of_birth, address, postcode; "
        "left out (blank): town, phone, identifier"
    ), trained
    precision, _recall, f1 = pairwise_f1(truth, target)
    assert precision >= 0.95 and f1 >= 0.85, (precision, f1)


def test_names_only_file_is_resolved_and_reports_what_it_trained_on(tmp_path: Path) -> None:
    source, target = tmp_path / "names.csv", tmp_path / "out.csv"
    with source.open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["id", "given_name", "surname"])
        for i in range(300):
            out.writerow([f"n{i}", f"Given{i % 97}", f"Family{i % 89}"])
        out.writerow(["a", "Stephen", "Ashworth"])
        out.writerow(["b", "Steve", "Ashworth"])
    report = resolve(source, target)
    assert report.trained_on == ("given_name", "surname")
    assert set(report.left_out) == set(COLUMNS) - {"given_name", "surname"}
    with target.open() as fh:
        clusters = {r["id"]: r["cluster_id"] for r in csv.DictReader(fh)}
    assert len(clusters) == 302
    assert len(set(clusters.values())) >= 300  # different names stay apart


def test_a_file_with_nothing_to_compare_is_refused_clearly(tmp_path: Path) -> None:
    source = tmp_path / "ids.csv"
    source.write_text("id,given_name\n1,\n2,\n")
    with pytest.raises(CommandError, match="Every column is blank"):
        call_command("intel_resolve", "--input", str(source), "--output", str(tmp_path / "o"))

"""Readable references (core.references): a sequence per prefix and year on PostgreSQL, a
counter row on SQLite; nothing held to commit on PostgreSQL."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection, transaction

from sightline.core.models import ReferenceCounter
from sightline.core.references import next_reference, references_reserve


def take(prefix: str, year: int, count: int = 1, width: int = 6) -> list[str]:
    with transaction.atomic():
        return [next_reference(prefix, year, width=width) for _ in range(count)]


def test_first_reference_of_a_year_has_the_house_format(db: Any) -> None:
    (reference,) = take("SL", 2026)
    assert reference == "SL-2026-000001"
    assert re.fullmatch(r"SL-\d{4}-\d{6}", reference)


def test_references_are_sequential_within_a_year(db: Any) -> None:
    assert take("SL", 2026, 3) == ["SL-2026-000001", "SL-2026-000002", "SL-2026-000003"]
    assert take("SL", 2026) == ["SL-2026-000004"]
    counter = ReferenceCounter.objects.get(prefix="SL", year=2026)
    # SQLite counts in the row; PostgreSQL's row only names the sequence and its start.
    assert counter.last_value == (0 if connection.vendor == "postgresql" else 4)


def test_each_year_starts_its_own_sequence(db: Any) -> None:
    take("SL", 2026, 2)
    assert take("SL", 2027) == ["SL-2027-000001"]
    assert take("SL", 2026) == ["SL-2026-000003"]


def test_each_prefix_has_its_own_sequence_and_width(db: Any) -> None:
    take("SL", 2026, 2)
    assert take("CH", 2026, width=7) == ["CH-2026-0000001"]


def test_reference_is_refused_outside_a_transaction(transactional_db: Any) -> None:
    with pytest.raises(RuntimeError, match="inside a transaction"):
        next_reference("SL", 2026)
    assert not ReferenceCounter.objects.exists()


def test_numbering_carries_on_from_an_existing_counter_row(db: Any) -> None:
    ReferenceCounter.objects.create(prefix="SL", year=2026, last_value=41)
    assert take("SL", 2026, 2) == ["SL-2026-000042", "SL-2026-000043"]


def test_a_block_of_references_for_a_bulk_load(db: Any) -> None:
    take("CH", 2026, width=7)
    with transaction.atomic():
        block = references_reserve("CH", 2026, count=3, width=7)
    assert block == ["CH-2026-0000002", "CH-2026-0000003", "CH-2026-0000004"]
    assert take("CH", 2026, width=7) == ["CH-2026-0000005"]


if connection.vendor == "postgresql":
    import threading

    def test_an_open_intake_does_not_hold_up_the_next_reference(transactional_db: Any) -> None:
        """A transaction that has taken a reference and not committed does not make another
        wait (the row-lock design made every intake queue here). Only the very first
        reference of a prefix and year, which creates the counter row and the sequence, can
        make a concurrent first one wait for its commit."""
        assert take("SL", 2026) == ["SL-2026-000001"]
        taken: list[str] = []

        def other_intake() -> None:
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                    taken.append(next_reference("SL", 2026))
            finally:
                connection.close()

        with transaction.atomic():
            first = next_reference("SL", 2026)
            thread = threading.Thread(target=other_intake)
            thread.start()
            thread.join(30)
        assert (first, taken) == ("SL-2026-000002", ["SL-2026-000003"])

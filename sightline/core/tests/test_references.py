"""Readable references made under a row lock (core.references)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import transaction

from sightline.core.models import ReferenceCounter
from sightline.core.references import next_reference


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
    assert ReferenceCounter.objects.get(prefix="SL", year=2026).last_value == 4


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

"""Intake re-evaluates a person's alerts, and the vehicle rule reads every vehicle named with
them: the statements must not grow with how many vehicles that is (a person with 810
vehicles at 100,000 referrals made intake run 1,686 statements, two a vehicle)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sightline.intel.choices import EntityType
from sightline.intel.models import Mention
from sightline.intel.tests.conftest import Refer

pytestmark = pytest.mark.django_db

CARL = {"name": "Carl Venn", "approximate_age": 35, "phone": "07700 900456"}
FAMILIES = ["Marsh", "Lowe", "Adeyemi", "Novak", "Quinn", "Ferris", "Hale", "Pryce", "Doyle"]


def _carl_with_vehicles(user: Any, refer: Refer, first: int, count: int) -> None:
    for i in range(first, first + count):
        plate = f"NB{21 + i} K{chr(65 + i)}M"
        refer(user, child=("Kid", FAMILIES[i]), persons=[{**CARL, "vehicle_registration": plate}])


def _intake_statements(user: Any, refer: Refer, child: tuple[str, str]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        refer(user, child=child, persons=[CARL])
    return len(ctx.captured_queries)


def test_intake_reads_a_persons_vehicles_in_statements_that_do_not_grow_with_them(
    police_officer: Any, refer: Refer
) -> None:
    _carl_with_vehicles(police_officer, refer, 0, 3)  # three children: the alerts stand
    few = _intake_statements(police_officer, refer, ("Ada", "Okoye"))
    _carl_with_vehicles(police_officer, refer, 3, 6)  # six more, nine in all
    vehicles = Mention.objects.filter(entity_type=EntityType.VEHICLE)
    assert vehicles.values("entity_id").distinct().count() >= 9
    many = _intake_statements(police_officer, refer, ("Ife", "Chukwu"))  # no namesake
    assert many == few

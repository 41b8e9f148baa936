"""A phone, address or nickname that GENERIC_HOLDERS or more persons on record give stops
counting as strong evidence (ADR 0203, 0215), read on the database path
(`entities.person_candidates`) in one statement for all of the mention's values on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sightline.intel import entities
from sightline.intel.models import PersonKey, PersonOfConcern
from sightline.intel.ranking import GENERIC_HOLDERS
from sightline.intel.resolution import PersonFeatures

pytestmark = pytest.mark.django_db

SWITCHBOARD = "07700 900123"
HOLDERS_READ = '"intel_personkey"."key" AS "key"'


def _person(n: int, **details: Any) -> PersonOfConcern:
    person = PersonOfConcern.objects.create(reference=f"POC-T{n:04d}")
    _profile, fields, keys = entities.person_summary([details])
    PersonOfConcern.objects.filter(pk=person.pk).update(**fields)
    PersonKey.objects.bulk_create(PersonKey(person_id=person.pk, key=k) for k in keys)
    return person


def _levels(ranked: entities.Ranked) -> dict[object, object]:
    return {c["comparison"]: c["level"] for c in ranked.contributions}


def test_a_value_many_persons_give_is_generic_and_a_rare_one_is_not() -> None:
    surnames = ["Okonkwo", "Lindqvist", "Abernethy", "Castellano"]
    for n, family in enumerate(surnames[:GENERIC_HOLDERS]):
        _person(n, name=f"Dean {family}", phone=SWITCHBOARD, nickname="Lil D")
    rare = _person(9, name="Ray Castellano", phone="07700 900777", nickname="Smokey")

    common = PersonFeatures.from_named(name="Dean Okonkwo", phone=SWITCHBOARD, nickname="Lil D")
    with CaptureQueriesContext(connection) as queries:
        ranked = entities.person_candidates(common)
    assert ranked and {_levels(r).get("phone") for r in ranked} == {"generic"}
    assert all(r.common_nickname for r in ranked)
    # the holders of the nickname, the phone and the address: one statement on PostgreSQL
    holder_reads = [q for q in queries if HOLDERS_READ in q["sql"]]
    assert len(holder_reads) == (1 if connection.vendor == "postgresql" else 2)

    own = PersonFeatures.from_named(name="Ray Castellano", phone="07700 900777", nickname="Smokey")
    [top, *_] = entities.person_candidates(own)
    assert top.entity_id == rare.pk
    assert _levels(top)["phone"] == "exact" and not top.common_nickname

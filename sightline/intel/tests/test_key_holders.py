"""The intake's read of the persons holding each blocking key (`key_holders`, written out as
SQL): the first N rows of each key, oldest first, in row order, as the ORM's window query
answers them."""

from __future__ import annotations

import pytest
from django.db.models import F, Window
from django.db.models.functions import RowNumber

from sightline.intel.models import PersonKey, PersonOfConcern
from sightline.intel.services.indexing.store import key_holders

pytestmark = pytest.mark.django_db


def _orm(keys: list[str], limit: int) -> list[tuple[object, str]]:
    return list(
        PersonKey.objects.filter(key__in=keys)
        .annotate(rank=Window(RowNumber(), partition_by=[F("key")], order_by=F("id").asc()))
        .filter(rank__lte=limit)
        .order_by("id")
        .values_list("person_id", "key")
    )


def test_key_holders_answers_the_first_rows_of_each_key_as_the_window_query_does() -> None:
    persons = [PersonOfConcern.objects.create(reference=f"POC-K{n:04d}") for n in range(5)]
    rows = [(p, "fam:KRN") for p in persons] + [(p, "tel:+447700900123") for p in persons[1:3]]
    rows += [(persons[4], "nick:smokey"), (persons[0], "fam:KRN")]  # a person twice on a key
    PersonKey.objects.bulk_create(PersonKey(person=p, key=k) for p, k in rows)
    keys = ["fam:KRN", "nick:smokey", "tel:+447700900123", "giv:none-such"]
    for limit in (1, 3, 200):
        found = key_holders(keys, limit)
        assert found == _orm(keys, limit), limit
    assert [k for _p, k in key_holders(keys, 3)].count("fam:KRN") == 3
    assert {p for p, _k in key_holders(keys, 1)} == {persons[0].pk, persons[1].pk, persons[4].pk}
    assert key_holders(["giv:none-such"], 3) == []

"""Rows just written, handed on as if prefetched: the relation answers them with no query."""

from __future__ import annotations

from typing import Any

import pytest

from sightline.core.prefetch import prefetched
from sightline.referrals.models import PersonNamed, PlaceNamed, Referral
from sightline.referrals.tests.factories import submit

pytestmark = pytest.mark.django_db


def test_prefetched_rows_are_answered_without_a_query(
    police_officer: Any, django_assert_num_queries: Any
) -> None:
    stored = submit(police_officer).referral
    referral = Referral.objects.get(pk=stored.pk)
    persons = list(PersonNamed.objects.filter(referral=referral))
    places = list(PlaceNamed.objects.filter(referral=referral))
    assert persons and places
    prefetched(referral, persons_named=persons, places_named=places)
    with django_assert_num_queries(0):
        assert list(referral.persons_named.all()) == persons
        assert list(referral.places_named.all()) == places
    # What a real prefetch would have answered.
    fresh = Referral.objects.prefetch_related("persons_named", "places_named").get(pk=stored.pk)
    assert list(fresh.persons_named.all()) == persons
    assert list(fresh.places_named.all()) == places

"""The children's name block written as SQL (reporting.search_block): the same rows, in the
same order, as the queryset it replaced, kept here as the reference."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Lower

from sightline.people.matching import name_key, normalise_name
from sightline.people.models import Child
from sightline.referrals.inputs import ChildInput
from sightline.referrals.tests.factories import submit
from sightline.reporting.scope import Scope
from sightline.reporting.search import search
from sightline.reporting.search_block import BLOCK_FIELDS, child_block, dates, group
from sightline.reporting.search_query import born_between, parse

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 1)
CHILDREN = [  # given, family, born
    ("Rebecca", "Smythe", dt.date(2012, 4, 3)),
    ("Becky", "Smith", dt.date(2013, 5, 6)),
    ("Rebekah", "Smithers", dt.date(2012, 4, 3)),
    ("Kayden", "Marlow", dt.date(2013, 9, 20)),
    ("Kaiden", "Mar_low", dt.date(2014, 1, 2)),
    ("Ka_den", "Marlowe", dt.date(2013, 9, 20)),
    ("Smith", "Rebecca", dt.date(2011, 7, 8)),
    ("Marlow", "Kayes", dt.date(2012, 2, 2)),  # "ka_" read as a wildcard would find her
]
QUERIES = ["Becky Smith", "Rebecca Smythe 03/04/2012", "Smythe Rebecca", "Smith", "Becky",
           "Kayden Mar_low", "Ka_den Marlow", "Kayden Ma%low", "Kayden Marlow 12", "Marlow 12",
           "Rebecca Smithe aged 13", "Zzyzx Quorn"]  # fmt: skip


@pytest.fixture
def children(police_officer: Any, teacher: Any) -> None:
    for i, (given, family, born) in enumerate(CHILDREN):
        submit(police_officer if i % 2 else teacher, children=[ChildInput(
            given_name=given, family_name=family, date_of_birth=born, sex="female",
            postcode="NB4 7QX")])  # fmt: skip


def _orm_block(qs: QuerySet[Child], text: str) -> QuerySet[Child]:
    """The queryset `child_block` replaced (reporting.search before 2026-12-02)."""
    q = parse(text)
    if q.age is not None:
        qs = qs.filter(date_of_birth__range=born_between(q.age, TODAY))
    if not q.family:
        block = Q(family_name_key=name_key(q.given)) | Q(given_lower__in=group(q.given))
        return qs.alias(given_lower=Lower("given_name")).filter(block)
    block = Q()
    for given, family in ((q.given, q.family), (q.family, q.given)):
        key = name_key(family)
        block |= Q(family_name_key=key) & (
            Q(given_lower__in=group(given)) | Q(given_lower__startswith=normalise_name(given)[:2])
        )
        block |= Q(given_lower__in=group(given), family_lower__startswith=family[:3])
        if q.date_of_birth is not None:
            block |= Q(family_name_key=key, date_of_birth__in=dates(q.date_of_birth))
    rank = Case(When(given_lower__in=group(q.given), then=Value(0)), default=Value(1),
                output_field=IntegerField())  # fmt: skip
    return (
        qs.alias(given_lower=Lower("given_name"), family_lower=Lower("family_name"))
        .filter(block)
        .annotate(rank=rank)
        .order_by("rank", "reference")
    )


@pytest.mark.parametrize("text", QUERIES)
def test_the_block_is_the_rows_of_the_queryset_it_replaced(
    children: None, manager: Any, school_lead: Any, text: str
) -> None:
    """For each user (the education lead sees the school's half), each query, LIKE's wildcards
    in a name taken as letters: the same children in the same order (two words are ranked)."""
    for user in (manager, school_lead):
        scope = Scope(user)
        condition = scope.children_condition()
        assert condition is not None
        q = parse(text)
        born = born_between(q.age, TODAY) if q.age is not None else None
        rows = child_block(condition, q, born, 300)
        expected = list(_orm_block(scope.children(), text).values_list(*BLOCK_FIELDS)[:300])
        if not q.family:  # one word: no order asked for
            rows, expected = sorted(rows, key=lambda r: r[1]), sorted(expected, key=lambda r: r[1])
        assert [r[1] for r in rows] == [e[1] for e in expected]


def test_the_block_takes_a_name_and_an_age_and_wildcards_as_letters(
    children: None, manager: Any
) -> None:
    def titles(text: str) -> list[str]:
        result = search(user=manager, text=text, purpose="case_work", types=["child"], today=TODAY)
        return [h.title for h in result.hits]

    assert "Kayden Marlow" in titles("Kayden Marlow 12")
    assert "Kayden Marlow" not in titles("Kayden Marlow 9")
    assert titles("Zzyzx Quorn") == []
    assert Scope(None).children_condition() is None

"""Places, vehicles and phones of a search in one statement (reporting.search_entities): each
type keeps its lookup, order, limit and intel scope condition inside the one statement."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sightline.intel.models import Mention, Phone, Place, Vehicle
from sightline.people.models import Child, ChildAccess
from sightline.referrals.inputs import ChildInput, PersonInput, PlaceInput
from sightline.referrals.tests.factories import submit
from sightline.reporting.search import search
from sightline.reporting.search_query import PER_TYPE

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 1)
ENTITIES = ["place", "vehicle", "phone"]
ALL = ["child", "person", "place", "vehicle", "phone"]


@pytest.fixture
def named(police_officer: Any, teacher: Any) -> dict[str, Any]:
    """A police referral naming a man with a phone and a car, a school referral naming a
    takeaway: each entity reachable through one referral only."""
    police = submit(
        police_officer,
        children=[_child("Rebecca", "Smythe")],
        persons_named=[PersonInput(name="Dean Farrow", phone="07700 900123",
                                   vehicle_registration="NB19 XYZ")],
    )  # fmt: skip
    school = submit(
        teacher,
        children=[_child("Kayden", "Marlow")],
        persons_named=[],
        places_named=[PlaceInput(name="Quillby Grill", kind="takeaway", postcode="NB3 2BB")],
    )
    return {
        "police": police.referral,
        "police_child": police.children[0].referral_child.child,
        "school_child": school.children[0].referral_child.child,
        "place": Place.objects.get(name="Quillby Grill"),
        "vehicle": Vehicle.objects.get(),
        "phone": Phone.objects.get(),
    }


def _child(given: str, family: str) -> ChildInput:
    return ChildInput(given_name=given, family_name=family, date_of_birth=dt.date(2012, 4, 3),
                      sex="female", postcode="NB4 7QX")  # fmt: skip


def _run(user: Any, text: str, types: list[str] | None = None) -> Any:
    return search(user=user, text=text, purpose="case_work", types=types or ALL, today=TODAY)


def _titles(user: Any, text: str, kind: str) -> list[str]:
    return [h.title for h in _run(user, text).of_type(kind)]


FOUND_BY = [  # (query, type, title): each type by each of its identifiers
    ("NB3 2BB", "place", "Quillby Grill"),
    ("quillby", "place", "Quillby Grill"),
    ("NB19 XYZ", "vehicle", "NB19 XYZ"),
    ("NB19…", "vehicle", "NB19 XYZ"),
    ("…XYZ", "vehicle", "NB19 XYZ"),
    ("07700 900123", "phone", "07700 900123"),
]


@pytest.mark.parametrize(("query", "kind", "title"), FOUND_BY)
def test_an_entity_named_only_on_a_hidden_referral_is_listed_only_for_those_who_may_see_it(
    named: dict[str, Any], manager: Any, query: str, kind: str, title: str
) -> None:
    """Scope stays a condition of each type's part: once the only referral naming the entity
    is about a restricted child the manager is not named on, the manager no longer sees it,
    while a user named on that child still does."""
    assert _titles(manager, query, kind) == [title]
    Child.objects.filter(pk__in=[named["police_child"].pk, named["school_child"].pk]).update(
        is_restricted=True
    )
    assert _titles(manager, query, kind) == []
    child = named["school_child"] if kind == "place" else named["police_child"]
    ChildAccess.objects.create(child=child, user=manager)
    assert _titles(manager, query, kind) == [title]


def test_each_entity_found_by_its_reference_in_one_statement(
    named: dict[str, Any], manager: Any
) -> None:
    for kind in ENTITIES:
        entity = named[kind]
        with CaptureQueriesContext(connection) as ctx:
            hits = _run(manager, entity.reference, ENTITIES).hits
        assert [(h.type, h.id, h.reference) for h in hits] == [(kind, entity.pk, entity.reference)]
        assert len(ctx.captured_queries) == 1
        sql = ctx.captured_queries[0]["sql"]
        assert sql.count("UNION ALL") == 2  # a reference is looked up in all three types
        assert sql.count(Mention._meta.db_table) == 3  # each part with its scope condition
    with CaptureQueriesContext(connection) as ctx:
        assert _run(manager, "Rebecca", ENTITIES).hits == []
    assert len(ctx.captured_queries) == 1 and "UNION ALL" not in ctx.captured_queries[0]["sql"]
    with CaptureQueriesContext(connection) as ctx:
        assert _run(manager, "14/02/2012", ENTITIES).hits == []
    assert ctx.captured_queries == []  # nothing any of the three types could be found by


def _shape(sql: str) -> str:
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


def test_an_out_of_scope_match_runs_the_statement_no_match_runs(
    named: dict[str, Any], manager: Any
) -> None:
    Child.objects.filter(pk=named["school_child"].pk).update(is_restricted=True)
    runs = {}
    for text in ("quillby", "zzyzxq"):
        with CaptureQueriesContext(connection) as ctx:
            assert _run(manager, text, ENTITIES).count == 0
        runs[text] = [_shape(q["sql"]) for q in ctx.captured_queries]
    assert runs["quillby"] == runs["zzyzxq"] and len(runs["quillby"]) == 1


def test_places_keep_their_order_and_limit_beside_the_other_types(
    named: dict[str, Any], manager: Any
) -> None:
    """More places than a page holds: the first PER_TYPE by name then reference, as the
    place's own statement listed them, and the types come in the order asked for."""
    referral = named["police"]
    for i in range(PER_TYPE + 5):
        place = Place.objects.create(
            reference=f"PL-2026-{900 + i}", name=f"Grill {chr(ord('Z') - i % 26)}{i:02d}",
            name_key=f"grill{chr(ord('z') - i % 26)}{i:02d}",
        )  # fmt: skip
        Mention.objects.create(entity_type="place", entity_id=place.pk, referral=referral,
                               occurred_at=referral.received_at,
                               agency=referral.source_agency)  # fmt: skip
    hits = _run(manager, "grill", ["phone", "place"]).hits
    visible = Place.objects.filter(name_key__contains="grill").order_by("name", "reference")
    assert [h.reference for h in hits] == [p.reference for p in visible[:PER_TYPE]]
    assert len(hits) == PER_TYPE


def test_persons_and_the_other_intelligence_types_are_one_statement(
    named: dict[str, Any], manager: Any
) -> None:
    """A phone number finds the man and the phone in one statement (children have nothing to
    look up by a number); a name runs the children's statement and one more for the rest."""
    with CaptureQueriesContext(connection) as ctx:
        result = _run(manager, "07700 900123")
    assert [h.title for h in result.of_type("person")] == ["Dean Farrow"]
    assert [h.title for h in result.of_type("phone")] == ["07700 900123"]
    assert len(ctx.captured_queries) == 1
    with CaptureQueriesContext(connection) as ctx:
        result = _run(manager, "Dean Farrow")
    assert [h.title for h in result.of_type("person")] == ["Dean Farrow"]
    assert len(ctx.captured_queries) == 2
    [intel] = [q["sql"] for q in ctx.captured_queries if "intel_personkey" in q["sql"]]
    assert Place._meta.db_table in intel
    Child.objects.filter(pk=named["police_child"].pk).update(is_restricted=True)
    hidden = _run(manager, "07700 900123")
    assert hidden.of_type("person") == [] and hidden.of_type("phone") == []

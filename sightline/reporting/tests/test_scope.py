"""The row-level scope conditions used by the search are the selectors' scope, exactly: the
SQL `reporting.scope.Scope` compiles from them once per search, for every persona, and in the
statements the search runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from sightline.accounts.tests.factories import UserFactory
from sightline.intel.models import PersonOfConcern
from sightline.intel.selectors import entity_get
from sightline.people.models import Child, ChildAccess
from sightline.referrals.inputs import ChildInput
from sightline.referrals.models import BreakGlassGrant, Referral
from sightline.referrals.selectors import child_scope
from sightline.referrals.tests.factories import submit
from sightline.reporting import scope as scope_module
from sightline.reporting.scope import Scope, children_in_scope, seen_in_intel
from sightline.reporting.search import search, searchable_types

pytestmark = pytest.mark.django_db

ROLES = [
    "referrer", "front_door_practitioner", "team_manager", "safeguarding_lead", "cse_specialist",
    "police_analyst", "health_lead", "education_lead", "mace_chair", "reviewer", "auditor",
]  # fmt: skip


@pytest.fixture
def users(agencies: dict[str, Any], police_officer: Any, teacher: Any) -> list[Any]:
    made = [police_officer, teacher]
    for i, role in enumerate(ROLES):
        kind = "education" if role == "education_lead" else "health" if i % 2 else "csc"
        made.append(UserFactory(username=f"scope-{role}", agency=agencies[kind], role=role))
    for n, who in enumerate((police_officer, teacher, police_officer)):
        child = ChildInput(given_name=f"Scopeqx{n}", family_name="Tessaly",
                           date_of_birth=dt.date(2012, 1, 1 + n), sex="female")  # fmt: skip
        submit(who, children=[child])
    restricted = Child.objects.get(given_name="Scopeqx2")
    Child.objects.filter(pk=restricted.pk).update(is_restricted=True)
    ChildAccess.objects.create(child=restricted, user=made[3])
    BreakGlassGrant.objects.create(
        user=made[-3], referral=Referral.objects.order_by("received_at")[0],
        reason="Synthetic review.", expires_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC),
    )  # fmt: skip
    return made


def test_children_in_scope_is_child_scope_for_every_persona(users: list[Any]) -> None:
    compared = 0
    for user in users:
        expected = set(child_scope(user=user).values_list("pk", flat=True))
        assert set(children_in_scope(user=user).values_list("pk", flat=True)) == expected, user
        compared += bool(expected)
    assert compared >= 3  # the comparison is not between empty sets only


def test_seen_in_intel_is_the_intel_scope_for_every_persona(users: list[Any]) -> None:
    persons = list(PersonOfConcern.objects.all())
    assert persons
    for user in users:
        seen = set(
            PersonOfConcern.objects.filter(
                seen_in_intel(user=user, model=PersonOfConcern)
            ).values_list("pk", flat=True)
        )
        expected = {p.pk for p in persons if entity_get(user=user, entity_type="person",
                                                        entity_id=p.pk)}  # fmt: skip
        if expected:
            assert seen == expected, user
        else:  # entity_get also needs intel.view; the search asks for that before it runs
            assert seen <= {p.pk for p in persons}


# Names, a date of birth, a phone, a postcode and a registration: every type's statements.
QUERIES = ["Tessaly", "Scopeqx1 Tessaly", "01/01/2012", "Dean Farrow", "Deano",
           "07700 900123", "Golden Grill", "NB4 2AB", "NB19 XYZ"]  # fmt: skip


def _hits(user: Any, text: str, types: list[str]) -> list[tuple[Any, ...]]:
    found = search(user=user, text=text, purpose="case_work", types=types,
                   today=dt.date(2026, 3, 1))  # fmt: skip
    return [(h.type, h.id, h.score, h.reasons) for h in found.hits]


def test_a_search_lists_what_it_finds_unscoped_that_the_selectors_let_the_user_see(
    users: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The compiled scope inside the search's own statements (a raw SQL condition) against the
    ORM selectors: for each persona and query, the hits are exactly the hits of the same
    statements without a scope condition that `child_scope` and `entity_get` let them see,
    in the same order. The education lead (one of the three children) is the narrow case."""
    searchers = [u for u in users if searchable_types(u)]
    with monkeypatch.context() as unscoped:
        unscoped.setattr(Scope, "children", lambda self: Child.objects.all())
        everything = RawSQL("1 = 1", (), output_field=BooleanField())
        unscoped.setattr(Scope, "intel", lambda self, model, field="id": everything)
        found = {text: _hits(searchers[0], text, list(ALL_TYPES)) for text in QUERIES}
    assert {kind for text in QUERIES for kind, *_ in found[text]} == set(ALL_TYPES)
    narrowed = 0
    for user in searchers:
        types = searchable_types(user)
        children = set(child_scope(user=user).values_list("pk", flat=True))

        def sees(kind: str, pk: Any, user: Any = user) -> bool:
            if kind == "child":
                return pk in children  # noqa: B023 (used within this iteration)
            return entity_get(user=user, entity_type=kind, entity_id=pk) is not None

        for text in QUERIES:
            expected = [h for h in found[text] if h[0] in types and sees(h[0], h[1])]
            assert _hits(user, text, types) == expected, (user.role, text)
            narrowed += 0 < len(expected) < len([h for h in found[text] if h[0] in types])
    assert narrowed  # some persona saw part of what an unscoped search finds


ALL_TYPES = ("child", "person", "place", "vehicle", "phone")


def test_a_search_builds_each_scope_selector_once_whatever_it_searches(
    users: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Children and four intelligence types in one search: `referral_scope` and
    `intel_referrals` are each built (and compiled) once, not once per statement."""
    built: list[str] = []
    for name in ("referral_scope", "intel_referrals"):
        real = getattr(scope_module, name)

        def counted(*, user: Any, _real: Any = real, _name: str = name) -> Any:
            built.append(_name)
            return _real(user=user)

        monkeypatch.setattr(scope_module, name, counted)
    manager = next(u for u in users if u.role == "team_manager")
    for text in ("Dean Farrow", "07700 900123", "NB4 2AB"):  # 3, 2 and 2 statements
        built.clear()
        assert _hits(manager, text, list(ALL_TYPES))
        assert sorted(built) == ["intel_referrals", "referral_scope"], text

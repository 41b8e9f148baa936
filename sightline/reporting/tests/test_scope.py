"""The row-level scope conditions used by the search are the selectors' scope, exactly."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sightline.accounts.tests.factories import UserFactory
from sightline.intel.models import PersonOfConcern
from sightline.intel.selectors import entity_get
from sightline.people.models import Child, ChildAccess
from sightline.referrals.inputs import ChildInput
from sightline.referrals.models import BreakGlassGrant, Referral
from sightline.referrals.selectors import child_scope
from sightline.referrals.tests.factories import submit
from sightline.reporting.scope import children_in_scope, seen_in_intel

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

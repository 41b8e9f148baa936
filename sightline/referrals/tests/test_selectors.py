"""Reads at the front door (referrals.selectors): record scope by role, and the queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sightline.accounts.roles import Role
from sightline.accounts.tests.clients import signed_in
from sightline.accounts.tests.factories import UserFactory
from sightline.people.models import ChildAccess
from sightline.referrals.inputs import ChildInput
from sightline.referrals.models import BreakGlassGrant, Referral
from sightline.referrals.selectors import (
    can_see_assessment,
    child_scope,
    child_supplied_by_own_agency,
    children_supplied_by_own_agency,
    referral_get,
    referral_queue,
    referral_scope,
)
from sightline.referrals.tests.factories import submit
from sightline.workflows import decision_record, referral_screen

pytestmark = pytest.mark.django_db

# A second child, not the factory's, for tests that need two.
ANOTHER_CHILD = ChildInput(
    given_name="Noor",
    family_name="Pellow",
    date_of_birth=dt.date(2011, 9, 1),
    sex="female",
    postcode="NB2 5RT",
)


@pytest.fixture
def referrals(police_officer: Any, teacher: Any, school_lead: Any) -> dict[str, Referral]:
    """One referral from each of three referrers in two agencies."""
    return {
        "police": submit(police_officer).referral,
        "teacher": submit(teacher).referral,
        "school_lead": submit(school_lead).referral,
    }


def visible(user: Any) -> set[str]:
    return set(referral_scope(user=user).values_list("reference", flat=True))


def refs(*items: Referral) -> set[str]:
    return {r.reference for r in items}


def test_front_door_sees_every_referral(
    front_door: Any, manager: Any, referrals: dict[str, Referral]
) -> None:
    assert visible(front_door) == refs(*referrals.values())
    assert visible(manager) == refs(*referrals.values())


def test_referrer_sees_only_the_referrals_they_made(
    police_officer: Any, teacher: Any, referrals: dict[str, Referral]
) -> None:
    assert visible(police_officer) == refs(referrals["police"])
    assert visible(teacher) == refs(referrals["teacher"])


def test_referrer_does_not_see_a_colleagues_referral_in_the_same_agency(
    teacher: Any, referrals: dict[str, Referral]
) -> None:
    colleague = UserFactory(agency=teacher.agency, role=Role.REFERRER)
    assert visible(colleague) == set()


def test_education_lead_sees_their_agencys_referrals_and_no_others(
    school_lead: Any, referrals: dict[str, Referral]
) -> None:
    assert visible(school_lead) == refs(referrals["teacher"], referrals["school_lead"])


@pytest.mark.parametrize("persona", ["no_access", "auditor"])
def test_roles_without_case_access_see_no_referrals(
    request: Any, persona: str, referrals: dict[str, Referral]
) -> None:
    user = request.getfixturevalue(persona)
    assert visible(user) == set()
    assert list(child_scope(user=user)) == []


def test_deactivated_user_sees_nothing(front_door: Any, referrals: dict[str, Referral]) -> None:
    front_door.is_active = False
    front_door.save()
    assert visible(front_door) == set()


def test_restricted_child_is_hidden_from_all_but_named_users_and_the_referrer(
    front_door: Any, manager: Any, police_officer: Any, referrals: dict[str, Referral]
) -> None:
    child = referrals["police"].children.get().child
    child.is_restricted = True
    child.save(update_fields=["is_restricted"])
    assert visible(front_door) == set()
    assert visible(police_officer) == refs(referrals["police"]), "the referrer keeps sight"
    ChildAccess.objects.create(child=child, user=manager)
    assert visible(manager) == refs(*referrals.values())
    assert list(child_scope(user=manager)) == [child]
    assert list(child_scope(user=front_door)) == []


def test_break_glass_grant_opens_one_referral_until_it_expires(
    police_officer: Any, referrals: dict[str, Referral]
) -> None:
    teacher_referral = referrals["teacher"]
    grant = BreakGlassGrant.objects.create(
        user=police_officer,
        referral=teacher_referral,
        reason="Child found at an address linked to a suspect",
        expires_at=timezone.now() + dt.timedelta(minutes=30),
    )
    assert visible(police_officer) == refs(referrals["police"], teacher_referral)
    grant.expires_at = timezone.now() - dt.timedelta(seconds=1)
    grant.save(update_fields=["expires_at"])
    assert visible(police_officer) == refs(referrals["police"])


def test_referral_get_answers_none_outside_scope(
    teacher: Any, front_door: Any, referrals: dict[str, Referral]
) -> None:
    reference = referrals["police"].reference
    assert referral_get(user=teacher, reference=reference) is None
    found = referral_get(user=front_door, reference=reference)
    assert found is not None
    assert found.pk == referrals["police"].pk


def test_only_the_front_door_sees_the_assessment(
    front_door: Any, police_officer: Any, school_lead: Any
) -> None:
    assert can_see_assessment(front_door)
    assert not can_see_assessment(police_officer)
    assert not can_see_assessment(school_lead)


def test_referrer_sees_no_child_records(
    police_officer: Any, front_door: Any, referrals: dict[str, Referral]
) -> None:
    assert list(child_scope(user=police_officer)) == []
    assert child_scope(user=front_door).count() == 1  # one child, named on all three


def _arrange(referral: Referral, rag: str, risk_rank: int, due_in_hours: int) -> None:
    Referral.objects.filter(pk=referral.pk).update(
        rag=rag,
        risk_rank=risk_rank,
        decision_due_at=timezone.now() + dt.timedelta(hours=due_in_hours),
    )


def test_queue_is_red_then_amber_then_green_then_highest_risk_then_soonest_due(
    police_officer: Any, front_door: Any
) -> None:
    made = {name: submit(police_officer).referral for name in "abcdefg"}
    _arrange(made["a"], "green", 3, 1)
    _arrange(made["b"], "amber", 1, 2)
    _arrange(made["c"], "red", 0, 30)
    _arrange(made["d"], "amber", 2, 40)
    _arrange(made["e"], "red", 3, 50)
    _arrange(made["f"], "amber", 2, 5)
    _arrange(made["g"], "green", 0, -3)  # overdue, but green and no screening yet
    order = [r.pk for r in referral_queue(user=front_door)]
    assert order == [made[k].pk for k in "ecfdbag"]


def test_queue_holds_only_referrals_awaiting_screening_or_decision(
    police_officer: Any, front_door: Any
) -> None:
    waiting = submit(police_officer).referral
    decided = submit(police_officer).referral
    referral_child = decided.children.get()
    referral_screen(
        acting_user=front_door, referral=decided, referral_child=referral_child, marks=[]
    )
    decision_record(acting_user=front_door, referral=decided, outcome="early_help", reason="x")
    assert [r.pk for r in referral_queue(user=front_door)] == [waiting.pk]


def test_queue_is_empty_for_a_referrer(police_officer: Any, school_lead: Any) -> None:
    submit(police_officer)
    assert not referral_queue(user=police_officer).exists()
    assert not referral_queue(user=school_lead).exists()


# The queue page: session and user; a savepoint; the paginator's count; the audit row (chain
# head, actor's agency, insert, head update); the page; one prefetch of the children with their
# records; the names of the children the user may open (one statement); the session save in
# its own savepoint. None of it grows with the number waiting.
QUEUE_PAGE_MAX_QUERIES = 15


@pytest.mark.parametrize("waiting", [20, 40])
def test_queue_page_runs_a_constant_number_of_queries(
    police_officer: Any, front_door: Any, django_assert_max_num_queries: Any, waiting: int
) -> None:
    for i in range(waiting):
        submit(police_officer, urgency=["immediate", "urgent", "routine"][i % 3])
    client = signed_in(front_door)
    with django_assert_max_num_queries(QUEUE_PAGE_MAX_QUERIES):
        response = client.get("/referrals/")
    assert response.status_code == 200
    assert response.content.decode().count('href="/referrals/SL-') == waiting


def test_children_supplied_by_own_agency_answers_what_the_one_child_check_does(
    police_officer: Any, teacher: Any, django_assert_num_queries: Any
) -> None:
    police = submit(police_officer).referral
    school = submit(
        teacher,
        children=[ANOTHER_CHILD],
    ).referral
    # The police child named again by the school: first recorded from the police's referral.
    submit(teacher)
    kids = [rc.child for r in (police, school) for rc in r.children.all()]
    for user in (police_officer, teacher):
        with django_assert_num_queries(1):
            own = children_supplied_by_own_agency(
                user=user, child_ids=[c.pk for c in kids] + [None]
            )
        assert own == {c.pk for c in kids if child_supplied_by_own_agency(user=user, child=c)}, (
            user.username
        )
    assert own == {kids[1].pk}


def test_child_scope_among_some_children_answers_what_the_whole_scope_does(
    front_door: Any,
    manager: Any,
    police_officer: Any,
    teacher: Any,
    school_lead: Any,
    django_assert_num_queries: Any,
) -> None:
    """The read of a page's children (`among`, two statements whatever the number of rows)
    keeps every rule of the whole scope: role, agency, restriction, break-glass."""
    police = submit(police_officer).referral
    school = submit(teacher, children=[ANOTHER_CHILD]).referral
    submit(school_lead)
    restricted = school.children.get().child
    restricted.is_restricted = True
    restricted.save(update_fields=["is_restricted"])
    ChildAccess.objects.create(child=restricted, user=manager)
    BreakGlassGrant.objects.create(
        user=school_lead,
        referral=police,
        reason="Child found at an address linked to a suspect",
        expires_at=timezone.now() + dt.timedelta(minutes=30),
    )
    ids = [rc.child_id for r in Referral.objects.all() for rc in r.children.all()]
    seen = {}
    for user in (front_door, manager, police_officer, teacher, school_lead):
        whole = set(child_scope(user=user).filter(pk__in=ids).values_list("pk", flat=True))
        among = set(child_scope(user=user, among=ids).values_list("pk", flat=True))
        assert among == whole, user.username
        for one in set(ids):
            assert list(child_scope(user=user, among=[one])) == list(
                child_scope(user=user).filter(pk=one)
            ), user.username
        seen[user.username] = whole
    assert restricted.pk in seen[manager.username]
    assert restricted.pk not in seen[front_door.username]
    assert seen[police_officer.username] == set()
    with django_assert_num_queries(2):
        list(child_scope(user=front_door, among=ids))

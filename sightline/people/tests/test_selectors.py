"""Finding existing children who may be the referred child (people.selectors), through the
blocking keys that child_create stores."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sightline.audit.models import AuditEvent
from sightline.people.matching import CANDIDATE_THRESHOLD, Existing, Referred, compare
from sightline.people.models import Child
from sightline.people.selectors import child_match_candidates
from sightline.people.services import child_create

pytestmark = pytest.mark.django_db

BORN = dt.date(2011, 5, 4)


@pytest.fixture
def ellie(front_door: Any) -> Child:
    return child_create(
        acting_user=front_door,
        given_name=" Ellie ",
        family_name="Marston",
        date_of_birth=BORN,
        postcode="nb4 7qx",
    )


def candidates(
    given: str = "Ellie",
    family: str = "Marston",
    born: dt.date | None = BORN,
    postcode: str = "",
    **kwargs: Any,
) -> list[Any]:
    return child_match_candidates(
        given_name=given, family_name=family, date_of_birth=born, postcode=postcode, **kwargs
    )


def test_child_create_stores_clean_values_blocking_keys_and_an_audit_row(ellie: Child) -> None:
    assert ellie.reference.startswith("CH-")
    assert ellie.given_name == "Ellie"
    assert ellie.postcode == "NB4 7QX"
    assert ellie.postcode_key == "NB47QX"
    assert ellie.family_name_key == "MRSTN"
    assert AuditEvent.objects.filter(action="record.create", child_id=ellie.pk).count() == 1


def test_same_details_are_found_as_an_exact_match(ellie: Child) -> None:
    (found,) = candidates(postcode="NB4 7QX")
    assert found.child == ellie
    assert found.match.is_exact


def test_same_date_of_birth_finds_a_child_whose_family_name_sounds_different(
    ellie: Child,
) -> None:
    (found,) = candidates(family="Narston")
    assert found.child == ellie
    assert not found.match.is_exact
    assert "same date of birth" in found.match.reasons


def test_day_and_month_swapped_finds_the_child(ellie: Child) -> None:
    (found,) = candidates(family="Warsten", born=dt.date(2011, 4, 5))
    assert found.child == ellie
    assert "date of birth with day and month swapped" in found.match.reasons


def test_same_postcode_finds_the_child_when_the_date_of_birth_is_not_known(
    ellie: Child,
) -> None:
    (found,) = candidates(family="Marsto", born=None, postcode="NB4 7QX")
    assert found.child == ellie
    assert "same postcode" in found.match.reasons


def test_phonetic_family_name_finds_the_child_with_a_different_date_of_birth(
    ellie: Child,
) -> None:
    (found,) = candidates(family="Marsten", born=dt.date(2011, 5, 14))
    assert found.child == ellie
    assert "date of birth differs in one part" in found.match.reasons


def test_child_sharing_no_blocking_key_is_not_compared(ellie: Child) -> None:
    born = dt.date(2011, 5, 5)
    score = compare(Referred("Ellie", "Marstow", born, ""), Existing("Ellie", "Marston", BORN, ""))
    assert score.score >= CANDIDATE_THRESHOLD, "would match if it were compared"
    assert candidates(family="Marstow", born=born) == []


def test_a_different_child_is_not_a_candidate(ellie: Child) -> None:
    assert candidates("Amira", "Haddad", dt.date(2011, 5, 4), "NB1 1AA") == []


def test_superseded_children_are_never_candidates(ellie: Child, front_door: Any) -> None:
    duplicate = child_create(
        acting_user=front_door, given_name="Ellie", family_name="Marston", date_of_birth=BORN
    )
    assert {c.child for c in candidates()} == {ellie, duplicate}
    duplicate.superseded_by = ellie
    duplicate.save(update_fields=["superseded_by"])
    assert [c.child for c in candidates()] == [ellie]


def test_candidates_come_best_first_and_are_limited(ellie: Child, front_door: Any) -> None:
    for given in ("Elly", "Ella", "Elsie"):
        child_create(
            acting_user=front_door, given_name=given, family_name="Marston", date_of_birth=BORN
        )
    found = candidates(postcode="NB4 7QX")
    assert found[0].child == ellie
    scores = [c.match.score for c in found]
    assert scores == sorted(scores, reverse=True)
    assert len(candidates(limit=2)) == 2

"""ADR 0213: below the probable threshold, a mention links (as probable) to the only person on
record it fits, on more than the surname, with nothing in conflict, when the referral is an
exploitation concern; otherwise it stays a candidate."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from sightline.intel import entities
from sightline.intel.choices import EntityType, LinkStatus
from sightline.intel.models import Alert, MatchCandidate, Mention
from sightline.intel.services.mentions import SOLE_REASON, links
from sightline.intel.tests.conftest import Refer


def _ranked(score: float, *levels: tuple[str, str, float]) -> entities.Ranked:
    return entities.Ranked(
        uuid.uuid4(),
        "POC-1",
        score,
        (),
        score,
        tuple({"comparison": c, "level": lv, "weight": w} for c, lv, w in levels),
    )


MR_TAYLOR = (("surname", "exact", 4.94), ("age", "close", 1.97), ("description", "details", 2.57))


def _yes() -> bool:
    return True


def _no() -> bool:
    return False


def test_the_only_candidate_links_below_the_threshold_in_an_exploitation_concern() -> None:
    top = _ranked(0.71, *MR_TAYLOR)
    assert links(top, [top], concern=_yes)
    assert not links(top, [top], concern=_no)


def test_the_sole_rule_needs_no_other_candidate_no_conflict_and_more_than_a_surname() -> None:
    top = _ranked(0.71, *MR_TAYLOR)
    other = _ranked(0.06, ("surname", "exact", 4.94), ("age", "far", -5.56))
    assert not links(top, [top, other], concern=_yes)  # another person is offered
    conflict = _ranked(0.6, ("surname", "exact", 8.0), ("first_name", "different", -0.5))
    assert not links(conflict, [conflict], concern=_yes)
    surname = _ranked(0.53, ("surname", "exact", 8.7))  # "Mr Jackson" and nothing else
    assert not links(surname, [surname], concern=_yes)
    low = _ranked(0.45, *MR_TAYLOR)  # less likely than not
    assert not links(low, [low], concern=_yes)
    assert not links(None, [], concern=_yes)


def test_the_probable_threshold_does_not_ask_about_the_concern() -> None:
    def asked() -> bool:
        raise AssertionError("the concern is read only below the probable threshold")

    top = _ranked(0.9, ("first_name", "exact", 6.0), ("surname", "exact", 5.0))
    other = _ranked(0.3, ("surname", "exact", 5.0))
    assert links(top, [top, other], concern=asked)


def _person(result: Any) -> Mention:
    return next(m for m in result.mentions if m.entity_type == EntityType.PERSON)


def _taylors(police_officer: Any, refer: Refer) -> Mention:
    """Two Taylors on record (so the surname is common here, ADR 0203): an older woman, and
    "Taylor, Thomas", 24, with a tattoo on his neck and a leather jacket."""
    refer(
        police_officer,
        child=("Ella", "Price"),
        persons=[{"name": "Aisha Taylor", "approximate_age": 62}],
        categories=("neglect",),
        narrative="Home conditions poor.",
        days_ago=30,
    )
    return _person(
        refer(
            police_officer,
            persons=[
                {
                    "name": "Taylor, Thomas",
                    "approximate_age": 24,
                    "description": "tattoo on his neck, leather jacket",
                }
            ],
            days_ago=20,
        )
    )


MR_TAYLOR_NAMED = {
    "name": "Mr Taylor",
    "approximate_age": 27,
    "description": "tattoo on his neck, leather jacket",
}


@pytest.mark.django_db
def test_mr_taylor_named_by_a_second_child_links_to_the_only_taylor_he_can_be(
    police_officer: Any, teacher: Any, refer: Refer
) -> None:
    thomas = _taylors(police_officer, refer)
    second = _person(refer(teacher, child=("Jade", "Marsh"), persons=[MR_TAYLOR_NAMED]))
    assert second.entity_id == thomas.entity_id
    assert second.link_status == LinkStatus.PROBABLE
    assert 0.5 <= second.score < 0.8
    assert SOLE_REASON in second.reasons
    alert = Alert.objects.get(entity_id=thomas.entity_id, trigger="children2")
    assert alert.fired_by_id == second.referral_id


@pytest.mark.django_db
def test_mr_taylor_in_an_ordinary_referral_stays_a_candidate(
    police_officer: Any, teacher: Any, refer: Refer
) -> None:
    thomas = _taylors(police_officer, refer)
    second = _person(
        refer(
            teacher,
            child=("Jade", "Marsh"),
            persons=[MR_TAYLOR_NAMED],
            categories=("education",),
            narrative="Attendance has dropped this term.",
        )
    )
    assert second.entity_id != thomas.entity_id
    assert second.link_status == LinkStatus.ORIGIN
    offered = MatchCandidate.objects.get(mention=second, entity_id=thomas.entity_id)
    assert 0.5 <= offered.score < 0.8
    assert not Alert.objects.filter(entity_id=thomas.entity_id).exists()


@pytest.mark.django_db
def test_mr_taylor_with_only_an_age_stays_a_candidate(
    police_officer: Any, teacher: Any, refer: Refer
) -> None:
    thomas = _taylors(police_officer, refer)
    second = _person(
        refer(
            teacher,
            child=("Jade", "Marsh"),
            persons=[{"name": "Mr Taylor", "approximate_age": 27}],
        )
    )
    assert second.entity_id != thomas.entity_id  # under 0.5: less likely than not
    assert not Alert.objects.filter(entity_id=thomas.entity_id).exists()

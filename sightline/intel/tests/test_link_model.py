"""Issue 12: explained links, ambiguity, late links dated when they became possible, and what
counts as an exploitation concern."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from sightline.intel import entities, rules
from sightline.intel.choices import CandidateStatus, EntityType, LinkStatus
from sightline.intel.concerns import narrative_concern
from sightline.intel.models import Alert, MatchCandidate, Mention
from sightline.intel.services.mentions import merge_order, rivals, to_merge
from sightline.intel.tests.conftest import Refer
from sightline.intel.tests.test_api import api

pytestmark = pytest.mark.django_db


def _person(result: Any) -> Mention:
    return next(m for m in result.mentions if m.entity_type == EntityType.PERSON)


def test_a_link_is_explained_in_the_api_and_the_alert_evidence(
    police_officer: Any, teacher: Any, analyst: Any, refer: Refer
) -> None:
    refer(police_officer, persons=[{"name": "Carl Venn", "approximate_age": 35}])
    second = _person(
        refer(
            teacher, child=("Jade", "Marsh"), persons=[{"name": "VENN Carl", "approximate_age": 36}]
        )
    )
    assert second.link_status == LinkStatus.PROBABLE
    response = api(analyst).get(f"/api/v1/mentions/{second.pk}/explanation")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["entity"].startswith("POC-") and 0.8 <= body["probability"] <= 1
    levels = {(c["comparison"], c["level"]) for c in body["contributions"]}
    assert {("first_name", "exact"), ("surname", "exact")} <= levels
    assert all({"comparison", "level", "weight"} <= c.keys() for c in body["contributions"])
    alert = Alert.objects.get(entity_id=second.entity_id, trigger="children2")
    linked = next(e for e in alert.evidence if e["mention"] == str(second.pk))
    assert linked["probability"] == second.score and linked["contributions"]
    listed = api(analyst).get("/api/v1/alerts").json()["results"]
    assert any(a["possible_at"] for a in listed)


def test_explanation_of_an_unknown_mention_is_404(analyst: Any) -> None:
    response = api(analyst).get("/api/v1/mentions/00000000-0000-0000-0000-000000000000/explanation")
    assert response.status_code == 404


def _ranked(ref: str, score: float, *levels: tuple[str, str]) -> entities.Ranked:
    return entities.Ranked(
        uuid.uuid4(),
        ref,
        score,
        (),
        score,
        tuple({"comparison": c, "level": lv, "weight": 3.0} for c, lv in levels),
    )


def test_two_persons_fitting_on_the_same_details_are_rivals_not_one_person() -> None:
    brett = _ranked("POC-1", 0.9, ("first_name", "initial"), ("surname", "exact"))
    bev = _ranked("POC-2", 0.88, ("first_name", "initial"), ("surname", "exact"))
    red = _ranked("POC-3", 0.95, ("nickname", "exact"))
    assert rivals(brett, [brett, bev]) == [bev]
    assert to_merge(brett, [brett, bev]) == []
    # a mention that bridges a full name and a nickname joins them: one person recorded twice
    jay = _ranked("POC-4", 0.9, ("first_name", "exact"), ("surname", "exact"))
    assert to_merge(jay, [jay, red]) == [red]
    assert rivals(jay, [jay, red]) == []
    # an initial is not a name that identifies anyone: "B. Taylor known as Red" joins nobody
    assert to_merge(brett, [brett, red]) == []


def test_a_merge_keeps_the_person_recorded_first_by_reference() -> None:
    # ADR 0911: year, then number; a person made in this intake (a placeholder not yet
    # numbered, "~1") is newer than every person on record, whatever its number.
    old = _ranked("POI-2025-00090", 0.9, ("nickname", "exact"))
    new = _ranked("POI-2026-00012", 0.95, ("first_name", "exact"), ("surname", "exact"))
    made_now = _ranked("POI-2026-~1", 0.97, ("first_name", "exact"), ("surname", "exact"))
    assert merge_order(new, old) == (old, new)
    assert merge_order(old, new) == (old, new)
    assert merge_order(made_now, new) == (new, made_now)
    assert merge_order(new, made_now) == (new, made_now)


def test_an_ambiguous_mention_reaches_both_persons_in_the_rules(
    police_officer: Any, refer: Refer
) -> None:
    a = _person(refer(police_officer, persons=[{"name": "Dean Oyelaran"}]))
    b = _person(refer(police_officer, child=("Lily", "Hart"), persons=[{"name": "Kofi Mensah"}]))
    mention = _person(refer(police_officer, child=("Mia", "Stone"), persons=[{"name": "Ola"}]))
    MatchCandidate.objects.bulk_create(
        MatchCandidate(
            mention=mention,
            entity_type=EntityType.PERSON,
            entity_id=pid,
            score=0.9,
            status=CandidateStatus.AMBIGUOUS,
        )
        for pid in (a.entity_id, b.entity_id)
    )
    for person in (a, b):
        links = rules.entity_links(person.entity_id)
        reached = next(link for link in links if link.mention_id == mention.pk)
        assert reached.status == LinkStatus.PROBABLE
        assert rules.evaluate(EntityType.PERSON, person.entity_id)["children2"].holds


def test_a_late_link_dates_the_alert_to_the_second_child(
    police_officer: Any, teacher: Any, refer: Refer
) -> None:
    first = _person(refer(police_officer, persons=[{"name": "Jay Walsh"}], days_ago=20))
    second = _person(
        refer(teacher, child=("Jade", "Marsh"), persons=[{"nickname": "Red"}], days_ago=10)
    )
    assert first.entity_id != second.entity_id
    third = _person(
        refer(teacher, child=("Amy", "Cole"), persons=[{"name": "Jay Walsh", "nickname": "Red"}])
    )
    alert = Alert.objects.get(entity_id=third.entity_id, trigger="children2")
    second.refresh_from_db()
    assert second.entity_id == third.entity_id  # the third mention joined them
    assert alert.possible_at == second.occurred_at
    assert alert.possible_at < Mention.objects.get(pk=third.pk).occurred_at


def test_narrative_indicators_make_an_exploitation_concern_as_the_catalogue_reads_them() -> None:
    assert not narrative_concern("Child was late to school twice this term.")
    assert not narrative_concern("")


def test_a_place_named_by_a_school_without_a_category_counts_once_screened_medium(
    police_officer: Any, teacher: Any, refer: Refer
) -> None:
    from sightline.intel.services import concern_on_screening

    refer(police_officer, places=[{"name": "Golden Grill", "kind": "takeaway"}], days_ago=20)
    school = refer(
        teacher,
        child=("Jade", "Marsh"),
        places=[{"name": "Golden Grill", "kind": "takeaway"}],
        categories=(),
        narrative="Seen at a takeaway.",
    )
    place = next(m for m in school.mentions if m.entity_type == EntityType.PLACE)
    assert not Alert.objects.filter(entity_id=place.entity_id).exists()
    raised = concern_on_screening(acting_user=teacher, referral=school.referral, level="medium")
    assert any(a.entity_id == place.entity_id and a.trigger == "children2" for a in raised)
    assert concern_on_screening(acting_user=teacher, referral=school.referral, level="low") == []

"""The bar a link must clear rises with the number of persons on record (ADR 0216): the prior
that a mention is one given person falls as the register grows, so the same name and age that
make a probable link among 50 persons are a coincidence among 50,000."""

from __future__ import annotations

import math
import uuid
from typing import Any

import pytest

from sightline.intel import entities, linkmodel
from sightline.intel.choices import EntityType, LinkStatus
from sightline.intel.models import Mention
from sightline.intel.services.mentions import links
from sightline.intel.tests.conftest import Refer

pytestmark = pytest.mark.usefixtures("register_prior")


@pytest.fixture
def register_prior(settings: Any) -> None:
    settings.SIGHTLINE_LINK_REGISTER_PRIOR = True


def _ranked(score: float, persons: int) -> entities.Ranked:
    contributions = (
        {"comparison": "first_name", "level": "exact", "weight": 8.0},
        {"comparison": "surname", "level": "exact", "weight": 4.0},
    )
    return entities.Ranked(uuid.uuid4(), "POC-1", score, (), score, contributions, persons=persons)


def test_off_the_register_changes_nothing(settings: Any) -> None:
    settings.SIGHTLINE_LINK_REGISTER_PRIOR = False
    assert linkmodel.register_bits(100_000) == 0.0
    many = _ranked(0.95, 100_000)
    assert links(many, [many], concern=lambda: False)


def test_the_bar_rises_by_the_log_of_the_register_over_the_training_size() -> None:
    reference = float(linkmodel.model()["prior_persons"])
    assert linkmodel.register_bits(0) == 0.0
    assert linkmodel.register_bits(int(reference)) == 0.0
    assert linkmodel.register_bits(int(reference * 8)) == pytest.approx(3.0, abs=0.05)
    assert linkmodel.register_bits(100_000) == pytest.approx(math.log2(100_000 / reference))


def test_a_match_that_links_among_a_few_persons_does_not_among_many() -> None:
    # 0.95 is 4.2 bits of log-odds, 2.2 over the probable bar of 0.8 (2 bits): enough on a
    # small register, not on one 8 times the training boroughs' (3 bits more)
    reference = float(linkmodel.model()["prior_persons"])
    assert links(_ranked(0.95, 10), [_ranked(0.95, 10)], concern=lambda: False)
    many = _ranked(0.95, int(reference * 8))
    assert not links(many, [many], concern=lambda: False)
    sure = _ranked(0.999, int(reference * 8))
    assert links(sure, [sure], concern=lambda: False)


def _person(result: Any) -> Mention:
    return next(m for m in result.mentions if m.entity_type == EntityType.PERSON)


@pytest.mark.django_db
def test_intake_counts_the_persons_on_record(
    police_officer: Any, teacher: Any, refer: Refer, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _person(refer(police_officer, persons=[{"name": "Carl Venn", "approximate_age": 35}]))
    refer(police_officer, child=("Lily", "Hart"), persons=[{"name": "Dean Oyelaran"}])
    # as if the training boroughs held a millionth of a person: two persons on record are 21
    # bits more than that, and an initial, a surname and an age no longer make a probable link
    trained = linkmodel.model()
    monkeypatch.setattr(linkmodel, "model", lambda: {**trained, "prior_persons": 1e-6})
    second = _person(
        refer(
            teacher, child=("Jade", "Marsh"), persons=[{"name": "C. Venn", "approximate_age": 36}]
        )
    )
    assert second.link_status == LinkStatus.ORIGIN
    assert second.entity_id != first.entity_id
    monkeypatch.setattr(linkmodel, "model", lambda: trained)
    third = _person(
        refer(
            teacher, child=("Mia", "Stone"), persons=[{"name": "Carl Venn", "approximate_age": 35}]
        )
    )
    assert third.link_status in (LinkStatus.PROBABLE, LinkStatus.EXACT)
    assert third.entity_id in (first.entity_id, second.entity_id)


@pytest.mark.django_db
def test_intake_counts_every_person_on_record_once_and_only_when_it_counts(
    police_officer: Any, refer: Refer, settings: Any, django_assert_num_queries: Any
) -> None:
    from sightline.intel.models import PersonOfConcern
    from sightline.intel.services.indexing.store import IntakeStore

    for n, name in enumerate(("Carl Venn", "Dean Oyelaran", "Kofi Mensah")):
        refer(police_officer, child=("Lily", f"Hart{n}"), persons=[{"name": name}])
    on_record = PersonOfConcern.objects.filter(is_active=True).count()
    assert on_record == 3
    store = IntakeStore()
    with django_assert_num_queries(1):
        assert store.register_size() == on_record
        assert store.register_size() == on_record  # counted once
    settings.SIGHTLINE_LINK_REGISTER_PRIOR = False
    with django_assert_num_queries(0):
        assert IntakeStore().register_size() == 0

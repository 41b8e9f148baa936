"""Pairwise precision and recall of persons of concern against the generator's truth
(`demo.person_purity`), which the scale benchmark reads (ADR 0215): the arithmetic on a
hand-made picture, and every person mention of a generated borough given an adult."""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path

import pytest

from sightline.demo.events_load import demo_events_load
from sightline.demo.generator import generate_borough
from sightline.demo.person_purity import identities, person_purity, purity_of
from sightline.demo.services import borough_load
from sightline.events.models import Event
from sightline.intel.services import intel_bulk_index


def test_pairs_are_counted_within_and_across_persons() -> None:
    # person 1 holds 3 mentions of A and 1 of B; person 2 the other 2 of B
    one, two = uuid.uuid4(), uuid.uuid4()
    purity = purity_of({one: Counter({"A": 3, "B": 1}), two: Counter({"B": 2})})
    # pairs on one person: 6 + 1 = 7, of one adult: 3 + 1 = 4; pairs of one adult: 3 + 3 = 6
    assert purity.pair_precision == round(4 / 7, 4)
    assert purity.pair_recall == round(4 / 6, 4)
    assert (purity.mentions, purity.adults, purity.persons) == (6, 2, 2)
    assert (purity.largest_mentions, purity.largest_adults) == (4, 2)
    assert (purity.persons_of_several, purity.persons_of_many) == (1, 0)


def test_a_picture_of_single_mentions_is_pure_and_complete() -> None:
    purity = purity_of({uuid.uuid4(): Counter({k: 1}) for k in "ABC"})
    assert purity.pair_precision == purity.pair_recall == 1.0


def test_every_person_mention_has_an_adult_in_the_truth() -> None:
    borough = generate_borough(children=120, years=1, seed=5)
    who = identities(borough.truth)
    keys = {p.mention_key for r in borough.referrals for p in r.persons_named}
    assert keys and keys <= who.keys()
    # an ordinary adult named again keeps one key: some are named more than once
    ordinary = Counter(v for v in who.values() if v.startswith("u"))
    assert max(ordinary.values()) > 1


@pytest.mark.django_db
def test_a_loaded_and_indexed_borough_is_measured(tmp_path: Path) -> None:
    borough = generate_borough(children=120, years=1, seed=5)
    borough_load(borough=borough, truth_path=tmp_path / "truth.json")
    intel_bulk_index()
    purity = person_purity(borough)
    assert purity.mentions == len(identities(borough.truth))
    assert 0.5 <= purity.pair_precision <= 1.0 and 0.5 <= purity.pair_recall <= 1.0
    assert purity.persons <= purity.mentions


@pytest.mark.django_db
def test_partner_events_mentions_are_measured_with_the_adult_they_name(tmp_path: Path) -> None:
    borough = generate_borough(children=300, years=2, seed=7)
    named = borough.truth["events"]["adult_by_event"]
    adults = {a["adult_key"] for n in borough.truth["networks"] for a in n["adults"]}
    # every event naming a person names one of the networks' adults, and only those events
    assert named and set(named.values()) <= adults
    assert set(named) == {e.key for e in borough.events if e.persons_named}
    borough_load(borough=borough, truth_path=tmp_path / "truth.json")
    intel_bulk_index()
    referrals_only = person_purity(borough)
    demo_events_load(borough=borough, clocks=False)
    stored = Event.objects.filter(source_id__in=list(named)).count()
    assert stored > 0
    # the referrals' figures do not read the events' mentions; with events each one counts
    assert person_purity(borough) == referrals_only
    assert person_purity(borough, events=True).mentions == referrals_only.mentions + stored

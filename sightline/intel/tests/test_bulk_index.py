"""The bulk indexer (the picture in memory, written once) gives what indexing the same
referrals one by one through the database gives: the same mentions grouped into the same
entities, with the same links, candidates and alerts, on a synthetic borough with planted
networks. Entities are compared by the mentions they hold, so their random ids do not count."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from sightline.demo.generator import generate_borough
from sightline.demo.services import borough_load
from sightline.intel.models import (
    Alert,
    Edge,
    MatchCandidate,
    Mention,
    PersonKey,
    PersonOfConcern,
    Phone,
    Place,
    Suggestion,
    Vehicle,
)
from sightline.intel.services import intel_bulk_index
from sightline.intel.services.bulk import intel_index_one_by_one
from sightline.intel.services.bulk_rules import BulkStore
from sightline.referrals.models import Referral

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rule the bulk indexer evaluates from what changed is also evaluated from the
    entity's whole history, as `rules.evaluate` does; any difference fails the test."""
    monkeypatch.setattr(BulkStore, "check", True)


def _key(m: Mention, by_pk: dict[Any, Mention]) -> tuple[Any, ...]:
    via = by_pk[m.via_id] if m.via_id else None
    return (
        m.referral_id,
        m.entity_type,
        m.person_named_id or m.place_named_id or (via.person_named_id if via else None),
        m.said,
    )


def _evidence(evidence: list[dict[str, Any]], by_pk: dict[Any, Mention]) -> tuple[Any, ...]:
    """An alert's evidence, each link's mention by what it is rather than its random id."""
    return tuple(
        tuple(
            sorted(
                (k, _key(by_pk[uuid.UUID(v)], by_pk) if k == "mention" else repr(v))
                for k, v in e.items()
            )
        )
        for e in evidence
    )


def _picture() -> dict[str, Any]:
    mentions = list(Mention.objects.all())
    by_pk = {m.pk: m for m in mentions}
    groups: dict[Any, set[tuple[Any, ...]]] = {}
    for m in mentions:
        groups.setdefault(m.entity_id, set()).add(_key(m, by_pk))
    group_of = {eid: frozenset(keys) for eid, keys in groups.items()}
    candidates = {
        (_key(by_pk[c.mention_id], by_pk), group_of.get(c.entity_id), c.status, c.score)
        for c in MatchCandidate.objects.all()
    }
    return {
        "entities": set(group_of.values()),
        "links": {(_key(m, by_pk), m.link_status, m.score, tuple(m.reasons)) for m in mentions},
        "candidates": candidates,
        "alerts": {
            (
                a.kind,
                a.trigger,
                group_of.get(a.entity_id, frozenset()),
                a.certainty,
                a.status,
                tuple(a.child_ids),
                a.fired_by_id,
                len(a.evidence),
                a.supersedes.trigger if a.supersedes else "",
            )
            for a in Alert.objects.select_related("supersedes")
        },
        # what each alert says: its date, evidence, referrals and summary
        "alert_texts": {
            (
                a.trigger,
                group_of.get(a.entity_id, frozenset()),
                a.possible_at,
                _evidence(a.evidence, by_pk),
                tuple(a.referral_ids),
                a.summary.replace(a.entity_ref, "~"),  # references differ on PostgreSQL
            )
            for a in Alert.objects.all()
        },
        "edges": Edge.objects.count(),
        "keys": PersonKey.objects.count(),
        "suggestions": {(s.referral_id, s.kind, s.value) for s in Suggestion.objects.all()},
    }


def test_bulk_index_matches_indexing_one_referral_at_a_time(tmp_path: Path) -> None:
    borough = generate_borough(children=160, years=2, seed=5, networks=2)
    borough_load(borough=borough, truth_path=tmp_path / "truth.json")
    with transaction.atomic():
        one_by_one = intel_index_one_by_one()
        expected = _picture()
        transaction.set_rollback(True)
    assert not Mention.objects.exists()
    counts = intel_bulk_index()
    got = _picture()
    assert counts == one_by_one
    assert len(expected["alerts"]) >= 2 and len(expected["entities"]) > 20
    parts = ("entities", "links", "candidates", "alerts", "alert_texts", "edges", "keys")
    for part in (*parts, "suggestions"):
        assert got[part] == expected[part], part


def test_bulk_index_adds_to_a_picture_already_indexed(tmp_path: Path) -> None:
    """Half the history indexed one by one, the rest in bulk, is the whole indexed one by
    one: the bulk indexer starts from what is on record."""
    borough = generate_borough(children=120, years=2, seed=9, networks=2)
    borough_load(borough=borough, truth_path=tmp_path / "truth.json")
    ordered = list(Referral.objects.order_by("received_at", "reference"))
    with transaction.atomic():
        intel_index_one_by_one()
        expected = _picture()
        transaction.set_rollback(True)
    intel_index_one_by_one(referrals=ordered[: len(ordered) // 2])
    intel_bulk_index()
    got = _picture()
    # "alert_texts" holds each alert's date: a place's alert raised in the first half and
    # moved to a later 90-day window in the second kept its first date when `possible_at`
    # was missing from the fields the bulk write updated
    for part in ("entities", "links", "alerts", "alert_texts", "edges", "keys", "suggestions"):
        assert got[part] == expected[part], part


def test_bulk_index_finds_the_referrals_when_a_partner_event_is_indexed_already(
    tmp_path: Path,
) -> None:
    """A partner event's mention has no referral. The referrals to index were those not in
    the mentions' referral ids, a NOT IN that is empty once that list holds a NULL: so
    `intel_index` after the events of `demo_borough` (without history) indexed nothing."""
    from sightline.accounts.models import Agency

    borough = generate_borough(children=30, years=1, seed=3, networks=1)
    borough_load(borough=borough, truth_path=tmp_path / "truth.json")
    Mention.objects.create(
        referral=None,
        source_kind="event",
        source_id=uuid.uuid4(),
        source_ref="EV-1",
        agency=Agency.objects.order_by("code")[0],
        entity_type="phone",
        entity_id=uuid.uuid4(),
        occurred_at=Referral.objects.order_by("received_at").first().received_at,  # type: ignore[union-attr]
        link_status="origin",
    )
    counts = intel_bulk_index()
    assert counts["referrals"] == Referral.objects.count() > 0


def test_bulk_person_refresh_is_linear_in_the_mentions_of_a_person(
    police_officer: Any, refer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 10: a person named on N referrals had its profile rebuilt from all its mentions
    at each one (N²/2 mention reads). Now each mention is read a bounded number of times:
    once to index it, once into the profile, once for the display fields at the end."""
    from sightline.intel import entities
    from sightline.intel.models import PersonOfConcern

    n = 24
    carl = {"name": "Carl Venn", "approximate_age": 35, "phone": "07700 900456"}
    for i in range(n):
        refer(police_officer, child=("Ruby", FAMILIES[i % len(FAMILIES)] + "x" * (i // 8)),
              persons=[carl])  # fmt: skip
    for model in (Alert, Edge, MatchCandidate, Suggestion, PersonKey):
        model.objects.all().delete()
    Mention.objects.all().delete()
    PersonOfConcern.objects.all().delete()
    reads = {"n": 0}
    parse = entities.features_from_details

    def counted(details: dict[str, Any]) -> Any:
        reads["n"] += 1
        return parse(details)

    monkeypatch.setattr(entities, "features_from_details", counted)
    intel_bulk_index()
    assert Mention.objects.filter(entity_type="person").values("entity_id").distinct().count() == 1
    assert n <= reads["n"] <= 4 * n  # rebuilt at every mention, it was n * (n + 1) / 2 + n


def test_bulk_alerts_of_a_person_named_over_a_year_match_one_by_one(
    police_officer: Any, school_lead: Any, refer: Any
) -> None:
    """The rules reading only the new links (ADR 0905) give the alerts, dates, evidence and
    summaries that reading the whole history at each referral gives: a man named on 30
    referrals over 290 days, by two agencies, with his car on some and firm and probable
    links, and a place named in concerns on them (the 90-day windows move as it goes)."""
    for i in range(30):
        carl: dict[str, Any] = {"name": "Carl Venn" if i % 3 else "C. Venn", "approximate_age": 35}
        if i % 4 == 0:
            carl["phone"] = "07700 900456"
        if i % 5 == 2:
            carl["vehicle_registration"] = "AB12 CDE"
        refer(
            school_lead if i % 7 == 3 else police_officer,
            child=("Ruby", FAMILIES[i % len(FAMILIES)]),
            address=f"{i % 9} Mill Lane",
            persons=[carl],
            places=[{"name": "Arcade", "postcode": "NB3 1AA"}] if i % 2 else [],
            categories=("sexual_exploitation",) if i % 3 else ("neglect",),
            days_ago=290 - i * 10,
        )
    for model in (Alert, Edge, MatchCandidate, Suggestion, PersonKey, Mention):
        model.objects.all().delete()
    for entity in (PersonOfConcern, Place, Vehicle, Phone):
        entity.objects.all().delete()
    with transaction.atomic():
        intel_index_one_by_one()
        expected = _picture()
        transaction.set_rollback(True)
    intel_bulk_index()
    got = _picture()
    triggers = {(kind, trigger) for kind, trigger, *_rest in expected["alerts"]}
    assert {("person_multiple_children", t) for t in ("children3", "agencies2")} <= triggers
    assert ("place_hotspot", "children3") in triggers
    for part in ("entities", "links", "alerts", "alert_texts"):
        assert got[part] == expected[part], part


FAMILIES = ["Marsh", "Lowe", "Adeyemi", "Novak", "Quinn", "Ferris", "Hale", "Pryce"]

"""Against the demo borough's ground truth (seed 2026, the reference borough): a meeting's
agenda lists the children, adults and places of the planted networks that the alerts found,
and no child of an ordinary referral without an alert."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Max

from sightline.accounts.roles import Role
from sightline.accounts.tests.factories import AgencyFactory, UserFactory
from sightline.demo.generator import generate_borough
from sightline.demo.quality import _matched
from sightline.demo.services import borough_load
from sightline.intel.choices import AlertStatus
from sightline.intel.models import Alert, Mention
from sightline.meetings.agenda import agenda_compute
from sightline.meetings.models import Meeting
from sightline.referrals.models import Referral

pytestmark = pytest.mark.django_db


def _borough(tmp_path: Path) -> Any:
    from sightline.intel.services import intel_bulk_index

    borough = generate_borough(children=300, years=2, seed=2026)
    borough_load(borough=borough, truth_path=tmp_path / "truth.json")
    intel_bulk_index()
    return borough


def test_agenda_lists_the_planted_networks_alerts_found_and_no_ordinary_child(
    tmp_path: Path,
) -> None:
    borough = _borough(tmp_path)
    matched = _matched(borough)
    key_of = matched.child_key_by_id
    network_children = {c for n in borough.truth["networks"] for c in n["child_keys"]}
    police: Any = UserFactory(agency=AgencyFactory(kind="police"), role=Role.MACE_CHAIR)
    last = Referral.objects.aggregate(m=Max("received_at"))["m"]
    cutoff = last + dt.timedelta(minutes=1)  # the day after the borough's last referral
    meeting = Meeting.objects.create(
        reference="MACE-T-1", held_on=cutoff.date() + dt.timedelta(days=2), cutoff_at=cutoff,
        created_by=police,
    )  # fmt: skip
    items = agenda_compute(meeting, until=cutoff)
    victims = {i.subject_id for i in items if i.section == "victims"}
    offenders = {i.subject_id for i in items if i.section == "offenders"}
    places = {i.subject_id for i in items if i.section == "locations"}
    open_alerts = Alert.objects.exclude(status__in=(AlertStatus.DISMISSED, AlertStatus.WITHDRAWN))
    alerted_children = {str(c) for ids in open_alerts.values_list("child_ids", flat=True)
                        for c in ids}  # fmt: skip
    # Every network child an alert names is on the agenda, and so is every alerted adult/place.
    found_network = {c for c in alerted_children if key_of.get(_uuid(c)) in network_children}
    assert found_network, "the alerts found the planted networks"
    assert {_uuid(c) for c in found_network} <= victims
    assert set(open_alerts.filter(entity_type="person").values_list("entity_id", flat=True)) <= (
        offenders
    )
    assert set(open_alerts.filter(entity_type="place").values_list("entity_id", flat=True)) <= (
        places
    )
    network_adults = _network_entities(borough, matched)
    assert network_adults & offenders
    # A child of an ordinary referral without an alert is on the agenda only for its own
    # screening or missing episodes (a first meeting looks back one cycle for newly high-risk
    # children), never drawn in by the networks' alerts.
    ordinary = {
        i.subject_id: {r["why"] for r in i.reasons} for i in items
        if i.section == "victims" and i.subject_id
        and key_of.get(i.subject_id) not in network_children
        and str(i.subject_id) not in alerted_children
    }  # fmt: skip
    assert all(why <= {"newly_high_risk", "repeat_missing"} for why in ordinary.values()), ordinary
    assert len(victims) <= len(found_network) + len(alerted_children - found_network) + len(
        ordinary
    )


def _uuid(value: Any) -> Any:
    import uuid

    return uuid.UUID(str(value))


def _network_entities(borough: Any, matched: Any) -> set[Any]:
    keys = {k for n in borough.truth["networks"] for a in n["adults"] for k in a["mention_keys"]}
    named = [pk for pk, key in matched.truth_of_named.items() if key in keys]
    return set(
        Mention.objects.filter(person_named_id__in=named).values_list("entity_id", flat=True)
    )

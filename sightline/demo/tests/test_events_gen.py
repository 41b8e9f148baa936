"""The demo borough's partner events: generated consistently with the planted networks (pure)
and loaded through the events workflows (database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sightline.demo.generator import generate_borough

END = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def borough() -> Any:
    return generate_borough(children=300, years=2, seed=11, end=END, networks=3)


def test_the_same_seed_gives_the_same_events(borough: Any) -> None:
    again = generate_borough(children=300, years=2, seed=11, end=END, networks=3)
    assert again.events == borough.events
    assert again.truth["events"] == borough.truth["events"]


def test_events_do_not_change_the_rest_of_the_borough(borough: Any) -> None:
    other = generate_borough(children=300, years=2, seed=11, end=END, networks=3)
    assert [r.narrative for r in other.referrals] == [r.narrative for r in borough.referrals]
    assert all(e.occurred_at.date() < END for e in borough.events)


def test_network_children_go_missing_repeatedly_and_are_found_with_network_adults(
    borough: Any,
) -> None:
    truth = borough.truth["events"]
    network_children = {k for n in borough.truth["networks"] for k in n["child_keys"]}
    missing = [e for e in borough.events if e.kind == "missing_episode"]
    assert {e.child_key for e in missing if e.network_key} == network_children
    assert set(truth["repeat_missing_child_keys"]) <= network_children
    assert len(truth["repeat_missing_child_keys"]) >= len(network_children) // 2
    adults = {a["canonical_name"]: n["key"] for n in borough.truth["networks"] for a in n["adults"]}
    named = [p.get("name") for e in missing for p in e.persons_named if p.get("name")]
    assert named and all(adults.get(name) for name in named)  # only network adults are named
    ordinary_missing = [e for e in missing if not e.network_key]
    assert all(not e.persons_named for e in ordinary_missing)


def test_each_agency_sends_its_own_kinds_and_the_truth_counts_them(borough: Any) -> None:
    sends = {
        "police": {"police_incident", "missing_episode", "safe_and_well"},
        "health": {"health_attendance"},
        "education": {"education"},
        "youth-justice": {"youth_justice"},
        "housing": {"housing"},
    }
    assert all(e.kind in sends[e.agency_key] for e in borough.events)
    truth = borough.truth["events"]
    assert truth["total"] == len(borough.events)
    assert sum(truth["by_agency"].values()) == truth["total"]
    assert truth["per_100_children"] == round(100 * len(borough.events) / 300, 1)
    assert 0 < truth["per_100_ordinary_children"] < truth["per_100_children"]
    assert {"completed", "late", "declined"} <= set(truth["return_interviews"])


def test_late_interviews_are_late_and_timely_ones_within_72_hours(borough: Any) -> None:
    for e in borough.events:
        if e.interview is None or e.interview.status != "completed":
            continue
        returned = dt.datetime.fromisoformat(e.fields["returned_at"])
        assert e.interview.at > returned
    sexual_health = [
        e for e in borough.events if e.fields.get("attendance_type") == "sexual_health"
    ]
    assert sexual_health and all(e.network_key for e in sexual_health)

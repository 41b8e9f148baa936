"""Ranking (ADR 0206): among candidates the model scores alike, the one whose surname is
spelt nearer to the one written comes first, before the reference decides (the candidates
benchmark's misses: "Bernard Welce" scored Welch, Wells and Wallace the same)."""

from __future__ import annotations

import uuid

from sightline.intel.entities import person_summary, rank_persons
from sightline.intel.resolution import PersonFeatures, Profile


def _row(reference: str, name: str) -> tuple[uuid.UUID, str, Profile]:
    _summary, fields, _keys = person_summary([{"name": name, "approximate_age": 40, "year": 2026}])
    return uuid.uuid4(), reference, Profile.from_json(fields["profile"])


def test_the_nearer_spelling_comes_first_among_equal_scores() -> None:
    rows = [
        _row("POC-2026-0000001", "Bernard Wallace"),
        _row("POC-2026-0000002", "Bernard Wells"),
        _row("POC-2026-0000003", "Bernard Welch"),
    ]
    features = PersonFeatures.from_named(year=2026, name="Bernard Welce", approximate_age=40)
    ranked = rank_persons(features, rows, sole=None, shared={})
    by_ref = {r.reference: r for r in ranked}
    assert len(by_ref) == 3
    # the model rates the three surnames at one level: only the spelling tells them apart
    assert len({round(r.score, 6) for r in ranked}) == 1
    assert ranked[0].reference == "POC-2026-0000003"  # Welch, nearest to "Welce"
    assert [r.reference for r in ranked][-1] == "POC-2026-0000001"  # Wallace, furthest


def test_a_higher_score_still_comes_before_a_nearer_spelling() -> None:
    rows = [
        _row("POC-2026-0000001", "Bernard Welch"),
        _row("POC-2026-0000002", "Bernard Welce"),
    ]
    features = PersonFeatures.from_named(year=2026, name="Bernard Welce", approximate_age=40)
    ranked = rank_persons(features, rows, sole=None, shared={})
    assert ranked[0].reference == "POC-2026-0000002"  # the exact surname scores higher
    assert ranked[0].score > ranked[1].score

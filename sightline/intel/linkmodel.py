"""The Fellegi-Sunter model that scores a person mention against a person of concern.

Each comparison (first name, surname, phone, ...) lands on one level ("exact", "short form",
"different", ...). A level has an m probability (how often a true match shows it) and a u
probability (how often two different people show it); its weight is log2(m / u), the match
weight of Fellegi and Sunter, as Splink writes it. The match probability is the prior odds
times 2 ** (sum of weights). m and u come from `data/link_model.json`, estimated from the
partnership's synthetic boroughs by `bench/estimate_link_model.py` (the file says how);
agreeing on an exact name uses term frequencies instead of the level's u: a surname or first
name's frequency in the population (`data/name_frequencies.csv`), raised when several persons
on record share it. Pure functions; see ADR 0203.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

DATA_DIR = Path(__file__).resolve().parent / "data"
# u for an exact surname that several persons on record sound like: "common here" whatever
# the population table says (a family, a community, a generator's short list).
ON_RECORD_COMMON = 1 / 40


@dataclass(frozen=True)
class Contribution:
    """One comparison's part in a score: its level and its weight (log2 of m / u)."""

    comparison: str
    level: str
    weight: float
    reason: str

    def to_json(self) -> dict[str, object]:
        return {
            "comparison": self.comparison,
            "level": self.level,
            "weight": round(self.weight, 2),
            "reason": self.reason,
        }


@cache
def model() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA_DIR / "link_model.json").read_text("utf-8"))
    return data


@cache
def frequencies() -> dict[tuple[str, str], float]:
    """(kind, name) -> share of the population ("surname", "smith") -> 0.0101."""
    table: dict[tuple[str, str], float] = {}
    for raw in (DATA_DIR / "name_frequencies.csv").read_text("utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", "kind,")):
            continue
        kind, name, per_100k = line.split(",")
        table[(kind, name)] = float(per_100k) / 100_000
    return table


def population_share(kind: str, name: str) -> float:
    """How common a surname or first name is in the population; names not in the table get
    the table's floor for their kind (rarer than any listed name)."""
    found = frequencies().get((kind, name))
    if found is not None:
        return found
    return float(model()["tf_floor"][kind])


def level_weight(comparison: str, level: str) -> float:
    params = model()["comparisons"][comparison][level]
    return math.log2(float(params["m"]) / float(params["u"]))


def tf_weight(comparison: str, level: str, kind: str, name: str, *, common_here: bool) -> float:
    """The weight of agreeing exactly on a name, from its frequency: rarer, stronger."""
    params = model()["comparisons"][comparison][level]
    u = population_share(kind, name)
    if common_here:
        u = max(u, ON_RECORD_COMMON)
    return math.log2(float(params["m"]) / u)


def prior_weight() -> float:
    prior = float(model()["prior"])
    return math.log2(prior / (1 - prior))


def register_bits(persons: int) -> float:
    """How many more bits of evidence a link needs on a register of `persons` persons than on
    the training boroughs' (ADR 0216). The prior is the chance that a mention is one given
    person; with N persons on record it is about prior_persons / N times the trained one, so
    a name that fits one person in 55 by chance fits thirty in 1,650. Never below 0: a small
    register keeps the trained prior. 0 unless `SIGHTLINE_LINK_REGISTER_PRIOR` is on (read at
    each call): it costs recall at the second child, and the partnership chooses."""
    if not settings.SIGHTLINE_LINK_REGISTER_PRIOR:
        return 0.0
    reference = float(model()["prior_persons"])
    if persons <= reference:
        return 0.0
    return math.log2(persons / reference)


def probability(weights: float) -> float:
    """Match probability from the summed weights and the model's prior."""
    total = prior_weight() + weights
    if total > 60:
        return 1.0
    if total < -60:
        return 0.0
    odds = 2.0**total
    return odds / (1 + odds)


def probable_threshold() -> float:
    return float(settings.SIGHTLINE_LINK_PROBABLE)


def candidate_threshold() -> float:
    return float(settings.SIGHTLINE_LINK_CANDIDATE)

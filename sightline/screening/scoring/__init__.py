"""CSE screening: indicator catalogue and scoring rules, in pure Python with no Django imports.

- ``levels``: weights, default points and thresholds, levels, marks;
- ``phrases``: catalogue phrases compiled for fast searching;
- ``catalogue``: the validated catalogue of indicators;
- ``loading``: reading a catalogue from its YAML file;
- ``rules``: the scoring rules (its docstring states them) and a practitioner's override;
- ``suggestions``: indicators suggested by phrases in a narrative.

Callers use ``from sightline.screening import scoring`` and ``scoring.X``; every public name
is re-exported here.
"""

from __future__ import annotations

from sightline.screening.scoring.catalogue import Catalogue, Indicator
from sightline.screening.scoring.levels import (
    DEFAULT_THRESHOLDS,
    DEFAULT_WEIGHT_POINTS,
    Basis,
    Level,
    Mark,
    Status,
    Weight,
)
from sightline.screening.scoring.loading import (
    DEFAULT_CATALOGUE_PATH,
    catalogue_raw,
    load_catalogue,
)
from sightline.screening.scoring.rules import ScoreResult, apply_override, score
from sightline.screening.scoring.suggestions import Suggestion, suggest_indicators

__all__ = [
    "DEFAULT_CATALOGUE_PATH",
    "DEFAULT_THRESHOLDS",
    "DEFAULT_WEIGHT_POINTS",
    "Basis",
    "Catalogue",
    "Indicator",
    "Level",
    "Mark",
    "ScoreResult",
    "Status",
    "Suggestion",
    "Weight",
    "apply_override",
    "catalogue_raw",
    "load_catalogue",
    "score",
    "suggest_indicators",
]

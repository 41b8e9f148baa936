"""The vocabulary of a screening: indicator weights and their default points, the default
thresholds, the levels, and a practitioner's mark against an indicator."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sightline.screening.choices import LEVEL_RANK, RiskLevel


class Weight(enum.StrEnum):
    """Weight of an indicator, as written in the catalogue."""

    OVERRIDE = "override"
    HIGH = "H"
    MEDIUM = "M"
    LOW = "L"
    VULNERABILITY = "V"


DEFAULT_WEIGHT_POINTS: Mapping[str, int] = MappingProxyType(
    {"override": 3, "H": 3, "M": 2, "L": 1, "V": 1}
)

DEFAULT_THRESHOLDS: Mapping[str, int] = MappingProxyType(
    {
        "high_score": 12,
        "high_indicators_for_high": 2,
        "medium_indicators_for_medium": 2,
        "vulnerabilities_to_raise": 3,
        "young_child_max_age": 13,
        "floor_medium_below_age": 13,
    }
)


class Level(enum.IntEnum):
    """Screening outcome, ordered so that comparisons mean 'more or less concern'."""

    NONE = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3

    @property
    def label(self) -> str:
        """Text shown to practitioners, e.g. "No apparent risk"."""
        return _LEVEL_LABELS[self]

    @property
    def value_name(self) -> str:
        """Stable lowercase name used in storage and the catalogue: none/low/medium/high."""
        return self.name.lower()

    @classmethod
    def from_name(cls, name: str) -> Level:
        """Parse ``"none"``, ``"low"``, ``"medium"`` or ``"high"`` (case-insensitive)."""
        key = name.strip().upper()
        try:
            return cls[key]
        except KeyError:
            names = ", ".join(level.value_name for level in cls)
            raise ValueError(f"Unknown level {name!r}; expected one of: {names}") from None

    def raised(self) -> Level:
        """One step higher, never above High."""
        return Level(min(self + 1, Level.HIGH))


# Names and labels come from the one vocabulary, RiskLevel; Level adds only the order.
_LEVEL_LABELS: Mapping[Level, str] = MappingProxyType(
    {Level(LEVEL_RANK[choice.value]): str(choice.label) for choice in RiskLevel}
)
if [level.value_name for level in Level] != list(RiskLevel.values):
    raise ImportError("scoring.Level must list RiskLevel's values in its order")


class Status(enum.StrEnum):
    """How an indicator is marked. Anything other than present/possible counts as absent."""

    PRESENT = "present"
    POSSIBLE = "possible"
    NOT_KNOWN = "not_known"


class Basis(enum.StrEnum):
    """What a mark rests on. Recorded for accountability; it does not change the score."""

    EVIDENCE = "evidence"
    PROFESSIONAL_JUDGEMENT = "professional_judgement"


@dataclass(frozen=True)
class Mark:
    """A practitioner's mark against one indicator."""

    code: str
    status: Status
    basis: Basis | None = None
    note: str = ""

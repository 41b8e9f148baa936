"""The screening catalogue: its indicators and the numbers the rules use, validated when
it is made."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from sightline.screening.scoring.levels import DEFAULT_THRESHOLDS, DEFAULT_WEIGHT_POINTS, Weight
from sightline.screening.scoring.phrases import Phrase


@dataclass(frozen=True)
class Indicator:
    """One item of the screening catalogue."""

    code: str
    category: str
    label: str
    weight: Weight
    is_learning_disability: bool
    phrases: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    """A validated, versioned set of indicators plus the numbers the rules use.

    Constructing one validates it (unique codes, known weights, phrases that compile,
    known threshold names) and raises :class:`ValueError` otherwise. Missing thresholds or
    weights take the defaults in ``levels``.
    """

    version: str
    title: str
    indicators: tuple[Indicator, ...]
    thresholds: Mapping[str, int] = field(default_factory=lambda: DEFAULT_THRESHOLDS)
    weights: Mapping[str, int] = field(default_factory=lambda: DEFAULT_WEIGHT_POINTS)
    categories: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    _index: Mapping[str, Indicator] = field(init=False, repr=False, compare=False)
    _patterns: tuple[tuple[Indicator, tuple[Phrase, ...]], ...] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "thresholds", _validated_thresholds(self.thresholds))
        object.__setattr__(self, "weights", _validated_weights(self.weights))
        object.__setattr__(self, "categories", MappingProxyType(dict(self.categories)))
        index: dict[str, Indicator] = {}
        patterns: list[tuple[Indicator, tuple[Phrase, ...]]] = []
        normalised: list[Indicator] = []
        for given in self.indicators:
            _validate_indicator(given, self.categories)
            indicator = replace(given, weight=Weight(given.weight), phrases=tuple(given.phrases))
            normalised.append(indicator)
            if indicator.code in index:
                raise ValueError(f"Duplicate indicator code {indicator.code!r} in catalogue")
            index[indicator.code] = indicator
            if indicator.phrases:
                patterns.append((indicator, tuple(map(Phrase.compile, indicator.phrases))))
        if not index:
            raise ValueError("Catalogue has no indicators")
        object.__setattr__(self, "indicators", tuple(normalised))
        object.__setattr__(self, "_index", MappingProxyType(index))
        object.__setattr__(self, "_patterns", tuple(patterns))

    def __hash__(self) -> int:
        return hash((self.version, self.title, self.indicators))

    @property
    def codes(self) -> tuple[str, ...]:
        """Indicator codes in catalogue order."""
        return tuple(self._index)

    def by_code(self, code: str) -> Indicator:
        """The indicator with this code; :class:`KeyError` naming the code if unknown."""
        try:
            return self._index[code]
        except KeyError:
            raise KeyError(
                f"Unknown indicator code {code!r} for catalogue version {self.version}"
            ) from None

    def points(self, weight: Weight) -> int:
        """Score points for an indicator of this weight when present."""
        return self.weights[weight.value]


def _validated_thresholds(raw: Mapping[str, Any]) -> Mapping[str, int]:
    unknown = sorted(set(raw) - set(DEFAULT_THRESHOLDS))
    if unknown:
        known = ", ".join(DEFAULT_THRESHOLDS)
        raise ValueError(f"Unknown threshold(s) {', '.join(unknown)}; known thresholds: {known}")
    merged = dict(DEFAULT_THRESHOLDS)
    for name, value in raw.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(
                f"Threshold {name!r} must be a whole number of 1 or more, not {value!r}"
            )
        merged[name] = value
    return MappingProxyType(merged)


def _validated_weights(raw: Mapping[str, Any]) -> Mapping[str, int]:
    known = {weight.value for weight in Weight}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ValueError(
            f"Unknown weight(s) {', '.join(unknown)}; known weights: {', '.join(sorted(known))}"
        )
    merged = dict(DEFAULT_WEIGHT_POINTS)
    for name, value in raw.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"Weight {name!r} must be a whole number of 0 or more, not {value!r}")
        merged[name] = value
    if "override" not in raw and "H" in raw:
        merged["override"] = merged["H"]
    return MappingProxyType(merged)


def _validate_indicator(indicator: Indicator, categories: Mapping[str, str]) -> None:
    if not isinstance(indicator.code, str) or not indicator.code.strip():
        raise ValueError(f"Indicator code must be a non-empty string, not {indicator.code!r}")
    if not isinstance(indicator.label, str) or not indicator.label.strip():
        raise ValueError(f"Indicator {indicator.code}: label must be a non-empty string")
    if categories and indicator.category not in categories:
        raise ValueError(
            f"Indicator {indicator.code}: unknown category {indicator.category!r}; "
            f"known categories: {', '.join(categories)}"
        )
    try:
        Weight(indicator.weight)
    except ValueError:
        known = ", ".join(weight.value for weight in Weight)
        raise ValueError(
            f"Indicator {indicator.code}: unknown weight {indicator.weight!r}; "
            f"expected one of: {known}"
        ) from None
    for phrase in indicator.phrases:
        if not isinstance(phrase, str) or not phrase:
            raise ValueError(f"Indicator {indicator.code}: phrases must be non-empty strings")
        if re.sub(r"\\.", "", phrase) != re.sub(r"\\.", "", phrase).lower():
            raise ValueError(
                f"Indicator {indicator.code}: phrase {phrase!r} must be lowercase "
                "(matching ignores case)"
            )
        try:
            re.compile(phrase)
        except re.error as exc:
            raise ValueError(
                f"Indicator {indicator.code}: phrase {phrase!r} is not a valid "
                f"regular expression ({exc})"
            ) from None

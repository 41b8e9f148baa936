"""CSE screening: indicator catalogue and scoring rules.

Pure Python with no Django imports, so the rules can be tested quickly and in isolation.
The catalogue (indicators, weights, thresholds) lives in ``data/catalogue-v1.yaml``. Every
number below is read from ``catalogue.thresholds``; the defaults are given in brackets.

Marks
-----
Each indicator can be marked ``present``, ``possible`` or ``not_known``. Anything other than
``present`` or ``possible`` (``not_known``, or no mark) is treated as absent. If the same code
is marked more than once, the strongest mark counts (present beats possible). The ``basis`` of
a mark (evidence or professional judgement) is recorded and shown in the reasons, but it does
not change the result: gut feeling is a legitimate basis for concern.

Treatment of "possible"
-----------------------
A possible indicator is a concern that has not been confirmed. It counts, but for less:

* Score: a present indicator adds its full points (override = 3, H = 3, M = 2, L = 1,
  V = 1); a possible one adds half, rounded up (override and H = 2, M = 1, L = 1, V = 1).
* Level: a possible indicator counts one weight step lower than a present one. A possible
  override counts as a present H (it does NOT force High or mark harm as indicated); a
  possible H counts as an M; a possible M or L counts as an L. A possible vulnerability is
  ignored for the level (it is not counted towards the vulnerability rule, and a possible
  learning-disability indicator does not trigger the learning-disability floor).

Rules, applied in this order
----------------------------
1. Score. ``score`` = points of every marked indicator, as above, vulnerabilities included.
   The "concern score" is the same sum without vulnerabilities; only the concern score is
   compared with the High threshold, so vulnerabilities affect the level only via rule 3.
2. Base level (the tiers of the screening tools):
   * High if at least ``high_indicators_for_high`` [2] high-weight indicators count as
     present, or the concern score is at least ``high_score`` [12];
   * otherwise Medium if at least one high-weight indicator counts as present, or at least
     ``medium_indicators_for_medium`` [2] medium-weight indicators do;
   * otherwise Low if any L or M indicator counts as present, i.e. any non-vulnerability
     indicator is present or possible;
   * otherwise None ("No apparent risk"). Vulnerabilities never create risk on their own.
3. Vulnerabilities. If at least ``vulnerabilities_to_raise`` [3] vulnerabilities are present
   and the base level is at least Low, the level goes up one step (never above High). If the
   base level is None it stays None: vulnerabilities alone never create risk.
4. Young child. If the child's age is ``young_child_max_age`` [13] or under and any
   high-weight indicator counts as present (a present H or override, or a possible
   override), the level is High.
5. Override. If any override indicator is present, the level is High and ``harm_indicated``
   is True: harm is already happening, not just a risk.
6. Floors. A child younger than ``floor_medium_below_age`` [13], or with a learning
   disability (the ``has_learning_disability`` argument, or a present indicator flagged
   ``is_learning_disability``, i.e. H3), is never below Medium. This is the flat reading of
   the product rule: the floor applies to every screening of such a child, even one where
   no indicator is marked. If the age is not known, the age rules (4 and the age floor)
   cannot apply, and the reasons say so.

Monotonicity
------------
Upgrading any mark (absent to possible, or possible to present) never lowers the level.
Every count and score above only grows when a mark is upgraded. Upgrading one indicator from
M to H removes one from the M count, but then at least one H counts as present, which is
already Medium. Rule 3 is non-decreasing in both the base level and the vulnerability count,
and rules 4 to 6 only ever raise the level.

A practitioner may raise the computed level, giving a reason (:func:`apply_override`), but
can never lower it.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

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

DEFAULT_CATALOGUE_PATH = Path(__file__).resolve().parent / "data" / "catalogue-v1.yaml"


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


# --------------------------------------------------------------------------------------------
# Levels and marks
# --------------------------------------------------------------------------------------------


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


_LEVEL_LABELS: Mapping[Level, str] = MappingProxyType(
    {
        Level.NONE: "No apparent risk",
        Level.LOW: "Low",
        Level.MEDIUM: "Medium",
        Level.HIGH: "High",
    }
)


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


# --------------------------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------------------------


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
    weights take the defaults above.
    """

    version: str
    title: str
    indicators: tuple[Indicator, ...]
    thresholds: Mapping[str, int] = field(default_factory=lambda: DEFAULT_THRESHOLDS)
    weights: Mapping[str, int] = field(default_factory=lambda: DEFAULT_WEIGHT_POINTS)
    categories: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    _index: Mapping[str, Indicator] = field(init=False, repr=False, compare=False)
    _patterns: tuple[tuple[Indicator, tuple[_Phrase, ...]], ...] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "thresholds", _validated_thresholds(self.thresholds))
        object.__setattr__(self, "weights", _validated_weights(self.weights))
        object.__setattr__(self, "categories", MappingProxyType(dict(self.categories)))
        index: dict[str, Indicator] = {}
        patterns: list[tuple[Indicator, tuple[_Phrase, ...]]] = []
        normalised: list[Indicator] = []
        for given in self.indicators:
            _validate_indicator(given, self.categories)
            indicator = replace(given, weight=Weight(given.weight), phrases=tuple(given.phrases))
            normalised.append(indicator)
            if indicator.code in index:
                raise ValueError(f"Duplicate indicator code {indicator.code!r} in catalogue")
            index[indicator.code] = indicator
            if indicator.phrases:
                patterns.append((indicator, tuple(map(_Phrase.compile, indicator.phrases))))
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


@dataclass(frozen=True)
class _Phrase:
    """A phrase compiled for fast searching.

    Python's ``re`` only uses its fast literal-prefix scan when a pattern starts with a
    literal and is case-sensitive. So the narrative is lowercased once and each phrase is
    compiled without IGNORECASE and without its leading ``\\b`` (when the phrase has no
    top-level ``|``); that boundary is then checked by hand (:func:`_at_word_boundary`).
    Matches are extended to the end of the word, so a stem such as ``pregnan`` is reported
    as "pregnant". ``folded`` is the IGNORECASE equivalent, used on the original text in the
    rare case where lowercasing changes its length.
    """

    lowered: re.Pattern[str]
    folded: re.Pattern[str]
    leading_boundary: bool

    @classmethod
    def compile(cls, phrase: str) -> _Phrase:
        leading_boundary = phrase.startswith(r"\b") and not _has_top_level_alternation(phrase)
        body = f"(?:{phrase[2:] if leading_boundary else phrase})" + r"\w*"
        return cls(re.compile(body), re.compile(body, re.IGNORECASE), leading_boundary)

    def first_match(self, text: str, *, lowered: bool) -> tuple[int, int] | None:
        """Start and end of the first non-empty match in ``text``, if any."""
        pattern = self.lowered if lowered else self.folded
        position = 0
        while (match := pattern.search(text, position)) is not None:
            start, end = match.span()
            if end > start and (not self.leading_boundary or _at_word_boundary(text, start)):
                return start, end
            position = start + 1
        return None


def _has_top_level_alternation(phrase: str) -> bool:
    """Whether ``phrase`` has a ``|`` outside any group or character class."""
    depth = 0
    in_class = False
    escaped = False
    for character in phrase:
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif in_class:
            in_class = character != "]"
        elif character == "[":
            in_class = True
        elif character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
        elif character == "|" and depth == 0:
            return True
    return False


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


def _at_word_boundary(text: str, index: int) -> bool:
    before = index > 0 and _is_word_character(text[index - 1])
    after = index < len(text) and _is_word_character(text[index])
    return before != after


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------

_INDICATOR_KEYS = frozenset(
    {"code", "category", "label", "weight", "is_learning_disability", "phrases"}
)
_REQUIRED_INDICATOR_KEYS = frozenset({"code", "category", "label", "weight"})
_TOP_LEVEL_KEYS = frozenset(
    {"version", "title", "levels", "weights", "thresholds", "categories", "indicators"}
)


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Load and validate a catalogue YAML file (default: ``data/catalogue-v1.yaml``).

    The default catalogue is parsed once and cached. Raises :class:`ValueError` with a
    message naming the file and the problem if the file is malformed.
    """
    if path is None:
        return _load_default_catalogue()
    return _load_catalogue_file(Path(path))


def catalogue_raw(path: Path | None = None) -> dict[str, Any]:
    """The catalogue file's parsed YAML, e.g. to store alongside a catalogue version.

    Returns a fresh copy each time (callers may modify it). Not validated: use
    :func:`load_catalogue` for that.
    """
    source = DEFAULT_CATALOGUE_PATH if path is None else Path(path)
    raw = _read_yaml(source)
    if not isinstance(raw, dict):
        raise ValueError(f"{source}: the catalogue must be a mapping at the top level")
    return raw


@functools.lru_cache(maxsize=1)
def _load_default_catalogue() -> Catalogue:
    return _load_catalogue_file(DEFAULT_CATALOGUE_PATH)


def _read_yaml(path: Path) -> object:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML ({exc})") from None


def _load_catalogue_file(path: Path) -> Catalogue:
    raw = _read_yaml(path)
    try:
        return _catalogue_from_data(raw)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def _catalogue_from_data(raw: object) -> Catalogue:
    if not isinstance(raw, dict):
        raise ValueError("the catalogue must be a mapping at the top level")
    unknown = sorted(set(raw) - _TOP_LEVEL_KEYS)
    if unknown:
        raise ValueError(f"unknown top-level key(s): {', '.join(map(str, unknown))}")
    for key in ("version", "title"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ValueError(f"{key!r} must be a non-empty string (quote version numbers)")
    if "levels" in raw:
        _check_levels(raw["levels"])
    weights = _mapping(raw, "weights")
    thresholds = _mapping(raw, "thresholds")
    categories = _categories(raw.get("categories", []))
    raw_indicators = raw.get("indicators")
    if not isinstance(raw_indicators, list) or not raw_indicators:
        raise ValueError("'indicators' must be a non-empty list")
    indicators = tuple(
        _indicator_from_data(position, item) for position, item in enumerate(raw_indicators, 1)
    )
    return Catalogue(
        version=raw["version"],
        title=raw["title"],
        indicators=indicators,
        thresholds=thresholds,
        weights=weights,
        categories=categories,
    )


def _mapping(raw: dict[str, Any], key: str) -> dict[str, Any]:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        raise ValueError(f"{key!r} must be a mapping")
    return {str(name): item for name, item in value.items()}


def _categories(raw: object) -> dict[str, str]:
    """Categories as a list of ``{code, name}`` mappings (or a plain code: name mapping)."""
    if isinstance(raw, dict):
        return {str(code): str(name) for code, name in raw.items()}
    if not isinstance(raw, list):
        raise ValueError("'categories' must be a list of {code, name} mappings")
    categories: dict[str, str] = {}
    for item in raw:
        if not isinstance(item, dict) or not item.get("code") or not item.get("name"):
            raise ValueError(f"each category needs a code and a name, not {item!r}")
        code = str(item["code"])
        if code in categories:
            raise ValueError(f"duplicate category code {code!r}")
        categories[code] = str(item["name"])
    return categories


def _check_levels(levels: object) -> None:
    expected = [(level.value_name, level.label) for level in Level]
    if not isinstance(levels, list):
        raise ValueError("'levels' must be a list of {name, label} mappings")
    found = [
        (item.get("name"), item.get("label")) if isinstance(item, dict) else (item, None)
        for item in levels
    ]
    if found != expected:
        raise ValueError(f"'levels' must be exactly, in order: {expected}, not {found}")


def _indicator_from_data(position: int, item: object) -> Indicator:
    if not isinstance(item, dict):
        raise ValueError(f"indicator #{position} must be a mapping")
    code = item.get("code", f"#{position}")
    missing = sorted(_REQUIRED_INDICATOR_KEYS - set(item))
    if missing:
        raise ValueError(f"indicator {code}: missing key(s) {', '.join(missing)}")
    unknown = sorted(set(item) - _INDICATOR_KEYS)
    if unknown:
        raise ValueError(f"indicator {code}: unknown key(s) {', '.join(map(str, unknown))}")
    weight_text = str(item["weight"])
    try:
        weight = Weight(weight_text)
    except ValueError:
        known = ", ".join(weight.value for weight in Weight)
        raise ValueError(
            f"indicator {code}: unknown weight {weight_text!r}; expected one of: {known}"
        ) from None
    is_ld = item.get("is_learning_disability", False)
    if not isinstance(is_ld, bool):
        raise ValueError(f"indicator {code}: is_learning_disability must be true or false")
    phrases = item.get("phrases") or []
    if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
        raise ValueError(f"indicator {code}: phrases must be a list of strings")
    return Indicator(
        code=str(item["code"]),
        category=str(item["category"]),
        label=str(item["label"]),
        weight=weight,
        is_learning_disability=is_ld,
        phrases=tuple(phrases),
    )


# --------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreResult:
    """Outcome of a screening. ``level`` may later be raised by :func:`apply_override`."""

    level: Level
    score: int
    reasons: tuple[str, ...]
    harm_indicated: bool
    computed_level: Level


# For the level rules a possible indicator counts one weight step lower than a present one.
_POSSIBLE_COUNTS_AS: Mapping[Weight, Weight] = MappingProxyType(
    {
        Weight.OVERRIDE: Weight.HIGH,
        Weight.HIGH: Weight.MEDIUM,
        Weight.MEDIUM: Weight.LOW,
        Weight.LOW: Weight.LOW,
        Weight.VULNERABILITY: Weight.VULNERABILITY,
    }
)


def _strongest_marks(catalogue: Catalogue, marks: Iterable[Mark]) -> dict[str, Mark]:
    """Present/possible marks by code (present wins); unknown codes raise KeyError."""
    strongest: dict[str, Mark] = {}
    for mark in marks:
        catalogue.by_code(mark.code)  # raises KeyError naming an unknown code
        if mark.status not in (Status.PRESENT, Status.POSSIBLE):
            continue
        current = strongest.get(mark.code)
        if current is None or (mark.status == Status.PRESENT and current.status != Status.PRESENT):
            strongest[mark.code] = mark
    return strongest


def score(
    catalogue: Catalogue,
    marks: Iterable[Mark],
    *,
    age_years: int | None,
    has_learning_disability: bool = False,
) -> ScoreResult:
    """Apply the screening rules described in the module docstring."""
    if age_years is not None and (isinstance(age_years, bool) or age_years < 0):
        raise ValueError(f"age_years must be a non-negative whole number, not {age_years!r}")
    limits = catalogue.thresholds
    chosen = _strongest_marks(catalogue, marks)

    # Rule 1: score, and the indicators that count at each weight for the level rules.
    total = 0
    concern_score = 0
    counted: dict[Weight, list[str]] = {weight: [] for weight in Weight}
    possible_codes: list[str] = []
    judgement_codes: list[str] = []
    ld_indicator_codes: list[str] = []
    for code in catalogue.codes:  # catalogue order keeps reasons stable
        mark = chosen.get(code)
        if mark is None:
            continue
        indicator = catalogue.by_code(code)
        full = catalogue.points(indicator.weight)
        if mark.status == Status.PRESENT:
            points = full
            counted[indicator.weight].append(code)
            if indicator.is_learning_disability:
                ld_indicator_codes.append(code)
        else:
            points = (full + 1) // 2
            possible_codes.append(code)
            if indicator.weight is not Weight.VULNERABILITY:
                counted[_POSSIBLE_COUNTS_AS[indicator.weight]].append(code)
        if mark.basis == Basis.PROFESSIONAL_JUDGEMENT:
            judgement_codes.append(code)
        total += points
        if indicator.weight is not Weight.VULNERABILITY:
            concern_score += points

    overrides = counted[Weight.OVERRIDE]
    high_weight = overrides + counted[Weight.HIGH]
    medium_weight = counted[Weight.MEDIUM]
    concerns = high_weight + medium_weight + counted[Weight.LOW]
    vulnerabilities = counted[Weight.VULNERABILITY]

    def _describe(codes: list[str]) -> str:
        return ", ".join(f"{code} (possible)" if code in possible_codes else code for code in codes)

    reasons = [
        f"Score {total} (concern score {concern_score}, vulnerabilities "
        f"{total - concern_score}); possible indicators count half points, rounded up"
    ]
    if possible_codes:
        reasons.append(
            f"Possible (unconfirmed) indicators {_describe(possible_codes)} count one weight "
            "step lower than if present"
        )
    if judgement_codes:
        reasons.append(f"Marked on professional judgement: {_describe(judgement_codes)}")

    # Rule 2: base level.
    if len(high_weight) >= limits["high_indicators_for_high"]:
        level = Level.HIGH
        reasons.append(
            f"{len(high_weight)} high-weight indicators ({_describe(high_weight)}): High"
        )
    elif concern_score >= limits["high_score"]:
        level = Level.HIGH
        reasons.append(
            f"Concern score {concern_score} reaches the High threshold of "
            f"{limits['high_score']}: High"
        )
    elif high_weight:
        level = Level.MEDIUM
        reasons.append(f"High-weight indicator {_describe(high_weight)}: Medium")
    elif len(medium_weight) >= limits["medium_indicators_for_medium"]:
        level = Level.MEDIUM
        reasons.append(
            f"{len(medium_weight)} medium-weight indicators ({_describe(medium_weight)}): Medium"
        )
    elif concerns:
        level = Level.LOW
        reasons.append(f"Indicator(s) of concern {_describe(concerns)}: Low")
    else:
        level = Level.NONE
        reasons.append("No indicator of concern is present or possible: No apparent risk")

    # Rule 3: vulnerabilities raise an existing level by one, never create one.
    if len(vulnerabilities) >= limits["vulnerabilities_to_raise"]:
        if level >= Level.LOW:
            raised = level.raised()
            reasons.append(
                f"{len(vulnerabilities)} vulnerabilities present ({_describe(vulnerabilities)}): "
                f"level raised from {level.label} to {raised.label}"
                if raised != level
                else f"{len(vulnerabilities)} vulnerabilities present "
                f"({_describe(vulnerabilities)}); level already High"
            )
            level = raised
        else:
            reasons.append(
                f"{len(vulnerabilities)} vulnerabilities present ({_describe(vulnerabilities)}) "
                "but no indicator of concern; vulnerabilities alone do not create risk"
            )

    # Rule 4: a young child with any high-weight indicator.
    if age_years is None:
        reasons.append("Age not recorded: age-based rules could not be applied")
    elif age_years <= limits["young_child_max_age"] and high_weight:
        level = Level.HIGH
        reasons.append(
            f"Child aged {age_years} with high-weight indicator {_describe(high_weight)}: High"
        )

    # Rule 5: overrides force High and mean harm is indicated.
    harm_indicated = bool(overrides)
    for code in overrides:
        level = Level.HIGH
        reasons.append(f"Override indicator {code} present: High")
    if harm_indicated:
        reasons.append("Harm indicated: treat this as abuse that is happening, not only a risk")

    # Rule 6: floors for young children and children with a learning disability.
    if level < Level.MEDIUM:
        if age_years is not None and age_years < limits["floor_medium_below_age"]:
            level = Level.MEDIUM
            reasons.append(f"Child aged {age_years} is never below Medium")
        if has_learning_disability or ld_indicator_codes:
            level = Level.MEDIUM
            source = f" (indicator {_describe(ld_indicator_codes)})" if ld_indicator_codes else ""
            reasons.append(f"Child with a learning disability{source} is never below Medium")

    return ScoreResult(
        level=level,
        score=total,
        reasons=tuple(reasons),
        harm_indicated=harm_indicated,
        computed_level=level,
    )


def apply_override(result: ScoreResult, requested: Level, reason: str) -> ScoreResult:
    """Let a practitioner raise the level, recording why. Lowering is refused."""
    if not reason or not reason.strip():
        raise ValueError("A reason is required to change the computed screening level")
    requested = Level(requested)
    if requested < result.computed_level:
        raise ValueError(
            f"The level ({requested.label}) cannot be lower than the computed level "
            f"({result.computed_level.label}); practitioners may only raise it"
        )
    note = (
        f"Practitioner set the level to {requested.label} "
        f"(computed {result.computed_level.label}): {reason.strip()}"
    )
    return replace(result, level=requested, reasons=(*result.reasons, note))


# --------------------------------------------------------------------------------------------
# Suggestions from narrative text
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A phrase in a narrative that suggests an indicator. Never ticks anything itself."""

    code: str
    label: str
    phrase: str
    start: int
    end: int


def suggest_indicators(catalogue: Catalogue, narrative: str) -> list[Suggestion]:
    """Suggest indicators whose phrases occur in ``narrative``, first match per indicator.

    Matching is case-insensitive and uses patterns compiled once per catalogue. Results are
    ordered by position in the text (then catalogue order). They are suggestions for a
    practitioner to confirm or dismiss; no mark is created.
    """
    suggestions: list[Suggestion] = []
    if not narrative:
        return suggestions
    order = {code: position for position, code in enumerate(catalogue.codes)}
    lowered_text = narrative.lower()
    lowered = len(lowered_text) == len(narrative)  # offsets still line up with the original
    text = lowered_text if lowered else narrative
    for indicator, phrases in catalogue._patterns:
        spans = [span for phrase in phrases if (span := phrase.first_match(text, lowered=lowered))]
        if spans:
            start, end = min(spans, key=lambda span: (span[0], -span[1]))  # earliest, longest
            suggestions.append(
                Suggestion(
                    code=indicator.code,
                    label=indicator.label,
                    phrase=narrative[start:end],
                    start=start,
                    end=end,
                )
            )
    suggestions.sort(key=lambda item: (item.start, order[item.code]))
    return suggestions

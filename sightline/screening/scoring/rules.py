"""CSE screening: the scoring rules.

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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from sightline.screening.scoring.catalogue import Catalogue
from sightline.screening.scoring.levels import Basis, Level, Mark, Status, Weight


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


@dataclass
class _Tally:
    """Rule 1: the score, and the indicators that count at each weight for the level rules."""

    total: int = 0
    concern_score: int = 0
    counted: dict[Weight, list[str]] = field(
        default_factory=lambda: {weight: [] for weight in Weight}
    )
    possible_codes: list[str] = field(default_factory=list)
    judgement_codes: list[str] = field(default_factory=list)
    ld_indicator_codes: list[str] = field(default_factory=list)

    @property
    def overrides(self) -> list[str]:
        return self.counted[Weight.OVERRIDE]

    @property
    def high_weight(self) -> list[str]:
        return self.overrides + self.counted[Weight.HIGH]

    @property
    def medium_weight(self) -> list[str]:
        return self.counted[Weight.MEDIUM]

    @property
    def concerns(self) -> list[str]:
        return self.high_weight + self.medium_weight + self.counted[Weight.LOW]

    @property
    def vulnerabilities(self) -> list[str]:
        return self.counted[Weight.VULNERABILITY]

    def describe(self, codes: list[str]) -> str:
        possible = self.possible_codes
        return ", ".join(f"{code} (possible)" if code in possible else code for code in codes)


def _tally(catalogue: Catalogue, chosen: Mapping[str, Mark]) -> _Tally:
    tally = _Tally()
    for code in catalogue.codes:  # catalogue order keeps reasons stable
        mark = chosen.get(code)
        if mark is None:
            continue
        indicator = catalogue.by_code(code)
        full = catalogue.points(indicator.weight)
        if mark.status == Status.PRESENT:
            points = full
            tally.counted[indicator.weight].append(code)
            if indicator.is_learning_disability:
                tally.ld_indicator_codes.append(code)
        else:
            points = (full + 1) // 2
            tally.possible_codes.append(code)
            if indicator.weight is not Weight.VULNERABILITY:
                tally.counted[_POSSIBLE_COUNTS_AS[indicator.weight]].append(code)
        if mark.basis == Basis.PROFESSIONAL_JUDGEMENT:
            tally.judgement_codes.append(code)
        tally.total += points
        if indicator.weight is not Weight.VULNERABILITY:
            tally.concern_score += points
    return tally


def _score_reasons(tally: _Tally) -> list[str]:
    reasons = [
        f"Score {tally.total} (concern score {tally.concern_score}, vulnerabilities "
        f"{tally.total - tally.concern_score}); possible indicators count half points, rounded up"
    ]
    if tally.possible_codes:
        reasons.append(
            f"Possible (unconfirmed) indicators {tally.describe(tally.possible_codes)} count one "
            "weight step lower than if present"
        )
    if tally.judgement_codes:
        reasons.append(f"Marked on professional judgement: {tally.describe(tally.judgement_codes)}")
    return reasons


def _base_level(tally: _Tally, limits: Mapping[str, int]) -> tuple[Level, str]:
    """Rule 2: the tiers of the screening tools, with the reason for the tier reached."""
    high_weight, medium_weight, describe = tally.high_weight, tally.medium_weight, tally.describe
    if len(high_weight) >= limits["high_indicators_for_high"]:
        return (
            Level.HIGH,
            f"{len(high_weight)} high-weight indicators ({describe(high_weight)}): High",
        )
    if tally.concern_score >= limits["high_score"]:
        return Level.HIGH, (
            f"Concern score {tally.concern_score} reaches the High threshold of "
            f"{limits['high_score']}: High"
        )
    if high_weight:
        return Level.MEDIUM, f"High-weight indicator {describe(high_weight)}: Medium"
    if len(medium_weight) >= limits["medium_indicators_for_medium"]:
        return Level.MEDIUM, (
            f"{len(medium_weight)} medium-weight indicators ({describe(medium_weight)}): Medium"
        )
    if tally.concerns:
        return Level.LOW, f"Indicator(s) of concern {describe(tally.concerns)}: Low"
    return Level.NONE, "No indicator of concern is present or possible: No apparent risk"


def _vulnerabilities_rule(
    level: Level, tally: _Tally, limits: Mapping[str, int], reasons: list[str]
) -> Level:
    """Rule 3: vulnerabilities raise an existing level by one, never create one."""
    vulnerabilities = tally.vulnerabilities
    if len(vulnerabilities) < limits["vulnerabilities_to_raise"]:
        return level
    present = f"{len(vulnerabilities)} vulnerabilities present"
    listed = tally.describe(vulnerabilities)
    if level < Level.LOW:
        reasons.append(
            f"{present} ({listed}) but no indicator of concern; vulnerabilities alone do not "
            "create risk"
        )
        return level
    raised = level.raised()
    reasons.append(
        f"{present} ({listed}): level raised from {level.label} to {raised.label}"
        if raised != level
        else f"{present} ({listed}); level already High"
    )
    return raised


def _age_and_override_rules(
    level: Level,
    tally: _Tally,
    limits: Mapping[str, int],
    age_years: int | None,
    reasons: list[str],
) -> Level:
    """Rule 4 (a young child with any high-weight indicator is High) and rule 5 (an override
    forces High and means harm is indicated)."""
    high_weight = tally.high_weight
    if age_years is None:
        reasons.append("Age not recorded: age-based rules could not be applied")
    elif age_years <= limits["young_child_max_age"] and high_weight:
        level = Level.HIGH
        reasons.append(
            f"Child aged {age_years} with high-weight indicator {tally.describe(high_weight)}: High"
        )
    for code in tally.overrides:
        level = Level.HIGH
        reasons.append(f"Override indicator {code} present: High")
    if tally.overrides:
        reasons.append("Harm indicated: treat this as abuse that is happening, not only a risk")
    return level


def _floor_rule(
    level: Level,
    tally: _Tally,
    limits: Mapping[str, int],
    *,
    age_years: int | None,
    has_learning_disability: bool,
    reasons: list[str],
) -> Level:
    """Rule 6: floors for young children and children with a learning disability."""
    if level >= Level.MEDIUM:
        return level
    if age_years is not None and age_years < limits["floor_medium_below_age"]:
        level = Level.MEDIUM
        reasons.append(f"Child aged {age_years} is never below Medium")
    ld_codes = tally.ld_indicator_codes
    if has_learning_disability or ld_codes:
        level = Level.MEDIUM
        source = f" (indicator {tally.describe(ld_codes)})" if ld_codes else ""
        reasons.append(f"Child with a learning disability{source} is never below Medium")
    return level


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
    tally = _tally(catalogue, _strongest_marks(catalogue, marks))
    reasons = _score_reasons(tally)
    level, reason = _base_level(tally, limits)
    reasons.append(reason)
    level = _vulnerabilities_rule(level, tally, limits, reasons)
    level = _age_and_override_rules(level, tally, limits, age_years, reasons)
    level = _floor_rule(
        level,
        tally,
        limits,
        age_years=age_years,
        has_learning_disability=has_learning_disability,
        reasons=reasons,
    )
    return ScoreResult(
        level=level,
        score=tally.total,
        reasons=tuple(reasons),
        harm_indicated=bool(tally.overrides),
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

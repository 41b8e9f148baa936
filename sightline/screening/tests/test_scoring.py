"""Tests for the pure-Python CSE screening rules and catalogue (no database needed)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sightline.screening.scoring import (
    DEFAULT_CATALOGUE_PATH,
    Basis,
    Catalogue,
    Indicator,
    Level,
    Mark,
    ScoreResult,
    Status,
    Suggestion,
    Weight,
    apply_override,
    load_catalogue,
    score,
    suggest_indicators,
)

P = Status.PRESENT
Q = Status.POSSIBLE


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def marks(**statuses: Status) -> list[Mark]:
    return [Mark(code=code, status=status) for code, status in statuses.items()]


# ---------------------------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------------------------

EXPECTED_CODES = (
    [f"A{i}" for i in range(1, 6)]
    + [f"B{i}" for i in range(1, 6)]
    + [f"C{i}" for i in range(1, 9)]
    + ["D1", "D2", "E1", "E2"]
    + [f"F{i}" for i in range(1, 7)]
    + [f"G{i}" for i in range(1, 7)]
    + [f"H{i}" for i in range(1, 11)]
)


def test_default_catalogue_has_every_indicator_of_the_consolidated_list(
    catalogue: Catalogue,
) -> None:
    assert catalogue.version == "2026.1"
    assert list(catalogue.codes) == EXPECTED_CODES
    assert catalogue.by_code("A1").weight is Weight.OVERRIDE
    assert catalogue.by_code("B1").weight is Weight.HIGH
    assert all(catalogue.by_code(f"H{i}").weight is Weight.VULNERABILITY for i in range(1, 11))
    assert [i.code for i in catalogue.indicators if i.is_learning_disability] == ["H3"]
    assert catalogue.thresholds["high_score"] == 12


def test_default_catalogue_is_cached(catalogue: Catalogue) -> None:
    assert load_catalogue() is catalogue


def test_catalogue_levels_match_level_enum() -> None:
    raw = yaml.safe_load(DEFAULT_CATALOGUE_PATH.read_text(encoding="utf-8"))
    assert [(item["name"], item["label"]) for item in raw["levels"]] == [
        (level.value_name, level.label) for level in Level
    ]


def test_every_indicator_has_phrases_that_compile(catalogue: Catalogue) -> None:
    for indicator in catalogue.indicators:
        assert 2 <= len(indicator.phrases) <= 6, indicator.code
        for phrase in indicator.phrases:
            assert phrase == phrase.lower() or re.search(r"\\[A-Z]", phrase), phrase
            re.compile(phrase)


def test_labels_use_non_blaming_language(catalogue: Catalogue) -> None:
    banned = ("consensual", "consent", "prostitut", "lifestyle", "promiscu", "sex worker")
    for indicator in catalogue.indicators:
        label = indicator.label.lower()
        assert not any(word in label for word in banned), indicator.code
        # "boyfriend" only ever appears quoted, as a phrase people use.
        without_quoted = re.sub(r'"[^"]*"', "", label)
        assert "boyfriend" not in without_quoted, indicator.code


def write_yaml(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "catalogue.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def minimal_data() -> dict[str, object]:
    return {
        "version": "test.1",
        "title": "Test catalogue",
        "weights": {"H": 3, "M": 2, "L": 1, "V": 1},
        "thresholds": {"high_score": 12},
        "categories": [{"code": "A", "name": "Significant"}, {"code": "B", "name": "Other"}],
        "indicators": [
            {"code": "A1", "category": "A", "label": "Override", "weight": "override"},
            {"code": "B1", "category": "B", "label": "High", "weight": "H", "phrases": ["x+"]},
        ],
    }


def test_catalogue_file_with_valid_data_loads(tmp_path: Path) -> None:
    loaded = load_catalogue(write_yaml(tmp_path, minimal_data()))
    assert loaded.codes == ("A1", "B1")
    assert loaded.weights["override"] == 3


def test_catalogue_with_duplicate_code_is_rejected(tmp_path: Path) -> None:
    data = minimal_data()
    data["indicators"] = [
        {"code": "B1", "category": "B", "label": "One", "weight": "H"},
        {"code": "B1", "category": "B", "label": "Two", "weight": "M"},
    ]
    with pytest.raises(ValueError, match="Duplicate indicator code 'B1'"):
        load_catalogue(write_yaml(tmp_path, data))


def test_catalogue_with_unknown_weight_is_rejected(tmp_path: Path) -> None:
    data = minimal_data()
    data["indicators"] = [{"code": "B1", "category": "B", "label": "One", "weight": "X"}]
    with pytest.raises(ValueError, match="unknown weight 'X'"):
        load_catalogue(write_yaml(tmp_path, data))


def test_catalogue_with_invalid_phrase_is_rejected(tmp_path: Path) -> None:
    data = minimal_data()
    data["indicators"] = [
        {"code": "B1", "category": "B", "label": "One", "weight": "H", "phrases": ["(unclosed"]}
    ]
    with pytest.raises(ValueError, match=r"B1.*not a valid regular expression"):
        load_catalogue(write_yaml(tmp_path, data))


def test_catalogue_with_unknown_threshold_is_rejected(tmp_path: Path) -> None:
    data = minimal_data()
    data["thresholds"] = {"hgih_score": 12}
    with pytest.raises(ValueError, match="Unknown threshold"):
        load_catalogue(write_yaml(tmp_path, data))


def test_catalogue_with_unknown_category_is_rejected(tmp_path: Path) -> None:
    data = minimal_data()
    data["indicators"] = [{"code": "Z1", "category": "Z", "label": "One", "weight": "H"}]
    with pytest.raises(ValueError, match="unknown category 'Z'"):
        load_catalogue(write_yaml(tmp_path, data))


def test_by_code_names_an_unknown_code(catalogue: Catalogue) -> None:
    with pytest.raises(KeyError, match="Z99"):
        catalogue.by_code("Z99")


# ---------------------------------------------------------------------------------------------
# Levels
# ---------------------------------------------------------------------------------------------


def test_levels_have_names_labels_and_order() -> None:
    assert Level.from_name("medium") is Level.MEDIUM
    assert Level.from_name(" HIGH ") is Level.HIGH
    assert Level.NONE.label == "No apparent risk"
    assert Level.LOW.value_name == "low"
    assert Level.NONE < Level.LOW < Level.MEDIUM < Level.HIGH
    with pytest.raises(ValueError, match="Unknown level"):
        Level.from_name("amber")


# ---------------------------------------------------------------------------------------------
# Rules, table-driven
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """One row of the rules table. ``marks``: codes, "?" suffix = possible, "~" = not known."""

    name: str
    marks: str
    age: int | None
    expected: Level
    harm: bool = False
    learning_disability: bool = False

    def statuses(self) -> dict[str, Status]:
        suffixes = {"?": Q, "~": Status.NOT_KNOWN}
        return {item.rstrip("?~"): suffixes.get(item[-1], P) for item in self.marks.split() if item}


NONE, LOW, MEDIUM, HIGH = Level.NONE, Level.LOW, Level.MEDIUM, Level.HIGH

RULE_CASES = [
    # Rule 5: overrides force High and indicate harm; possible overrides count as H.
    Case("override disclosure present is high", "A1", 15, HIGH, harm=True),
    Case("override exchange present is high", "A3", 17, HIGH, harm=True),
    Case("possible override at 15 is medium", "A3?", 15, MEDIUM),
    Case("possible override at 13 is high", "A3?", 13, HIGH),
    # Rule 4: 13 or under with a high-weight indicator.
    Case("age 13 with one high indicator is high", "B1", 13, HIGH),
    Case("age 14 with one high indicator is medium", "B1", 14, MEDIUM),
    Case("age 13 with a possible high indicator is low", "B1?", 13, LOW),
    Case("unknown age applies no age rule", "B1", None, MEDIUM),
    # Rule 2: base tiers.
    Case("two high indicators are high", "B1 C2", 16, HIGH),
    Case("two medium indicators are medium", "E1 G3", 15, MEDIUM),
    Case("one medium indicator is low", "E1", 15, LOW),
    Case("one low indicator is low", "B4", 15, LOW),
    Case("a possible medium indicator is low", "E2?", 15, LOW),
    Case("two possible high indicators count as two mediums", "B1? C2?", 15, MEDIUM),
    Case("concern score of 12 reaches the high threshold", "B5 C6 C7 C8 D2 E1", 16, HIGH),
    Case("concern score below threshold stays medium", "B5 C6 C7", 16, MEDIUM),
    Case("nothing marked at 15 is none", "", 15, NONE),
    Case("not known counts as absent", "B1~ C2~", 15, NONE),
    # Rule 3: vulnerabilities.
    Case("vulnerabilities alone stay none", "H1 H2 H4 H5", 15, NONE),
    Case("three vulnerabilities raise low to medium", "B4 H1 H2 H4", 15, MEDIUM),
    Case("three vulnerabilities raise medium to high", "B1 H1 H2 H4", 15, HIGH),
    Case("two vulnerabilities do not raise", "B4 H1 H2", 15, LOW),
    Case("possible vulnerabilities do not raise", "B4 H1? H2? H4?", 15, LOW),
    # Rule 6: floors.
    Case("under 13 with nothing marked is medium", "", 12, MEDIUM),
    Case("under 13 with one low indicator is medium", "B4", 12, MEDIUM),
    Case("age 13 has no age floor", "B4", 13, LOW),
    Case("learning disability lifts low to medium", "B4", 16, MEDIUM, learning_disability=True),
    Case(
        "learning disability with nothing marked is medium",
        "",
        16,
        MEDIUM,
        learning_disability=True,
    ),
    Case("learning disability indicator H3 present is medium", "H3", 16, MEDIUM),
    Case("possible H3 does not trigger the floor", "H3?", 16, NONE),
    Case("floor does not lower a high result", "B1 C2", 10, HIGH),
]


@pytest.mark.parametrize("case", RULE_CASES, ids=[case.name for case in RULE_CASES])
def test_screening_rules(catalogue: Catalogue, case: Case) -> None:
    result = score(
        catalogue,
        marks(**case.statuses()),
        age_years=case.age,
        has_learning_disability=case.learning_disability,
    )
    assert result.level is case.expected, result.reasons
    assert result.computed_level is case.expected
    assert result.harm_indicated is case.harm


def test_child_aged_13_with_high_indicator_is_high(catalogue: Catalogue) -> None:
    result = score(catalogue, marks(C1=P), age_years=13)
    assert result.level is Level.HIGH
    assert "Child aged 13 with high-weight indicator C1: High" in result.reasons


def test_override_reason_and_harm_indicated(catalogue: Catalogue) -> None:
    result = score(catalogue, marks(A1=P), age_years=15)
    assert "Override indicator A1 present: High" in result.reasons
    assert result.harm_indicated


def test_child_under_13_floor_is_explained(catalogue: Catalogue) -> None:
    result = score(catalogue, [], age_years=12)
    assert "Child aged 12 is never below Medium" in result.reasons


def test_score_counts_present_in_full_and_possible_at_half_rounded_up(
    catalogue: Catalogue,
) -> None:
    # A1 present 3 + B1 possible 2 + E1 possible 1 + B4 possible 1 + H1 present 1 = 8
    result = score(catalogue, marks(A1=P, B1=Q, E1=Q, B4=Q, H1=P), age_years=15)
    assert result.score == 8


def test_vulnerabilities_do_not_count_towards_the_high_score_threshold(
    catalogue: Catalogue,
) -> None:
    # 5 x M = 10 concern points + 10 vulnerability points: Medium, raised once to High.
    statuses = dict.fromkeys(["B5", "C6", "C7", "C8", "D2"], P)
    statuses.update({f"H{i}": P for i in range(1, 11)})
    result = score(catalogue, marks(**statuses), age_years=16)
    assert result.score == 20
    assert result.level is Level.HIGH
    assert any("raised from Medium to High" in reason for reason in result.reasons)

    # Two vulnerabilities only: 10 concern points stay Medium.
    statuses = dict.fromkeys(["B5", "C6", "C7", "C8", "D2", "H1", "H2"], P)
    assert score(catalogue, marks(**statuses), age_years=16).level is Level.MEDIUM


def test_thresholds_come_from_the_catalogue(tmp_path: Path) -> None:
    data = minimal_data()
    data["thresholds"] = {"high_score": 3, "young_child_max_age": 10}
    custom = load_catalogue(write_yaml(tmp_path, data))
    # One H scores 3, which reaches the custom High threshold.
    assert score(custom, marks(B1=P), age_years=16).level is Level.HIGH
    data["thresholds"] = {"high_score": 99}
    custom = load_catalogue(write_yaml(tmp_path, data))
    assert score(custom, marks(B1=P), age_years=16).level is Level.MEDIUM


def test_strongest_mark_wins_when_a_code_is_marked_twice(catalogue: Catalogue) -> None:
    result = score(
        catalogue,
        [Mark("B1", Q), Mark("B1", P), Mark("B1", Status.NOT_KNOWN)],
        age_years=13,
    )
    assert result.level is Level.HIGH


def test_basis_is_recorded_but_does_not_change_the_level(catalogue: Catalogue) -> None:
    on_evidence = score(catalogue, [Mark("C2", P, Basis.EVIDENCE)], age_years=15)
    on_judgement = score(
        catalogue, [Mark("C2", P, Basis.PROFESSIONAL_JUDGEMENT, "seen twice")], age_years=15
    )
    assert on_evidence.level is on_judgement.level is Level.MEDIUM
    assert any("professional judgement: C2" in reason for reason in on_judgement.reasons)


def test_unknown_code_is_rejected(catalogue: Catalogue) -> None:
    with pytest.raises(KeyError, match="Z9"):
        score(catalogue, [Mark("Z9", P)], age_years=14)


def test_unknown_code_is_rejected_even_when_not_known(catalogue: Catalogue) -> None:
    with pytest.raises(KeyError, match="Q1"):
        score(catalogue, [Mark("Q1", Status.NOT_KNOWN)], age_years=14)


def test_negative_age_is_rejected(catalogue: Catalogue) -> None:
    with pytest.raises(ValueError, match="age_years"):
        score(catalogue, [], age_years=-1)


# ---------------------------------------------------------------------------------------------
# Property: more concern never lowers the level
# ---------------------------------------------------------------------------------------------

_STATUSES = st.sampled_from([Status.PRESENT, Status.POSSIBLE, Status.NOT_KNOWN, None])


@st.composite
def screenings(draw: st.DrawFn) -> tuple[dict[str, Status], int | None, bool, str, Status]:
    codes = load_catalogue().codes
    chosen = draw(st.lists(st.sampled_from(codes), unique=True, max_size=len(codes)))
    statuses = {code: draw(_STATUSES) for code in chosen}
    marked = {code: status for code, status in statuses.items() if status is not None}
    age = draw(st.one_of(st.none(), st.integers(min_value=8, max_value=17)))
    has_ld = draw(st.booleans())
    upgrade_code = draw(st.sampled_from(codes))
    upgrade_to = draw(st.sampled_from([Status.PRESENT, Status.POSSIBLE]))
    return marked, age, has_ld, upgrade_code, upgrade_to


_RANK = {None: 0, Status.NOT_KNOWN: 0, Status.POSSIBLE: 1, Status.PRESENT: 2}


@settings(max_examples=400, deadline=None)
@given(screenings())
def test_marking_one_more_indicator_never_lowers_the_level(
    case: tuple[dict[str, Status], int | None, bool, str, Status],
) -> None:
    catalogue = load_catalogue()
    before_marks, age, has_ld, code, new_status = case
    if _RANK[before_marks.get(code)] >= _RANK[new_status]:
        new_status = Status.PRESENT  # always an upgrade or no change
    after_marks = {**before_marks, code: new_status}

    before = score(catalogue, marks(**before_marks), age_years=age, has_learning_disability=has_ld)
    after = score(catalogue, marks(**after_marks), age_years=age, has_learning_disability=has_ld)

    assert after.level >= before.level, (before.reasons, after.reasons)
    assert after.score >= before.score
    assert after.harm_indicated >= before.harm_indicated


@settings(max_examples=200, deadline=None)
@given(screenings())
def test_result_invariants_hold(
    case: tuple[dict[str, Status], int | None, bool, str, Status],
) -> None:
    catalogue = load_catalogue()
    statuses, age, has_ld, _, _ = case
    result = score(catalogue, marks(**statuses), age_years=age, has_learning_disability=has_ld)
    assert result.level is result.computed_level
    if result.harm_indicated:
        assert result.level is Level.HIGH
    if has_ld or (age is not None and age < 13):
        assert result.level >= Level.MEDIUM
    concerns = [
        code
        for code, status in statuses.items()
        if status in (P, Q) and catalogue.by_code(code).weight is not Weight.VULNERABILITY
    ]
    ld_present = statuses.get("H3") is P
    if not concerns and not has_ld and not ld_present and (age is None or age >= 13):
        assert result.level is Level.NONE  # vulnerabilities never create risk alone


# ---------------------------------------------------------------------------------------------
# Practitioner override
# ---------------------------------------------------------------------------------------------


def test_practitioner_can_raise_the_level_with_a_reason(catalogue: Catalogue) -> None:
    computed = score(catalogue, marks(B4=P), age_years=15)
    raised = apply_override(computed, Level.HIGH, "Seen with adults at a known address")
    assert raised.level is Level.HIGH
    assert raised.computed_level is Level.LOW
    assert "Seen with adults at a known address" in raised.reasons[-1]
    assert computed.level is Level.LOW  # the original result is unchanged


def test_practitioner_cannot_lower_the_computed_level(catalogue: Catalogue) -> None:
    computed = score(catalogue, marks(B1=P), age_years=15)
    with pytest.raises(ValueError, match="cannot be lower than the computed level"):
        apply_override(computed, Level.LOW, "Seems fine to me")


def test_override_without_a_reason_is_refused() -> None:
    result = ScoreResult(Level.LOW, 1, (), False, Level.LOW)
    with pytest.raises(ValueError, match="reason"):
        apply_override(result, Level.HIGH, "   ")
    with pytest.raises(ValueError, match="reason"):
        apply_override(result, Level.HIGH, "")


def test_override_is_checked_against_the_computed_not_the_current_level() -> None:
    result = ScoreResult(Level.LOW, 1, (), False, Level.LOW)
    raised = apply_override(result, Level.HIGH, "New information from school")
    back = apply_override(raised, Level.MEDIUM, "Police information clarified")
    assert back.level is Level.MEDIUM
    with pytest.raises(ValueError, match="cannot be lower"):
        apply_override(raised, Level.NONE, "No longer worried")


# ---------------------------------------------------------------------------------------------
# Suggestions from narrative text
# ---------------------------------------------------------------------------------------------

NARRATIVE = (
    "Referral from Oakfield Academy about Jaylen Testperson (15). Staff report that Jaylen "
    "went missing on Friday and was reported missing by his foster carer. On Monday he was "
    "Picked Up in a silver car outside school by a man thought to be in his thirties. He has "
    "a new phone and new trainers that his carer cannot account for. His attendance has "
    "dropped since half term."
)


def test_suggestions_find_indicators_in_a_referral_narrative(catalogue: Catalogue) -> None:
    suggestions = suggest_indicators(catalogue, NARRATIVE)
    found = {s.code: s for s in suggestions}
    assert {"B1", "C2", "E1", "H1", "B5"} <= set(found)
    assert found["B1"].phrase == "went missing"
    assert found["C2"].phrase.lower().startswith("picked up in a silver car")
    assert NARRATIVE[found["C2"].start : found["C2"].end] == found["C2"].phrase
    assert found["E1"].phrase == "new phone"
    assert found["E1"].label == catalogue.by_code("E1").label
    # Ordered by position, one suggestion per indicator.
    assert [s.start for s in suggestions] == sorted(s.start for s in suggestions)
    assert len(found) == len(suggestions)
    # Nothing irrelevant is suggested for this text.
    assert not {"A1", "F1", "F2", "D1"} & set(found)


def test_suggestions_are_only_suggestions(catalogue: Catalogue) -> None:
    suggestions = suggest_indicators(catalogue, NARRATIVE)
    assert all(isinstance(s, Suggestion) for s in suggestions)
    # No marks are created: scoring with no marks is unaffected by the narrative.
    assert score(catalogue, [], age_years=15).level is Level.NONE


def test_suggestions_for_health_and_relationship_phrases(catalogue: Catalogue) -> None:
    text = (
        "Sexual health nurse says Mia Example (14) tested positive for Chlamydia and has an "
        "older boyfriend aged 24. She has an autism diagnosis and lives in a children's home."
    )
    found = {s.code for s in suggest_indicators(catalogue, text)}
    assert {"F1", "C1", "H3", "H1"} <= found


def test_empty_narrative_gives_no_suggestions(catalogue: Catalogue) -> None:
    assert suggest_indicators(catalogue, "") == []
    assert suggest_indicators(catalogue, "Nothing of note today.") == []


def test_suggestions_are_fast_on_a_long_narrative(catalogue: Catalogue) -> None:
    filler = "The family attended the review meeting and everyone was positive. "
    text = (filler * 800)[:49_900] + " She went missing overnight."
    assert len(text) >= 49_900
    start = time.perf_counter()
    suggestions = suggest_indicators(catalogue, text)
    elapsed = time.perf_counter() - start
    assert [s.code for s in suggestions] == ["B1"]
    assert elapsed < 1.0, f"took {elapsed:.3f}s"


def test_catalogue_built_in_code_is_validated_too() -> None:
    indicator = Indicator("X1", "X", "Label", Weight.HIGH, False, ("(",))
    with pytest.raises(ValueError, match="X1"):
        Catalogue("v", "t", (indicator,), {})


# One made-up sentence per indicator: each must be suggested by its own phrases.
EXAMPLE_SENTENCES = {
    "A1": "Last night she disclosed that she had been raped by a man at the flat.",
    "A2": "The 11-year-old told her teacher she had sex with an older boy.",
    "A3": "Staff believe she is being given vodka in exchange for sex.",
    "A4": "She says she was taken to a hotel in Leeds by two men.",
    "A5": "She reports being kept in a flat and they would not let her leave.",
    "B1": "She went missing on Saturday night.",
    "B2": "Police found her 80 miles away in a town where she has no known connection to the area.",
    "B3": "Her phone was switched off and she has not been seen since Monday.",
    "B4": "Mum says he is coming home late most nights.",
    "B5": "School report persistent truancy.",
    "C1": "She talks about her boyfriend, who is 24.",
    "C2": "She was seen getting into a black car outside school.",
    "C3": "She was seen near the bus station, a known hotspot.",
    "C4": "She spends evenings at the takeaway on Main Street.",
    "C5": "He is thought to be bringing other girls to the flat.",
    "C6": "Carers notice many calls from unknown numbers late at night.",
    "C7": "Her friends are known to be sexually exploited.",
    "C8": "She has been seen with older men in the park.",
    "D1": "An adult asked her to send pictures on Snapchat.",
    "D2": "She has been talking to people she met online.",
    "E1": "She has a new phone and cash she cannot explain.",
    "E2": "She came home drunk and smelling of cannabis.",
    "F1": "Sexual health clinic confirmed an STI.",
    "F2": "She is 14 weeks pregnant.",
    "F3": "School noticed bruising on her arms.",
    "F4": "He has been self-harming.",
    "F5": "She has lost a lot of weight.",
    "F6": "Previous records describe her as sexually active.",
    "G1": "She later retracted her statement.",
    "G2": "She becomes aggressive when she is asked about the men.",
    "G3": "Teachers report a sudden change in her behaviour.",
    "G4": "He was arrested for shoplifting with two adults.",
    "G5": "She has stopped going to her dance club.",
    "G6": "Staff are concerned about sexualised language.",
    "H1": "She is a looked after child placed in a children's home.",
    "H2": "There is a history of neglect.",
    "H3": "She has a learning disability.",
    "H4": "There is domestic abuse at home.",
    "H5": "He has been sofa surfing.",
    "H6": "Her father died last year.",
    "H7": "She has low self-esteem.",
    "H8": "He is an unaccompanied asylum-seeking child.",
    "H9": "She is questioning her sexuality.",
    "H10": "Her brother is involved in county lines.",
}


def test_every_indicator_has_an_example_sentence() -> None:
    assert list(EXAMPLE_SENTENCES) == EXPECTED_CODES


@pytest.mark.parametrize(("code", "sentence"), EXAMPLE_SENTENCES.items())
def test_each_indicator_is_suggested_by_a_typical_sentence(
    catalogue: Catalogue, code: str, sentence: str
) -> None:
    assert code in {s.code for s in suggest_indicators(catalogue, sentence)}


def _reference_first_matches(catalogue: Catalogue, text: str) -> dict[str, int]:
    """Plain case-insensitive search of each indicator's phrases, for comparison."""
    found: dict[str, int] = {}
    for indicator in catalogue.indicators:
        pattern = re.compile("|".join(f"(?:{p})" for p in indicator.phrases), re.IGNORECASE)
        for match in pattern.finditer(text):
            if match.end() > match.start():
                found[indicator.code] = match.start()
                break
    return found


@pytest.mark.parametrize(
    "text",
    [
        NARRATIVE,
        NARRATIVE.upper(),
        " ".join(EXAMPLE_SENTENCES.values()),
        "İstanbul trip: she WENT MISSING and came back with a New Phone. Straße ß.",
        "unmissing, wentmissing, reported_missing, xsti, sti_x, STIs and a hotel",
    ],
    ids=["narrative", "upper-case", "all-examples", "unicode", "word-boundaries"],
)
def test_fast_matching_agrees_with_a_plain_case_insensitive_search(
    catalogue: Catalogue, text: str
) -> None:
    fast = {s.code: s.start for s in suggest_indicators(catalogue, text)}
    assert fast == _reference_first_matches(catalogue, text)


def test_matches_extend_to_the_end_of_the_word(catalogue: Catalogue) -> None:
    found = {s.code: s.phrase for s in suggest_indicators(catalogue, "She is Pregnant.")}
    assert found == {"F2": "Pregnant"}


def test_catalogue_with_upper_case_phrase_is_rejected(tmp_path: Path) -> None:
    data = minimal_data()
    data["indicators"] = [
        {"code": "B1", "category": "B", "label": "One", "weight": "H", "phrases": ["Missing"]}
    ]
    with pytest.raises(ValueError, match="must be lowercase"):
        load_catalogue(write_yaml(tmp_path, data))


def test_upper_case_escapes_are_allowed_in_phrases(tmp_path: Path) -> None:
    data = minimal_data()
    data["indicators"] = [
        {"code": "B1", "category": "B", "label": "One", "weight": "H", "phrases": [r"miss\S*"]}
    ]
    custom = load_catalogue(write_yaml(tmp_path, data))
    assert [s.phrase for s in suggest_indicators(custom, "MISSING!")] == ["MISSING!"]

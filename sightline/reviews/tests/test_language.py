"""The language checker: phrases, inflections, context and the data file's validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from sightline.reviews.language import MAX_CHARS, age_near, check_text, load_language


def phrases(text: str, **context: object) -> list[str]:
    return [f.phrase for f in check_text(text, **context)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "She made her own choices about going out.",
        "He is making his own decisions.",
        "It was a lifestyle choice.",
        "These are lifestyle choices.",
        "She consented.",
        "It was consensual.",
        "She is promiscuous.",
        "A child prostitute.",
        "She is putting herself at risk.",
        "He puts himself in dangerous situations.",
        "She is very streetwise.",
        "She is street-wise.",
        "Offering sex for drugs.",
        "Sexting with an older man.",
        "She keeps going missing.",
        "He absconded from placement.",
        "She is disengaged and hard to reach.",
        "He is a gang member.",
        "This is historical abuse.",
        "Her older boyfriend collects her.",
        "Child pornography was found.",
        "He became involved in county lines.",
        "She has been contacting older men online.",
    ],
)
def test_each_listed_phrase_and_its_inflections_are_flagged(text: str) -> None:
    assert check_text(text), text


@pytest.mark.parametrize(
    "text",
    [
        "She could not consent; coercion and control are suspected.",
        "Mum consented to the referral and to information sharing.",
        "The risks associated with the park were discussed.",
        "The child is being sexually exploited by adults.",
        "Partner agencies met on Tuesday.",
        "",
    ],
)
def test_what_guidance_prefers_is_not_flagged(text: str) -> None:
    assert check_text(text) == []


def test_flag_carries_offsets_category_reason_and_alternatives() -> None:
    text = "Worker notes she is making her own choices."
    [flag] = check_text(text)
    assert text[flag.start : flag.end] == flag.phrase == "making her own choices"
    assert flag.category == "blames_child"
    assert "exploited" in " ".join(flag.alternatives)
    assert flag.why and flag.code == "L02"


def test_boyfriend_about_a_peer_is_not_flagged() -> None:
    assert phrases("Her boyfriend walked her home.", child_age=14, about_person_age=15) == []
    assert phrases("Her boyfriend (15) walked her home.", child_age=14) == []


def test_boyfriend_about_an_adult_person_of_concern_is_flagged() -> None:
    text = "Her boyfriend walked her home."
    assert phrases(text, child_age=14, about_person_age=27, about_person_of_concern=True) == [
        "boyfriend"
    ]
    assert phrases(text, child_age=14, about_person_age=27) == ["boyfriend"]


@pytest.mark.parametrize(
    "text",
    [
        "Seen with her boyfriend (27) at the takeaway.",
        "Seen with her boyfriend, aged 27, at the takeaway.",
        "Seen with her boyfriend who is 27.",
        "Seen with her 27-year-old boyfriend.",
    ],
)
def test_an_adult_age_written_next_to_boyfriend_flags_it(text: str) -> None:
    assert phrases(text, child_age=14) == ["boyfriend"]


def test_a_peer_age_written_next_to_boyfriend_does_not_flag_it() -> None:
    assert phrases("Her boyfriend, aged 15, is in her class.", child_age=14) == []


def test_a_much_older_teenager_is_not_a_peer() -> None:
    assert phrases("Her boyfriend (17) drives her about.", child_age=13) == ["boyfriend"]


def test_age_near_ignores_durations() -> None:
    text = "boyfriend who she met 2 years ago"
    assert age_near(text, 0, 9) is None
    assert age_near("boyfriend is 5 minutes away", 0, 9) is None


def test_sexually_active_is_flagged_for_a_child_under_13_only() -> None:
    assert phrases("She is sexually active.", child_age=12) == ["sexually active"]
    assert phrases("She is sexually active.", child_age=15) == []
    assert phrases("She is sexually active.") == ["sexually active"]  # age unknown


def test_at_risk_of_cse_is_flagged_only_when_harm_is_recorded() -> None:
    assert phrases("She is at risk of CSE.") == []
    assert phrases("She was raped last month and is at risk of CSE.") == ["at risk of CSE"]


def test_the_childs_own_words_in_quotation_marks_are_not_flagged() -> None:
    assert phrases('She said "he is my boyfriend" and laughed.') == []
    assert phrases("She said \u201che is my boyfriend\u201d.") == []


def test_a_record_about_an_adult_is_not_checked() -> None:
    assert phrases("She made her own choices.", child_age=19) == []


def test_overlapping_matches_keep_the_longer_one() -> None:
    assert phrases("She is a child prostitute.") == ["child prostitute"]


def test_the_longest_text_accepted_is_checked_whole() -> None:
    filler = "Ordinary words about the school day. "
    text = (filler * (MAX_CHARS // len(filler)))[: MAX_CHARS - 40] + " She made her own choices."
    assert len(text) <= MAX_CHARS
    flags = check_text(text)
    assert [f.phrase for f in flags] == ["made her own choices"]
    assert flags[0].start > MAX_CHARS - 60


def test_the_shipped_list_covers_the_practice_reference() -> None:
    language = load_language()
    assert language.version
    assert len(language.entries) >= 25
    assert {e.category for e in language.entries} == set(language.categories)


def test_a_malformed_list_is_refused_with_the_file_named(tmp_path: Path) -> None:
    bad = tmp_path / "language.yaml"
    bad.write_text(
        'version: "1"\ntitle: "t"\ncategories: [{code: a, name: A}]\n'
        "phrases:\n  - {code: X, phrase: p, category: b, why: w, alternatives: [x], "
        "patterns: ['x']}\n"
    )
    with pytest.raises(ValueError, match=r"language.yaml: phrase X: unknown category"):
        load_language(bad)
    bad.write_text(
        'version: "1"\ntitle: "t"\ncategories: [{code: a, name: A}]\n'
        "phrases:\n  - {code: X, phrase: p, category: a, why: w, alternatives: [x], "
        "patterns: ['(']}\n"
    )
    with pytest.raises(ValueError, match="not a valid regular expression"):
        load_language(bad)

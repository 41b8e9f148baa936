from __future__ import annotations

import pytest

from sightline.intel.normalise import (
    given_names_equivalent,
    normalise_phone,
    normalise_plate,
    read_narrative,
    split_name,
)
from sightline.intel.resolution import (
    CONTEXT_CAP,
    HIGH_CONFIDENCE,
    PersonFeatures,
    Profile,
    compare,
    description_details,
    with_context,
)


def profile_of(**kwargs: object) -> Profile:
    p = Profile()
    p.add(PersonFeatures.from_named(year=2025, **kwargs))  # type: ignore[arg-type]
    return p


@pytest.mark.parametrize(
    "written",
    [
        "07700 900331",
        "07700900331",
        "+44 7700 900331",
        "+447700900331",
        "0044 7700 900331",
        "+44 (0)7700 900331",
    ],
)
def test_uk_phone_numbers_in_any_format_normalise_to_e164(written: str) -> None:
    assert normalise_phone(written) == "+447700900331"


@pytest.mark.parametrize("written", ["12345", "0800", "", "943 476 5919"])
def test_short_or_impossible_numbers_are_not_phones(written: str) -> None:
    assert normalise_phone(written) == ""


@pytest.mark.parametrize(
    ("written", "value", "partial", "anchor"),
    [
        ("AB12 CDE", "AB12CDE", False, "full"),
        ("ab12cde", "AB12CDE", False, "full"),
        ("A123 BCD", "A123BCD", False, "full"),
        ("ABC 123D", "ABC123D", False, "full"),
        ("AB12", "AB12", True, "start"),
        ("…CDE", "CDE", True, "end"),
        ("CDE", "CDE", True, "end"),
    ],
)
def test_registrations_current_older_and_partial(
    written: str, value: str, partial: bool, anchor: str
) -> None:
    plate = normalise_plate(written)
    assert plate is not None
    assert (plate.value, plate.is_partial, plate.anchor) == (value, partial, anchor)


def test_partial_plate_matches_full_plate_from_either_end() -> None:
    start, end = normalise_plate("YS09"), normalise_plate("…RPO")
    assert start is not None and end is not None
    assert start.matches("YS09RPO") and end.matches("YS09RPO")
    assert not end.matches("YS09RPA")


def test_nickname_table_knows_short_forms_and_spellings() -> None:
    assert given_names_equivalent("Steven", "Steve")
    assert given_names_equivalent("Bryan", "Brian")
    assert given_names_equivalent("Mohammed", "Muhammad")
    assert not given_names_equivalent("Brian", "Bradley")


def test_initial_and_surname_are_read() -> None:
    parts = split_name("B. Berry")
    assert (parts.given, parts.family, parts.initial) == ("", "berry", "b")


def test_spelling_variant_of_first_name_and_surname_typo_still_match() -> None:
    known = profile_of(name="Brian Berry", approximate_age=24)
    mention = PersonFeatures.from_named(name="Bryan Bery", approximate_age=26, year=2025)
    result = compare(mention, known)
    assert result.score >= HIGH_CONFIDENCE
    assert "similar name (spelling or short form)" in result.reasons


def test_same_phone_in_another_format_is_strong_evidence() -> None:
    known = profile_of(name="Eric Richards", phone="07700 900331")
    result = compare(PersonFeatures.from_named(nickname="Tank", phone="+447700900331"), known)
    assert result.score >= HIGH_CONFIDENCE
    assert "same phone number" in result.reasons


def test_nickname_alone_links_but_a_different_name_and_age_do_not() -> None:
    known = profile_of(nickname="Uncle B", name="Bradley Mitchell", approximate_age=38)
    assert compare(PersonFeatures.from_named(nickname="uncleb"), known).score >= HIGH_CONFIDENCE
    other = PersonFeatures.from_named(name="Gareth Jones", approximate_age=60, year=2025)
    assert compare(other, known).score < 0.3


def test_partial_plate_is_a_reason_not_a_link_by_itself() -> None:
    known = profile_of(vehicle_registration="YS09 RPO")
    result = compare(PersonFeatures.from_named(vehicle_registration="…RPO"), known)
    assert "partial registration fits a known vehicle" in result.reasons
    assert result.score < HIGH_CONFIDENCE


def test_partial_plate_with_the_same_first_name_links() -> None:
    known = profile_of(name="Marian Long", vehicle_registration="PL17 BFT")
    result = compare(PersonFeatures.from_named(name="Marian", vehicle_registration="…BFT"), known)
    assert {"partial registration fits a known vehicle", "same first name"} <= set(result.reasons)
    assert result.score >= HIGH_CONFIDENCE
    # the same partial plate with another first name does not
    other = PersonFeatures.from_named(name="Gordon", vehicle_registration="…BFT")
    assert compare(other, known).score < HIGH_CONFIDENCE


def test_initial_nickname_fits_a_first_name_on_either_side() -> None:
    with_nickname = profile_of(name="Graeme", nickname="Big G")
    named = PersonFeatures.from_named(name="Graham Ahmed")
    assert "nickname fits the first name" in compare(named, with_nickname).reasons
    with_name = profile_of(name="Graham Ahmed")
    nicknamed = PersonFeatures.from_named(name="Graeme", nickname="Big G")
    assert "nickname fits the first name" in compare(nicknamed, with_name).reasons
    stranger = PersonFeatures.from_named(name="Graeme", nickname="Big T")
    assert "nickname fits the first name" not in compare(stranger, with_name).reasons


def test_a_surname_nobody_else_has_strengthens_initial_or_typo_but_not_a_different_name() -> None:
    known = profile_of(name="Bruce Atkinson", approximate_age=28)
    mention = PersonFeatures.from_named(name="B. Atkinsson", approximate_age=26, year=2025)
    common = compare(mention, known)
    rare = compare(mention, known, rare_surname=True)
    assert common.score < HIGH_CONFIDENCE <= rare.score
    assert "nobody else on record has this surname" in rare.reasons
    brother = PersonFeatures.from_named(name="Carl Atkinson", approximate_age=26, year=2025)
    assert compare(brother, known, rare_surname=True).score < HIGH_CONFIDENCE


def test_initial_and_a_surname_nobody_else_has_link_on_their_own() -> None:
    # "B. Taylor" when the only Taylor on record is Brett Taylor: probable, with both reasons
    known = profile_of(name="Brett Taylor", approximate_age=30)
    mention = PersonFeatures.from_named(name="B. Taylor")
    rare = compare(mention, known, rare_surname=True)
    assert rare.score >= HIGH_CONFIDENCE
    assert {"same surname and initial", "nobody else on record has this surname"} <= set(
        rare.reasons
    )
    # with a second Taylor on record the same words are only a candidate
    assert compare(mention, known).score < HIGH_CONFIDENCE
    # another initial on the rare surname is no link at all
    assert compare(PersonFeatures.from_named(name="D. Taylor"), known, rare_surname=True).score < (
        HIGH_CONFIDENCE
    )


def test_same_first_name_and_a_surname_one_letter_out_links() -> None:
    known = profile_of(name="Carly Wash")
    for written in ("Carly Walsh", "Carly Wahs", "Carly Wasch"):
        result = compare(PersonFeatures.from_named(name=written), known)
        assert result.score >= HIGH_CONFIDENCE, written
        assert "same name, surname one letter different" in result.reasons
    # a short form of the first name with the same slip needs something more
    assert (
        compare(
            PersonFeatures.from_named(name="Chris Walsh"), profile_of(name="Christopher Wash")
        ).score
        < HIGH_CONFIDENCE
    )
    # two letters out is not the same surname
    far = compare(PersonFeatures.from_named(name="Carly Welsch"), known)
    assert "same name, surname one letter different" not in far.reasons
    assert far.score < HIGH_CONFIDENCE


def test_description_details_that_agree_count_more_than_shared_words() -> None:
    assert description_details("curly black hair, tall and thin; Baseball cap.") == {
        "curly black hair",
        "tall",
        "thin",
        "baseball cap",
    }
    known = profile_of(name="D. Smith", description="leather jacket, long painted nails")
    two = compare(
        PersonFeatures.from_named(
            name="Diane Smith", description="long painted nails, leather jacket"
        ),
        known,
    )
    assert "two or more details of the description agree" in two.reasons
    # the same words in one detail are only "similar"
    one = compare(
        PersonFeatures.from_named(name="Diane Smith", description="long leather jacket"), known
    )
    assert "similar description" in one.reasons
    assert two.score == round(one.score + 0.1, 3)


def test_co_mentioned_context_raises_a_weak_name_to_a_link_with_its_reason() -> None:
    known = profile_of(name="Brett Taylor", approximate_age=30)
    own = compare(PersonFeatures.from_named(name="B. Taylor"), known)
    assert own.score < HIGH_CONFIDENCE
    raised = with_context(own, frozenset({"child"}))
    assert raised.score >= HIGH_CONFIDENCE
    assert "already linked to a child on this referral" in raised.reasons
    # a vehicle named with it on another referral adds less than the child does
    assert with_context(own, frozenset({"vehicle"})).score < HIGH_CONFIDENCE
    # all the context there is adds at most CONTEXT_CAP
    everything = with_context(own, frozenset({"child", "vehicle", "phone", "person"}))
    assert everything.score == round(own.score + CONTEXT_CAP, 3)


def test_co_mentioned_context_never_links_alone_or_against_a_conflict() -> None:
    known = profile_of(name="Brett Taylor", approximate_age=30, description="ginger hair, tall")
    # nothing that identifies: a description and an age only
    vague = compare(
        PersonFeatures.from_named(description="ginger hair, tall", approximate_age=31, year=2025),
        known,
    )
    assert with_context(vague, frozenset({"child", "vehicle"})) == vague
    # a different first name on the same surname
    other = compare(PersonFeatures.from_named(name="Carl Taylor"), known)
    assert "same surname, different first name" in other.reasons
    assert with_context(other, frozenset({"child", "vehicle"})) == other
    # a place is already scored by compare; an unknown kind adds nothing
    weak = compare(PersonFeatures.from_named(name="B. Taylor"), known)
    assert with_context(weak, frozenset({"place"})) == weak


def test_narrative_is_read_for_registrations_phones_postcodes_and_handles() -> None:
    text = (
        "He drives a silver Audi, registration KX19 LMN; the plate was partially noted as "
        "…QRT. Messages come from 07700 900123 and from @dark_knight on Snapchat. She was "
        "seen near NB4 7QX."
    )
    found = {(f.kind, f.value) for f in read_narrative(text)}
    assert ("vehicle", "KX19LMN") in found
    assert ("vehicle", "…QRT") in found
    assert ("phone", "+447700900123") in found
    assert ("postcode", "NB47QX") in found
    assert ("handle", "dark_knight") in found
    assert not any(k == "vehicle" and v == "NB47QX" for k, v in found)


def test_international_and_zero_less_numbers_are_read_with_phonenumbers() -> None:
    assert normalise_phone("+33 6 12 34 56 78") == "+33612345678"
    assert normalise_phone("7700 900123") == normalise_phone("07700-900-123") == "+447700900123"
    assert normalise_phone("0044 7700 900123") == "+447700900123"

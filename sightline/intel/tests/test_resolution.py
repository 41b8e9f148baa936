from __future__ import annotations

from typing import Any

import pytest

from sightline.intel.keys import person_keys, search_keys
from sightline.intel.normalise import (
    given_names_equivalent,
    normalise_phone,
    normalise_plate,
    read_narrative,
    split_name,
)
from sightline.intel.resolution import (
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


@pytest.mark.parametrize(
    ("written", "given", "family", "parts"),
    [
        ("ATTWELL-BOATENG Kwame", "kwame", "attwellboateng", ("attwell", "boateng")),
        ("Attwell-Boateng, Kwame", "kwame", "attwellboateng", ("attwell", "boateng")),
        ("Mr Attwell-Boateng", "", "attwellboateng", ("attwell", "boateng")),
        ("WALSH Jay", "jay", "walsh", ()),
        ("Mr Walsh", "", "walsh", ()),
        ("Piet van der Berg", "piet", "vanderberg", ("berg",)),
    ],
)
def test_names_in_every_order_and_with_titles_are_parsed(
    written: str, given: str, family: str, parts: tuple[str, ...]
) -> None:
    found = split_name(written)
    assert (found.given, found.family, found.family_parts) == (given, family, parts)


def test_spelling_variant_of_first_name_and_surname_typo_still_match() -> None:
    known = profile_of(name="Stephen Welsh", approximate_age=30)
    result = compare(
        PersonFeatures.from_named(name="Steve Walsh", approximate_age=31, year=2025), known
    )
    assert result.score >= HIGH_CONFIDENCE
    assert result.levels["first_name"] == "variant"
    assert result.levels["surname"] == "similar"


def test_every_score_is_a_probability_with_its_contributions() -> None:
    known = profile_of(name="Jay Walsh", phone="07700 900331")
    result = compare(PersonFeatures.from_named(name="Jay Walsh", phone="7700900331"), known)
    assert 0.0 <= result.score <= 1.0
    weights = {c.comparison: c.weight for c in result.contributions}
    assert set(weights) == {"first_name", "surname", "phone"}
    assert all(w > 0 for w in weights.values())
    assert result.explanation()[0].keys() >= {"comparison", "level", "weight"}


def test_same_phone_in_another_format_is_strong_evidence() -> None:
    known = profile_of(name="Tony Ashdown", phone="07700 900331")
    result = compare(PersonFeatures.from_named(nickname="Tank", phone="+447700900331"), known)
    assert result.score >= HIGH_CONFIDENCE
    assert "same phone number" in result.reasons


def test_a_phone_many_unrelated_people_give_is_not_strong_evidence() -> None:
    known = profile_of(name="Tony Ashdown", phone="07700 900331")
    mention = PersonFeatures.from_named(nickname="Tank", phone="07700 900331")
    generic = compare(mention, known, generic=frozenset({"+447700900331"}))
    assert generic.levels["phone"] == "generic"
    assert generic.score < HIGH_CONFIDENCE
    assert "many unrelated people" in " ".join(generic.reasons)


def test_a_first_name_no_table_relates_weighs_less_when_the_phone_agrees() -> None:
    known = profile_of(name="Kwame Boateng", phone="07700 900331")
    alone = compare(PersonFeatures.from_named(name="Kobby Boateng"), known)
    with_phone = compare(
        PersonFeatures.from_named(name="Kobby Boateng", phone="07700 900331"), known
    )
    damped = {c.comparison: c.weight for c in with_phone.contributions}["first_name"]
    plain = {c.comparison: c.weight for c in alone.contributions}["first_name"]
    assert plain < damped < 0
    assert with_phone.score >= HIGH_CONFIDENCE


def test_nickname_alone_links_but_a_different_name_and_age_do_not() -> None:
    known = profile_of(name="Brian Cole", nickname="Uncle B", approximate_age=40)
    assert compare(PersonFeatures.from_named(nickname="uncleb"), known).score >= HIGH_CONFIDENCE
    other = PersonFeatures.from_named(name="Kevin Marsh", approximate_age=19, year=2025)
    assert compare(other, known).score < 0.05


def test_partial_plate_in_words_and_misread_plates_fit_a_known_vehicle() -> None:
    known = profile_of(name="Marian Hale", vehicle_registration="EC51 KDA")
    for written in ("starts EC51", "ends in KDA", "first part EC51"):
        result = compare(PersonFeatures.from_named(vehicle_registration=written), known)
        assert result.levels["plate"] == "partial", written
    misread = compare(PersonFeatures.from_named(vehicle_registration="EC5I KDA"), known)
    exact = compare(PersonFeatures.from_named(vehicle_registration="EC51 KDA"), known)
    assert misread.levels["plate"] == "confusable"
    assert misread.score < exact.score


def test_partial_plate_with_a_different_name_does_not_link() -> None:
    known = profile_of(name="Marian Hale", vehicle_registration="YS09 BFT")
    other = PersonFeatures.from_named(name="Gordon Pike", vehicle_registration="…BFT")
    assert compare(other, known).score < HIGH_CONFIDENCE


def test_initial_nickname_fits_a_first_name_on_either_side() -> None:
    with_nickname = profile_of(nickname="Big G")
    named = PersonFeatures.from_named(name="Gary Lowe")
    assert compare(named, with_nickname).levels.get("nickname") == "fits_initial"
    with_name = profile_of(name="Gary Lowe")
    nicknamed = PersonFeatures.from_named(nickname="Big G")
    assert compare(nicknamed, with_name).levels.get("nickname") == "fits_initial"


def test_a_rare_surname_weighs_more_than_a_common_one() -> None:
    rare_known = profile_of(name="Brett Oyelaran")
    common_known = profile_of(name="Brett Smith")
    rare = compare(PersonFeatures.from_named(name="B. Oyelaran"), rare_known, rare_surname=True)
    common = compare(PersonFeatures.from_named(name="B. Smith"), common_known)
    assert rare.score > common.score
    assert "nobody else on record" in " ".join(rare.reasons)


def test_different_first_names_of_one_surname_do_not_link() -> None:
    known = profile_of(name="Brett Taylor", approximate_age=35)
    brother = PersonFeatures.from_named(name="Carl Taylor", approximate_age=33, year=2025)
    assert compare(brother, known, rare_surname=True).score < HIGH_CONFIDENCE


def test_same_first_name_and_a_surname_one_letter_out_links() -> None:
    known = profile_of(name="Carly Walsh")
    for written in ("Carly Wash", "Carly Walsch", "Carly Wlash"):
        result = compare(PersonFeatures.from_named(name=written), known)
        assert result.score >= HIGH_CONFIDENCE, written
        assert result.levels["surname"] == "similar"


def test_description_details_that_agree_count_more_than_shared_words() -> None:
    assert description_details("curly black hair, tall and thin; Baseball cap.") == {
        "curly black hair",
        "tall",
        "thin",
        "baseball cap",
    }
    known = profile_of(description="curly black hair, baseball cap")
    two = compare(PersonFeatures.from_named(description="baseball cap; curly black hair"), known)
    assert two.levels["description"] == "details"


def test_co_mentioned_context_raises_a_name_with_its_reason() -> None:
    known = profile_of(name="Brett Taylor")
    own = compare(PersonFeatures.from_named(name="B. Taylor"), known)
    raised = with_context(own, frozenset({"child"}))
    assert raised.score > own.score
    assert "already linked to a child on this record" in raised.reasons
    assert ("context", "child") in {(c.comparison, c.level) for c in raised.contributions}


def test_co_mentioned_context_never_links_alone_or_against_a_conflict() -> None:
    known = profile_of(name="Brett Taylor", description="tall, beard")
    vague = compare(PersonFeatures.from_named(description="tall, beard"), known)
    assert with_context(vague, frozenset({"child", "vehicle"})) == vague
    other = compare(PersonFeatures.from_named(name="Carl Taylor"), known)
    assert other.levels["first_name"] == "different"
    assert with_context(other, frozenset({"child", "vehicle"})) == other


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


def _keys_meet(earlier: dict[str, Any], later: dict[str, Any]) -> bool:
    """Whether a later mention's search keys find a person made by the earlier mention."""
    stored = set(person_keys(PersonFeatures.from_named(year=2025, **earlier)))
    return bool(stored & set(search_keys(PersonFeatures.from_named(year=2025, **later))))


def test_a_full_name_finds_the_person_first_named_by_the_first_name_alone() -> None:
    first = {"name": "Ikechukwu", "approximate_age": 37}
    assert _keys_meet(first, {"name": "Ikechukwu Armstrong-Adebayo", "approximate_age": 40})
    assert not _keys_meet(first, {"name": "Chidi Armstrong-Adebayo", "approximate_age": 40})
    # a full name is stored under no first-name-alone key: "John Smith" is not found by the
    # first name of every "John ..." on record
    assert not any(
        k.startswith("gvo:")
        for k in person_keys(PersonFeatures.from_named(name="Ikechukwu Okafor"))
    )


def test_a_partial_plate_finds_a_full_plate_written_with_a_misread_character() -> None:
    first = {"name": "Mr Jones", "vehicle_registration": "EMI3 TYM"}
    assert _keys_meet(first, {"name": "Trevor", "vehicle_registration": "ends TYM"})
    assert _keys_meet(first, {"name": "Trevor", "vehicle_registration": "starts EM13"})
    assert not _keys_meet(first, {"name": "Trevor", "vehicle_registration": "ends TYN"})

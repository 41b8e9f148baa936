"""Tests for the synthetic borough generator (pure Python: no database)."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, timedelta
from pathlib import Path
from typing import Any

import pytest

from sightline.demo.generator import (
    AGENCY_KINDS,
    CONCERN_CATEGORIES,
    LONDON,
    PLACE_KINDS,
    ROLES,
    Borough,
    PersonNamed,
    ReferralSpec,
    age_on,
    cin_source_code_for,
    generate_borough,
    nhs_number_is_valid,
    write_truth,
)
from sightline.demo.generator.writing import NAME_STYLES, PHONE_STYLES, PLATE_STYLES

# Victim-blaming phrases from the appropriate language guide (practice.md section 5).
BANNED_PHRASES = (
    "child prostitute",
    "child prostitution",
    "consensual",
    "consented",
    "lifestyle choice",
    "making their own choices",
    "making her own choices",
    "making his own choices",
    "putting herself at risk",
    "putting himself at risk",
    "putting themselves at risk",
    "placing herself",
    "placing himself",
    "sexually active",
    "promiscuous",
    "risky choices",
    "poor decisions",
    "sex worker",
    "child pornography",
    "absconding",
    "keeps going missing",
    "hard to reach",
    "refuses services",
    "in a relationship with",
    "recruited",
)
POSTCODE = re.compile(r"^NB[1-9] [0-9][ABD-HJLNP-UW-Z]{2}$")
REGISTRATION = re.compile(r"^[A-Z]{2}[0-9]{2} [A-Z]{3}$")


@pytest.fixture(scope="module")
def borough() -> Borough:
    return generate_borough(children=600, years=3, seed=11)


@pytest.fixture(scope="module")
def referrals_by_key(borough: Borough) -> dict[str, ReferralSpec]:
    return {r.key: r for r in borough.referrals}


@pytest.fixture(scope="module")
def mention_index(borough: Borough) -> dict[str, tuple[ReferralSpec, PersonNamed | None]]:
    index: dict[str, tuple[ReferralSpec, PersonNamed | None]] = {}
    for referral in borough.referrals:
        for person in referral.persons_named:
            index[person.mention_key] = (referral, person)
        for place in referral.places_named:
            index[place.mention_key] = (referral, None)
    return index


def _digits(phone: str) -> str:
    """07700 900123 from any way of writing it (+44 (0)7700 ..., 0044 7700 ..., 7700 ...)."""
    digits = re.sub(r"\D", "", phone).removeprefix("00").removeprefix("44")
    return digits if digits.startswith("0") else "0" + digits


_UNCONFUSED = str.maketrans("0158", "OISB")


def _plate_core(written: str) -> str:
    """The characters a written registration gives, with 0/O, 1/I, 5/S and 8/B made one."""
    core = re.sub(r"^(starts|begins|ends in|ends)\s+", "", written).lstrip("\u2026")
    return core.replace(" ", "").upper().translate(_UNCONFUSED)


# ---- determinism and volume ------------------------------------------------------------------


def test_same_seed_gives_an_equal_borough() -> None:
    first = generate_borough(children=120, years=2, seed=5)
    second = generate_borough(children=120, years=2, seed=5)
    assert first == second
    assert json.dumps(first.truth, sort_keys=True) == json.dumps(second.truth, sort_keys=True)


def test_different_seed_gives_a_different_borough() -> None:
    first = generate_borough(children=120, years=2, seed=5)
    second = generate_borough(children=120, years=2, seed=6)
    assert first != second
    assert [c.given_name for c in first.children] != [c.given_name for c in second.children]
    assert [r.narrative for r in first.referrals] != [r.narrative for r in second.referrals]


def test_referral_count_scales_with_children() -> None:
    """About 2 referrals per child (documented range 1.6 to 2.5)."""
    result = generate_borough(children=500, years=2, seed=3)
    assert len(result.children) == 500
    assert 800 <= len(result.referrals) <= 1250
    assert result.truth["counts"]["referrals"] == len(result.referrals)


def test_referrals_are_sorted_keyed_in_order_and_within_the_period(borough: Borough) -> None:
    times = [r.received_at for r in borough.referrals]
    assert times == sorted(times)
    assert [r.key for r in borough.referrals] == [
        f"R{i:07d}" for i in range(1, len(borough.referrals) + 1)
    ]
    start = date(2023, 11, 1)
    for referral in borough.referrals:
        local_day = referral.received_at.astimezone(LONDON).date()
        assert start - timedelta(days=3) <= local_day <= date(2026, 10, 31)


def test_timestamps_are_timezone_aware_utc(borough: Borough) -> None:
    for referral in borough.referrals:
        assert referral.received_at.tzinfo is UTC
        assert referral.received_at.utcoffset() == timedelta(0)


def test_most_referrals_arrive_in_office_hours_and_some_out_of_hours(borough: Borough) -> None:
    local = [r.received_at.astimezone(LONDON) for r in borough.referrals]
    in_hours = [t for t in local if t.weekday() < 5 and (8, 30) <= (t.hour, t.minute) <= (17, 30)]
    share = len(in_hours) / len(local)
    assert 0.65 < share < 0.95


# ---- agencies, staff, children ---------------------------------------------------------------


def test_one_agency_of_each_kind_with_cin_source_codes(borough: Borough) -> None:
    assert [a.key for a in borough.agencies] == list(AGENCY_KINDS)
    codes = {a.key: a.cin_source_code for a in borough.agencies}
    assert codes == {
        "csc": "5A",
        "police": "6",
        "health": "3F",
        "education": "2A",
        "youth-justice": "5B",
        "prosecution": "7",
        "housing": "4",
        "voluntary": "8",
        "other": "10",
    }
    assert all(a.kind == a.key for a in borough.agencies)
    gp_teams = [t for t in borough.teams if t.kind == "gp_practice"]
    assert gp_teams
    assert all(cin_source_code_for("health", t.name) == "3A" for t in gp_teams)


def test_staff_cover_every_role_and_every_agency_refers(borough: Borough) -> None:
    roles = {s.role for s in borough.staff}
    assert roles == set(ROLES)
    referrer_agencies = {s.agency_key for s in borough.staff if s.role == "referrer"}
    assert referrer_agencies == set(AGENCY_KINDS)
    home = {s.role: s.agency_key for s in borough.staff if s.role != "referrer"}
    for role in ("front_door_practitioner", "team_manager", "head_of_service", "cse_specialist"):
        assert home[role] == "csc"
    assert home["police_analyst"] == "police"
    assert home["health_lead"] == "health"
    assert home["education_lead"] == "education"
    usernames = [s.username for s in borough.staff]
    assert len(usernames) == len(set(usernames))


def test_every_referral_comes_from_a_referrer_in_its_agency(borough: Borough) -> None:
    staff = {s.username: s for s in borough.staff}
    for referral in borough.referrals:
        referrer = staff[referral.referrer_username]
        assert referrer.role == "referrer"
        assert referrer.agency_key == referral.agency_key


def test_agency_mix_is_realistic(borough: Borough) -> None:
    counts = borough.truth["counts"]["referrals_by_agency"]
    assert all(counts[kind] > 0 for kind in AGENCY_KINDS if kind not in ("prosecution", "other"))
    top_two = sorted(counts, key=counts.__getitem__, reverse=True)[:2]
    assert set(top_two) == {"police", "education"}
    assert counts["prosecution"] < counts["health"] / 4


def test_every_referral_child_key_exists(borough: Borough) -> None:
    keys = {c.key for c in borough.children}
    assert len(keys) == len(borough.children)
    for referral in borough.referrals:
        assert 1 <= len(referral.child_keys) <= 2
        assert set(referral.child_keys) <= keys
    assert any(len(r.child_keys) == 2 for r in borough.referrals)


def test_every_child_has_a_referral(borough: Borough) -> None:
    referred = {key for r in borough.referrals for key in r.child_keys}
    assert referred == {c.key for c in borough.children}


def test_children_are_aged_8_to_17_on_their_referral_dates(borough: Borough) -> None:
    dob = {c.key: c.date_of_birth for c in borough.children}
    for referral in borough.referrals:
        for key in referral.child_keys:
            for day in (
                referral.received_at.date(),
                referral.received_at.astimezone(LONDON).date(),
            ):
                assert 8 <= age_on(dob[key], day) <= 17, (key, referral.key)


def test_siblings_share_a_surname_and_address(borough: Borough) -> None:
    children = {c.key: c for c in borough.children}
    for referral in borough.referrals:
        if len(referral.child_keys) == 2:
            first, second = (children[k] for k in referral.child_keys)
            assert first.family_name == second.family_name
            assert first.address == second.address


def test_nhs_numbers_are_synthetic_and_pass_mod_11(borough: Borough) -> None:
    numbers = [c.nhs_number for c in borough.children if c.nhs_number is not None]
    assert len(numbers) > 0.9 * len(borough.children)
    assert len(numbers) == len(set(numbers))
    for number in numbers:
        assert number.startswith("999")
        assert nhs_number_is_valid(number)


def test_nhs_check_rejects_a_wrong_check_digit() -> None:
    assert nhs_number_is_valid("9434765919")  # the NHS's published example
    assert not nhs_number_is_valid("9434765918")
    assert not nhs_number_is_valid("943476591")


def test_children_have_synthetic_addresses_postcodes_and_schools(borough: Borough) -> None:
    schools = {t.name for t in borough.teams if t.kind == "school"}
    for child in borough.children:
        assert POSTCODE.match(child.postcode), child.postcode
        assert child.school in schools
        assert child.sex in ("female", "male", "unknown")
        assert child.given_name
        assert child.family_name


# ---- referral content ------------------------------------------------------------------------


def test_referral_fields_use_the_known_vocabularies(borough: Borough) -> None:
    for referral in borough.referrals:
        assert referral.channel in ("web_form", "api", "phone", "email")
        assert referral.urgency in ("routine", "urgent", "immediate")
        assert referral.concern_categories
        assert set(referral.concern_categories) <= set(CONCERN_CATEGORIES)
        assert all(p.kind in PLACE_KINDS for p in referral.places_named)
    mention_keys = [p.mention_key for r in borough.referrals for p in r.persons_named]
    mention_keys += [p.mention_key for r in borough.referrals for p in r.places_named]
    assert len(mention_keys) == len(set(mention_keys))


def test_narratives_have_variety(borough: Borough) -> None:
    narratives = [r.narrative for r in borough.referrals]
    assert len(set(narratives)) == len(narratives)
    sentences = {
        re.sub(r"\b[A-Z][a-z]+\b", "X", s) for n in narratives for s in re.split(r"(?<=\.) ", n)
    }
    assert len(sentences) > 150


def test_no_narrative_uses_victim_blaming_language(borough: Borough) -> None:
    for referral in borough.referrals:
        text = referral.narrative.lower()
        for phrase in BANNED_PHRASES:
            assert phrase not in text, (phrase, referral.key)


def test_boyfriend_appears_only_as_a_quoted_report(borough: Borough) -> None:
    seen = 0
    for referral in borough.referrals:
        text = referral.narrative
        seen += text.count('"boyfriend"')
        stripped = text.replace('"boyfriend"', "").replace('"girlfriend"', "")
        assert "boyfriend" not in stripped.lower(), referral.key
        assert "girlfriend" not in stripped.lower(), referral.key
    assert seen > 0


def test_ordinary_referrals_are_the_large_majority(borough: Borough) -> None:
    ordinary = [r for r in borough.referrals if r.network_key is None]
    assert len(ordinary) / len(borough.referrals) > 0.8
    assert any(r.persons_named for r in ordinary)


# ---- planted networks and ground truth -------------------------------------------------------


def test_default_network_count(borough: Borough) -> None:
    assert len(borough.truth["networks"]) == 600 // 150
    assert len(generate_borough(children=40, years=1, seed=1).truth["networks"]) == 1
    assert len(generate_borough(children=60, years=2, seed=1, networks=3).truth["networks"]) == 3


def test_too_many_networks_for_the_children_is_an_error() -> None:
    with pytest.raises(ValueError, match="networks"):
        generate_borough(children=10, years=1, seed=1, networks=5)


def test_a_small_borough_can_hold_as_many_networks_as_its_children_allow() -> None:
    result = generate_borough(children=9, years=1, seed=2, networks=3)
    assert [len(n["child_keys"]) for n in result.truth["networks"]] == [3, 3, 3]
    assert generate_borough(children=0, years=1, seed=2).referrals == ()


def test_every_network_touches_3_children_and_2_agencies(
    borough: Borough, referrals_by_key: dict[str, ReferralSpec]
) -> None:
    for network in borough.truth["networks"]:
        referrals = [referrals_by_key[k] for k in network["referral_keys"]]
        assert all(r.network_key == network["key"] for r in referrals)
        children = {key for r in referrals for key in r.child_keys}
        assert 3 <= len(children) <= 8
        assert children == set(network["child_keys"])
        assert len({r.agency_key for r in referrals}) >= 2
        assert 2 <= len(network["adults"]) <= 5
        span = referrals[-1].received_at - referrals[0].received_at
        assert span > timedelta(days=28)


def test_network_referrals_are_exactly_those_naming_the_network(
    borough: Borough, mention_index: dict[str, tuple[ReferralSpec, PersonNamed | None]]
) -> None:
    for network in borough.truth["networks"]:
        keys = [k for a in network["adults"] for k in a["mention_keys"]]
        keys += [k for p in network["places"] for k in p["mention_keys"]]
        naming = {mention_index[k][0].key for k in keys}
        assert naming == set(network["referral_keys"])


def test_every_network_adult_is_named_about_2_children(
    borough: Borough, mention_index: dict[str, tuple[ReferralSpec, PersonNamed | None]]
) -> None:
    for network in borough.truth["networks"]:
        for adult in network["adults"]:
            children = {
                key for k in adult["mention_keys"] for key in mention_index[k][0].child_keys
            }
            assert len(children) >= 2, adult["adult_key"]
        for place in network["places"]:
            children = {
                key for k in place["mention_keys"] for key in mention_index[k][0].child_keys
            }
            assert len(children) >= 2, place["place_key"]


def test_truth_mention_keys_all_exist_in_referrals(
    borough: Borough, mention_index: dict[str, tuple[ReferralSpec, PersonNamed | None]]
) -> None:
    truth = borough.truth
    network_keys = [
        k
        for n in truth["networks"]
        for group in (*n["adults"], *n["places"])
        for k in group["mention_keys"]
    ]
    ordinary = truth["ordinary_person_mentions"] + truth["ordinary_place_mentions"]
    for key in network_keys + ordinary:
        assert key in mention_index, key
    assert not set(network_keys) & set(ordinary)
    # every mention in the borough is accounted for exactly once
    assert sorted(network_keys + ordinary) == sorted(mention_index)


def _assert_written_as_the_adult(
    referral: ReferralSpec, person: PersonNamed, adult: dict[str, Any]
) -> None:
    """One mention of a network adult: it carries an identifier, what it records is the
    adult's, and the narrative gives it as recorded."""
    assert (
        person.name
        or person.nickname
        or person.phone
        or (len(person.vehicle_registration.replace(" ", "")) == 7)
    )
    if person.phone:
        assert _digits(person.phone) in {_digits(p) for p in adult["phones"]}
        assert person.phone in referral.narrative
    if person.vehicle_registration:
        plate = adult["vehicle_registration"].replace(" ", "").translate(_UNCONFUSED)
        assert _plate_core(person.vehicle_registration) in plate
        assert person.vehicle_registration in referral.narrative
    if person.name:
        assert person.name in referral.narrative
    if person.nickname:
        assert person.nickname in referral.narrative
    if person.approximate_age is not None:
        assert person.approximate_age >= 17


def test_network_mentions_vary_but_carry_an_identifier(
    borough: Borough, mention_index: dict[str, tuple[ReferralSpec, PersonNamed | None]]
) -> None:
    names: set[str] = set()
    nickname_only = 0
    unnamed = 0
    partial_regs = 0
    for network in borough.truth["networks"]:
        for adult in network["adults"]:
            for key in adult["mention_keys"]:
                referral, person = mention_index[key]
                assert person is not None
                _assert_written_as_the_adult(referral, person, adult)
                partial_regs += 0 < len(_plate_core(person.vehicle_registration)) < 7
                if person.name:
                    names.add(person.name)
                elif person.nickname:
                    nickname_only += 1
                else:
                    unnamed += 1
    canonical = {a["canonical_name"] for n in borough.truth["networks"] for a in n["adults"]}
    assert names - canonical, "some mentions should use a variant spelling"
    assert nickname_only > 0
    assert partial_regs > 0
    assert unnamed > 0


def test_network_places_vehicles_and_phones_are_written_as_recorded(
    borough: Borough, mention_index: dict[str, tuple[ReferralSpec, PersonNamed | None]]
) -> None:
    for network in borough.truth["networks"]:
        for place in network["places"]:
            for key in place["mention_keys"]:
                referral, _ = mention_index[key]
                assert place["name"] in referral.narrative
        for reg in network["vehicles"]:
            assert REGISTRATION.match(reg)
        for phone in network["phones"]:
            assert re.match(r"^07\d{3} \d{6}$", phone)


def test_principal_adult_shares_an_identifier_across_children(
    borough: Borough, mention_index: dict[str, tuple[ReferralSpec, PersonNamed | None]]
) -> None:
    for network in borough.truth["networks"]:
        principal = network["adults"][0]
        children_with_identifier = {
            mention_index[k][0].child_keys[0]
            for k in principal["mention_keys"]
            if (person := mention_index[k][1]) is not None
            and (person.phone or person.vehicle_registration)
        }
        assert len(children_with_identifier) >= 2


def test_first_possible_alert_is_when_a_second_child_names_an_adult(
    borough: Borough, mention_index: dict[str, tuple[ReferralSpec, PersonNamed | None]]
) -> None:
    for network in borough.truth["networks"]:
        best: ReferralSpec | None = None
        for adult in network["adults"]:
            named: list[ReferralSpec] = sorted(
                {mention_index[k][0] for k in adult["mention_keys"]}, key=lambda r: r.key
            )
            seen: set[str] = set()
            for referral in named:
                seen.update(referral.child_keys)
                if len(seen) >= 2:
                    if best is None or referral.key < best.key:
                        best = referral
                    break
        assert best is not None
        assert network["first_possible_alert_referral_key"] == best.key


def test_ordinary_people_are_not_in_any_network(
    borough: Borough, mention_index: dict[str, tuple[ReferralSpec, PersonNamed | None]]
) -> None:
    network_names = {a["canonical_name"] for n in borough.truth["networks"] for a in n["adults"]}
    for key in borough.truth["ordinary_person_mentions"]:
        referral, person = mention_index[key]
        assert referral.network_key is None
        assert person is not None and person.name in referral.narrative
        assert not person.nickname
        assert person.name not in network_names
    assert borough.truth["ordinary_person_mentions"]


def test_networks_zero_gives_no_network_mentions() -> None:
    result = generate_borough(children=300, years=2, seed=4, networks=0)
    assert result.truth["networks"] == []
    assert all(r.network_key is None for r in result.referrals)
    mentions = [m.mention_key for r in result.referrals for m in r.persons_named]
    assert sorted(mentions) == sorted(result.truth["ordinary_person_mentions"])
    assert result.truth["counts"]["network_referrals"] == 0


def test_write_truth_round_trips_through_json(borough: Borough, tmp_path: Path) -> None:
    path = tmp_path / "nested" / "truth.json"
    write_truth(borough, path)
    text = path.read_text(encoding="utf-8")
    assert json.loads(text) == borough.truth
    assert text == json.dumps(borough.truth, sort_keys=True, indent=1) + "\n"
    assert set(borough.truth) >= {"seed", "networks", "ordinary_person_mentions", "counts"}
    assert borough.truth["seed"] == 11


# ---- how people are written (issue 12 section 5) -----------------------------------------------


def _network_mentions(borough: Borough) -> list[tuple[PersonNamed, dict[str, Any]]]:
    persons = {p.mention_key: p for r in borough.referrals for p in r.persons_named}
    return [
        (persons[k], adult)
        for n in borough.truth["networks"]
        for adult in n["adults"]
        for k in adult["mention_keys"]
    ]


@pytest.fixture(scope="module")
def styled() -> list[tuple[PersonNamed, dict[str, Any]]]:
    """Network mentions over three boroughs: enough to see every style."""
    return [
        m for seed in (2026, 4, 7) for m in _network_mentions(generate_borough(
            children=400, years=2, seed=seed, networks=3))
    ]  # fmt: skip


def test_network_adults_are_written_in_every_style(
    styled: list[tuple[PersonNamed, dict[str, Any]]],
) -> None:
    seen = {s for person, _ in styled for s in person.styles}
    assert {f"name:{s}" for s, _ in NAME_STYLES} - seen <= {
        "name:title_hyphenated", "name:title_hyphen_half", "name:hyphen_half"
    }  # fmt: skip
    assert {f"phone:{s}" for s, _ in PHONE_STYLES} <= seen
    assert len({f"plate:{s}" for s, _ in PLATE_STYLES} & seen) >= 5
    assert {"nickname:as_known", "nickname:street_short"} <= seen


def test_each_style_is_written_as_it_says(
    styled: list[tuple[PersonNamed, dict[str, Any]]],
) -> None:
    for person, adult in styled:
        given, _, family = adult["canonical_name"].partition(" ")
        styles = set(person.styles)
        if "name:surname_first" in styles:
            assert person.name == f"{family.upper()} {given}"
        if "name:surname_comma" in styles:
            assert person.name == f"{family}, {given}"
        if "name:title" in styles:
            assert person.name.split(" ")[0] in ("Mr", "Ms", "Mrs", "Miss")
        if "name:initial_dot" in styles:
            assert person.name == f"{given[0]}. {family}"
        if "name:hyphen_half" in styles:
            assert "-" in family and person.name.split(" ")[1] in family.split("-")
        if "name:short_form" in styles:
            assert person.name.split(" ")[0] != given
        if "phone:no_zero" in styles:
            assert person.phone.startswith("7")
        if "phone:intl_0044" in styles:
            assert person.phone.startswith("0044 ")
        if "phone:dashed" in styles:
            assert person.phone.count("-") == 2
        if "plate:words_starts" in styles:
            assert person.vehicle_registration.split(" ")[0] in ("starts", "begins")
        if "plate:words_ends" in styles:
            assert person.vehicle_registration.startswith("ends")
        if "plate:misread" in styles:
            plate = adult["vehicle_registration"]
            assert person.vehicle_registration != plate
            assert sum(a != b for a, b in zip(person.vehicle_registration, plate, strict=True)) == 1


def test_adults_have_community_hyphenated_and_common_names(
    styled: list[tuple[PersonNamed, dict[str, Any]]],
) -> None:
    adults = {a["adult_key"] + a["canonical_name"]: a for _, a in styled}.values()
    traits = {t.split(":")[0] for a in adults for t in a["traits"]}
    assert {"community", "common_surname", "hyphenated", "street_nickname"} <= traits


def test_truth_records_every_mentions_style(borough: Borough) -> None:
    styles = borough.truth["mention_styles"]
    keys = [p.mention_key for r in borough.referrals for p in r.persons_named]
    assert sorted(styles) == sorted(keys)
    assert all(any(s.startswith("name:") for s in styles[k]) for k in keys)
    for network in borough.truth["networks"]:
        for adult in network["adults"]:
            assert adult["second_child_referral_key"] is not None


def test_ordinary_adults_share_surnames_and_initials_with_network_adults(
    borough: Borough, mention_index: dict[str, tuple[ReferralSpec, PersonNamed | None]]
) -> None:
    surnames = [a["canonical_name"].partition(" ")[2] for n in borough.truth["networks"]
                for a in n["adults"]]  # fmt: skip
    families = {part for s in surnames for part in [s, *s.split("-")]}
    sharing = [
        mention_index[k][1]
        for k in borough.truth["ordinary_person_mentions"]
        if "ordinary:shares_surname" in borough.truth["mention_styles"][k]
    ]
    assert len(sharing) >= 3
    for person in sharing:
        assert person is not None
        assert any(f.lower() in person.name.lower() for f in families)
    every = {s for k in borough.truth["ordinary_person_mentions"]
             for s in borough.truth["mention_styles"][k]}  # fmt: skip
    assert {"ordinary:shares_initial", "ordinary:common_surname"} <= every

"""Deterministic generator of a synthetic borough with planted exploitation networks.

Pure Python (no Django): it returns frozen dataclasses and a JSON-serialisable ground truth,
and the demo loaders turn those into database rows. Everything is SYNTHETIC:

- People's names come from ``Faker("en_GB")`` (seeded per borough); they are not real people.
- The borough ("Northbrook"), its localities, streets, schools, GP practices, takeaways, taxi
  firms and so on are invented.
- Postcodes use the outward codes NB1 to NB9. "NB" is not a real UK postcode area, so the
  postcodes are format-valid (``NB4 7QX``) but cannot point at a real address.
- NHS numbers start 999 (the range the NHS keeps for test numbers) and pass the mod-11 check.
- Mobile numbers come from the range Ofcom reserves for drama, 07700 900000 to 07700 900999;
  only a borough with more than 1,000 numbers to give out goes past it (07700 901000 upwards).
- Output is deterministic for a given seed and Faker version (Faker's name lists can change
  between releases).
- Vehicle registrations follow the current format ("AB12 CDE") and are random letters.

Volumes: each child has 1 to 5 referrals (mostly 1 to 3), siblings sometimes share a referral,
and children drawn into a network have 2 to 5 network referrals plus 0 to 2 others. Overall the
borough has about 2.0 referrals per child (1.9 to 2.2 in practice), so
``generate_borough(children=5000, years=3, seed=...)`` gives about 10,000 referrals; the count
does not depend on ``years``, which only spreads the referrals out.

Planted networks (default ``max(1, children // 150)``): 2 to 5 adults who touch 3 to 8
children, named across months of referrals from at least two agencies, with realistic variation
in how they are written down (spelling variants, one-letter surname typos, nicknames only,
approximate ages, phone numbers in several formats, partial registrations) and shared places.
About 93% of referrals at the default density belong to no network; some of those name ordinary
adults (a parent's partner, a neighbour, a coach), who are not persons of concern.

``Borough.truth`` records which mentions belong to which network adult or place. It is for
scoring the linking and alerting features and must never be written into the database;
``ReferralSpec.network_key`` is likewise for the caller only.

Language follows the practice reference: "child", "young person", "exploitation"; the word
"boyfriend" appears only as a quoted report of what a child called an adult.

Run ``python -m sightline.demo.generator --children 5000 --years 3`` for counts and timing.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Final, Literal, TypeVar
from zoneinfo import ZoneInfo

from faker import Faker

Sex = Literal["female", "male", "unknown"]
Channel = Literal["web_form", "api", "phone", "email"]
Urgency = Literal["routine", "urgent", "immediate"]

_CHILD_SEX_WEIGHTS: tuple[tuple[Sex, float], ...] = (
    ("female", 52.0),
    ("male", 46.0),
    ("unknown", 2.0),
)
_NETWORK_CHILD_SEX_WEIGHTS: tuple[tuple[Sex, float], ...] = (("female", 80.0), ("male", 20.0))
_NETWORK_URGENCY: tuple[tuple[Urgency, float], ...] = (
    ("routine", 30.0),
    ("urgent", 50.0),
    ("immediate", 20.0),
)
_ORDINARY_URGENCY: tuple[tuple[Urgency, float], ...] = (
    ("routine", 75.0),
    ("urgent", 20.0),
    ("immediate", 5.0),
)

_T = TypeVar("_T")

BOROUGH_NAME: Final = "Northbrook"
LONDON: Final = ZoneInfo("Europe/London")

AGENCY_KINDS: Final[tuple[str, ...]] = (
    "csc",
    "police",
    "health",
    "education",
    "youth-justice",
    "prosecution",
    "housing",
    "voluntary",
    "other",
)

ROLES: Final[tuple[str, ...]] = (
    "referrer",
    "front_door_practitioner",
    "team_manager",
    "head_of_service",
    "cse_specialist",
    "police_analyst",
    "health_lead",
    "education_lead",
    "mace_chair",
    "reviewer",
    "auditor",
    "system_admin",
    "safeguarding_lead",
)

CONCERN_CATEGORIES: Final[tuple[str, ...]] = (
    "sexual_exploitation",
    "missing",
    "neglect",
    "domestic_abuse",
    "emotional_wellbeing",
    "physical_abuse",
    "criminal_exploitation",
    "online_harm",
    "education",
)

PLACE_KINDS: Final[tuple[str, ...]] = (
    "takeaway",
    "taxi_firm",
    "hotel",
    "flat",
    "park",
    "shop",
    "school_gate",
    "bus_station",
    "other",
)

# --------------------------------------------------------------------------------------------
# Public data shapes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencySpec:
    key: str
    name: str
    kind: str
    cin_source_code: str


@dataclass(frozen=True)
class TeamSpec:
    """A team inside an agency: a school, a GP practice or an ordinary team."""

    agency_key: str
    name: str
    kind: Literal["school", "gp_practice", "team"]
    cin_source_code: str


@dataclass(frozen=True)
class StaffSpec:
    username: str
    given_name: str
    family_name: str
    agency_key: str
    team: str
    role: str


@dataclass(frozen=True)
class ChildSpec:
    key: str
    given_name: str
    family_name: str
    date_of_birth: date
    sex: Sex
    address: str
    postcode: str
    school: str
    nhs_number: str | None
    has_learning_disability: bool


@dataclass(frozen=True)
class PersonNamed:
    mention_key: str
    name: str
    nickname: str
    approximate_age: int | None
    description: str
    phone: str
    vehicle_registration: str
    address: str


@dataclass(frozen=True)
class PlaceNamed:
    mention_key: str
    name: str
    kind: str
    address: str
    postcode: str


@dataclass(frozen=True)
class ReferralSpec:
    key: str
    received_at: datetime
    agency_key: str
    referrer_username: str
    channel: Channel
    child_keys: tuple[str, ...]
    narrative: str
    concern_categories: tuple[str, ...]
    persons_named: tuple[PersonNamed, ...]
    places_named: tuple[PlaceNamed, ...]
    child_aware: bool
    family_aware: bool
    urgency: Urgency
    network_key: str | None  # for the caller only: loaders must not store it


@dataclass(frozen=True)
class Borough:
    seed: int
    name: str
    agencies: tuple[AgencySpec, ...]
    staff: tuple[StaffSpec, ...]
    children: tuple[ChildSpec, ...]
    referrals: tuple[ReferralSpec, ...]
    truth: dict[str, Any]
    teams: tuple[TeamSpec, ...] = ()


# --------------------------------------------------------------------------------------------
# Invented geography, organisations and vocabulary
# --------------------------------------------------------------------------------------------


def _split(text: str) -> tuple[str, ...]:
    """A word list written as "one | two | three"."""
    return tuple(part.strip() for part in text.split("|"))


_LOCALITIES: Final[tuple[tuple[str, str], ...]] = (
    ("Northbrook", "NB1"),
    ("Millgate", "NB2"),
    ("Ashcombe", "NB3"),
    ("Fenwick Vale", "NB4"),
    ("Harrowgate", "NB5"),
    ("Kestrel Park", "NB6"),
    ("Brookside", "NB7"),
    ("Tanners End", "NB8"),
    ("Orchard Hill", "NB9"),
)
_INWARD_LETTERS: Final = "ABDEFGHJLNPQRSTUWXYZ"
_STREET_STEMS: Final[tuple[str, ...]] = _split(
    "Alder | Bracken | Cinder | Drover | Elder | Fenwick | Gorse | Harrow | Ivybridge | Juniper "
    "| Kestrel | Larch | Marlow | Nettle | Oriel | Pellow | Quarry | Rookery | Sorrel | Tansy | "
    "Umber | Vetch | Wren | Yarrow | Linnet | Mallard | Heron | Tanners | Coppice | Thistle"
)
_STREET_SUFFIXES: Final[tuple[str, ...]] = _split(
    "Street | Road | Lane | Close | Avenue | Way | Crescent | Gardens | Terrace | Walk | Drive | "
    "Grove"
)
_BUILDINGS: Final[tuple[str, ...]] = _split(
    "Kestrel House | Tanner Court | Heron Point | Wharf House | Linnet Court | Foundry House | "
    "Mill Court | Beacon Heights | Orchard Court | Ropewalk House | Gable Court | Sorrel House"
)

_PRIMARY_SCHOOLS: Final[tuple[str, ...]] = (
    "Millgate Primary School",
    "Fenwick Lane Primary School",
    "Tanners End C of E Primary School",
    "Orchard Hill Primary Academy",
)
_SECONDARY_SCHOOLS: Final[tuple[str, ...]] = (
    "Northbrook Academy",
    "Harrowgate Community School",
    "Kestrel Vale High School",
    "Holy Vale Catholic High School",
    "Ashcombe Park School",
)
_COLLEGE: Final = "Northbrook Sixth Form College"
_PRU: Final = "Brookside Learning Centre"
SCHOOLS: Final[tuple[str, ...]] = (*_PRIMARY_SCHOOLS, *_SECONDARY_SCHOOLS, _COLLEGE, _PRU)
GP_PRACTICES: Final[tuple[str, ...]] = (
    "Kestrel Park Surgery",
    "Brookside Medical Centre",
    "Millgate Health Centre",
    "Ashcombe Family Practice",
    "Tanners End Surgery",
)

# (agency key, agency name, CIN referral source code)
_AGENCIES: Final[tuple[tuple[str, str, str], ...]] = (
    ("csc", "Northbrook Borough Council Children's Social Care", "5A"),
    ("police", "Northbrook and Vale Police", "6"),
    ("health", "Northbrook Community Health NHS Trust", "3F"),
    ("education", "Northbrook Borough Council Education and Schools", "2A"),
    ("youth-justice", "Northbrook Youth Justice Service", "5B"),
    ("prosecution", "Crown Prosecution Service, Northbrook and Vale Unit", "7"),
    ("housing", "Northbrook Homes", "4"),
    ("voluntary", "Northbrook Young People's Trust", "8"),
    ("other", "Other Northbrook Partners", "10"),
)

# Teams whose staff refer (agency key, team, CIN source code). Schools and GP practices are
# added from the lists above.
_REFERRER_TEAMS: Final[tuple[tuple[str, str, str], ...]] = (
    ("csc", "Family Support Team", "5A"),
    ("csc", "Children in Care Team", "5A"),
    ("csc", "Children's Residential Service", "5A"),
    ("police", "Response Team", "6"),
    ("police", "Neighbourhood Policing Team", "6"),
    ("police", "Missing Persons Unit", "6"),
    ("police", "Public Protection Unit", "6"),
    ("health", "Northbrook Sexual Health Clinic", "3F"),
    ("health", "Emergency Department, Vale General Hospital", "3E"),
    ("health", "School Nursing Team", "3C"),
    ("health", "Child and Adolescent Mental Health Service", "3F"),
    ("education", "Attendance and Inclusion Service", "2B"),
    ("youth-justice", "Youth Justice Service", "5B"),
    ("prosecution", "Witness Care and Casework", "7"),
    ("housing", "Housing Options Team", "4"),
    ("housing", "Temporary Accommodation Team", "4"),
    ("voluntary", "Young People's Drop-in", "8"),
    ("voluntary", "Missing Return Interview Service", "8"),
    ("voluntary", "Youth Outreach Team", "8"),
    ("other", "Northbrook Community Sports Club", "10"),
    ("other", "Northbrook Faith Youth Group", "10"),
)

# Hub roles (role, agency key, team, CIN source code); referrers come from the teams above.
_HUB_ROLES: Final[tuple[tuple[str, str, str, str], ...]] = (
    ("front_door_practitioner", "csc", "Front Door (MASH)", "5A"),
    ("team_manager", "csc", "Front Door (MASH)", "5A"),
    ("head_of_service", "csc", "Safeguarding and Early Help", "5A"),
    ("cse_specialist", "csc", "Child Exploitation Team", "5A"),
    ("police_analyst", "police", "Intelligence Unit", "6"),
    ("health_lead", "health", "Safeguarding Children Team", "3F"),
    ("education_lead", "education", "Education Safeguarding Team", "2B"),
    ("mace_chair", "csc", "Child Exploitation Team", "5A"),
    ("reviewer", "other", "Safeguarding Children Partnership", "10"),
    ("auditor", "csc", "Information Governance", "5A"),
    ("system_admin", "csc", "Digital Services", "5A"),
    ("safeguarding_lead", "voluntary", "Safeguarding", "8"),
)

# Realistic shares of referrals by agency (police and schools most; prosecution rare).
_AGENCY_WEIGHTS: Final[tuple[tuple[str, float], ...]] = (
    ("police", 27.0),
    ("education", 25.0),
    ("health", 15.0),
    ("csc", 10.0),
    ("voluntary", 8.0),
    ("youth-justice", 6.0),
    ("housing", 5.0),
    ("other", 2.5),
    ("prosecution", 1.5),
)
_NETWORK_AGENCY_WEIGHTS: Final[tuple[tuple[str, float], ...]] = (
    ("police", 30.0),
    ("education", 20.0),
    ("health", 18.0),
    ("voluntary", 12.0),
    ("csc", 10.0),
    ("youth-justice", 5.0),
    ("housing", 3.0),
    ("other", 1.0),
    ("prosecution", 1.0),
)
_CHANNEL_WEIGHTS: Final[dict[str, tuple[tuple[Channel, float], ...]]] = {
    "police": (("api", 55.0), ("phone", 20.0), ("email", 15.0), ("web_form", 10.0)),
    "health": (("api", 35.0), ("web_form", 35.0), ("email", 15.0), ("phone", 15.0)),
    "education": (("web_form", 70.0), ("email", 15.0), ("phone", 15.0)),
    "csc": (("web_form", 60.0), ("phone", 25.0), ("email", 15.0)),
}
_DEFAULT_CHANNELS: Final[tuple[tuple[Channel, float], ...]] = (
    ("web_form", 60.0),
    ("phone", 20.0),
    ("email", 20.0),
)

# Spelling variants and short forms of common Faker en_GB given names (invented table).
_NAME_GROUPS: Final[tuple[tuple[str, ...], ...]] = tuple(
    tuple(group.split())
    for group in _split(
        "Stephen Steven Steve | John Jon | Jonathan Jon Johnathan | Sean Shaun Shawn | Mohammed "
        "Mohamed Muhammad Mohammad | Philip Phillip Phil | Geoffrey Jeffrey Geoff | Jeffrey Jeff "
        "| Mark Marc | Carl Karl | Alan Allan Allen | Brian Bryan | Gary Garry Gaz | Ian Iain | "
        "Graham Graeme | Stuart Stewart | Glen Glenn | Elliot Elliott | Matthew Mathew Matt | "
        "Martin Martyn | Damian Damien | Connor Conor | Dennis Denis | Anthony Antony Tony | Lee "
        "Leigh | Neil Neal | Christopher Chris | Michael Mike Mick | Daniel Dan Danny | Thomas "
        "Tom Tommy | Robert Rob Bob | Richard Rich Ricky | David Dave | Andrew Andy | Nicholas "
        "Nick Nicky | Joseph Joe | Samuel Sam | Benjamin Ben | Joshua Josh | Kieran Kieron "
        "Ciaran | Rhys Reece Reese | Terence Terry | Timothy Tim | Kenneth Ken | Raymond Ray | "
        "Leslie Les | Ronald Ron | Gerald Gerry | Derek Derrick | William Will Billy | Alexander "
        "Alex | Jason Jayson | Abdul Abdel | Darren Daz | Barry Baz | Sarah Sara | Claire Clare "
        "| Rebecca Becky Rebekah | Tracey Tracy | Ann Anne | Joanne Jo-Anne Jo | Nicola Nikki | "
        "Samantha Sam | Victoria Vicky Vikki | Leanne Lianne | Hayley Haley | Natalie Nathalie | "
        "Stephanie Steph | Katie Katy Kate | Jacqueline Jackie | Deborah Debbie Debra | "
        "Catherine Katherine Kathryn | Danielle Dani | Elizabeth Liz"
    )
)


def _build_variants() -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for group in _NAME_GROUPS:
        for name in group:
            bucket = table.setdefault(name, [])
            bucket.extend(other for other in group if other != name and other not in bucket)
    return {name: tuple(others) for name, others in table.items()}


NAME_VARIANTS: Final[dict[str, tuple[str, ...]]] = _build_variants()

_NICKNAMES: Final[tuple[str, ...]] = _split(
    "Kaz | Smudge | Ginge | Tank | Boss | Ace | Wiz | Jonno | Stevo | Dazza | Macca | Tommo | "
    "Robbo | Jacko | Deano | Sully | Lefty | Blue | Spider | Bear | Chief | Prince | Sparky | "
    "Shorty | Red | Skinny | Mack | Benny | Frankie | Vinnie"
)
_FEMALE_NICKNAMES: Final[tuple[str, ...]] = _split(
    "Auntie Jo | Babe | Kiki | Lulu | Queenie | Roxy | Sunny | Tash"
)

_VEHICLES: Final[tuple[str, ...]] = _split(
    "Vauxhall Corsa | Ford Focus | BMW 3 Series | Audi A3 | Volkswagen Golf | Toyota Prius | "
    "Skoda Octavia | Mercedes C-Class | Nissan Qashqai | Peugeot 208 | Ford Transit van | Seat "
    "Leon"
)
_COLOURS: Final[tuple[str, ...]] = ("silver", "black", "white", "grey", "dark blue", "red")
_REG_AREA_FIRST: Final = "ABCDEFGHKLMNOPRSVWY"
_REG_LETTERS: Final = "ABCDEFGHJKLMNOPRSTUVWXYZ"

# Description fragments, noted the way a description is written down: "slim build, short
# dark hair, beard, grey tracksuit".
_BUILDS: Final[tuple[str, ...]] = _split(
    "slim build | stocky build | heavy build | medium build | tall and thin | short and stocky"
)
_HAIR: Final[tuple[str, ...]] = _split(
    "short dark hair | shaved head | ginger hair | grey hair | blond hair | long dark hair "
    "tied back | curly black hair"
)
_FEATURES: Final[dict[str, tuple[str, ...]]] = {
    "male": _split("beard | tattoo on his neck | glasses | scar above one eyebrow | gold chain"),
    "female": _split("tattoo on her wrist | glasses | long painted nails | nose piercing"),
}
_CLOTHES: Final[tuple[str, ...]] = _split(
    "grey tracksuit | black puffer jacket | designer clothing | baseball cap | leather jacket"
)

_TAKEAWAY_A: Final[tuple[str, ...]] = _split(
    "Golden | Royal | Lucky | Star | Sunny | Crown | Ocean | Express | Best | Corner | Night Owl "
    "| Jubilee"
)
_TAKEAWAY_B: Final[tuple[str, ...]] = _split(
    "Grill | Pizza | Kebab House | Chicken | Fish Bar | Spice | Burger Bar | Noodle Bar"
)
_TAXI_A: Final[tuple[str, ...]] = _split(
    "Starline | Citylink | Ace | Arrow | Eagle | Northway | Prime | Swift | Comet | Blue Line | "
    "Valley | Metro"
)
_TAXI_B: Final = ("Cars", "Taxis", "Private Hire")
_HOTEL_A: Final[tuple[str, ...]] = _split(
    "Canal View | Parkway | Station | Riverside | Gateway | Beacon | Wharfside | Kingfisher"
)
_HOTEL_B: Final = ("Hotel", "Inn", "Lodge", "Guest House")
_PARK_A: Final[tuple[str, ...]] = _split(
    "Cinder Lane | Fenwick | Rookery | Quarry Hill | Gorse | Mallard | Coppice | Nettle Bank"
)
_PARK_B: Final = ("Park", "Recreation Ground", "Playing Fields")
_SHOP_A: Final[tuple[str, ...]] = _split(
    "Quickstop | Handy | Late | Sunrise | Village | Nightowl | Corner | Value"
)
_SHOP_B: Final = ("Convenience Store", "Mini Market", "Vape Shop", "Off Licence")

# Ordinary places named in ordinary referrals (never part of a network).
_ORDINARY_PLACES: Final[tuple[tuple[str, str], ...]] = (
    ("Northbrook Bus Station", "bus_station"),
    ("Millgate Interchange", "bus_station"),
    ("Brookside Park", "park"),
    ("Ashcombe Recreation Ground", "park"),
    ("Orchard Hill Park", "park"),
    ("the skate park behind Northbrook Leisure Centre", "other"),
    ("Millgate Retail Park", "other"),
    ("Northbrook Shopping Centre", "shop"),
    ("the canal towpath by Wharf Road", "other"),
)

# --------------------------------------------------------------------------------------------
# Narrative templates. Placeholders: {name} child's given name, {subj}/{Subj}, {obj}, {poss}/
# {Poss}, {refl}, {is}, {was}, {has}, {s}, {es} (verb agreement), {age}, {year}, {school},
# {carer}, {locality}, {team}/{the_team}/{The_team}, {when}, {n}, {pct}, {ordinal}, {oplace}, {gp}.
# Each template carries the concern categories it evidences.
# --------------------------------------------------------------------------------------------

_Tpl = tuple[str, tuple[str, ...]]
_PersonTpl = tuple[str, tuple[str, ...], tuple[str, ...]]


def _tpls(*lines: str) -> tuple[_Tpl, ...]:
    """Templates written as "category,category: sentence"."""
    out: list[_Tpl] = []
    for line in lines:
        categories, _, text = line.partition(": ")
        out.append((text, tuple(categories.split(","))))
    return tuple(out)


def _person_tpls(*lines: str) -> tuple[_PersonTpl, ...]:
    """Templates written as "category,category / agency,agency: sentence" (no agency: any)."""
    out: list[_PersonTpl] = []
    for line in lines:
        head, _, text = line.partition(": ")
        categories, _, agencies = head.partition(" / ")
        out.append((text, tuple(categories.split(",")), tuple(a for a in agencies.split(",") if a)))
    return tuple(out)


_OPENINGS: Final[dict[str, tuple[str, ...]]] = {
    "police": (
        "Officers from {the_team} are referring {name} ({age}), who lives with {poss} {carer} "
        "in {locality}.",
        "This referral follows police contact with {name} ({age}) {when}.",
    ),
    "education": (
        "{name} is a Year {year} pupil at {school}.",
        "I am the designated safeguarding lead at {school} and am referring {name}, who is in "
        "Year {year}.",
    ),
    "health": (
        "{name} ({age}) was seen by {the_team} {when}.",
        "{name} ({age}) is registered at {gp} and is known to {the_team}.",
    ),
    "csc": (
        "{name} ({age}) is known to {the_team}.",
        "I am a worker in {the_team} and am referring {name} ({age}).",
    ),
    "voluntary": (
        "{name} ({age}) has been attending {the_team} for the last {n} months.",
        "{name} ({age}) is supported by our {team}.",
    ),
    "youth-justice": (
        "{name} ({age}) is open to the Youth Justice Service following an out-of-court disposal.",
    ),
    "housing": (
        "{name} ({age}) lives with {poss} {carer} in a property managed by {BOROUGH} Homes in "
        "{locality}.",
        "{The_team} has been working with the household of {name} ({age}).",
    ),
    "prosecution": (
        "{name} ({age}) is a witness in a case being prepared for {BOROUGH} Magistrates' Court.",
    ),
    "other": (
        "I volunteer with {the_team}, which {name} ({age}) attends.",
        "{name} ({age}) is known to us through {the_team}.",
    ),
}

_GP_OPENINGS: Final[tuple[str, ...]] = (
    "{name} ({age}) is registered with {team} and was seen by a GP {when}.",
    "I am a GP at {team}, where {name} ({age}) is registered.",
)

_THEMES: Final[dict[str, tuple[_Tpl, ...]]] = {
    "school_absence": _tpls(
        "education: {name}'s attendance has fallen to {pct}% this term, with a pattern of missed "
        "afternoons.",
        "education: {Subj} {has} been late to registration on {n} occasions since half term.",
        "education: {name} was seen leaving the school site at lunchtime {when} and did not "
        "return for afternoon lessons.",
        "education: {name} has been excluded for a fixed term following an incident with another "
        "pupil.",
    ),
    "missing": _tpls(
        "missing: {name} was reported missing by {poss} {carer} {when} and returned home the "
        "following morning.",
        "missing: This is the {ordinal} missing episode recorded for {name} in the last {n} "
        "months.",
        "missing: On return {name} would not say where {subj} had been, and a return home "
        "interview has been requested.",
        "missing: {name} was located by officers {oplace} after being missing for several hours.",
    ),
    "health": _tpls(
        "sexual_exploitation: {name} attended the sexual health clinic requesting a pregnancy "
        "test.",
        "physical_abuse: {name} was treated in the Emergency Department for an injury to {poss} "
        "wrist, and the explanation given was inconsistent.",
        "sexual_exploitation: {name} has been diagnosed with a sexually transmitted infection "
        "and did not want to say who {poss} contacts were.",
        "emotional_wellbeing: {name} has lost a noticeable amount of weight and the school nurse "
        "is concerned about {poss} eating.",
    ),
    "online": _tpls(
        "online_harm: {name}'s {carer} found messages on {poss} phone from an adult {subj} met "
        "through an online game.",
        "online_harm: Staff were told that images of {name} have been shared in a group chat by "
        "other pupils.",
        "online_harm,emotional_wellbeing: {name} has been using {poss} phone late into the night "
        "and appears exhausted in the mornings.",
    ),
    "family": _tpls(
        "emotional_wellbeing: {name}'s {carer} has told us that it has become very hard to "
        "manage {poss} behaviour at home.",
        "emotional_wellbeing: There has been a recent family breakdown and {name} is currently "
        "staying with relatives.",
        "emotional_wellbeing: {name} has been a young carer for {poss} mother, who has long-term "
        "mental health difficulties.",
    ),
    "neglect": _tpls(
        "neglect: {name} often arrives at school hungry and in the same unwashed uniform.",
        "neglect: During a home visit there was very little food in the house and no working "
        "heating.",
        "neglect: {name} has missed several dental and medical appointments this year.",
    ),
    "domestic_abuse": _tpls(
        "domestic_abuse: Police attended the family home {when} following a report of domestic "
        "abuse between adults, and {name} was present.",
        "domestic_abuse: {name} disclosed that there is shouting and fighting at home most "
        "weekends.",
        "domestic_abuse: {name}'s mother has a non-molestation order against a former partner, "
        "who has been seen near the house again.",
    ),
    "low_level": _tpls(
        "emotional_wellbeing: Staff have noticed that {name} seems withdrawn and tired in lessons.",
        "emotional_wellbeing: {name} has fallen out with {poss} friendship group and is spending "
        "break times alone.",
        "emotional_wellbeing: {name}'s behaviour has changed over the last few weeks and {subj} "
        "{is} more irritable than usual.",
    ),
    "emotional": _tpls(
        "emotional_wellbeing: {name} disclosed thoughts of self-harm to the school nurse.",
        "emotional_wellbeing: {name} has been referred to the Child and Adolescent Mental Health "
        "Service for low mood and anxiety.",
        "emotional_wellbeing: Fresh cuts were seen on {name}'s forearm.",
    ),
    "physical_abuse": _tpls(
        "physical_abuse: {name} arrived at school with bruising to {poss} upper arm and said an "
        "adult at home had grabbed {obj}.",
        "physical_abuse: {name} flinched when a member of staff raised a hand to point at the "
        "board, and has a healing mark on {poss} cheek.",
    ),
    "criminal_exploitation": _tpls(
        "criminal_exploitation: {name} was found with a large amount of cash and a second phone, "
        "and officers are concerned that {subj} may be being criminally exploited.",
        "criminal_exploitation,missing: {name} was stopped in a town where {subj} has no known "
        "connections, carrying a train ticket {subj} could not have paid for.",
    ),
    "housing": _tpls(
        "neglect: The family are in temporary accommodation after an eviction, and {name} shares "
        "a room with {poss} younger siblings.",
        "neglect: There are rent arrears and the family have received a notice seeking possession.",
    ),
}

_AGENCY_THEMES: Final[dict[str, tuple[tuple[str, float], ...]]] = {
    "police": (
        ("missing", 5),
        ("domestic_abuse", 4),
        ("criminal_exploitation", 2),
        ("online", 2),
        ("physical_abuse", 1),
    ),
    "education": (
        ("school_absence", 5),
        ("low_level", 4),
        ("emotional", 2),
        ("neglect", 2),
        ("family", 2),
        ("online", 1),
        ("physical_abuse", 1),
    ),
    "health": (("health", 5), ("emotional", 3), ("neglect", 1), ("physical_abuse", 1)),
    "csc": (("family", 3), ("neglect", 3), ("domestic_abuse", 2), ("missing", 1)),
    "voluntary": (("emotional", 3), ("missing", 2), ("family", 2), ("online", 1)),
    "youth-justice": (("criminal_exploitation", 4), ("school_absence", 2), ("family", 2)),
    "housing": (("housing", 5), ("neglect", 2), ("domestic_abuse", 2)),
    "prosecution": (("domestic_abuse", 3), ("physical_abuse", 2), ("online", 2)),
    "other": (("low_level", 3), ("family", 2), ("emotional", 1)),
}

# Indicator sentences with no named adult (network referrals and a few ordinary ones).
_CSE_GENERIC: Final[tuple[_Tpl, ...]] = _tpls(
    "missing,sexual_exploitation: {name} has been going missing and returns home tired and "
    "unwilling to say where {subj} has been.",
    "sexual_exploitation: {name} has been seen with older young people and adults who are not "
    "known to {poss} family.",
    "sexual_exploitation: {name} has become secretive about {poss} phone and receives calls late "
    "at night.",
    "sexual_exploitation: {name} has been smelling of alcohol on arrival at school.",
    "physical_abuse,sexual_exploitation: {name} has unexplained bruising to {poss} arms and "
    "would not say how it happened.",
    "sexual_exploitation: {name} has new clothes and gifts that {poss} family cannot account for.",
    'sexual_exploitation: {Subj} talk{s} about an older "boyfriend" but will not give his name.',
)

_CSE_ASSESSMENT: Final[tuple[str, ...]] = (
    "There are concerns that {name} is being sexually exploited; {subj} may have been groomed, "
    "and coercion and control by the adults involved is suspected.",
    "{name} is a child, and the adults involved appear to be exploiting {poss} vulnerability.",
    "The pattern of missing episodes, gifts and contact with older adults is consistent with "
    "child sexual exploitation.",
    "{name} does not see {refl} as a victim, which is common where a child has been groomed.",
    "It is unclear whether {name} is under duress, and the situation is giving adults the "
    "opportunity to abuse {obj}.",
)

# Templates naming a network adult: {person} is the adult as written in the referral,
# {partner} is "boyfriend" or "girlfriend" (always quoted), {agency_hint} picks agencies.
_CSE_PERSON: Final[tuple[_PersonTpl, ...]] = _person_tpls(
    "sexual_exploitation / education: {name} has been seen being picked up in a car outside "
    "{school} by {person}.",
    'sexual_exploitation / : {Subj} call{s} {person} {poss} "{partner}", although this adult is '
    "much older than {obj}.",
    "sexual_exploitation / : {name} has a new phone, new trainers and money that {subj} cannot "
    "account for, and has said that the gifts came from {person}.",
    "sexual_exploitation / education,voluntary: {name} told a member of staff that {person} "
    "gives {obj} alcohol and lets {obj} stay out late.",
    "sexual_exploitation,missing / police: Officers found {name} in a parked car with {person} "
    "in the early hours while {subj} {was} reported missing.",
    "sexual_exploitation,missing / : {name} has been going missing overnight, and a friend says "
    "{subj} {is} with {person} when this happens.",
    "sexual_exploitation,online_harm / : {name} disclosed that {person} has asked {obj} to send "
    "images of {refl}.",
    "sexual_exploitation,online_harm / csc,police: {name}'s {carer} has found messages on {poss} "
    "phone from {person} arranging to meet late at night.",
    "sexual_exploitation / health: {name} attended for a pregnancy test and, when asked, named "
    "{person} as someone {subj} had been staying with.",
    "sexual_exploitation / police: {name} has been seen getting into and out of cars driven by "
    "{person} near the town centre.",
    "sexual_exploitation,missing / : {name} returned from a missing episode with a new phone "
    "that {subj} said was a present from {person}.",
    "sexual_exploitation / police,voluntary: It is reported that {person} is using {name} to "
    "introduce other young people to adults.",
    "sexual_exploitation / health: {name} was treated for a sexually transmitted infection and "
    "said {subj} had been drinking alcohol with {person}.",
    "sexual_exploitation / education: School staff saw {person} waiting at the school gates for "
    "{name} at the end of the day.",
    "sexual_exploitation,physical_abuse / health: {name} was brought into the Emergency "
    "Department intoxicated and with injuries to {poss} face, and said {subj} had been with "
    "{person}.",
)

_CSE_PLACE: Final[dict[str, tuple[str, ...]]] = {
    "takeaway": (
        "{name} is regularly seen late at night at {place}, a takeaway on {street}, where "
        "adults give young people free food and alcohol.",
        "Staff have heard that {name} spends evenings at {place} on {street} and is given "
        "free food there.",
    ),
    "taxi_firm": (
        "Cars from {place} have been seen collecting {name} from outside {poss} home late at "
        "night, and no fare appears to be paid.",
        "{name} has been dropped at school by a driver from {place}, a taxi firm on {street}.",
    ),
    "flat": (
        "{name} has been staying overnight at {place}, {street}, where adults are said to "
        "supply alcohol and cannabis.",
        "Police were called to {place}, {street}, and found {name} there with several adults.",
    ),
    "park": (
        "{name} was found in {place} in the early hours, drunk and distressed.",
        "Young people gather in {place} off {street} in the evenings, where adults in cars "
        "have been seen offering them lifts and alcohol.",
    ),
    "hotel": (
        "{name} was found at {place} on {street} with an adult; the room had been booked by "
        "someone else.",
        "Hotel staff at {place} reported that {name} arrived late at night with two adults.",
    ),
    "shop": (
        "Staff at {place} on {street} have been seen giving {name} cigarettes, vapes and alcohol.",
        "{name} has been seen waiting outside {place} on {street} for adults to collect {obj}.",
    ),
}

_POSITIVE: Final[tuple[str, ...]] = (
    "{name} has a good relationship with {poss} form tutor and has engaged well with the "
    "school counsellor.",
    "{Poss} {carer} is a protective factor and is keen to work with services.",
    "{name} attends a weekly youth club and staff describe {obj} as reliable and kind.",
    "{name} is doing well in English and enjoys art.",
    "{name} has said that {subj} would like support and trusts {poss} youth worker.",
)

_CLOSINGS: Final[dict[str, tuple[str, ...]]] = {
    "routine": (
        "I would be grateful for advice on next steps.",
        "Please could this be considered for early help support.",
        "We will continue to monitor and record any further concerns.",
    ),
    "urgent": (
        "I am requesting a MASH check and an assessment.",
        "Please could the front door consider whether a strategy discussion is needed.",
    ),
    "immediate": (
        "This is referred as an immediate safeguarding concern, and the police have been informed.",
        "I believe {name} is at immediate risk of significant harm and ask for a same-day "
        "response.",
    ),
}

_SIBLING_TEMPLATES: Final[tuple[_Tpl, ...]] = _tpls(
    "domestic_abuse: Both children were at home when police attended {when} following a report "
    "of domestic abuse.",
    "neglect: The children have been arriving at school hungry and have missed medical "
    "appointments.",
    "neglect: The family are living in one room of temporary accommodation.",
    "emotional_wellbeing: The children's mother has told us she is not coping and has asked for "
    "help.",
    "neglect: Neighbours have reported the children being left alone at home overnight.",
    "physical_abuse: {name} told staff that {poss} younger sibling has been hit by an adult at "
    "home.",
)

# Ordinary adults named in ordinary referrals: (role, sentence). {pname} is the adult as
# written; {paddr} their address when recorded.
_ORDINARY_ROLES: Final[tuple[tuple[str, str, str], ...]] = (
    ("mother's partner", "male", "{name} lives with {poss} mother and her partner, {pname}."),
    ("neighbour", "any", "A neighbour, {pname}, who lives at {paddr}, raised the concern with us."),
    ("uncle", "male", "{name} sometimes stays with {poss} uncle, {pname}, at weekends."),
    (
        "father",
        "male",
        "{Poss} father, {pname}, does not live at the family home and has limited contact.",
    ),
    (
        "grandmother",
        "female",
        "{Poss} grandmother, {pname}, provides regular care and is a protective factor.",
    ),
    (
        "football coach",
        "any",
        "{Poss} football coach, {pname}, describes {obj} as reliable and well liked.",
    ),
    (
        "aunt",
        "female",
        "{Poss} aunt, {pname}, has offered for {name} to stay with her for a while.",
    ),
    (
        "former partner of the mother",
        "male",
        "{Poss} mother's former partner, {pname}, has recently been released from prison.",
    ),
)


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pronouns:
    subj: str
    obj: str
    poss: str
    refl: str
    is_: str
    was: str
    has: str
    s: str
    es: str


_PRONOUNS: Final[dict[str, _Pronouns]] = {
    "female": _Pronouns("she", "her", "her", "herself", "is", "was", "has", "s", "es"),
    "male": _Pronouns("he", "him", "his", "himself", "is", "was", "has", "s", "es"),
    "unknown": _Pronouns("they", "them", "their", "themselves", "are", "were", "have", "", ""),
}


def _weighted(rng: random.Random, items: Sequence[tuple[_T, float]]) -> _T:
    return rng.choices([item for item, _ in items], weights=[w for _, w in items])[0]


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_on(date_of_birth: date, day: date) -> int:
    """Whole years of age on ``day``."""
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


def nhs_number_is_valid(number: str) -> bool:
    """The NHS mod-11 check on a 10-digit number."""
    if len(number) != 10 or not number.isdigit():
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(number[:9]))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(number[9])


def _nhs_number(rng: random.Random, used: set[str]) -> str:
    while True:
        body = "999" + "".join(str(rng.randint(0, 9)) for _ in range(6))
        total = sum(int(d) * (10 - i) for i, d in enumerate(body))
        check = 11 - total % 11
        if check == 10:
            continue
        number = body + str(0 if check == 11 else check)
        if number not in used:
            used.add(number)
            return number


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _when(day: date) -> str:
    return f"on {day.strftime('%A')} {day.day} {day.strftime('%B')}"


def _age_band(age: int) -> str:
    """ "early thirties" for 31, "late teens" for 18."""
    if age < 20:
        return "late teens"
    tens = {2: "twenties", 3: "thirties", 4: "forties", 5: "fifties"}.get(age // 10, "sixties")
    part = "early" if age % 10 <= 3 else "mid" if age % 10 <= 6 else "late"
    return f"{part} {tens}"


def _year_group(date_of_birth: date, day: date) -> int:
    academic_start = day.year if day.month >= 9 else day.year - 1
    return max(1, min(13, age_on(date_of_birth, date(academic_start, 8, 31)) - 4))


def cin_source_code_for(agency_key: str, team: str) -> str:
    """CIN census referral source code for a referrer's team (GP practice 3A, school 2A...)."""
    if team in GP_PRACTICES:
        return "3A"
    if team in SCHOOLS:
        return "2A"
    for agency, name, code in _REFERRER_TEAMS:
        if agency == agency_key and name == team:
            return code
    for _role, agency, name, code in _HUB_ROLES:
        if agency == agency_key and name == team:
            return code
    return {key: code for key, _name, code in _AGENCIES}.get(agency_key, "10")


def _surname_typo(rng: random.Random, surname: str) -> str:
    """The surname with exactly one edit (drop, swap, substitute or add a letter)."""
    letters = [i for i, ch in enumerate(surname) if ch.isalpha() and i > 0]
    for _ in range(20):
        op = rng.choice(("drop", "swap", "vowel", "add_e", "double"))
        if op == "drop" and len(letters) > 2:
            i = rng.choice(letters)
            candidate = surname[:i] + surname[i + 1 :]
        elif op == "swap" and len(letters) > 2:
            i = rng.choice(letters[:-1])
            if not surname[i + 1].isalpha():
                continue
            candidate = surname[:i] + surname[i + 1] + surname[i] + surname[i + 2 :]
        elif op == "vowel":
            vowels = [i for i in letters if surname[i] in "aeiou"]
            if not vowels:
                continue
            i = rng.choice(vowels)
            candidate = surname[:i] + rng.choice("aeiou".replace(surname[i], "")) + surname[i + 1 :]
        elif op == "add_e":
            candidate = surname[:-1] if surname.endswith("e") else surname + "e"
        else:
            i = rng.choice(letters)
            candidate = surname[: i + 1] + surname[i] + surname[i + 1 :]
        if candidate != surname and len(candidate) >= 2:
            return candidate
    return surname + "s"


def _surname_nickname(family: str) -> str:
    """ "Smithy" from Smith, "Davo" from Davidson: the way surnames become nicknames."""
    stem = re.sub("[^A-Za-z]", "", family.rsplit("'", maxsplit=1)[-1])
    if len(stem) <= 6:
        stem = stem[:-1] if stem.endswith("e") else stem
        return stem + ("o" if stem.endswith("y") else "y")
    vowel = next((i for i, ch in enumerate(stem) if i > 0 and ch in "aeiou"), 1)
    syllable = stem[: vowel + 2]
    return syllable + ("" if syllable[-1] in "cvwxyh" else syllable[-1]) + "o"


def _phone_format(rng: random.Random, canonical: str) -> str:
    digits = canonical.replace(" ", "")  # 07700900123
    style = rng.random()
    if style < 0.5:
        return canonical
    if style < 0.7:
        return digits
    if style < 0.9:
        return f"+44 {digits[1:5]} {digits[5:]}"
    return "+44" + digits[1:]


# --------------------------------------------------------------------------------------------
# Internal planning records
# --------------------------------------------------------------------------------------------


@dataclass
class _Street:
    name: str
    locality: str
    postcodes: tuple[str, ...]


@dataclass
class _Adult:
    key: str
    given: str
    family: str
    sex: Literal["female", "male"]
    age: int
    nickname: str
    phone: str
    vehicle: str | None
    vehicle_desc: str
    looks: tuple[str, ...]
    address: str


@dataclass
class _Place:
    key: str
    name: str
    kind: str
    street: str
    address: str
    postcode: str


@dataclass
class _Network:
    key: str
    adults: list[_Adult]
    places: list[_Place]
    children: list[int] = field(default_factory=list)
    start: date = date.min
    end: date = date.min


@dataclass
class _ChildPlan:
    index: int
    key: str
    given: str
    family: str
    sex: Sex
    address: str
    locality: str
    postcode: str
    carer: str
    unit: int
    network: int | None = None
    learning_disability: bool = False
    dates: list[date] = field(default_factory=list)
    date_of_birth: date = date.min
    school: str = ""
    gp: str = ""


@dataclass
class _OrdinaryAdult:
    role: str
    sentence: str
    name: str
    age: int | None
    address: str
    phone: str


@dataclass
class _Draft:
    order: int
    local: datetime
    agency: str
    children: tuple[int, ...]
    network: int | None = None
    adults: tuple[int, ...] = ()
    places: tuple[int, ...] = ()


# --------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------


class _Generator:
    def __init__(self, *, children: int, years: int, seed: int, end: date, networks: int):
        self.n_children = children
        self.seed = seed
        self.end = end
        self.start = _years_before(end, years) + timedelta(days=1)
        self.total_days = (end - self.start).days + 1
        self.n_networks = networks
        self.rng = random.Random(seed)
        self.fake = Faker("en_GB")
        self.fake.seed_instance(seed)
        self.used_usernames: set[str] = set()
        self.used_nhs: set[str] = set()
        self.used_regs: set[str] = set()
        self.used_place_names: set[str] = {name for name, _ in _ORDINARY_PLACES}
        self.used_nicknames: set[str] = set()
        self.phone_pool = [f"07700 {n}" for n in range(900000, 901000)]
        self.rng.shuffle(self.phone_pool)
        self.phone_overflow = 901000
        self.streets: list[_Street] = []
        self.children: list[_ChildPlan] = []
        self.units: list[list[int]] = []
        self.networks: list[_Network] = []
        self.drafts: list[_Draft] = []
        self.staff: list[StaffSpec] = []
        self.teams: list[TeamSpec] = []
        self.referrers: dict[str, list[StaffSpec]] = {}
        self.referrers_by_team: dict[str, list[StaffSpec]] = {}
        self.ordinary_adults: dict[int, dict[str, _OrdinaryAdult]] = {}
        self.ordinary_places: list[_Place] = []
        self.forced: dict[int, set[int]] = {}
        self.truth_adult_mentions: dict[str, list[str]] = {}
        self.truth_place_mentions: dict[str, list[str]] = {}
        self.truth_ordinary_persons: list[str] = []
        self.truth_ordinary_places: list[str] = []

    # ---- geography ---------------------------------------------------------------------------

    def _postcode(self, outward: str) -> str:
        letters = "".join(self.rng.choice(_INWARD_LETTERS) for _ in range(2))
        return f"{outward} {self.rng.randint(1, 9)}{letters}"

    def build_streets(self) -> None:
        combos = [f"{a} {b}" for a in _STREET_STEMS for b in _STREET_SUFFIXES]
        self.rng.shuffle(combos)
        for i, name in enumerate(combos[:180]):
            locality, outward = _LOCALITIES[i % len(_LOCALITIES)]
            codes = tuple(sorted({self._postcode(outward) for _ in range(2)}))
            self.streets.append(_Street(name, locality, codes))
        for name, kind in _ORDINARY_PLACES:
            street = self.rng.choice(self.streets)
            self.ordinary_places.append(
                _Place(
                    key="",
                    name=name,
                    kind=kind,
                    street=street.name,
                    address=f"{street.name}, {street.locality}",
                    postcode=street.postcodes[0],
                )
            )

    def _home(self) -> tuple[str, str, str]:
        street = self.rng.choice(self.streets)
        number = self.rng.randint(1, 180)
        if self.rng.random() < 0.15:
            building = self.rng.choice(_BUILDINGS)
            address = f"Flat {self.rng.randint(1, 40)}, {building}, {street.name}"
        else:
            address = f"{number} {street.name}"
        return f"{address}, {street.locality}", street.locality, self.rng.choice(street.postcodes)

    # ---- organisations -----------------------------------------------------------------------

    def _username(self, given: str, family: str) -> str:
        base = re.sub("[^a-z]", "", given.lower()) + "." + re.sub("[^a-z]", "", family.lower())
        name, n = base, 1
        while name in self.used_usernames:
            n += 1
            name = f"{base}{n}"
        self.used_usernames.add(name)
        return name

    def _add_staff(self, agency: str, team: str, role: str) -> StaffSpec:
        female = self.rng.random() < 0.6
        given = self.fake.first_name_female() if female else self.fake.first_name_male()
        family = self.fake.last_name()
        spec = StaffSpec(self._username(given, family), given, family, agency, team, role)
        self.staff.append(spec)
        if role == "referrer":
            self.referrers.setdefault(agency, []).append(spec)
            self.referrers_by_team.setdefault(team, []).append(spec)
        return spec

    def build_organisations(self) -> tuple[AgencySpec, ...]:
        agencies = tuple(AgencySpec(key, name, key, code) for key, name, code in _AGENCIES)
        seen: set[tuple[str, str]] = set()

        def add_team(
            agency: str, name: str, kind: Literal["school", "gp_practice", "team"], code: str
        ) -> None:
            if (agency, name) not in seen:
                seen.add((agency, name))
                self.teams.append(TeamSpec(agency, name, kind, code))

        for _role, agency, team, code in _HUB_ROLES:
            add_team(agency, team, "team", code)
        for agency, team, code in _REFERRER_TEAMS:
            add_team(agency, team, "team", code)
        for school in SCHOOLS:
            add_team("education", school, "school", "2A")
        for practice in GP_PRACTICES:
            add_team("health", practice, "gp_practice", "3A")

        for role, agency, team, _code in _HUB_ROLES:
            self._add_staff(agency, team, role)
        scale = min(4, 1 + self.n_children // 2000)
        referrer_teams: list[tuple[str, str, int]] = [
            (agency, team, 2 if agency == "police" else 1) for agency, team, _ in _REFERRER_TEAMS
        ]
        referrer_teams += [("education", school, 1) for school in SCHOOLS]
        referrer_teams += [("health", practice, 1) for practice in GP_PRACTICES]
        for agency, team, base in referrer_teams:
            for _ in range(base * scale):
                self._add_staff(agency, team, "referrer")
        return agencies

    # ---- children ----------------------------------------------------------------------------

    def build_children(self) -> None:
        index = 0
        while index < self.n_children:
            size = 2 if self.n_children - index >= 2 and self.rng.random() < 0.055 else 1
            unit_no = len(self.units)
            family = self.fake.last_name()
            address, locality, postcode = self._home()
            carer = _weighted(
                self.rng,
                (
                    ("mother", 62.0),
                    ("father", 11.0),
                    ("grandmother", 9.0),
                    ("aunt", 6.0),
                    ("foster carer", 12.0),
                ),
            )
            members: list[int] = []
            for _ in range(size):
                sex = _weighted(self.rng, _CHILD_SEX_WEIGHTS)
                self.children.append(
                    self._child(index, sex, family, address, locality, postcode, carer, unit_no)
                )
                members.append(index)
                index += 1
            self.units.append(members)

    def _child(
        self,
        index: int,
        sex: Sex,
        family: str,
        address: str,
        locality: str,
        postcode: str,
        carer: str,
        unit: int,
    ) -> _ChildPlan:
        if sex == "female":
            given = self.fake.first_name_female()
        elif sex == "male":
            given = self.fake.first_name_male()
        else:
            given = self.fake.first_name()
        return _ChildPlan(
            index=index,
            key=f"C{index + 1:06d}",
            given=given,
            family=family,
            sex=sex,
            address=address,
            locality=locality,
            postcode=postcode,
            carer=carer,
            unit=unit,
            learning_disability=self.rng.random() < 0.06,
            gp=self.rng.choice(GP_PRACTICES),
        )

    # ---- dates and times ---------------------------------------------------------------------

    def _window(self, length_days: int) -> tuple[date, date]:
        length = min(length_days, self.total_days - 1)
        first = self.start + timedelta(days=self.rng.randint(0, self.total_days - 1 - length))
        return first, first + timedelta(days=length)

    def _day_in(self, first: date, last: date) -> date:
        first, last = max(first, self.start), min(last, self.end)
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def _stamp(self, day: date, agency: str) -> datetime:
        """A local (Europe/London) time on or just before ``day``: office hours mostly."""
        in_hours = self.rng.random() < (0.6 if agency == "police" else 0.9)
        if in_hours and day.weekday() >= 5:
            friday = day - timedelta(days=day.weekday() - 4)
            if friday >= self.start:
                day = friday
            else:
                in_hours = False
        if in_hours:
            minutes = int(self.rng.triangular(8 * 60 + 30, 17 * 60 + 30, 11 * 60))
        elif self.rng.random() < 0.7:
            minutes = self.rng.randint(17 * 60 + 30, 23 * 60 + 59)
        else:
            minutes = self.rng.randint(0, 8 * 60 + 29)
        second = self.rng.randint(0, 59)
        return datetime(
            day.year, day.month, day.day, minutes // 60, minutes % 60, second, tzinfo=LONDON
        )

    def _draft(
        self,
        day: date,
        agency: str,
        children: tuple[int, ...],
        network: int | None = None,
        adults: tuple[int, ...] = (),
        places: tuple[int, ...] = (),
    ) -> _Draft:
        local = self._stamp(day, agency)
        draft = _Draft(len(self.drafts), local, agency, children, network, adults, places)
        self.drafts.append(draft)
        return draft

    # ---- networks ----------------------------------------------------------------------------

    def _phone(self) -> str:
        if self.phone_pool:
            return self.phone_pool.pop()
        self.phone_overflow += 1
        return f"07700 {self.phone_overflow}"

    def _registration(self) -> str:
        while True:
            area = self.rng.choice(_REG_AREA_FIRST) + self.rng.choice(_REG_LETTERS)
            age = self.rng.choice(
                [f"{y:02d}" for y in range(5, 25)] + [str(y) for y in range(55, 75)]
            )
            tail = "".join(self.rng.choice(_REG_LETTERS) for _ in range(3))
            reg = f"{area}{age} {tail}"
            if reg not in self.used_regs:
                self.used_regs.add(reg)
                return reg

    def _nickname(self, given: str, family: str, sex: str) -> str:
        for _ in range(30):
            style = self.rng.random()
            if sex == "female":
                nick = self.rng.choice(_FEMALE_NICKNAMES)
            elif style < 0.35:
                prefix = self.rng.choice(("Big", "Uncle", "Little", "Lil"))
                nick = f"{prefix} {given[0]}"
            elif style < 0.7:
                nick = self.rng.choice(_NICKNAMES)
            else:
                nick = _surname_nickname(family)
            if nick not in self.used_nicknames:
                self.used_nicknames.add(nick)
                return nick
        return nick

    def _unique_place_name(self, a: Sequence[str], b: Sequence[str]) -> str:
        for _ in range(50):
            name = f"{self.rng.choice(a)} {self.rng.choice(b)}"
            if name not in self.used_place_names:
                self.used_place_names.add(name)
                return name
        n = 2
        while f"{name} {n}" in self.used_place_names:
            n += 1
        self.used_place_names.add(f"{name} {n}")
        return f"{name} {n}"

    def _network_place(self, key: str, kind: str) -> _Place:
        street = self.rng.choice(self.streets)
        number = self.rng.randint(1, 160)
        postcode = self.rng.choice(street.postcodes)
        if kind == "flat":
            building = self.rng.choice(_BUILDINGS)
            name = f"Flat {self.rng.randint(1, 40)}, {building}"
            while name in self.used_place_names:
                name = f"Flat {self.rng.randint(1, 60)}, {building}"
            self.used_place_names.add(name)
            street_text = f"{number} {street.name}"
            address = f"{name}, {street_text}, {street.locality}"
            return _Place(key, name, kind, street_text, address, postcode)
        pools = {
            "takeaway": (_TAKEAWAY_A, _TAKEAWAY_B),
            "taxi_firm": (_TAXI_A, _TAXI_B),
            "hotel": (_HOTEL_A, _HOTEL_B),
            "park": (_PARK_A, _PARK_B),
            "shop": (_SHOP_A, _SHOP_B),
        }
        name = self._unique_place_name(*pools[kind])
        if kind == "park":
            return _Place(
                key, name, kind, street.name, f"{street.name}, {street.locality}", postcode
            )
        street_text = f"{number} {street.name}"
        return _Place(key, name, kind, street.name, f"{street_text}, {street.locality}", postcode)

    def _network_adult(self, key: str, principal: bool, flat: _Place | None) -> _Adult:
        sex: Literal["female", "male"] = "male" if self.rng.random() < 0.85 else "female"
        given = self.fake.first_name_male() if sex == "male" else self.fake.first_name_female()
        family = self.fake.last_name()
        age = self.rng.randint(24, 50) if principal else self.rng.randint(18, 45)
        has_vehicle = self.rng.random() < (0.75 if principal else 0.45)
        looks = (
            self.rng.choice(_BUILDS),
            self.rng.choice(_HAIR),
            self.rng.choice(_FEATURES[sex]),
            self.rng.choice(_CLOTHES),
        )
        address = flat.address if flat is not None and principal else self._home()[0]
        return _Adult(
            key=key,
            given=given,
            family=family,
            sex=sex,
            age=age,
            nickname=self._nickname(given, family, sex),
            phone=self._phone(),
            vehicle=self._registration() if has_vehicle else None,
            vehicle_desc=f"{self.rng.choice(_COLOURS)} {self.rng.choice(_VEHICLES)}",
            looks=looks,
            address=address,
        )

    def build_networks(self) -> None:
        if self.n_networks * 3 > self.n_children:
            raise ValueError(
                f"{self.n_networks} networks need at least {self.n_networks * 3} children"
            )
        singles = [unit[0] for unit in self.units if len(unit) == 1]
        while len(singles) < self.n_networks * 3:  # a small borough: split sibling pairs
            at = next(i for i, unit in enumerate(self.units) if len(unit) == 2)
            first, second = self.units[at]
            self.units[at] = [first]
            self.children[second].unit = len(self.units)
            self.units.append([second])
            singles += [first, second]
        self.rng.shuffle(singles)
        pool = singles
        for n in range(self.n_networks):
            key = f"N{n + 1:03d}"
            spare = len(pool) - 3 * (self.n_networks - n - 1)
            k = min(self.rng.randint(3, 8), spare)
            members, pool = pool[:k], pool[k:]
            kinds = self.rng.sample(
                ["takeaway", "taxi_firm", "flat", "park", "hotel", "shop"],
                k=self.rng.randint(1, 3),
                counts=[5, 4, 5, 2, 2, 1],
            )
            kinds = list(dict.fromkeys(kinds))
            places = [self._network_place(f"{key}-L{i + 1}", kind) for i, kind in enumerate(kinds)]
            flat = next((p for p in places if p.kind == "flat"), None)
            adults = [
                self._network_adult(f"{key}-A{i + 1}", i == 0, flat)
                for i in range(self.rng.randint(2, 5))
            ]
            network = _Network(key, adults, places, members)
            length = self.rng.randint(120, 420)
            network.start, network.end = self._window(length)
            self.networks.append(network)
            for child in members:
                plan = self.children[child]
                plan.network = n
                plan.sex = _weighted(self.rng, _NETWORK_CHILD_SEX_WEIGHTS)
                if plan.sex == "female":
                    plan.given = self.fake.first_name_female()
                else:
                    plan.given = self.fake.first_name_male()
                plan.learning_disability = self.rng.random() < 0.12

    def _network_drafts(self, n: int) -> None:
        network = self.networks[n]
        k = len(network.children)
        rng = self.rng
        assigned_adults: list[set[int]] = [set() for _ in range(k)]
        principal_share = max(2, math.ceil(k * 0.6))
        for c in rng.sample(range(k), principal_share):
            assigned_adults[c].add(0)
        for a in range(1, len(network.adults)):
            for c in rng.sample(range(k), rng.randint(2, min(k, 4))):
                assigned_adults[c].add(a)
        for c in range(k):
            if not assigned_adults[c]:
                assigned_adults[c].add(0)
        assigned_places: list[set[int]] = [set() for _ in range(k)]
        for p in range(len(network.places)):
            for c in rng.sample(range(k), rng.randint(2, min(k, 4))):
                assigned_places[c].add(p)

        first_draft = len(self.drafts)
        for c, child in enumerate(network.children):
            items = [("a", a) for a in sorted(assigned_adults[c])]
            items += [("p", p) for p in sorted(assigned_places[c])]
            rng.shuffle(items)
            m = rng.randint(2, 5)
            slots: list[list[tuple[str, int]]] = [[] for _ in range(m)]
            for i, item in enumerate(items):
                slots[i % m].append(item)
            for slot in slots:
                if not slot or rng.random() < 0.3:
                    extra = rng.choice(items)
                    if extra not in slot:
                        slot.append(extra)
            for slot in slots:
                day = self._day_in(network.start, network.end)
                agency = _weighted(rng, _NETWORK_AGENCY_WEIGHTS)
                adults = tuple(sorted(i for kind, i in slot if kind == "a"))
                places = tuple(sorted(i for kind, i in slot if kind == "p"))
                self._draft(day, agency, (child,), n, adults, places)
            for _ in range(rng.randint(0, 2)):
                day = self._day_in(
                    network.start - timedelta(days=180), network.end + timedelta(days=90)
                )
                self._draft(day, _weighted(rng, _AGENCY_WEIGHTS), (child,))
        mine = [d for d in self.drafts[first_draft:] if d.network == n]
        if len({d.agency for d in mine}) < 2:
            victim = rng.choice(mine)
            options = [(a, w) for a, w in _NETWORK_AGENCY_WEIGHTS if a != victim.agency]
            victim.agency = _weighted(rng, options)
            victim.local = self._stamp(victim.local.date(), victim.agency)

    def build_drafts(self) -> None:
        for n in range(len(self.networks)):
            self._network_drafts(n)
        for members in self.units:
            if self.children[members[0]].network is not None:
                continue
            if len(members) == 2:
                first, last = self._window(self.rng.randint(0, 540))
                for _ in range(self.rng.randint(1, 2)):
                    day = self._day_in(first, last)
                    agency = _weighted(
                        self.rng,
                        (("csc", 3.0), ("police", 3.0), ("education", 2.0), ("housing", 1.0)),
                    )
                    self._draft(day, agency, tuple(members))
                for child in members:
                    for _ in range(_weighted(self.rng, ((0, 40.0), (1, 45.0), (2, 15.0)))):
                        self._draft(
                            self._day_in(first, last),
                            _weighted(self.rng, _AGENCY_WEIGHTS),
                            (child,),
                        )
                continue
            count = _weighted(self.rng, ((1, 38.0), (2, 34.0), (3, 18.0), (4, 7.0), (5, 3.0)))
            first, last = self._window(self.rng.randint(0, 540) if count > 1 else 0)
            for _ in range(count):
                self._draft(
                    self._day_in(first, last), _weighted(self.rng, _AGENCY_WEIGHTS), (members[0],)
                )

    # ---- dates of birth and schools ----------------------------------------------------------

    def assign_births(self) -> None:
        ordinary_ages = (
            (8, 4.0),
            (9, 5.0),
            (10, 7.0),
            (11, 9.0),
            (12, 11.0),
            (13, 13.0),
            (14, 14.0),
            (15, 14.0),
            (16, 12.0),
            (17, 8.0),
        )
        network_ages = ((12, 10.0), (13, 18.0), (14, 24.0), (15, 24.0), (16, 16.0), (17, 8.0))
        for draft in self.drafts:
            for child in draft.children:
                self.children[child].dates.append(draft.local.date())
        for plan in self.children:
            dates = sorted(plan.dates) or [self._day_in(self.start, self.end)]
            low, high = dates[0] - timedelta(days=1), dates[-1] + timedelta(days=1)
            latest = _years_before(low, 8)  # 8 on the day before the first referral
            earliest = _years_before(high, 18) + timedelta(days=1)  # not yet 18 after the last
            if earliest > latest:
                raise RuntimeError(f"referrals for {plan.key} span too long a period")
            middle = low + (high - low) / 2
            age = _weighted(self.rng, network_ages if plan.network is not None else ordinary_ages)
            guess = _years_before(middle, age) - timedelta(days=self.rng.randint(0, 364))
            plan.date_of_birth = min(max(guess, earliest), latest)
            age_then = age_on(plan.date_of_birth, middle)
            if age_then < 11:
                plan.school = self.rng.choice(_PRIMARY_SCHOOLS)
            elif self.rng.random() < 0.04:
                plan.school = _PRU
            elif age_then >= 16 and self.rng.random() < 0.6:
                plan.school = _COLLEGE
            else:
                plan.school = self.rng.choice(_SECONDARY_SCHOOLS)

    # ---- narratives --------------------------------------------------------------------------

    def _context(self, plan: _ChildPlan, day: date, team: str) -> dict[str, Any]:
        p = _PRONOUNS[plan.sex]
        return {
            "name": plan.given,
            "subj": p.subj,
            "Subj": p.subj.capitalize(),
            "obj": p.obj,
            "poss": p.poss,
            "Poss": p.poss.capitalize(),
            "refl": p.refl,
            "is": p.is_,
            "was": p.was,
            "has": p.has,
            "s": p.s,
            "es": p.es,
            "age": age_on(plan.date_of_birth, day),
            "year": _year_group(plan.date_of_birth, day),
            "school": plan.school,
            "carer": plan.carer,
            "locality": plan.locality,
            "team": team,
            "the_team": team if team in GP_PRACTICES or team in SCHOOLS else f"the {team}",
            "The_team": team if team in GP_PRACTICES or team in SCHOOLS else f"The {team}",
            "gp": plan.gp,
            "when": _when(day - timedelta(days=self.rng.randint(0, 3))),
            "n": self.rng.randint(2, 6),
            "pct": self.rng.randint(55, 88),
            "ordinal": _ordinal(self.rng.randint(2, 7)),
            "oplace": self.rng.choice(
                (
                    "at a friend's house",
                    "at a bus stop",
                    "in the town centre",
                    "at a relative's address",
                )
            ),
            "BOROUGH": BOROUGH_NAME,
        }

    def _person_text(self, adult: _Adult, mention: PersonNamed) -> str:
        noun = "man" if adult.sex == "male" else "woman"
        if mention.name and mention.nickname:
            return f'{mention.name} (known as "{mention.nickname}")'
        if mention.name:
            return mention.name
        if mention.nickname:
            return f'a {noun} known as "{mention.nickname}"'
        return f"an adult {noun}"

    def _person_details(
        self, adult: _Adult, mention: PersonNamed, ctx: dict[str, Any]
    ) -> list[str]:
        he, his = ("He", "his") if adult.sex == "male" else ("She", "her")
        out: list[str] = []
        if mention.approximate_age is not None:
            out.append(
                self.rng.choice(
                    (
                        f"{he} is thought to be about {mention.approximate_age} years old.",
                        f"{he} is believed to be in {his} {_age_band(mention.approximate_age)}.",
                        f"{he} was said to be around {mention.approximate_age}.",
                    )
                )
            )
        if mention.description:
            out.append(f"Description given: {mention.description}.")
        reg = mention.vehicle_registration
        if reg:
            if reg.replace(" ", "") == (adult.vehicle or "").replace(" ", ""):
                out.append(
                    self.rng.choice(
                        (
                            f"{he} drives a {adult.vehicle_desc}, registration {reg}.",
                            f"The car was a {adult.vehicle_desc}, registration {reg}.",
                        )
                    )
                )
            else:
                out.append(
                    f"The car was a {adult.vehicle_desc}; the registration was partially "
                    f"noted as {reg}."
                )
        if mention.phone:
            label = mention.nickname or mention.name.split(" ")[0] or "a contact"
            out.append(
                self.rng.choice(
                    (
                        f'{ctx["name"]} has this number saved in {ctx["poss"]} phone as "{label}": '
                        f"{mention.phone}.",
                        f"Calls and messages to {ctx['name']}'s phone come from {mention.phone}.",
                        f"{he} contacts {ctx['name']} on {mention.phone}.",
                    )
                )
            )
        if mention.address:
            out.append(f"{he} is believed to live at {mention.address}.")
        return out

    def _network_mention(self, key: str, adult: _Adult, force_identifier: bool) -> PersonNamed:
        rng = self.rng
        r = rng.random()
        if r < 0.3:
            name = f"{adult.given} {adult.family}"
        elif r < 0.45 and adult.given in NAME_VARIANTS:
            name = f"{rng.choice(NAME_VARIANTS[adult.given])} {adult.family}"
        elif r < 0.55:
            name = f"{adult.given} {_surname_typo(rng, adult.family)}"
        elif r < 0.63:
            name = adult.given
        elif r < 0.68:
            name = f"{adult.given[0]}. {adult.family}"
        else:
            name = ""
        nickname = ""
        if (not name and rng.random() < 0.8) or (name and rng.random() < 0.4):
            nickname = adult.nickname
            v = rng.random()
            if v < 0.1:
                nickname = nickname.lower()
            elif v < 0.2 and " " in nickname:
                nickname = nickname.replace(" ", "")
        vehicle = ""
        if adult.vehicle and (force_identifier or rng.random() < 0.5):
            v = rng.random()
            if v < 0.5:
                vehicle = adult.vehicle
            elif v < 0.6:
                vehicle = adult.vehicle.replace(" ", "")
            elif v < 0.8:
                vehicle = adult.vehicle.split(" ")[0]
            else:
                vehicle = "\u2026" + adult.vehicle.split(" ")[1]
        phone = ""
        unnamed = not (name or nickname)
        if force_identifier or rng.random() < 0.35 or (unnamed and len(vehicle) < 7):
            # An adult recorded by neither name nor nickname is identified by a phone number
            # or a full registration.
            phone = _phone_format(rng, adult.phone)
        age: int | None = None
        if rng.random() < 0.7:
            age = max(
                17,
                adult.age
                + _weighted(
                    rng, ((0, 3.0), (-2, 2.0), (2, 2.0), (-4, 1.0), (4, 1.0), (-1, 2.0), (1, 2.0))
                ),
            )
        description = ""
        if rng.random() < 0.5:
            parts = rng.sample(adult.looks, k=rng.randint(1, 3))
            description = ", ".join(parts)
        address = adult.address if rng.random() < 0.12 else ""
        return PersonNamed(key, name, nickname, age, description, phone, vehicle, address)

    def _ordinary_adult(self, plan: _ChildPlan) -> _OrdinaryAdult:
        unit = self.ordinary_adults.setdefault(plan.unit, {})
        if unit and self.rng.random() < 0.5:
            return unit[self.rng.choice(sorted(unit))]
        role, sex, sentence = self.rng.choice(_ORDINARY_ROLES)
        if role in unit:
            return unit[role]
        female = sex == "female" or (sex == "any" and self.rng.random() < 0.5)
        given = self.fake.first_name_female() if female else self.fake.first_name_male()
        family = plan.family if role in ("uncle", "father", "aunt") else self.fake.last_name()
        if role == "grandmother":
            age: int | None = self.rng.randint(55, 75)
        else:
            age = self.rng.randint(25, 55) if self.rng.random() < 0.6 else None
        adult = _OrdinaryAdult(
            role=role,
            sentence=sentence,
            name=f"{given} {family}",
            age=age,
            address=self._home()[0] if role == "neighbour" else "",
            phone=self._phone() if self.rng.random() < 0.08 and self.phone_pool else "",
        )
        unit[role] = adult
        return adult

    def _compose(self, draft: _Draft, key: str) -> ReferralSpec:
        rng = self.rng
        plans = [self.children[c] for c in draft.children]
        plan = plans[0]
        day = draft.local.date()
        if draft.agency == "education":
            staff_pool = self.referrers_by_team.get(plan.school) or self.referrers["education"]
        elif draft.agency == "health":
            gp_staff = self.referrers_by_team.get(plan.gp, [])
            others = [s for s in self.referrers["health"] if s.team not in GP_PRACTICES]
            staff_pool = gp_staff if gp_staff and rng.random() < 0.35 else others
        else:
            staff_pool = self.referrers[draft.agency]
        referrer = rng.choice(staff_pool)
        ctx = self._context(plan, day, referrer.team)
        categories: list[str] = []
        sentences: list[str] = []
        persons: list[PersonNamed] = []
        places: list[PlaceNamed] = []

        def say(template: str, cats: Sequence[str] = (), **extra: Any) -> None:
            sentences.append(template.format_map({**ctx, **extra}))
            categories.extend(cats)

        network = self.networks[draft.network] if draft.network is not None else None
        network_no = draft.network if draft.network is not None else -1
        if network is not None:
            urgency = _weighted(rng, _NETWORK_URGENCY)
            child_aware = rng.random() < 0.6
            family_aware = rng.random() < 0.65
        else:
            urgency = _weighted(rng, _ORDINARY_URGENCY)
            child_aware = rng.random() < 0.8
            family_aware = rng.random() < 0.85

        if len(plans) == 2:
            other = plans[1]
            say(
                "This referral concerns {name} ({age}) and {poss} sibling {other} ({other_age}), "
                "who live with their {carer} in {locality}.",
                other=other.given,
                other_age=age_on(other.date_of_birth, day),
            )
            for text, cats in rng.sample(_SIBLING_TEMPLATES, k=rng.randint(1, 2)):
                say(text, cats)
        elif referrer.team in GP_PRACTICES:
            say(rng.choice(_GP_OPENINGS))
        else:
            say(rng.choice(_OPENINGS[draft.agency]))

        if network is not None:
            forced = self.forced.setdefault(network_no, set())
            templates = [t for t in _CSE_PERSON if not t[2] or draft.agency in t[2]]
            rng.shuffle(templates)
            for i, a in enumerate(draft.adults):
                adult = network.adults[a]
                force = a == 0 and len(forced) < 2 and plan.index not in forced
                if force:
                    forced.add(plan.index)
                mention = self._network_mention(f"{key}-P{len(persons) + 1}", adult, force)
                persons.append(mention)
                self.truth_adult_mentions.setdefault(adult.key, []).append(mention.mention_key)
                text, cats, _ = templates[i % len(templates)]
                say(
                    text,
                    cats,
                    person=self._person_text(adult, mention),
                    partner="boyfriend" if adult.sex == "male" else "girlfriend",
                )
                sentences.extend(self._person_details(adult, mention, ctx))
            for p in draft.places:
                place = network.places[p]
                mention_key = f"{key}-L{len(places) + 1}"
                places.append(
                    PlaceNamed(
                        mention_key,
                        place.name,
                        place.kind,
                        place.address if rng.random() < 0.75 else "",
                        place.postcode if rng.random() < 0.6 else "",
                    )
                )
                self.truth_place_mentions.setdefault(place.key, []).append(mention_key)
                say(
                    rng.choice(_CSE_PLACE[place.kind]),
                    ("sexual_exploitation",),
                    place=place.name,
                    street=place.street,
                )
            if rng.random() < 0.5:
                text, cats = rng.choice(_CSE_GENERIC)
                say(text, cats)
            if rng.random() < 0.7:
                say(rng.choice(_CSE_ASSESSMENT), ("sexual_exploitation",))
        else:
            if len(plans) == 1:
                themes = _AGENCY_THEMES[draft.agency]
                chosen: list[str] = []
                for _ in range(rng.choice((1, 1, 2, 2, 3))):
                    theme = _weighted(rng, themes)
                    if theme not in chosen:
                        chosen.append(theme)
                for theme in chosen:
                    for text, cats in rng.sample(_THEMES[theme], k=min(2, rng.randint(1, 2))):
                        say(text, cats)
                if age_on(plan.date_of_birth, day) >= 11 and rng.random() < 0.06:
                    text, cats = rng.choice(_CSE_GENERIC)
                    say(text, cats)
            if rng.random() < 0.18:
                adult_o = self._ordinary_adult(plan)
                name = adult_o.name
                if rng.random() < 0.1:
                    given, _, family = name.partition(" ")
                    if given in NAME_VARIANTS:
                        name = f"{rng.choice(NAME_VARIANTS[given])} {family}"
                mention = PersonNamed(
                    f"{key}-P{len(persons) + 1}",
                    name,
                    "",
                    adult_o.age,
                    "",
                    adult_o.phone,
                    "",
                    adult_o.address,
                )
                persons.append(mention)
                self.truth_ordinary_persons.append(mention.mention_key)
                say(adult_o.sentence, pname=name, paddr=adult_o.address)
            if rng.random() < 0.12:
                mention_key = f"{key}-L{len(places) + 1}"
                self.truth_ordinary_places.append(mention_key)
                if rng.random() < 0.2:
                    places.append(
                        PlaceNamed(mention_key, f"{plan.school} gates", "school_gate", "", "")
                    )
                    say(
                        "{name} has been seen waiting at the gates of {school} after the end of "
                        "the school day."
                    )
                else:
                    place = rng.choice(self.ordinary_places)
                    places.append(
                        PlaceNamed(
                            mention_key, place.name, place.kind, place.address, place.postcode
                        )
                    )
                    say(
                        rng.choice(
                            (
                                "{name} has been spending evenings at {place} until late.",
                                "{name} was seen at {place} during school hours {when}.",
                                "Young people are said to gather at {place} in the evenings.",
                            )
                        ),
                        place=place.name,
                    )
        if rng.random() < (0.15 if network is not None else 0.3):
            say(rng.choice(_POSITIVE))
        if child_aware:
            say("{name} is aware of this referral.")
        else:
            say(
                "{name} has not been told about this referral yet, as it may increase the risk "
                "to {obj}."
                if network is not None
                else "{name} has not yet been told about this referral."
            )
        if not family_aware:
            say(
                "The family have not been informed because doing so may place {name} at "
                "greater risk."
                if network is not None
                else "The family have not yet been told about this referral."
            )
        say(rng.choice(_CLOSINGS[urgency]))
        if not categories:
            categories.append("emotional_wellbeing")
        ordered = tuple(c for c in CONCERN_CATEGORIES if c in set(categories))
        channel = _weighted(rng, _CHANNEL_WEIGHTS.get(draft.agency, _DEFAULT_CHANNELS))
        return ReferralSpec(
            key=key,
            received_at=draft.local.astimezone(UTC),
            agency_key=draft.agency,
            referrer_username=referrer.username,
            channel=channel,
            child_keys=tuple(self.children[c].key for c in draft.children),
            narrative=" ".join(sentences),
            concern_categories=ordered,
            persons_named=tuple(persons),
            places_named=tuple(places),
            child_aware=child_aware,
            family_aware=family_aware,
            urgency=urgency,
            network_key=network.key if network is not None else None,
        )

    # ---- assembly ----------------------------------------------------------------------------

    def run(self) -> Borough:
        self.build_streets()
        agencies = self.build_organisations()
        self.build_children()
        self.build_networks()
        self.build_drafts()
        self.assign_births()
        ordered = sorted(self.drafts, key=lambda d: (d.local.astimezone(UTC), d.order))
        referrals = tuple(self._compose(d, f"R{i + 1:07d}") for i, d in enumerate(ordered))
        children: list[ChildSpec] = []
        for p in self.children:
            nhs = _nhs_number(self.rng, self.used_nhs) if self.rng.random() < 0.95 else None
            children.append(
                ChildSpec(
                    key=p.key,
                    given_name=p.given,
                    family_name=p.family,
                    date_of_birth=p.date_of_birth,
                    sex=p.sex,
                    address=p.address,
                    postcode=p.postcode,
                    school=p.school,
                    nhs_number=nhs,
                    has_learning_disability=p.learning_disability,
                )
            )
        return Borough(
            seed=self.seed,
            name=BOROUGH_NAME,
            agencies=agencies,
            staff=tuple(self.staff),
            children=tuple(children),
            referrals=referrals,
            truth=self._truth(referrals),
            teams=tuple(self.teams),
        )

    def _truth(self, referrals: tuple[ReferralSpec, ...]) -> dict[str, Any]:
        mention_referral: dict[str, ReferralSpec] = {}
        for referral in referrals:
            for person in referral.persons_named:
                mention_referral[person.mention_key] = referral
            for place in referral.places_named:
                mention_referral[place.mention_key] = referral
        person_by_key = {p.mention_key: p for r in referrals for p in r.persons_named}
        networks: list[dict[str, Any]] = []
        for network in self.networks:
            net_referrals = [r for r in referrals if r.network_key == network.key]
            alert_at: ReferralSpec | None = None
            adults_out: list[dict[str, Any]] = []
            vehicles: list[str] = []
            phones: list[str] = []
            for adult in network.adults:
                keys = self.truth_adult_mentions.get(adult.key, [])
                seen_children: set[str] = set()
                for mention_key in keys:  # in chronological order
                    referral = mention_referral[mention_key]
                    seen_children.update(referral.child_keys)
                    if len(seen_children) >= 2:
                        if alert_at is None or referral.received_at < alert_at.received_at:
                            alert_at = referral
                        break
                mentions = [person_by_key[k] for k in keys]
                if adult.vehicle and any(m.vehicle_registration for m in mentions):
                    vehicles.append(adult.vehicle)
                if any(m.phone for m in mentions):
                    phones.append(adult.phone)
                adults_out.append(
                    {
                        "adult_key": adult.key,
                        "canonical_name": f"{adult.given} {adult.family}",
                        "nickname": adult.nickname,
                        "sex": adult.sex,
                        "age_at_start": adult.age,
                        "phone": adult.phone,
                        "vehicle_registration": adult.vehicle or "",
                        "address": adult.address,
                        "mention_keys": keys,
                    }
                )
            networks.append(
                {
                    "key": network.key,
                    "adults": adults_out,
                    "places": [
                        {
                            "place_key": place.key,
                            "name": place.name,
                            "kind": place.kind,
                            "address": place.address,
                            "postcode": place.postcode,
                            "mention_keys": self.truth_place_mentions.get(place.key, []),
                        }
                        for place in network.places
                    ],
                    "vehicles": vehicles,
                    "phones": phones,
                    "child_keys": [self.children[c].key for c in network.children],
                    "referral_keys": [r.key for r in net_referrals],
                    "agency_keys": sorted({r.agency_key for r in net_referrals}),
                    "period": [network.start.isoformat(), network.end.isoformat()],
                    "first_possible_alert_referral_key": alert_at.key if alert_at else None,
                }
            )
        by_agency: dict[str, int] = dict.fromkeys(AGENCY_KINDS, 0)
        for referral in referrals:
            by_agency[referral.agency_key] += 1
        person_mentions = sum(len(r.persons_named) for r in referrals)
        place_mentions = sum(len(r.places_named) for r in referrals)
        network_person = sum(len(a["mention_keys"]) for n in networks for a in n["adults"])
        network_place = sum(len(p["mention_keys"]) for n in networks for p in n["places"])
        return {
            "seed": self.seed,
            "borough": BOROUGH_NAME,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "networks": networks,
            "ordinary_person_mentions": list(self.truth_ordinary_persons),
            "ordinary_place_mentions": list(self.truth_ordinary_places),
            "counts": {
                "agencies": len(_AGENCIES),
                "staff": len(self.staff),
                "children": len(self.children),
                "referrals": len(referrals),
                "sibling_referrals": sum(1 for r in referrals if len(r.child_keys) > 1),
                "networks": len(networks),
                "network_children": sum(len(n["child_keys"]) for n in networks),
                "network_referrals": sum(len(n["referral_keys"]) for n in networks),
                "person_mentions": person_mentions,
                "network_person_mentions": network_person,
                "ordinary_person_mentions": len(self.truth_ordinary_persons),
                "place_mentions": place_mentions,
                "network_place_mentions": network_place,
                "ordinary_place_mentions": len(self.truth_ordinary_places),
                "referrals_by_agency": by_agency,
            },
        }


def generate_borough(
    *,
    children: int,
    years: int,
    seed: int,
    end: date = date(2026, 10, 31),
    networks: int | None = None,
) -> Borough:
    """A synthetic borough: the same arguments always give an equal ``Borough``.

    ``networks`` defaults to ``max(1, children // 150)`` (0 when there are fewer than 3
    children); each network needs 3 children of its own, so ``ValueError`` is raised when
    ``networks`` asks for more than the children allow.
    """
    if children < 0:
        raise ValueError("children must not be negative")
    if years < 1:
        raise ValueError("years must be at least 1")
    if networks is None:
        networks = max(1, children // 150) if children >= 3 else 0
    if networks < 0:
        raise ValueError("networks must not be negative")
    return _Generator(children=children, years=years, seed=seed, end=end, networks=networks).run()


def write_truth(borough: Borough, path: Path) -> None:
    """Write the ground truth as JSON (sorted keys, indent 1). Never load it into the database."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(borough.truth, sort_keys=True, indent=1) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic borough and report it.")
    parser.add_argument("--children", type=int, default=5000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--networks", type=int, default=None)
    parser.add_argument("--truth", type=Path, default=None, help="write the ground truth here")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    borough = generate_borough(
        children=args.children, years=args.years, seed=args.seed, networks=args.networks
    )
    elapsed = time.perf_counter() - began
    counts = borough.truth["counts"]
    print(json.dumps(counts, indent=1, sort_keys=True))
    print(f"referrals per child: {counts['referrals'] / max(1, counts['children']):.2f}")
    print(f"generated in {elapsed:.2f}s")
    if args.truth is not None:
        write_truth(borough, args.truth)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Invented geography, organisations and the vocabularies a borough is drawn from."""

from __future__ import annotations

from typing import Final
from zoneinfo import ZoneInfo

from sightline.demo.generator.specs import Channel, Sex, Urgency


def split_words(text: str) -> tuple[str, ...]:
    """A word list written as "one | two | three"."""
    return tuple(part.strip() for part in text.split("|"))


CHILD_SEX_WEIGHTS: tuple[tuple[Sex, float], ...] = (
    ("female", 52.0),
    ("male", 46.0),
    ("unknown", 2.0),
)
NETWORK_CHILD_SEX_WEIGHTS: tuple[tuple[Sex, float], ...] = (("female", 80.0), ("male", 20.0))
NETWORK_URGENCY: tuple[tuple[Urgency, float], ...] = (
    ("routine", 30.0),
    ("urgent", 50.0),
    ("immediate", 20.0),
)
ORDINARY_URGENCY: tuple[tuple[Urgency, float], ...] = (
    ("routine", 75.0),
    ("urgent", 20.0),
    ("immediate", 5.0),
)


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


LOCALITIES: Final[tuple[tuple[str, str], ...]] = (
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
INWARD_LETTERS: Final = "ABDEFGHJLNPQRSTUWXYZ"
STREET_STEMS: Final[tuple[str, ...]] = split_words(
    "Alder | Bracken | Cinder | Drover | Elder | Fenwick | Gorse | Harrow | Ivybridge | Juniper "
    "| Kestrel | Larch | Marlow | Nettle | Oriel | Pellow | Quarry | Rookery | Sorrel | Tansy | "
    "Umber | Vetch | Wren | Yarrow | Linnet | Mallard | Heron | Tanners | Coppice | Thistle"
)
STREET_SUFFIXES: Final[tuple[str, ...]] = split_words(
    "Street | Road | Lane | Close | Avenue | Way | Crescent | Gardens | Terrace | Walk | Drive | "
    "Grove"
)
BUILDINGS: Final[tuple[str, ...]] = split_words(
    "Kestrel House | Tanner Court | Heron Point | Wharf House | Linnet Court | Foundry House | "
    "Mill Court | Beacon Heights | Orchard Court | Ropewalk House | Gable Court | Sorrel House"
)

PRIMARY_SCHOOLS: Final[tuple[str, ...]] = (
    "Millgate Primary School",
    "Fenwick Lane Primary School",
    "Tanners End C of E Primary School",
    "Orchard Hill Primary Academy",
)
SECONDARY_SCHOOLS: Final[tuple[str, ...]] = (
    "Northbrook Academy",
    "Harrowgate Community School",
    "Kestrel Vale High School",
    "Holy Vale Catholic High School",
    "Ashcombe Park School",
)
COLLEGE: Final = "Northbrook Sixth Form College"
PRU: Final = "Brookside Learning Centre"
SCHOOLS: Final[tuple[str, ...]] = (*PRIMARY_SCHOOLS, *SECONDARY_SCHOOLS, COLLEGE, PRU)
GP_PRACTICES: Final[tuple[str, ...]] = (
    "Kestrel Park Surgery",
    "Brookside Medical Centre",
    "Millgate Health Centre",
    "Ashcombe Family Practice",
    "Tanners End Surgery",
)

# (agency key, agency name, CIN referral source code)
AGENCIES: Final[tuple[tuple[str, str, str], ...]] = (
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
REFERRER_TEAMS: Final[tuple[tuple[str, str, str], ...]] = (
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
HUB_ROLES: Final[tuple[tuple[str, str, str, str], ...]] = (
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
AGENCY_WEIGHTS: Final[tuple[tuple[str, float], ...]] = (
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
NETWORK_AGENCY_WEIGHTS: Final[tuple[tuple[str, float], ...]] = (
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
CHANNEL_WEIGHTS: Final[dict[str, tuple[tuple[Channel, float], ...]]] = {
    "police": (("api", 55.0), ("phone", 20.0), ("email", 15.0), ("web_form", 10.0)),
    "health": (("api", 35.0), ("web_form", 35.0), ("email", 15.0), ("phone", 15.0)),
    "education": (("web_form", 70.0), ("email", 15.0), ("phone", 15.0)),
    "csc": (("web_form", 60.0), ("phone", 25.0), ("email", 15.0)),
}
DEFAULT_CHANNELS: Final[tuple[tuple[Channel, float], ...]] = (
    ("web_form", 60.0),
    ("phone", 20.0),
    ("email", 20.0),
)

# Network places are named "<one of A> <one of B>" ("Golden Grill", "Starline Cars").
TAKEAWAY_A: Final[tuple[str, ...]] = split_words(
    "Golden | Royal | Lucky | Star | Sunny | Crown | Ocean | Express | Best | Corner | Night Owl "
    "| Jubilee"
)
TAKEAWAY_B: Final[tuple[str, ...]] = split_words(
    "Grill | Pizza | Kebab House | Chicken | Fish Bar | Spice | Burger Bar | Noodle Bar"
)
TAXI_A: Final[tuple[str, ...]] = split_words(
    "Starline | Citylink | Ace | Arrow | Eagle | Northway | Prime | Swift | Comet | Blue Line | "
    "Valley | Metro"
)
TAXI_B: Final = ("Cars", "Taxis", "Private Hire")
HOTEL_A: Final[tuple[str, ...]] = split_words(
    "Canal View | Parkway | Station | Riverside | Gateway | Beacon | Wharfside | Kingfisher"
)
HOTEL_B: Final = ("Hotel", "Inn", "Lodge", "Guest House")
PARK_A: Final[tuple[str, ...]] = split_words(
    "Cinder Lane | Fenwick | Rookery | Quarry Hill | Gorse | Mallard | Coppice | Nettle Bank"
)
PARK_B: Final = ("Park", "Recreation Ground", "Playing Fields")
SHOP_A: Final[tuple[str, ...]] = split_words(
    "Quickstop | Handy | Late | Sunrise | Village | Nightowl | Corner | Value"
)
SHOP_B: Final = ("Convenience Store", "Mini Market", "Vape Shop", "Off Licence")

# Ordinary places named in ordinary referrals (never part of a network).
ORDINARY_PLACES: Final[tuple[tuple[str, str], ...]] = (
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

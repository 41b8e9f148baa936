"""Who the borough's adults are: common surnames, hyphenated and multi-part surnames, and given
names from the borough's communities with the short forms they go by.

Invented tables of common names (no real person is meant); a name is made by combining a given
name and a surname drawn independently. The short forms are the ones a referrer hears ("Seun"
for Oluwaseun, "Tomek" for Tomasz, "Kev" for Kevin) and are deliberately not in the matcher's
own nickname table: the linking benchmark measures how an unseen short form is handled.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Final

from sightline.demo.generator.vocab import split_words

# The commonest surnames in an English borough: ordinary adults share them with network adults,
# so that a surname alone is weak evidence.
COMMON_SURNAMES: Final[tuple[str, ...]] = split_words(
    "Smith | Jones | Williams | Brown | Taylor | Davies | Evans | Wilson | Johnson | Roberts | "
    "Khan | Ali | Ahmed | Hussain | Begum | Patel | Shah | Mohamed | Hassan | Rahman | Walker | "
    "Wright | Thompson | White | Green | Hall | Wood | Clarke | Lewis | Scott"
)


@dataclass(frozen=True)
class Community:
    """Given names (with their short forms) and surnames of one of the borough's communities."""

    key: str
    male: dict[str, tuple[str, ...]]
    female: dict[str, tuple[str, ...]]
    surnames: tuple[str, ...]


def _names(text: str) -> dict[str, tuple[str, ...]]:
    """ "Oluwaseun: Seun Shola | Adebayo: Bayo" -> {given: short forms}."""
    table: dict[str, tuple[str, ...]] = {}
    for part in split_words(text):
        given, _, shorts = part.partition(":")
        table[given.strip()] = tuple(shorts.split())
    return table


COMMUNITIES: Final[tuple[Community, ...]] = (
    Community(
        "west_african",
        _names(
            "Oluwaseun: Seun | Adebayo: Bayo | Babatunde: Tunde Baba | Chukwuemeka: Emeka | "
            "Olusegun: Segun | Oluwatobi: Tobi | Kwabena: Kobby | Kwame: Kay | Olumide: Mide | "
            "Ikechukwu: Ike"
        ),
        _names("Oluwakemi: Kemi | Folasade: Sade Fola | Adaeze: Ada | Abimbola: Bimbo"),
        split_words(
            "Adeyemi | Okafor | Balogun | Okonkwo | Mensah | Boateng | Owusu | Adebayo | "
            "Olawale | Nwosu"
        ),
    ),
    Community(
        "south_asian",
        _names(
            "Mohammed: Mo Mohd Mamu | Imran: Immy | Shahid: Shady | Zubair: Zubi | "
            "Abdul: Abdu | Tariq: Taz | Waqar: Wiki | Naveed: Nav | "
            "Harpreet: Harry Preet | Rajinder: Raj Jindy"
        ),
        _names("Nasreen: Naz | Shabana: Shabs | Parveen: Pinky | Jaspreet: Jas"),
        split_words(
            "Khan | Hussain | Ali | Ahmed | Iqbal | Akhtar | Begum | Uddin | Miah | Rahman | "
            "Chaudhry | Sandhu | Gill"
        ),
    ),
    Community(
        "east_african",
        _names(
            "Abdullahi: Abdi | Abdirahman: Abdi Rahman | Mohamed: Moha Maxamed | "
            "Abdikarim: Karim | Yusuf: Yusi"
        ),
        _names("Hodan: Hodi | Fadumo: Fadi | Ayaan: Aya"),
        split_words("Mohamed | Abdi | Hassan | Warsame | Farah | Osman | Ahmed | Jama"),
    ),
    Community(
        "eastern_european",
        _names(
            "Krzysztof: Krzysiek Kris | Tomasz: Tomek | Wojciech: Wojtek | Grzegorz: Grzesiek "
            "Greg | Aleksander: Olek | Constantin: Costel | Gheorghe: George Ghita | Mihai: "
            "Mishu | Arben: Beni | Besnik: Besi"
        ),
        _names("Katarzyna: Kasia | Malgorzata: Gosia | Ioana: Ionela"),
        split_words(
            "Nowak | Kowalski | Wisniewski | Lewandowski | Popescu | Ionescu | Dumitru | Hoxha | "
            "Krasniqi"
        ),
    ),
)

# Short forms a referrer hears for a common English given name ("street" names), not in the
# variant table the generator uses for spellings: "Kev", "Del", "Wazza".
STREET_SHORT: Final[dict[str, tuple[str, ...]]] = _names(
    "Kevin: Kev Kevo | Derek: Del | Terence: Tel | Terry: Tel | Warren: Wazza Woz | "
    "Sharon: Shaz | Karen: Kaz | Jamal: Jay | Andre: Dre | Nathan: Nath Natty | "
    "Dean: Deano | Paul: Paulie | Leon: Lenny | Jermaine: Maino | Kyle: Kyley | "
    "Ryan: Ry | Craig: Craigy | Lewis: Lew | Callum: Cal | Liam: Li | Jordan: Jord | "
    "Aaron: Az | Harry: Haz | Marcus: Marky | Tyrone: Ty | Curtis: Curt | Shane: Shaney"
)


def street_short(given: str) -> str:
    """A short form of a given name the matcher has never seen: "Kev" from Kevin, else the
    first syllable with a "z" or an "o" ("Daz", "Dez", "Stevo")."""
    if given in STREET_SHORT:
        return STREET_SHORT[given][0]
    for community in COMMUNITIES:
        shorts = community.male.get(given) or community.female.get(given)
        if shorts:
            return shorts[0]
    letters = "".join(ch for ch in given if ch.isalpha())
    vowel = next((i for i, ch in enumerate(letters) if i > 0 and ch.lower() in "aeiouy"), 1)
    if len(letters) % 2:
        return letters[: vowel + 1] + "z"  # Daz, Dez, Kaz
    return letters[: vowel + 2] + "o"  # Stevo, Robo, Jono


def first_syllable(given: str) -> str:
    """ "Abdu" from Abdullahi, "Ke" from Kevin: the name up to and including its first vowel."""
    letters = "".join(ch for ch in given if ch.isalpha())
    vowel = next((i for i, ch in enumerate(letters) if i > 0 and ch.lower() in "aeiouy"), 1)
    return letters[: vowel + 1]


def short_forms(given: str) -> tuple[str, ...]:
    """Every unseen short form of ``given`` the generator may write."""
    found: tuple[str, ...] = STREET_SHORT.get(given, ())
    for community in COMMUNITIES:
        found += community.male.get(given, ()) + community.female.get(given, ())
    return found or (street_short(given),)


def community_name(rng: random.Random, sex: str) -> tuple[str, str, str]:
    """(community key, given name, surname) from one of the borough's communities."""
    community = rng.choice(COMMUNITIES)
    table = community.female if sex == "female" else community.male
    return community.key, rng.choice(sorted(table)), rng.choice(community.surnames)


def hyphenated(first: str, second: str) -> str:
    """ "Attwell-Boateng": two surnames joined, the way a family keeps both."""
    return first if first == second else f"{first}-{second}"

"""How adults are named and written down: name variants, nicknames, vehicles, looks, typos."""

from __future__ import annotations

import random
import re
from typing import Final

from sightline.demo.generator.vocab import split_words

# Spelling variants and short forms of common Faker en_GB given names (invented table).
NAME_GROUPS: Final[tuple[tuple[str, ...], ...]] = tuple(
    tuple(group.split())
    for group in split_words(
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
    for group in NAME_GROUPS:
        for name in group:
            bucket = table.setdefault(name, [])
            bucket.extend(other for other in group if other != name and other not in bucket)
    return {name: tuple(others) for name, others in table.items()}


NAME_VARIANTS: Final[dict[str, tuple[str, ...]]] = _build_variants()

NICKNAMES: Final[tuple[str, ...]] = split_words(
    "Kaz | Smudge | Ginge | Tank | Boss | Ace | Wiz | Jonno | Stevo | Dazza | Macca | Tommo | "
    "Robbo | Jacko | Deano | Sully | Lefty | Blue | Spider | Bear | Chief | Prince | Sparky | "
    "Shorty | Red | Skinny | Mack | Benny | Frankie | Vinnie"
)
FEMALE_NICKNAMES: Final[tuple[str, ...]] = split_words(
    "Auntie Jo | Babe | Kiki | Lulu | Queenie | Roxy | Sunny | Tash"
)

VEHICLES: Final[tuple[str, ...]] = split_words(
    "Vauxhall Corsa | Ford Focus | BMW 3 Series | Audi A3 | Volkswagen Golf | Toyota Prius | "
    "Skoda Octavia | Mercedes C-Class | Nissan Qashqai | Peugeot 208 | Ford Transit van | Seat "
    "Leon"
)
COLOURS: Final[tuple[str, ...]] = ("silver", "black", "white", "grey", "dark blue", "red")
REG_AREA_FIRST: Final = "ABCDEFGHKLMNOPRSVWY"
REG_LETTERS: Final = "ABCDEFGHJKLMNOPRSTUVWXYZ"

# Description fragments, noted the way a description is written down: "slim build, short
# dark hair, beard, grey tracksuit".
BUILDS: Final[tuple[str, ...]] = split_words(
    "slim build | stocky build | heavy build | medium build | tall and thin | short and stocky"
)
HAIR: Final[tuple[str, ...]] = split_words(
    "short dark hair | shaved head | ginger hair | grey hair | blond hair | long dark hair "
    "tied back | curly black hair"
)
FEATURES: Final[dict[str, tuple[str, ...]]] = {
    "male": split_words(
        "beard | tattoo on his neck | glasses | scar above one eyebrow | gold chain"
    ),
    "female": split_words("tattoo on her wrist | glasses | long painted nails | nose piercing"),
}
CLOTHES: Final[tuple[str, ...]] = split_words(
    "grey tracksuit | black puffer jacket | designer clothing | baseball cap | leather jacket"
)


def surname_typo(rng: random.Random, surname: str) -> str:
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


def surname_nickname(family: str) -> str:
    """ "Smithy" from Smith, "Davo" from Davidson: the way surnames become nicknames."""
    stem = re.sub("[^A-Za-z]", "", family.rsplit("'", maxsplit=1)[-1])
    if len(stem) <= 6:
        stem = stem[:-1] if stem.endswith("e") else stem
        return stem + ("o" if stem.endswith("y") else "y")
    vowel = next((i for i, ch in enumerate(stem) if i > 0 and ch in "aeiou"), 1)
    syllable = stem[: vowel + 2]
    return syllable + ("" if syllable[-1] in "cvwxyh" else syllable[-1]) + "o"

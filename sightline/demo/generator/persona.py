"""A network adult presents himself to every child the same way (ADR 0212).

A man grooming several children gives each of them the same name or nickname, the same phone
or two, and drives the same car; each practitioner then writes down what their child knows, in
their own style. So every mention of an adult after his first carries at least one detail of
his persona that an earlier mention also carried, written in any style; everything else about
the mention stays the independent draw of ``mentions.network_mention``.

The details are the persona's identity, at the grain a reader could match them on: the given
name (in full, a variant or a short form), each half of the surname, the nickname, each phone,
the front and the back of the registration, and the home address. An initial carries the
surname but not the given name; "starts AB12" carries the front of the plate, not the back.
Age and description are not details (they are approximate), nor are the network's places (the
referral names them for every adult of the network).

``presented`` writes the adult's second phone, where he has one, in two in five of the
mentions that give a phone. ``repaired`` leaves a mention that already shares a detail as
drawn; one that shares none gets one detail an earlier mention carried, drawn at random,
written in a random style (the name is redrawn among the styles that carry it), and the style
``persona:added_<kind>``. Both draw from ``World.persona_rng``, so the rest of the borough is
the one ``persona=False`` gives for the same seed.
"""

from __future__ import annotations

import dataclasses
import random
import re
from typing import Any, Final

from sightline.demo.generator.mentions import nickname_as_written
from sightline.demo.generator.plans import Adult
from sightline.demo.generator.specs import PersonNamed
from sightline.demo.generator.writing import (
    NAME_STYLES,
    phone_as,
    written_name,
    written_phone,
    written_plate,
)

_GIVEN_STYLES: Final = frozenset(
    {"full", "variant", "short_form", "typo", "surname_first", "surname_comma", "hyphen_half",
     "given_only"}
)  # fmt: skip
_SURNAME_STYLES: Final = frozenset(s for s, _ in NAME_STYLES) - {"given_only", "none"}
_HALF_STYLES: Final = frozenset({"hyphen_half", "title_hyphen_half"})  # the last word is a half
_PLATE_FRONT: Final = frozenset({"full", "joined", "misread", "first_part", "words_starts"})
_PLATE_BACK: Final = frozenset({"full", "joined", "misread", "last_part", "words_ends"})
_TRIES: Final = 40


def _style(mention: PersonNamed, family: str) -> str:
    prefix = f"{family}:"
    return next((s[len(prefix) :] for s in mention.styles if s.startswith(prefix)), "")


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)[-10:]


def details(adult: Adult, mention: PersonNamed) -> frozenset[str]:
    """The persona details ``mention`` carries: "given", "surname:<half>", "nickname",
    "phone:<number>", "plate:front", "plate:back", "address"."""
    out: set[str] = set()
    name_style = _style(mention, "name")
    if mention.name and name_style in _GIVEN_STYLES:
        out.add("given")
    if mention.name and name_style in _SURNAME_STYLES:
        halves = adult.family.split("-")
        if name_style in _HALF_STYLES:
            last = mention.name.split(" ")[-1].lower()
            halves = [h for h in halves if h.lower() == last]
        out.update(f"surname:{h}" for h in halves)
    if mention.nickname:
        out.add("nickname")
    if mention.phone:
        out.update(f"phone:{p}" for p in adult.phones if _digits(p) == _digits(mention.phone))
    plate_style = _style(mention, "plate")
    if mention.vehicle_registration and plate_style in _PLATE_FRONT:
        out.add("plate:front")
    if mention.vehicle_registration and plate_style in _PLATE_BACK:
        out.add("plate:back")
    if mention.address:
        out.add("address")
    return frozenset(out)


def _restyled(mention: PersonNamed, family: str, style: str, **text: str) -> PersonNamed:
    """``mention`` with ``text`` ("phone", "name"...) written in ``style`` of ``family``."""
    styles = [s for s in mention.styles if not s.startswith(f"{family}:")]
    changes: dict[str, Any] = {**text, "styles": (*styles, f"{family}:{style}")}
    return dataclasses.replace(mention, **changes)


def _with_detail(
    rng: random.Random, adult: Adult, mention: PersonNamed, detail: str
) -> PersonNamed:
    kind, _, value = detail.partition(":")
    if kind == "nickname":
        nickname, style = nickname_as_written(rng, adult)
        return _restyled(mention, "nickname", style, nickname=nickname)
    if kind == "phone":
        phone, style = written_phone(rng, value)
        return _restyled(mention, "phone", style, phone=phone)
    if kind == "address":
        return dataclasses.replace(mention, address=adult.address)
    for _ in range(_TRIES):
        if kind == "plate" and adult.vehicle:
            plate, style = written_plate(rng, adult.vehicle)
            candidate = _restyled(mention, "plate", style, vehicle_registration=plate)
        else:
            carrying = _GIVEN_STYLES if kind == "given" else _SURNAME_STYLES
            styles = tuple((s, w) for s, w in NAME_STYLES if s in carrying)
            name, style = written_name(rng, adult.given, adult.family, adult.sex, styles)
            candidate = _restyled(mention, "name", style, name=name)
        if detail in details(adult, candidate):
            return candidate
    raise AssertionError(f"no style carries {detail}")  # pragma: no cover: every kind has one


def presented(rng: random.Random, adult: Adult, mention: PersonNamed) -> PersonNamed:
    """``mention`` with the adult's second phone, in the same style, in two in five of the
    mentions giving a phone (when he has a second phone)."""
    if not (adult.second_phone and mention.phone) or rng.random() >= 0.4:
        return mention
    phone = phone_as(adult.second_phone, _style(mention, "phone"))
    return dataclasses.replace(mention, phone=phone)


def repaired(
    rng: random.Random, adult: Adult, mention: PersonNamed, earlier: set[str]
) -> PersonNamed:
    """``mention`` as drawn if it shares a detail with ``earlier`` (the details the adult's
    earlier mentions carried) or there is none yet; else with one of them added."""
    if not earlier or details(adult, mention) & earlier:
        return mention
    detail = rng.choice(sorted(earlier))
    fixed = _with_detail(rng, adult, mention, detail)
    kind = detail.partition(":")[0]
    return dataclasses.replace(fixed, styles=(*fixed.styles, f"persona:added_{kind}"))

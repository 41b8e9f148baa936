"""Reading a search query: a record reference, a phone number, a registration, a postcode, or
words that are a name with an optional date of birth or age (reporting.search, ADR 0301)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

from sightline.core.errors import Invalid
from sightline.intel.normalise import POSTCODE_TEXT, Plate, normalise_phone, normalise_plate
from sightline.reporting.choices import SearchPurpose

MAX_QUERY = 200
PER_TYPE = 25  # results of each type

_REFERENCE = re.compile(r"^[A-Z]{2,3}-\d{4}-\d{3,8}$")
_POSTCODE = re.compile(r"^" + POSTCODE_TEXT.pattern.removeprefix(r"\b").removesuffix(r"\b") + "$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_AGE = re.compile(r"^(?:age|aged)?(\d{1,2})$")
_STRONG_PLATE = re.compile(
    r"^(?:[A-Z]{2}[0-9]{2}[A-Z]{3}|[A-HJ-NP-Y][0-9]{1,3}[A-Z]{3}|[A-Z]{3}[0-9]{1,3}[A-HJ-NP-Y])$"
)
_WORD = re.compile(r"^[^\W\d_][\w'\-]*$")


# ---- reading the query --------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedQuery:
    reference: str = ""
    phone: str = ""  # E.164
    plate: str = ""  # compact; with `plate_anchor`
    plate_anchor: str = ""
    postcode: str = ""  # normalised, no space
    words: tuple[str, ...] = ()
    date_of_birth: dt.date | None = None
    age: int | None = None

    @property
    def given(self) -> str:
        return self.words[0] if self.words else ""

    @property
    def family(self) -> str:
        return self.words[-1] if len(self.words) > 1 else ""


def validate(*, query: str, purpose: str | None) -> str:
    """The query to run, or Invalid with a message the user can act on (422)."""
    if purpose not in SearchPurpose.values:
        raise Invalid("Choose why you are searching before the results are shown.")
    if "\x00" in query:
        raise Invalid("The search must not contain NUL characters.")
    if len(query) > MAX_QUERY:
        raise Invalid(f"Search for {MAX_QUERY} characters or fewer.")
    text = " ".join(query.split())
    if not text:
        raise Invalid(
            "Enter a name, date of birth or age, reference, postcode, phone number or "
            "registration to search for."
        )
    return text


def parse(text: str, *, today: dt.date | None = None) -> ParsedQuery:
    upper = text.upper()
    if _REFERENCE.match(upper):
        return ParsedQuery(reference=upper)
    phone = normalise_phone(text) if re.fullmatch(r"[\d\s()+\-]{9,20}", text) else ""
    if phone:
        return ParsedQuery(phone=phone)
    if _POSTCODE.match(upper) and any(c.isdigit() for c in upper):
        return ParsedQuery(postcode=upper.replace(" ", ""))
    plate = _plate(text)
    if plate is not None:
        return ParsedQuery(plate=plate.value, plate_anchor=plate.anchor)
    words: list[str] = []
    born: dt.date | None = None
    age: int | None = None
    tokens = text.lower().replace(",", " ").split()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in ("age", "aged") and i + 1 < len(tokens) and tokens[i + 1].isdigit():
            token = token + tokens[i + 1]
            i += 1
        day = _date(token)
        if day is not None:
            born = day
        elif (m := _AGE.match(token)) is not None:
            age = int(m.group(1))
        elif _WORD.match(token):
            words.append(token)
        i += 1
    return ParsedQuery(words=tuple(words), date_of_birth=born, age=age)


def _plate(text: str) -> Plate | None:
    """A registration: a current, prefix or suffix plate (a space allowed), a part of one
    marked with … or *, or any other plate written without a space ("Jo 14" is a name and an
    age, "JO14" a dateless plate)."""
    raw = text.strip()
    compact = re.sub(r"[^A-Z0-9]", "", raw.upper())
    marked = raw[:1] in "…*" or raw[-1:] in "…*" or raw.startswith("...") or raw.endswith("...")
    mixed = any(c.isdigit() for c in compact) and any(c.isalpha() for c in compact)
    if not (mixed or (marked and compact)):
        return None
    if not (marked or _STRONG_PLATE.match(compact) or " " not in raw):
        return None
    return normalise_plate(raw)


def _date(token: str) -> dt.date | None:
    m = _ISO_DATE.match(token)
    parts = (m.group(1), m.group(2), m.group(3)) if m else None
    if parts is None and (m := _UK_DATE.match(token)) is not None:
        parts = (m.group(3), m.group(2), m.group(1))
    if parts is None:
        return None
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        return None


def swapped_day(day: dt.date) -> dt.date | None:
    if day.day > 12 or day.day == day.month:
        return None
    try:
        return dt.date(day.year, day.day, day.month)
    except ValueError:
        return None


def born_between(age: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """Dates of birth of someone `age` years old today."""
    latest = _years_before(today, age)
    earliest = _years_before(today, age + 1) + dt.timedelta(days=1)
    return earliest, latest


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# ---- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    type: str
    id: uuid.UUID
    reference: str
    title: str  # a name where the user may see it, else the reference
    detail: str
    url: str
    score: float
    reasons: tuple[str, ...] = ()


_SLOT = uuid.UUID(int=0)


def url_of(name: str, *head: str) -> Callable[[uuid.UUID], str]:
    """`reverse(name, args=[*head, pk])` as a function of `pk`, reversed once: a search
    builds a URL for every hit shown (up to 25 of each type), and each `reverse` cost more
    than the hit. The URL of the nil UUID is cut where its id goes; kept per URL name, script
    prefix and URL configuration (nothing of a record or a user)."""
    return _url_of(name, head, get_script_prefix(), get_urlconf())


@lru_cache(maxsize=64)
def _url_of(
    name: str, head: tuple[str, ...], prefix: str, urlconf: str | None
) -> Callable[[uuid.UUID], str]:
    before, slot, after = reverse(name, args=[*head, _SLOT]).rpartition(str(_SLOT))
    assert slot, name  # the id is in the URL as its canonical text
    return lambda pk: f"{before}{pk}{after}"

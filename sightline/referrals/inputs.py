"""The shape of a referral as it arrives (from the form or the API), and its validation.
Both front ends build these and call referral_submit, so they accept and refuse the same."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from sightline.core.errors import Invalid
from sightline.people.choices import Sex
from sightline.referrals.choices import Channel, ConcernCategory, PlaceKind, Urgency

POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")


@dataclass
class ChildInput:
    given_name: str
    family_name: str
    date_of_birth: dt.date | None = None
    approximate_age: int | None = None
    sex: str = Sex.UNKNOWN
    address: str = ""
    postcode: str = ""
    school: str = ""
    nhs_number: str = ""
    has_learning_disability: bool = False


@dataclass
class PersonInput:
    name: str = ""
    nickname: str = ""
    approximate_age: int | None = None
    description: str = ""
    phone: str = ""
    vehicle_registration: str = ""
    address: str = ""


@dataclass
class PlaceInput:
    name: str = ""
    kind: str = PlaceKind.OTHER
    address: str = ""
    postcode: str = ""


@dataclass
class ReferralInput:
    narrative: str
    children: list[ChildInput]
    received_at: dt.datetime | None = None
    channel: str = Channel.WEB_FORM
    concern_categories: list[str] = field(default_factory=list)
    persons_named: list[PersonInput] = field(default_factory=list)
    places_named: list[PlaceInput] = field(default_factory=list)
    child_aware: bool | None = None
    family_aware: bool | None = None
    urgency: str = Urgency.ROUTINE
    vehicles: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)


class ReferralInvalid(Invalid):
    """Carries every problem found, keyed by field path (e.g. `children[0].date_of_birth`)."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__(errors)


def validate(data: ReferralInput, *, today: dt.date, now: dt.datetime) -> None:
    """Every problem with the referral at once, keyed by field path; nothing is stored when
    there is one. Each section adds to the same mapping, in the order the form shows them."""
    errors: dict[str, str] = {}
    _check_narrative(data, errors)
    _check_children(data, today, errors)
    _check_persons_and_places(data, errors)
    _check_lists_and_choices(data, errors)
    _check_received_at(data, now, errors)
    if errors:
        raise ReferralInvalid(errors)


def _check_narrative(data: ReferralInput, errors: dict[str, str]) -> None:
    narrative = data.narrative.strip()
    limit = settings.SIGHTLINE_NARRATIVE_MAX_CHARS
    if not narrative:
        errors["narrative"] = "Describe the concern: what has happened, and what you saw or heard."
    elif len(data.narrative) > limit:
        errors["narrative"] = f"The description must be {limit:,} characters or fewer."
    if not data.children:
        errors["children"] = "Name at least one child."
    if len(data.children) > 20:
        errors["children"] = "A referral can name at most 20 children; send a second referral."


def _received_day(data: ReferralInput, today: dt.date) -> dt.date:
    """A child's age is worked out on the day the referral was received, so a date of birth
    after that day is as impossible as one in the future."""
    received = data.received_at
    if received is not None and received.tzinfo is not None and received.year >= 2000:
        return min(today, timezone.localtime(received).date())
    return today


def _check_children(data: ReferralInput, today: dt.date, errors: dict[str, str]) -> None:
    received_day = _received_day(data, today)
    seen: dict[tuple[str, str, dt.date | None, int | None], int] = {}
    for i, child in enumerate(data.children):
        key = f"children[{i}]"
        _check_child(child, key, today, received_day, errors)
        same = (
            child.given_name.strip().casefold(),
            child.family_name.strip().casefold(),
            child.date_of_birth,
            child.approximate_age,
        )
        if any(same[:2]) and same in seen:
            errors[f"{key}.given_name"] = (
                f"This child is the same as child {seen[same] + 1}: name each child once."
            )
        else:
            seen.setdefault(same, i)


def _check_child(
    child: ChildInput, key: str, today: dt.date, received_day: dt.date, errors: dict[str, str]
) -> None:
    oldest = settings.SIGHTLINE_MAX_CHILD_AGE_YEARS
    if not child.given_name.strip() and not child.family_name.strip():
        errors[f"{key}.given_name"] = "Enter the child's name, or 'Not known'."
    if len(child.given_name) > 100 or len(child.family_name) > 100:
        errors[f"{key}.family_name"] = "Names must be 100 characters or fewer."
    dob_problem = _date_of_birth_problem(child.date_of_birth, today, received_day, oldest)
    if dob_problem:
        errors[f"{key}.date_of_birth"] = dob_problem
    if child.approximate_age is not None and not 0 <= child.approximate_age <= oldest:
        errors[f"{key}.approximate_age"] = f"Approximate age must be between 0 and {oldest}."
    if child.sex not in Sex.values:
        errors[f"{key}.sex"] = f"Sex must be one of {', '.join(Sex.values)}."
    if child.postcode and not POSTCODE_RE.match(child.postcode.strip().upper()):
        errors[f"{key}.postcode"] = "Enter a real postcode, like NB4 7QX, or leave it blank."
    if child.nhs_number and not re.fullmatch(r"\d{10}", child.nhs_number.replace(" ", "")):
        errors[f"{key}.nhs_number"] = "An NHS number is 10 digits."
    if len(child.address) > 300 or len(child.school) > 200:
        errors[f"{key}.address"] = "Address and school are too long."


def _date_of_birth_problem(
    date_of_birth: dt.date | None, today: dt.date, received_day: dt.date, oldest: int
) -> str:
    if date_of_birth is None:
        return ""
    if date_of_birth > today:
        return "Date of birth must be today or in the past."
    if date_of_birth > received_day:
        return "Date of birth must be on or before the day the referral was received."
    if date_of_birth < today.replace(year=today.year - oldest):
        return f"Date of birth must be within the last {oldest} years."
    return ""


def _check_persons_and_places(data: ReferralInput, errors: dict[str, str]) -> None:
    for i, person in enumerate(data.persons_named):
        if len(person.name) > 200 or len(person.description) > 5000 or len(person.address) > 300:
            errors[f"persons_named[{i}]"] = "Details of a person named are too long."
        if len(person.nickname) > 100 or len(person.phone) > 30:
            errors[f"persons_named[{i}]"] = "Nickname or phone is too long."
        if len(person.vehicle_registration) > 12:
            errors[f"persons_named[{i}].vehicle_registration"] = (
                "A registration is 12 characters or fewer."
            )
        if person.approximate_age is not None and not 0 <= person.approximate_age <= 120:
            errors[f"persons_named[{i}].approximate_age"] = "Approximate age must be 0 to 120."
    for i, place in enumerate(data.places_named):
        if place.kind not in PlaceKind.values:
            errors[f"places_named[{i}].kind"] = (
                f"Kind must be one of {', '.join(PlaceKind.values)}."
            )
        if len(place.name) > 200 or len(place.address) > 300 or len(place.postcode) > 10:
            errors[f"places_named[{i}]"] = "Details of a place named are too long."


def _check_lists_and_choices(data: ReferralInput, errors: dict[str, str]) -> None:
    for cat in data.concern_categories:
        if cat not in ConcernCategory.values:
            errors["concern_categories"] = f"Unknown concern category {cat!r}."
    if len(data.vehicles) > 50 or any(len(v) > 12 for v in data.vehicles):
        errors["vehicles"] = "Up to 50 registrations, each 12 characters or fewer."
    if len(data.phones) > 50 or any(len(p) > 30 for p in data.phones):
        errors["phones"] = "Up to 50 phone numbers, each 30 characters or fewer."
    if data.urgency not in Urgency.values:
        errors["urgency"] = f"Urgency must be one of {', '.join(Urgency.values)}."
    if data.channel not in Channel.values:
        errors["channel"] = "Unknown channel."


def _check_received_at(data: ReferralInput, now: dt.datetime, errors: dict[str, str]) -> None:
    if data.received_at is None:
        return
    if data.received_at.tzinfo is None:
        errors["received_at"] = (
            "Give received_at with a time zone (for example 2026-03-02T09:00:00Z)."
        )
    elif data.received_at > now + dt.timedelta(minutes=5):
        errors["received_at"] = "A referral cannot be received in the future."
    elif data.received_at.year < 2000:
        errors["received_at"] = "received_at is too far in the past."

"""The generator's output: frozen records the demo loaders turn into database rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from sightline.demo.generator.partner_events import EventSpec

Sex = Literal["female", "male", "unknown"]
Channel = Literal["web_form", "api", "phone", "email"]
Urgency = Literal["routine", "urgent", "immediate"]


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
    # how the mention was written ("name:surname_first", "phone:no_zero", "ordinary:
    # shares_surname"): for scoring only, like ``ReferralSpec.network_key``; never stored
    styles: tuple[str, ...] = ()


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
    events: tuple[EventSpec, ...] = ()  # partner events (generator.partner_events)

"""What each kind of partner event carries, validated in one place for the API and the CSV
imports alike: a pydantic model per kind (`kind` is the discriminator), sharing the fields
every event has. `event_parse` turns a dict into the right model or raises `EventInvalid`
with every problem named by its field."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from sightline.core.calendar import LONDON
from sightline.core.errors import Invalid
from sightline.events.choices import (
    AbsenceType,
    AttendanceType,
    EducationType,
    EventKind,
    IncidentType,
    MissingFrom,
    RiskGrade,
    SexualHealthReason,
)

# How far ahead of the server's clock a sender's clock may run before a time is "in the future".
CLOCK_SKEW = dt.timedelta(minutes=10)


def _surely_past() -> dt.date:
    """A date past in every time zone: two days before today's date in UTC."""
    return dt.datetime.now(dt.UTC).date() - dt.timedelta(days=2)


Text = Annotated[str, Field(max_length=2000)]
Short = Annotated[str, Field(max_length=200)]


class EventInvalid(Invalid):
    """An event that cannot be stored: `problems` holds (field, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" if f else m for f, m in problems))


def aware(value: dt.datetime) -> dt.datetime:
    """A sender's time without a zone is local (Europe/London)."""
    return value if timezone.is_aware(value) else value.replace(tzinfo=LONDON)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class EventChildIn(_In):
    """The child: an id the sender may see, or the details to match (never merged by itself)."""

    id: uuid.UUID | None = None
    given_name: str = Field("", max_length=100)
    family_name: str = Field("", max_length=100)
    date_of_birth: dt.date | None = None
    sex: Literal["female", "male", "other", "unknown"] = "unknown"
    postcode: str = Field("", max_length=10)
    address: str = Field("", max_length=300)
    school: str = Field("", max_length=200)

    @model_validator(mode="after")
    def _named_or_given(self) -> EventChildIn:
        if self.id is None and not (self.given_name and self.family_name):
            raise ValueError("give the child's id, or their given and family names")
        born = self.date_of_birth
        # Only a date after one surely past needs the local date worked out (a file's every
        # row asked for it).
        if born is not None and born > _surely_past() and born > timezone.localdate():
            raise ValueError("the child's date of birth is in the future")
        return self


class PersonNamedIn(_In):
    name: str = Field("", max_length=200)
    nickname: str = Field("", max_length=100)
    approximate_age: int | None = Field(None, ge=0, le=120)
    description: str = Field("", max_length=2000)
    phone: str = Field("", max_length=30)
    vehicle_registration: str = Field("", max_length=12)
    address: str = Field("", max_length=300)
    role: Literal["found_with", "present", "suspect", "other"] = "present"


class PlaceNamedIn(_In):
    name: str = Field("", max_length=200)
    kind: Literal[
        "home_address", "hotel", "takeaway", "shop", "park", "car_park", "taxi_firm", "other"
    ] = "other"
    address: str = Field("", max_length=300)
    postcode: str = Field("", max_length=10)


class EventBase(_In):
    source_id: str = Field(..., min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][\w./:-]*$")
    occurred_at: dt.datetime
    recorded_at: dt.datetime | None = None
    agency: str | None = Field(None, max_length=20, description="Your agency's code (optional).")
    child: EventChildIn
    summary: Text = ""
    persons_named: list[PersonNamedIn] = Field(default_factory=list, max_length=50)
    places_named: list[PlaceNamedIn] = Field(default_factory=list, max_length=50)
    vehicles: list[Annotated[str, Field(max_length=12)]] = Field(
        default_factory=list, max_length=50
    )
    phones: list[Annotated[str, Field(max_length=30)]] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _not_future(self) -> EventBase:
        now = timezone.now() + CLOCK_SKEW
        self.occurred_at = aware(self.occurred_at)
        if self.occurred_at > now:
            raise ValueError("occurred_at is in the future")
        if self.recorded_at is not None:
            self.recorded_at = aware(self.recorded_at)
            if self.recorded_at > now:
                raise ValueError("recorded_at is in the future")
        return self

    def code(self) -> str:
        """The event's type within its kind (an incident type, attendance type ...)."""
        return ""


class PoliceIncidentIn(EventBase):
    kind: Literal["police_incident"]
    incident_type: IncidentType
    what_happened: Text = ""
    police_reference: Short = ""
    offence: Short = Field("", description="For an arrest or charge: for what.")

    def code(self) -> str:
        return str(self.incident_type.value)


class RiskChange(_In):
    at: dt.datetime
    grade: RiskGrade


class MissingFacts(_In):
    """A missing episode's facts that may arrive later (PATCH) as well as at first."""

    returned_at: dt.datetime | None = None
    found_where: Short = ""
    found_by: Short = ""
    found_with: Text = ""
    crime_while_missing: bool | None = None
    crime_details: Text = ""
    health_needs: Text = ""
    risk_changes: list[RiskChange] = Field(default_factory=list, max_length=20)


class MissingEpisodeIn(EventBase, MissingFacts):
    kind: Literal["missing_episode"]
    started_at: dt.datetime
    reported_at: dt.datetime | None = None
    police_reference: Short = ""
    risk_grade: RiskGrade
    absence_type: AbsenceType = AbsenceType.MISSING
    missing_from: MissingFrom = MissingFrom.HOME
    last_seen_place: Short = ""
    last_seen_clothing: Short = ""
    vehicle_seen: Short = ""

    @model_validator(mode="after")
    def _times_in_order(self) -> MissingEpisodeIn:
        self.started_at = aware(self.started_at)
        episode_times_check(self.started_at, self.returned_at, self.reported_at)
        if self.returned_at is not None:
            self.returned_at = aware(self.returned_at)
        return self

    def code(self) -> str:
        return str(self.absence_type.value)


def episode_times_check(
    started_at: dt.datetime, returned_at: dt.datetime | None, reported_at: dt.datetime | None
) -> None:
    now = timezone.now() + CLOCK_SKEW
    if aware(started_at) > now:
        raise ValueError("the episode starts in the future")
    if returned_at is not None:
        if aware(returned_at) < aware(started_at):
            raise ValueError("returned_at is before the episode started")
        if aware(returned_at) > now:
            raise ValueError("returned_at is in the future")
    if reported_at is not None and aware(reported_at) > now:
        raise ValueError("reported_at is in the future")


class SafeAndWellIn(EventBase):
    # "safe_and_well_check" is the API name for the kind; it is stored as safe_and_well.
    kind: Literal["safe_and_well", "safe_and_well_check"]
    episode_source_id: Short = Field("", description="The missing episode's source_id.")
    officer: Short = ""
    outcome: Text = ""
    disclosures: Text = ""

    @model_validator(mode="after")
    def _one_name(self) -> SafeAndWellIn:
        self.kind = "safe_and_well"
        return self


class HealthAttendanceIn(EventBase):
    kind: Literal["health_attendance"]
    attendance_type: AttendanceType
    reasons: list[SexualHealthReason] = Field(default_factory=list, max_length=6)
    presenting_complaint: Text = ""
    substance: Short = ""

    @model_validator(mode="after")
    def _reasons_for_sexual_health(self) -> HealthAttendanceIn:
        if self.reasons and self.attendance_type != AttendanceType.SEXUAL_HEALTH:
            raise ValueError("reasons are given only for a sexual-health attendance")
        return self

    def code(self) -> str:
        return str(self.attendance_type.value)


class EducationIn(EventBase):
    kind: Literal["education"]
    education_type: EducationType
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    attendance_percent: float | None = Field(None, ge=0, le=100)
    sessions_missed: int | None = Field(None, ge=0, le=1000)
    exclusion_days: float | None = Field(None, ge=0, le=365)
    is_permanent_exclusion: bool = False
    part_time_hours: float | None = Field(None, ge=0, le=40)
    school: Short = ""

    @model_validator(mode="after")
    def _period(self) -> EducationIn:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        if self.education_type == EducationType.ABSENCE and self.attendance_percent is None:
            raise ValueError("an absence event gives attendance_percent")
        return self

    def code(self) -> str:
        return str(self.education_type.value)


class GenericIn(EventBase):
    category: Short = Field(..., min_length=1)
    description: Text = ""

    def code(self) -> str:
        return self.category[:40]


class YouthJusticeIn(GenericIn):
    kind: Literal["youth_justice"]


class HousingIn(GenericIn):
    kind: Literal["housing"]


class ReturnInterviewIn(_In):
    """A return-interview step sent to `POST /events` (kind `return_interview`): it is not an
    event of its own but the record of the missing episode named by `episode_id` or by the
    episode's `episode_source_id` (as the police sent it)."""

    kind: Literal["return_interview"]
    episode_id: uuid.UUID | None = None
    episode_source_id: Short = ""
    status: Literal["offered", "accepted", "declined", "not_offered", "completed"]
    at: dt.datetime
    not_offered_reason: Text = ""
    interviewer: Short = ""
    is_independent: bool = True
    where_stayed: Text = ""
    with_whom: Text = ""
    child_said: Annotated[str, Field(max_length=5000)] = ""
    actions: Text = ""

    @model_validator(mode="after")
    def _names_an_episode(self) -> ReturnInterviewIn:
        if self.episode_id is None and not self.episode_source_id:
            raise ValueError("give the episode_id or the episode_source_id of the episode")
        self.at = aware(self.at)
        return self

    def step(self) -> dict[str, Any]:
        """The facts `return_interview_step` takes (status and at included)."""
        return self.model_dump(exclude={"kind", "episode_id", "episode_source_id"})


EventIn = Annotated[
    PoliceIncidentIn
    | MissingEpisodeIn
    | SafeAndWellIn
    | HealthAttendanceIn
    | EducationIn
    | YouthJusticeIn
    | HousingIn,
    Field(discriminator="kind"),
]
# What `POST /events` takes: an event of a kind, or a return-interview step.
EventOrInterviewIn = Annotated[
    PoliceIncidentIn
    | MissingEpisodeIn
    | SafeAndWellIn
    | HealthAttendanceIn
    | EducationIn
    | YouthJusticeIn
    | HousingIn
    | ReturnInterviewIn,
    Field(discriminator="kind"),
]
_ADAPTER: TypeAdapter[Any] = TypeAdapter(EventIn)
KIND_MODELS: dict[str, type[EventBase]] = {
    EventKind.POLICE_INCIDENT: PoliceIncidentIn,
    EventKind.MISSING_EPISODE: MissingEpisodeIn,
    EventKind.SAFE_AND_WELL: SafeAndWellIn,
    EventKind.HEALTH_ATTENDANCE: HealthAttendanceIn,
    EventKind.EDUCATION: EducationIn,
    EventKind.YOUTH_JUSTICE: YouthJusticeIn,
    EventKind.HOUSING: HousingIn,
}
COMMON_FIELDS = frozenset(EventBase.model_fields) | {"kind"}
_ALL_FIELDS = frozenset(f for m in KIND_MODELS.values() for f in m.model_fields)


def problems_of(exc: ValidationError) -> list[tuple[str, str]]:
    out = []
    for err in exc.errors():
        parts = [str(p) for p in err.get("loc", ()) if str(p) not in EventKind.values]
        msg = str(err.get("msg", "is not valid")).removeprefix("Value error, ")
        first = msg.split(" ")[0]
        if not parts and first in _ALL_FIELDS:
            parts = [first]  # a rule across fields names the field it is about first
        loc = ".".join(parts)
        out.append((loc, msg))
    return out


def event_parse(data: dict[str, Any]) -> EventBase:
    """The event as its kind's model; EventInvalid naming each bad field otherwise."""
    kind = data.get("kind")
    if kind not in KIND_MODELS and kind != "safe_and_well_check":
        raise EventInvalid([("kind", "must be one of " + ", ".join(EventKind.values))])
    try:
        parsed: EventBase = _ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise EventInvalid(problems_of(exc)) from exc
    return parsed


def kind_fields(event: EventBase) -> dict[str, Any]:
    """The fields of its kind (not the shared ones), as JSON."""
    dumped: dict[str, Any] = event.model_dump(mode="json", exclude=set(COMMON_FIELDS))
    return dumped

"""The shapes of the referral API (sightline.api.referrals): what it accepts and answers.
Their vocabularies are the apps' TextChoices."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from ninja import Field, Schema
from pydantic import field_validator

from sightline.core.api import InputSchema
from sightline.escalation.api import ClockOut, EscalationOut
from sightline.people.choices import Sex
from sightline.referrals.choices import ConcernCategory, Outcome, PlaceKind, Urgency
from sightline.reviews.api import StoredFlagOut
from sightline.screening.choices import RiskLevel

# The vocabularies are the apps' TextChoices (their values are what the API accepts).
SexLiteral = Sex
UrgencyLiteral = Urgency
PlaceKindLiteral = PlaceKind
CategoryLiteral = ConcernCategory
OutcomeLiteral = Outcome
LevelLiteral = RiskLevel


class ChildIn(Schema):
    given_name: str = Field(..., max_length=100)
    family_name: str = Field(..., max_length=100)
    date_of_birth: dt.date | None = None
    approximate_age: int | None = Field(None, ge=0, le=25)
    sex: SexLiteral = Sex.UNKNOWN
    address: str = Field("", max_length=300)
    postcode: str = Field("", max_length=10)
    school: str = Field("", max_length=200)
    nhs_number: str = Field("", max_length=12)
    has_learning_disability: bool = False


class PersonIn(Schema):
    name: str = Field("", max_length=200)
    nickname: str = Field("", max_length=100)
    approximate_age: int | None = Field(None, ge=0, le=120)
    description: str = Field("", max_length=5000)
    phone: str = Field("", max_length=30)
    vehicle_registration: str = Field("", max_length=12)
    address: str = Field("", max_length=300)


class PlaceIn(Schema):
    name: str = Field("", max_length=200)
    kind: PlaceKindLiteral = PlaceKind.OTHER
    address: str = Field("", max_length=300)
    postcode: str = Field("", max_length=10)


class ReferralIn(InputSchema):
    received_at: dt.datetime | None = None
    narrative: str = Field(..., min_length=1, max_length=50_000)
    children: list[ChildIn] = Field(..., min_length=1, max_length=20)
    persons_named: list[PersonIn] = Field(default_factory=list, max_length=50)
    places_named: list[PlaceIn] = Field(default_factory=list, max_length=50)
    concern_categories: list[CategoryLiteral] = Field(default_factory=list, max_length=11)
    child_aware: bool | None = None
    family_aware: bool | None = None
    urgency: UrgencyLiteral = Urgency.ROUTINE
    vehicles: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="Vehicle registrations seen, full or partial (for example 'KX19 ABC').",
    )
    phones: list[str] = Field(
        default_factory=list, max_length=50, description="Phone numbers linked to the concern."
    )
    agency: str | None = Field(
        None, max_length=40, description="Optional agency code; must be the token's own agency."
    )

    @field_validator("received_at")
    @classmethod
    def _received_this_century(cls, value: dt.datetime | None) -> dt.datetime | None:
        # Refused here as well as in intake: intake converts to local time first, which
        # overflows for the first days of year 1.
        if value is not None and value.year < 2000:
            raise ValueError("received_at is too far in the past.")
        return value


class CandidateOut(Schema):
    candidate_id: uuid.UUID
    child_id: uuid.UUID
    reference: str
    score: float
    reasons: list[str]


class IntakeChildOut(Schema):
    id: uuid.UUID
    reference: str
    matched_existing: bool
    age_on_day: int | None
    screening_required: bool
    candidates: list[CandidateOut]


class SuggestionOut(Schema):
    code: str
    label: str
    phrase: str


class ReferralCreatedOut(Schema):
    reference: str
    status: str
    received_at: dt.datetime
    decision_due_at: dt.datetime
    rag: str
    screening_required: bool
    children: list[IntakeChildOut]
    suggested_indicators: list[SuggestionOut]
    language_flags: list[StoredFlagOut] = []


class MarkIn(Schema):
    code: str = Field(..., max_length=10)
    status: Literal["present", "possible", "not_known"]
    basis: Literal["evidence", "professional_judgement"] | None = None
    note: str = Field("", max_length=2000)


class ScreeningIn(InputSchema):
    indicators: list[MarkIn] = Field(..., max_length=100)
    child_id: uuid.UUID | None = Field(
        None, description="Which child, when the referral names more than one."
    )
    raised_level: LevelLiteral | None = None
    raised_reason: str = Field("", max_length=5000)


class MarkOut(Schema):
    code: str
    status: str
    basis: str
    note: str


class ScreeningOut(Schema):
    child_id: uuid.UUID
    level: str
    computed_level: str
    score: int
    harm_indicated: bool
    reasons: list[str]
    review_on: dt.date | None
    catalogue_version: str
    indicators: list[MarkOut]


class ScreeningRecorded(ScreeningOut):
    """The answer to recording a screening: its stored language flags (the reason for raising
    the level, field `raised_reason`, and each indicator's note, field `note_<code>`)."""

    language_flags: list[StoredFlagOut] = []


class DecisionIn(InputSchema):
    outcome: OutcomeLiteral
    reason: str = Field(..., min_length=1, max_length=10_000)
    propose: bool = Field(
        False,
        description=(
            "Send a decision to the managers' sign-off queue (201, "
            '`{"status": "awaiting_sign_off"}`). A practitioner\'s decision that needs a '
            "manager's sign-off (no further action on medium or high risk) goes there anyway."
        ),
    )
    override_rationale: str = Field(
        "",
        max_length=10_000,
        description=(
            "A head of service closing a disclosure (an override indicator) before any "
            "strategy discussion: the rationale, 200 characters or more."
        ),
    )


class ProposalOut(Schema):
    status: str
    sign_off_id: uuid.UUID
    referral: str
    outcome: str
    reason: str
    proposed_by: str
    proposed_at: dt.datetime
    language_flags: list[StoredFlagOut] = []


class DecisionOut(Schema):
    outcome: str
    reason: str
    decided_at: dt.datetime
    decided_by: str
    signed_off_by: str | None
    language_flags: list[StoredFlagOut] = []


class ReferralChildOut(Schema):
    id: uuid.UUID
    reference: str
    age_on_day: int | None
    screening_required: bool
    match_status: str | None = Field(
        None, description="Whether the child was matched; only for roles that match children."
    )


class ReferralOut(Schema):
    reference: str
    status: str
    received_at: dt.datetime
    source_agency: str
    channel: str
    urgency: str
    rag: str
    decision_due_at: dt.datetime
    children: list[ReferralChildOut]
    screening: ScreeningOut | None
    screenings: list[ScreeningOut]
    decision: DecisionOut | None
    clocks: list[ClockOut] = Field(
        default_factory=list, description="Statutory clocks on this referral, oldest first."
    )
    escalations: list[EscalationOut] = Field(
        default_factory=list,
        description="Escalations raised on this referral (empty unless your role sees them).",
    )

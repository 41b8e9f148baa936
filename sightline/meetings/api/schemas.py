"""Request and response bodies of the meetings API."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema

from sightline.core.api import InputSchema


class MeetingIn(InputSchema):
    held_on: dt.date
    chairs: list[str] = Field(..., description="usernames: a police and a local-authority chair")
    invited_agencies: list[str] = Field(..., description="agency codes")
    invited_people: list[str] = Field(default_factory=list, description="usernames")
    cutoff_at: dt.datetime | None = None


class MeetingOut(Schema):
    id: uuid.UUID
    reference: str
    held_on: dt.date
    cutoff_at: dt.datetime
    status: str
    is_quorate: bool | None
    chairs: list[str]
    invited_agencies: list[str]
    invited_people: list[str]
    open_actions: int


class ReasonOut(Schema):
    why: str
    label: str
    refs: list[str]
    note: str = ""


class ItemOut(Schema):
    id: uuid.UUID | None
    subject_type: str
    subject_id: uuid.UUID | None
    reference: str
    title: str
    is_new: bool
    origin: str
    reasons: list[ReasonOut]
    figures: dict[str, Any]


class AgendaOut(Schema):
    meeting: str
    cutoff_at: dt.datetime
    provisional: bool
    children_withheld: int
    sections: dict[str, list[ItemOut]]


class PackOut(Schema):
    id: uuid.UUID
    meeting: str
    pages: int
    sha256: str
    generated_at: dt.datetime


class ActionIn(InputSchema):
    description: str = Field(..., max_length=2000)
    owner_agency: str | None = None
    owner: str | None = Field(None, description="username of the owner")
    due_on: dt.date | None = None
    item_id: uuid.UUID | None = None


class ActionPatch(InputSchema):
    status: str | None = None
    update: str | None = Field(None, max_length=4000)
    due_on: dt.date | None = None


class ActionOut(Schema):
    id: uuid.UUID
    reference: str
    meeting: str
    description: str
    owner_agency: str
    owner: str
    due_on: dt.date
    status: str
    completed_on: dt.date | None
    overdue: bool


class TacticOut(Schema):
    code: str
    name: str
    basis: str
    targets: list[str]
    breach_is_offence: bool
    max_days: int | None
    records: list[str]


class TargetIn(Schema):
    type: str
    id: uuid.UUID


class DisruptionIn(InputSchema):
    target: TargetIn
    tactic: str
    children: list[uuid.UUID] = Field(default_factory=list)
    owner_agency: str | None = None
    owner: str | None = Field(None, description="username of the owner")
    proposed_on: dt.date | None = None
    due_on: dt.date | None = None
    applied_on: dt.date | None = None
    served_on: dt.date | None = None
    expires_on: dt.date | None = None
    terms: str = Field("", max_length=4000)
    business_name: str = Field("", max_length=200)
    meeting_id: uuid.UUID | None = None


class DisruptionPatch(InputSchema):
    status: str | None = None
    due_on: dt.date | None = None
    applied_on: dt.date | None = None
    served_on: dt.date | None = None
    expires_on: dt.date | None = None
    outcome: str | None = Field(None, max_length=4000)
    terms: str | None = Field(None, max_length=4000)


class BreachIn(InputSchema):
    occurred_on: dt.date
    what: str = Field(..., max_length=4000)


class BreachOut(Schema):
    occurred_on: dt.date
    what: str


class DisruptionOut(Schema):
    id: uuid.UUID
    reference: str
    target: dict[str, Any]
    tactic: str
    children: list[str]
    owner_agency: str
    owner: str
    status: str
    proposed_on: dt.date
    due_on: dt.date | None
    applied_on: dt.date | None
    served_on: dt.date | None
    expires_on: dt.date | None
    outcome: str
    meeting: str | None
    breaches: list[BreachOut]


class ItemIn(InputSchema):
    section: str
    subject_type: str
    subject_id: uuid.UUID | None = None
    reference: str = Field(..., max_length=40)
    reason: str = Field(..., max_length=2000)


class MeetingReasonIn(InputSchema):
    reason: str = Field(..., max_length=2000)


class AttendanceEntry(Schema):
    agency: str
    user: str | None = None
    status: str


class AttendanceIn(InputSchema):
    entries: list[AttendanceEntry]


class StatusIn(InputSchema):
    status: str = Field(..., description="held or minutes_approved")


class DiscussionIn(InputSchema):
    summary: str = Field("", max_length=8000)
    risk_view: str = ""
    decisions: str = Field("", max_length=8000)
    reason: str = Field("", max_length=2000, description="why approved minutes are changed")


class DiscussionOut(Schema):
    item_id: uuid.UUID
    subject: str
    summary: str
    risk_view: str
    decisions: str
    minutes_version: int | None

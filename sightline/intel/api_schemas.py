"""The intelligence API's request and answer schemas (the router is in intel/api.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema

from sightline.core.api import InputSchema


class EntityRef(Schema):
    type: str
    id: uuid.UUID
    reference: str


class ChildRef(Schema):
    id: uuid.UUID
    reference: str


class AlertOut(Schema):
    id: uuid.UUID
    reference: str
    kind: str
    trigger: str
    priority: str
    certainty: str
    status: str
    created_at: dt.datetime
    summary: str
    entity: EntityRef
    children: list[ChildRef]
    children_withheld: int
    evidence: list[dict[str, Any]]
    pattern: str | None = Field(None, description="The missed-opportunity pattern (P1 to P22).")
    possible_at: dt.datetime | None = Field(
        None,
        description="When the rule first held on the links known now: a late link dates the "
        "alert to the referral that made it possible (issue 12 §3).",
    )
    first_visible_on: dt.date | None = None
    suggested_action: str = ""


class AlertPage(Schema):
    count: int
    results: list[AlertOut]


class AlertStatusIn(InputSchema):
    status: str = Field(..., description="reviewed, actioned or dismissed")
    reason: str = Field("", max_length=2000)


class NodeOut(Schema):
    id: str
    type: str
    label: str
    url: str
    root: bool


class EdgeOut(Schema):
    source: str
    target: str


class NetworkOut(Schema):
    nodes: list[NodeOut]
    edges: list[EdgeOut]
    withheld_children: int
    truncated: bool


class HotspotOut(Schema):
    rank: int
    id: uuid.UUID
    reference: str
    name: str
    kind: str
    postcode: str
    latitude: float | None
    longitude: float | None
    children: int
    concerns: int


class HotspotsOut(Schema):
    days: int
    results: list[HotspotOut]


class LinkIn(InputSchema):
    entity_id: uuid.UUID
    reason: str = Field("", max_length=2000)


class UndoIn(InputSchema):
    reason: str = Field("", max_length=2000)


class LinkCandidateOut(Schema):
    entity_id: uuid.UUID
    reference: str
    score: float
    reasons: list[str]
    status: str


class LinkDecisionOut(Schema):
    decision_id: uuid.UUID
    mention_id: uuid.UUID
    action: str
    entity_id: uuid.UUID
    linked_to: uuid.UUID
    link_status: str
    undone: bool


class PersonChangeOut(Schema):
    id: uuid.UUID
    kind: str = Field(description='"merge" (by indexing) or "split" (by a practitioner).')
    at: dt.datetime
    from_person: dict[str, Any]
    into_person: dict[str, Any]
    mentions: int
    reason: str
    by: str


class PersonOut(Schema):
    id: uuid.UUID
    reference: str
    is_active: bool
    names: list[str]
    nicknames: list[str]
    estimated_birth_year: int | None
    phones: list[str]
    plates: list[str]
    mentions: int = Field(description="Mentions of this person the caller may see.")
    changes: list[PersonChangeOut] = Field(description="Merges and splits it took part in.")


class SplitIn(InputSchema):
    mention_ids: list[uuid.UUID] = Field(min_length=1, max_length=500)
    reason: str = Field(min_length=1, max_length=2000)


class SplitOut(Schema):
    person: PersonOut
    from_person: EntityRef
    change_id: uuid.UUID
    alerts_changed: int


class ContributionOut(Schema):
    comparison: str
    level: str
    weight: float = Field(description="log2(m / u): positive for, negative against a match")
    reason: str = ""


class CandidateExplanationOut(Schema):
    entity: str | None = Field(None, description="The person of concern's reference.")
    entity_id: uuid.UUID | None = None
    probability: float | None = None
    contributions: list[ContributionOut] = []


class ExplanationOut(Schema):
    mention_id: uuid.UUID
    link_status: str
    entity: str | None = Field(None, description="The reference of the entity it is linked to.")
    entity_id: uuid.UUID | None = None
    probability: float | None = Field(None, description="The model's match probability.")
    contributions: list[ContributionOut]
    runner_up: CandidateExplanationOut | None = Field(
        None, description="The best other candidate, and why it was not linked."
    )
    ambiguous: bool = False
    candidates: list[CandidateExplanationOut] = []

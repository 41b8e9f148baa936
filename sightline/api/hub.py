"""Search, the child's record as a hub, and its chronology (reads across apps; ADR 0301-0302).

Every answer comes from a reporting read model that writes its own audit row: the search
(purpose, types and count), the hub (a view of the child) and the chronology (an export, in
JSON, CSV or PDF). A child the user may not see answers 404 like a missing one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from sightline.accounts.http import AuthenticatedHttpRequest
from sightline.accounts.roles import Cap
from sightline.core.api import Detail
from sightline.core.errors import ApiError
from sightline.reporting.child_hub import ChildHub, child_hub_view
from sightline.reporting.exports import chronology_export
from sightline.reporting.search import search_record

router = Router(tags=["search and the child's record"])

NOT_FOUND = "No child with that id that you can see."


class SearchHitOut(Schema):
    type: str
    id: uuid.UUID
    reference: str
    title: str
    detail: str
    url: str
    score: float
    reasons: list[str]


class SearchOut(Schema):
    purpose: str
    types: list[str]
    count: int
    results: list[SearchHitOut]


class HubTrendOut(Schema):
    at: dt.datetime
    level: str
    score: int
    referral: str
    direction: str


class HubDecisionOut(Schema):
    outcome: str
    decided_at: dt.datetime
    reason: str


class HubReferralOut(Schema):
    reference: str
    received_at: dt.datetime
    agency: str
    status: str
    decision: HubDecisionOut | None


class HubClockOut(Schema):
    kind: str
    referral: str
    started_at: dt.datetime
    due_at: dt.datetime
    met_at: dt.datetime | None
    status: str


class HubStepOut(Schema):
    kind: str
    referral: str
    happened_at: dt.datetime
    outcome: str


class HubAlertOut(Schema):
    id: uuid.UUID
    reference: str
    kind: str
    status: str
    summary: str
    created_at: dt.datetime


class HubAllocationOut(Schema):
    team: str
    worker: str | None
    since: dt.datetime


class HubCaseworkStepOut(Schema):
    kind: str
    label: str
    started_on: dt.date
    ended_on: dt.date | None
    outcome: str
    referral: str


class HubProposalOut(Schema):
    proposed_by: str
    proposed_at: dt.datetime
    reason: str


class HubLinkedOut(Schema):
    type: str
    id: uuid.UUID
    reference: str
    label: str


class HubAliasOut(Schema):
    given_name: str
    family_name: str


class HubChildOut(Schema):
    id: uuid.UUID
    reference: str
    given_name: str
    family_name: str
    date_of_birth: dt.date | None
    date_of_birth_is_estimated: bool
    sex: str
    address: str
    postcode: str
    school: str
    has_learning_disability: bool
    aliases: list[HubAliasOut]
    current_risk_level: str | None
    risk_trend: list[HubTrendOut]
    referrals: list[HubReferralOut]
    referrals_held_elsewhere: int
    clocks: list[HubClockOut]
    statutory_steps: list[HubStepOut]
    allocation: HubAllocationOut | None
    casework: list[HubCaseworkStepOut]
    case_notes: int
    casework_url: str
    mace_proposals: list[HubProposalOut]
    alerts: list[HubAlertOut]
    linked: list[HubLinkedOut]
    network_url: str
    chronology_url: str


class HubEntryOut(Schema):
    date: str
    time: str
    age: int | None
    agency: str
    kind: str
    kind_label: str
    summary: str
    outcome: str
    source_reference: str
    source_url: str


class ChronologyOut(Schema):
    child_id: uuid.UUID
    reference: str
    count: int
    entries: list[HubEntryOut]


@router.get(
    "/search",
    response={200: SearchOut, 403: Detail, 422: Detail},
    summary="Search children, persons of concern, places, vehicles and phones",
    description=(
        "`q`: a name (short forms and spellings match), date of birth or age, reference, "
        "postcode, phone number or registration; at most 200 characters. `purpose`: why you "
        "are searching (required; one of the SearchPurpose values). `types`: comma-separated, "
        "default every type your role may search. The search, its purpose and its count are "
        "recorded; the terms are not."
    ),
)
def search(
    request: AuthenticatedHttpRequest, q: str = "", purpose: str | None = None, types: str = ""
) -> dict[str, Any]:
    user = request.user
    if not user.has_capability(Cap.SEARCH):
        raise ApiError(403, "Your role cannot search records.")
    result = search_record(
        user=user, query=q, purpose=purpose, types=types.split(",") if types else None
    )
    return {
        "purpose": result.purpose,
        "types": result.types,
        "count": result.count,
        "results": [{**hit.__dict__, "reasons": list(hit.reasons)} for hit in result.hits],
    }


def _child_out(hub: ChildHub) -> dict[str, Any]:
    child, record = hub.child, hub.record
    return {
        **{
            f: getattr(child, f)
            for f in (
                "id",
                "reference",
                "given_name",
                "family_name",
                "date_of_birth",
                "date_of_birth_is_estimated",
                "sex",
                "address",
                "postcode",
                "school",
                "has_learning_disability",
            )
        },
        "aliases": [{"given_name": g, "family_name": f} for g, f in record.names_as_referred],
        "current_risk_level": hub.current_level or None,
        "risk_trend": [
            {
                "at": p.at,
                "level": p.level,
                "score": p.score,
                "referral": p.referral_ref,
                "direction": p.direction,
            }
            for p in hub.trend
        ],
        "referrals": [
            {
                "reference": r.reference,
                "received_at": r.received_at,
                "agency": r.source_agency.name,
                "status": r.status,
                "decision": (
                    {
                        "outcome": r.decision.outcome,
                        "decided_at": r.decision.decided_at,
                        "reason": r.decision.reason,
                    }
                    if getattr(r, "decision", None) is not None
                    else None
                ),
            }
            for r in record.referrals
        ],
        "referrals_held_elsewhere": len(record.held_elsewhere),
        "clocks": [
            {
                "kind": c.kind,
                "referral": c.referral.reference,
                "started_at": c.started_at,
                "due_at": c.due_at,
                "met_at": c.met_at,
                "status": c.status,
            }
            for c in record.clocks
        ],
        "statutory_steps": [
            {
                "kind": s.kind,
                "referral": s.referral.reference,
                "happened_at": s.happened_at,
                "outcome": s.outcome,
            }
            for s in record.steps
        ],
        "alerts": [
            {
                "id": a.pk,
                "reference": a.reference,
                "kind": a.kind,
                "status": a.status,
                "summary": a.summary,
                "created_at": a.created_at,
                "possible_at": a.possible_at,
            }
            for a in record.alerts
        ],
        **_casework_out(hub),
        "linked": [
            {"type": kind, "id": e.pk, "reference": e.reference, "label": _label(e)}
            for kind, entities in hub.linked.items()
            for e in entities
        ],
        "network_url": hub.network_url,
        "chronology_url": f"/api/v1/children/{child.pk}/chronology",
    }


def _casework_out(hub: ChildHub) -> dict[str, Any]:
    """Allocation, statutory steps and case notes (empty without casework.view), and the
    open MACE proposals (for those who propose or see meetings)."""
    work, a = hub.record.casework, hub.allocation
    steps = [
        *(("strategy_discussion", "Strategy discussion", d.held_at.date(), None,
           d.get_outcome_display(), d.referral) for d in work.discussions),
        *(("section_47", "Section 47 enquiry", e.started_on, e.completed_on,
           e.get_outcome_display(), e.referral) for e in work.enquiries),
        *(("assessment", "Child and family assessment", x.started_on, x.completed_on,
           x.get_outcome_display(), x.referral) for x in work.assessments),
        *(("conference", c.get_kind_display(), c.held_on, None, c.get_outcome_display(),
           c.referral) for c in work.conferences),
        *((f"plan:{p.kind}", p.get_kind_display(), p.started_on, p.ended_on,
           p.end_reason, p.referral) for p in work.plans),
        *(("closure", "Episode closed", c.closed_on, None, c.get_reason_display(), c.referral)
          for c in work.closures),
    ]  # fmt: skip
    return {
        "allocation": (
            {
                "team": a.team.name,
                "worker": a.worker.username if a.worker else None,
                "since": a.allocated_at,
            }
            if a is not None
            else None
        ),
        "casework": [
            {
                "kind": k,
                "label": str(label),
                "started_on": start,
                "ended_on": end,
                "outcome": str(outcome or ""),
                "referral": ref.reference if ref else "",
            }
            for k, label, start, end, outcome, ref in sorted(steps, key=lambda s: s[2])
        ],
        "case_notes": work.notes_total,
        "casework_url": f"/casework/children/{hub.child.pk}/",
        "mace_proposals": [
            {"proposed_by": p.proposed_by.username, "proposed_at": p.created_at, "reason": p.reason}
            for p in hub.record.mace_proposals
        ],
    }


def _label(entity: Any) -> str:
    for attr in ("name", "registration", "number"):
        value = getattr(entity, attr, "")
        if value:
            return str(value)
    names = getattr(entity, "names", None)
    return ", ".join(str(n) for n in names) if names else str(entity.reference)


@router.get(
    "/children/{child_id}",
    response={200: HubChildOut, 404: Detail},
    summary="A child's record as a hub: identity, risk, referrals, clocks, alerts, links",
)
def child_detail(request: HttpRequest, child_id: uuid.UUID) -> dict[str, Any]:
    hub = child_hub_view(user=request.user, child_id=child_id)
    if hub is None:
        raise ApiError(404, NOT_FOUND)
    return _child_out(hub)


@router.get(
    "/children/{child_id}/chronology",
    response={200: ChronologyOut, 404: Detail, 422: Detail},
    summary="A child's integrated chronology (JSON; ?format=csv or ?format=pdf to download)",
)
def child_chronology(request: HttpRequest, child_id: uuid.UUID, format: str = "json") -> Any:
    export = chronology_export(user=request.user, child_id=child_id, fmt=format)
    if export is None:
        raise ApiError(404, NOT_FOUND)
    if export.format == "json":
        return {
            "child_id": export.hub.child.pk,
            "reference": export.hub.child.reference,
            "count": len(export.hub.chronology),
            "entries": export.content,
        }
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response

"""Intel API: alerts, persons of concern and their network, hotspots, link decisions.
Mounted at the API root (prefix ""), so the paths here are full sub-paths."""

from __future__ import annotations

from typing import Any

from ninja import Router

from sightline.accounts.http import AuthenticatedHttpRequest
from sightline.accounts.roles import Cap
from sightline.core.api import Detail
from sightline.core.errors import ApiError
from sightline.intel import reads, selectors, services
from sightline.intel.api_schemas import (
    ExplanationOut,
    HotspotsOut,
    LinkCandidateOut,
    LinkDecisionOut,
    NetworkOut,
    UndoIn,
)
from sightline.intel.choices import EntityType
from sightline.intel.models import Alert

router = Router(tags=["intel"])

MAX_OFFSET = 1_000_000_000  # beyond what the database's OFFSET accepts


# The practice reference's pattern (§7.3) each intel alert kind is.
PATTERN_OF_KIND = {
    "person_multiple_children": "P4",
    "vehicle_multiple_children": "P4",
    "place_hotspot": "P5",
}


def alert_out(alert: Alert, user: Any, view: selectors.ChildView | None = None) -> dict[str, Any]:
    if view is None:
        view = selectors.children_view(user=user, child_ids=alert.child_ids)
    shown = {c["reference"] for c in view.shown}
    evidence = [
        {**e, "children": [c for c in e.get("children", []) if c in shown]} for e in alert.evidence
    ]
    return {
        "id": alert.pk,
        "reference": alert.reference,
        "kind": alert.kind,
        "trigger": alert.trigger,
        "priority": alert.get_priority_display().lower(),
        "certainty": alert.certainty,
        "status": alert.status,
        "created_at": alert.created_at,
        "summary": alert.summary,
        "entity": {"type": alert.entity_type, "id": alert.entity_id, "reference": alert.entity_ref},
        "children": [{"id": c["id"], "reference": c["reference"]} for c in view.shown],
        "children_withheld": view.withheld,
        "evidence": evidence,
        "pattern": PATTERN_OF_KIND.get(alert.kind),
        "possible_at": alert.possible_at,
    }


@router.get(
    "/persons/{person_id}/network",
    response={200: NetworkOut, 404: Detail},
    summary="Children, adults, places, vehicles and phones within two steps of a person",
)
def person_network(
    request: AuthenticatedHttpRequest, person_id: str, depth: int = 2
) -> dict[str, Any]:
    found = reads.network_read(
        user=request.user,
        node_type=EntityType.PERSON,
        node_id=person_id,
        depth=depth,
        missing=reads.NO_PERSON,
    )
    return found.__dict__


@router.get(
    "/networks/{node_type}/{node_id}",
    response={200: NetworkOut, 404: Detail},
    summary="The network around a person, place, vehicle or child (for the network view)",
)
def network(
    request: AuthenticatedHttpRequest, node_type: str, node_id: str, depth: int = 2
) -> dict[str, Any]:
    found = reads.network_read(user=request.user, node_type=node_type, node_id=node_id, depth=depth)
    return found.__dict__


@router.get("/hotspots", response={200: HotspotsOut, 403: Detail}, summary="Ranked hotspots")
def hotspots(request: AuthenticatedHttpRequest, days: int = 90) -> dict[str, Any]:
    user = request.user
    if not user.has_capability(Cap.INTEL_VIEW):
        raise ApiError(403, "Your role cannot see intelligence.")
    return {"days": days, "results": reads.hotspot_list_read(user=user, days=days)}


@router.get(
    "/mentions/{mention_id}/candidates",
    response={200: list[LinkCandidateOut], 404: Detail},
    summary="Candidate matches for a mention, ranked, with reasons",
)
def mention_candidates(request: AuthenticatedHttpRequest, mention_id: str) -> list[dict[str, Any]]:
    return reads.mention_candidates_read(user=request.user, mention_id=mention_id)


@router.get(
    "/mentions/{mention_id}/explanation",
    response={200: ExplanationOut, 404: Detail},
    summary="Why a mention is linked where it is, and why not to the runner-up",
)
def mention_explanation(request: AuthenticatedHttpRequest, mention_id: str) -> dict[str, Any]:
    return reads.mention_explanation_read(user=request.user, mention_id=mention_id)


def decision_out(decision: Any) -> dict[str, Any]:
    mention = decision.mention
    mention.refresh_from_db()
    return {
        "decision_id": decision.pk,
        "mention_id": mention.pk,
        "action": decision.action,
        "entity_id": decision.entity_id,
        "linked_to": mention.entity_id,
        "link_status": mention.link_status,
        "undone": decision.undone_at is not None,
    }


@router.post(
    "/link-decisions/{decision_id}/undo",
    response={200: LinkDecisionOut, 404: Detail, 409: Detail, 422: Detail},
    summary="Undo a confirm or reject",
)
def decision_undo(
    request: AuthenticatedHttpRequest, decision_id: str, payload: UndoIn
) -> dict[str, Any]:
    user = request.user
    decision = selectors.decision_get(user=user, decision_id=decision_id)
    if decision is None:
        raise ApiError(404, "No decision with that id that you can see.")
    try:
        decision = services.mention_link_undo(
            acting_user=user, decision=decision, reason=payload.reason
        )
    except services.IntelError as exc:
        raise ApiError(409, str(exc)) from exc
    return decision_out(decision)


# ---- persons of concern: the record, merges and splits (ADR 0205) ---------------------------

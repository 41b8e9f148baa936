"""The intel app's audited reads (ADR 0010): what an intel page or API handler shows, with its
access row written here, in the caller's transaction (a savepoint) or one of its own, so that
no page or handler can show it unrecorded. Each applies the scope of the selector it wraps
(`sightline.intel.selectors`) and raises `NotFound` for a record missing or out of scope;
the central handlers record that refusal and answer 404."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction

from sightline.accounts.roles import Cap
from sightline.audit.choices import Action, ObjectType
from sightline.audit.services import audit_record
from sightline.core.errors import NotFound
from sightline.intel import selectors
from sightline.intel.choices import AlertStatus, EntityType
from sightline.intel.models import Alert, Entity, Mention, PersonOfConcern
from sightline.referrals.selectors import child_get

PAGE_SIZE = 50

NO_ALERT = "No alert with that id that you can see."
NO_PERSON = "No person of concern with that id that you can see."
NO_MENTION = "No mention with that id that you can see."
NO_NODE = "Nothing with that id that you can see."

NETWORK_TYPES = {"person", "place", "vehicle", "child"}


def _can(user: Any, cap: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_capability(cap))


# ---- alerts --------------------------------------------------------------------------------


@dataclass
class AlertPage:
    page: Page[Any]
    rows: list[dict[str, Any]]  # {"alert": Alert, "children": ChildView}
    status: str | None  # the status filtered on, if a known one


def alert_list_read(*, user: Any, status: str | None, page: Any) -> AlertPage:
    """One page of alerts (an unknown status reads as all), each with the children the user
    may see, its listing recorded."""
    if status is not None and status not in AlertStatus.values:
        status = None
    with transaction.atomic():
        found = Paginator(selectors.alert_list(user=user, status=status), PAGE_SIZE).get_page(page)
        alerts = list(found)
        views = selectors.children_views(user=user, child_id_lists=[a.child_ids for a in alerts])
        rows = [{"alert": a, "children": v} for a, v in zip(alerts, views, strict=True)]
        audit_record(
            actor=user, action=Action.LIST, object_type=ObjectType.INTEL_ALERT,
            details={"status": status or "", "page": found.number},
        )  # fmt: skip
    return AlertPage(found, rows, status)


@dataclass
class AlertShown:
    alert: Alert
    children: selectors.ChildView
    evidence: list[dict[str, Any]]  # each item's children cut to those shown


def alert_read(*, user: Any, alert_id: Any) -> AlertShown:
    """One alert with the children the user may see, its view recorded."""
    alert = selectors.alert_get(user=user, alert_id=alert_id)
    if alert is None:
        raise NotFound(NO_ALERT)
    children = selectors.children_view(user=user, child_ids=alert.child_ids)
    shown = {c["reference"] for c in children.shown}
    evidence = [
        {**e, "children": [c for c in e.get("children", []) if c in shown]} for e in alert.evidence
    ]
    with transaction.atomic():
        audit_record(
            actor=user, action=Action.VIEW, object_type=ObjectType.INTEL_ALERT,
            object_id=alert.pk, object_ref=alert.reference,
        )  # fmt: skip
    return AlertShown(alert, children, evidence)


# ---- persons, places, vehicles -------------------------------------------------------------


def entity_read(*, user: Any, entity_type: str, entity_id: Any) -> Entity:
    """A person, place or vehicle record, its view recorded (`intel_<type>`). A merged
    person's old id is NotFound here: the caller asks `selectors.person_moved_to`."""
    entity = selectors.entity_get(user=user, entity_type=entity_type, entity_id=entity_id)
    if entity is None:
        raise NotFound(NO_PERSON if entity_type == EntityType.PERSON else NO_NODE)
    with transaction.atomic():
        audit_record(
            actor=user, action=Action.VIEW, object_type=f"intel_{entity_type}",
            object_id=entity.pk, object_ref=entity.reference,
        )  # fmt: skip
    return entity


@dataclass
class PersonShown:
    person: PersonOfConcern
    moved: bool  # the id asked for is a merged person's; `person` is the surviving one


def person_read(*, user: Any, person_id: Any) -> PersonShown:
    """A person of concern, or for a merged person's old id the surviving person (the API
    answers 301 to it), its view recorded with the id asked for."""
    person = selectors.entity_get(user=user, entity_type=EntityType.PERSON, entity_id=person_id)
    moved = None
    if person is None:
        moved = selectors.person_moved_to(user=user, person_id=person_id)
        if moved is None:
            raise NotFound(NO_PERSON)
    shown = moved or person
    assert isinstance(shown, PersonOfConcern)
    with transaction.atomic():
        audit_record(
            actor=user, action=Action.VIEW, object_type=ObjectType.INTEL_PERSON,
            object_id=shown.pk, object_ref=shown.reference,
            details={"moved_from": str(person_id)} if moved is not None else {},
        )  # fmt: skip
    return PersonShown(shown, moved is not None)


# ---- mentions ------------------------------------------------------------------------------


def _mention(user: Any, mention_id: Any) -> Mention:
    mention = selectors.mention_get(user=user, mention_id=mention_id)
    if mention is None:
        raise NotFound(NO_MENTION)
    return mention


def _mention_row(user: Any, mention: Mention, action: str, details: dict[str, Any]) -> None:
    audit_record(
        actor=user, action=action, object_type=ObjectType.INTEL_MENTION,
        object_id=mention.pk,
        object_ref=mention.referral.reference if mention.referral else mention.source_ref,
        referral_id=mention.referral_id, details=details,
    )  # fmt: skip


def mention_candidates_read(*, user: Any, mention_id: Any) -> list[dict[str, Any]]:
    """A mention's candidate entities, ranked, with reasons: recorded as a search."""
    mention = _mention(user, mention_id)
    with transaction.atomic():
        candidates = selectors.candidate_entities(user=user, mention=mention)
        _mention_row(
            user, mention, Action.SEARCH,
            {"search": "candidate entities for a mention", "results": len(candidates)},
        )  # fmt: skip
    return candidates


def mention_explanation_read(*, user: Any, mention_id: Any) -> dict[str, Any]:
    """Why a mention is linked where it is, its view recorded."""
    mention = _mention(user, mention_id)
    with transaction.atomic():
        _mention_row(user, mention, Action.VIEW, {"view": "link explanation"})
    return selectors.mention_explanation(mention)


# ---- networks ------------------------------------------------------------------------------


@dataclass
class NetworkRoot:
    node_type: str
    node_id: uuid.UUID
    reference: str

    @property
    def child_id(self) -> uuid.UUID | None:
        return self.node_id if self.node_type == "child" else None


def _network_root(user: Any, node_type: str, node_id: Any, missing: str) -> NetworkRoot:
    """The node a network is drawn around, if the user may see networks and this node: a
    child through the child scope, an entity through the intel scope."""
    if node_type not in NETWORK_TYPES or not _can(user, Cap.NETWORK_VIEW):
        raise NotFound(missing)
    try:
        pk = uuid.UUID(str(node_id))
    except ValueError as exc:
        raise NotFound(missing) from exc
    if node_type == "child":
        child = child_get(user=user, child_id=pk)
        if child is None:
            raise NotFound(missing)
        return NetworkRoot(node_type, pk, child.reference)
    entity = selectors.entity_get(user=user, entity_type=node_type, entity_id=pk)
    if entity is None:
        raise NotFound(missing)
    return NetworkRoot(node_type, entity.pk, entity.reference)


def network_read(
    *, user: Any, node_type: str, node_id: Any, depth: int | None = None, missing: str = NO_NODE
) -> selectors.Network:
    """The network around a node (`selectors.network_around`), its view recorded with the
    number of nodes (and the depth, when the caller chose one)."""
    root = _network_root(user, node_type, node_id, missing)
    steps = 2 if depth is None else depth
    with transaction.atomic():
        network = selectors.network_around(
            user=user, node_type=node_type, node_id=root.node_id, depth=steps
        )
        details: dict[str, Any] = {"nodes": len(network.nodes)}
        if depth is not None:
            details["depth"] = depth
        audit_record(
            actor=user, action=Action.VIEW, object_type=ObjectType.INTEL_NETWORK,
            object_id=root.node_id, object_ref=root.reference, child_id=root.child_id,
            details=details,
        )  # fmt: skip
    return network


def network_page_read(*, user: Any, node_type: str, node_id: Any) -> tuple[NetworkRoot, list[Any]]:
    """The network page's root and, for a person, the mentions joined to them (with their
    link explanations): the page's view recorded. The drawing comes from `network_read`."""
    root = _network_root(user, node_type, node_id, NO_NODE)
    with transaction.atomic():
        audit_record(
            actor=user, action=Action.VIEW, object_type=ObjectType.INTEL_NETWORK_PAGE,
            object_id=root.node_id, object_ref=root.reference, child_id=root.child_id,
        )  # fmt: skip
        linked = (
            list(selectors.entity_mentions(user=user, entity_id=root.node_id)[:PAGE_SIZE])
            if node_type == "person"
            else []
        )
    return root, linked


def group_list_read(*, user: Any, page: Any) -> Page[Any]:
    """One page of network groups, its listing recorded."""
    with transaction.atomic():
        found = Paginator(selectors.group_list(user=user), PAGE_SIZE).get_page(page)
        audit_record(
            actor=user, action=Action.LIST, object_type=ObjectType.INTEL_GROUPS,
            details={"page": found.number},
        )  # fmt: skip
    return found


def hotspot_list_read(*, user: Any, days: int) -> list[dict[str, Any]]:
    """Places ranked as hotspots over the last `days`: recorded as a search."""
    with transaction.atomic():
        rows = selectors.hotspot_list(user=user, days=days)
        audit_record(
            actor=user, action=Action.SEARCH, object_type=ObjectType.INTEL_HOTSPOTS,
            details={"days": days, "count": len(rows)},
        )  # fmt: skip
    return rows

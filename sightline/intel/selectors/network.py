"""Reads of the network: the nodes and edges around a node on the adjacency table (restricted
children withheld, labels and links as the user may see them), the connected groups, and
the places ranked by the children and concerns named there."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone

from sightline.accounts.roles import Cap
from sightline.intel.choices import EntityType
from sightline.intel.models import Edge, NetworkGroup, Place
from sightline.intel.selectors.children import _child_labels
from sightline.intel.selectors.entities import _references
from sightline.intel.selectors.scope import _can, _visible_mentions, hidden_child_ids
from sightline.referrals.selectors import child_scope

NETWORK_NODE_LIMIT = 400


@dataclass
class Network:
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    withheld_children: int
    truncated: bool


def network_around(*, user: Any, node_type: str, node_id: uuid.UUID, depth: int = 2) -> Network:
    """Children, adults, places, vehicles and phones within `depth` steps (1 or 2) of a node:
    one indexed lookup per step on the adjacency table."""
    depth = max(1, min(depth, 2))
    hidden = hidden_child_ids(user=user)
    frontier = {node_id}
    seen: dict[uuid.UUID, str] = {node_id: node_type}
    pairs: set[tuple[uuid.UUID, uuid.UUID]] = set()
    truncated = False
    for _step in range(depth):
        rows = list(
            Edge.objects.filter(a_id__in=list(frontier)).values_list("a_id", "b_type", "b_id")[
                : NETWORK_NODE_LIMIT * 4
            ]
        )
        if len(rows) >= NETWORK_NODE_LIMIT * 4:
            truncated = True
        nxt: set[uuid.UUID] = set()
        for a_id, b_type, b_id in rows:
            if b_type == "child" and b_id in hidden:
                continue
            if b_id not in seen:
                if len(seen) >= NETWORK_NODE_LIMIT:
                    truncated = True
                    continue
                seen[b_id] = b_type
                nxt.add(b_id)
            pairs.add((min(a_id, b_id), max(a_id, b_id)))
        frontier = nxt
    withheld = 0
    if hidden:
        withheld = (
            Edge.objects.filter(a_id__in=list(seen), b_type="child", b_id__in=list(hidden))
            .values("b_id")
            .distinct()
            .count()
        )
    nodes = _node_labels(user, seen, root=node_id)
    return Network(
        nodes=nodes,
        edges=[{"source": str(a), "target": str(b)} for a, b in sorted(pairs)],
        withheld_children=withheld,
        truncated=truncated,
    )


def _node_labels(user: Any, seen: dict[uuid.UUID, str], *, root: uuid.UUID) -> list[dict[str, Any]]:
    by_type: dict[str, list[uuid.UUID]] = defaultdict(list)
    for nid, ntype in seen.items():
        by_type[ntype].append(nid)
    linkable = set(
        child_scope(user=user, among=by_type.get("child", [])).values_list("pk", flat=True)
    )
    labels: dict[uuid.UUID, str] = {}
    for ntype, ids in by_type.items():
        if ntype == "child":  # "Name (reference)" for a child the user may open
            named = _child_labels(ids, linkable).items()
            labels.update({pk: f"{n} ({ref})" if n else ref for pk, (ref, n) in named})
        else:
            labels.update(_references(ntype, ids))
    nodes: list[dict[str, Any]] = []
    for nid, ntype in seen.items():
        url = ""
        if ntype == "child":
            url = reverse("children:detail", args=[nid]) if nid in linkable else ""
        elif ntype in (EntityType.PERSON, EntityType.PLACE, EntityType.VEHICLE):
            url = reverse(f"intel:{ntype}", args=[nid])
        nodes.append(
            {
                "id": str(nid),
                "type": ntype,
                "label": labels.get(nid, ntype),
                "url": url,
                "root": nid == root,
            }
        )
    return nodes


# ---- groups and hotspots -------------------------------------------------------------------


def group_list(*, user: Any) -> QuerySet[NetworkGroup]:
    if not _can(user, Cap.NETWORK_VIEW):
        return NetworkGroup.objects.none()
    return NetworkGroup.objects.order_by("-persons", "-children", "-size")


def hotspot_list(
    *, user: Any, days: int = 90, now: dt.datetime | None = None
) -> list[dict[str, Any]]:
    """Places ranked by distinct children, then by concerns (referrals), over the last `days`."""
    if not _can(user, Cap.INTEL_VIEW):
        return []
    since = (now or timezone.now()) - dt.timedelta(days=max(1, min(days, 3660)))
    rows = (
        _visible_mentions(user)
        .filter(entity_type=EntityType.PLACE, occurred_at__gte=since)
        .values("entity_id")
        .annotate(
            children=Count("referral__children__child", distinct=True),
            concerns=Count("referral", distinct=True),
        )
        .filter(children__gte=1)
        .order_by("-children", "-concerns")[:200]
    )
    found: list[dict[str, Any]] = [dict(r) for r in rows]
    places = {p.pk: p for p in Place.objects.filter(pk__in=[r["entity_id"] for r in found])}
    out: list[dict[str, Any]] = []
    for rank, r in enumerate(found, start=1):
        place = places.get(r["entity_id"])
        if place is None:
            continue
        out.append(
            {
                "rank": rank,
                "id": place.pk,
                "reference": place.reference,
                "name": place.name,
                "kind": place.kind,
                "postcode": place.postcode,
                "latitude": place.latitude,
                "longitude": place.longitude,
                "children": r["children"],
                "concerns": r["concerns"],
            }
        )
    return out

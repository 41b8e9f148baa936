"""Connected groups across the partnership (networkx, per connected component of the
adjacency table): a worker job, and the last step of bulk indexing."""

from __future__ import annotations

import uuid
from typing import Any

import networkx as nx
from django.db import transaction

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.intel.choices import EntityType
from sightline.intel.models import Edge, Mention, NetworkGroup


def groups_compute() -> int:
    graph: nx.Graph = nx.Graph()
    for a_type, a_id, b_type, b_id in Edge.objects.values_list(
        "a_type", "a_id", "b_type", "b_id"
    ).iterator(chunk_size=5000):
        graph.add_node(a_id, t=a_type)
        graph.add_node(b_id, t=b_type)
        graph.add_edge(a_id, b_id)
    agencies: dict[uuid.UUID, set[str]] = {}
    for eid, code in Mention.objects.values_list("entity_id", "agency__code").iterator(
        chunk_size=5000
    ):
        agencies.setdefault(eid, set()).add(code)
    rows: list[NetworkGroup] = []
    for component in nx.connected_components(graph):
        types = [graph.nodes[n]["t"] for n in component]
        persons = [n for n in component if graph.nodes[n]["t"] == EntityType.PERSON]
        children = types.count("child")
        if not persons or children < 2:
            continue
        anchor = max(persons, key=lambda n: graph.degree[n])
        rows.append(
            NetworkGroup(
                size=len(component),
                persons=len(persons),
                children=children,
                places=types.count(EntityType.PLACE),
                vehicles=types.count(EntityType.VEHICLE),
                phones=types.count(EntityType.PHONE),
                agencies=sorted(set().union(*(agencies.get(n, set()) for n in component))),
                person_ids=[str(p) for p in persons[:200]],
                anchor_person_id=anchor,
            )
        )
    NetworkGroup.objects.all().delete()
    NetworkGroup.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def groups_refresh(*, acting_user: Any = None) -> int:
    """Recompute connected groups across the partnership (a worker job; also run after bulk
    indexing). Reads the whole adjacency table, so never from a request."""
    count = groups_compute()
    audit_record(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="intel_groups",
        actor_username="" if acting_user else "intel_groups",
        details={"groups": count},
    )
    return count

"""Longer than 400 lines because every intel read sits behind the one scope defined here
(`hidden_referrals`); splitting them would spread that scope over modules.

Reads in the intel app. Every selector takes the user and applies scope.

Scope (docs/permissions.md, intel rows): intelligence is partnership-wide for the roles that
hold `intel.view` (front door, managers, CSE specialists, police analysts, MACE chair,
safeguarding lead). What they see of a child there is its reference, never a name; a child
whose record is restricted to named users is shown only to those users, and otherwise is a
count. The child's record itself (names) opens only through the child scope of the referrals
app. An entity named only on referrals this user may not see answers 404.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from sightline.accounts.roles import Cap
from sightline.intel.choices import AlertStatus, EntityType
from sightline.intel.history import person_survivor
from sightline.intel.models import (
    ENTITY_MODELS,
    Alert,
    Edge,
    Entity,
    LinkDecision,
    MatchCandidate,
    Mention,
    NetworkGroup,
    PersonChange,
    PersonOfConcern,
    Place,
)
from sightline.people.models import Child
from sightline.referrals.models import Referral, ReferralChild
from sightline.referrals.selectors import child_scope

NETWORK_NODE_LIMIT = 400


def _can(user: Any, cap: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_capability(cap))


def hidden_child_ids(*, user: Any) -> set[uuid.UUID]:
    """Restricted children this user is not named on (small: restricted records are few)."""
    return set(
        Child.objects.filter(is_restricted=True)
        .exclude(named_users__user=user)
        .values_list("pk", flat=True)
    )


def hidden_referrals(*, user: Any) -> QuerySet[Referral, Any]:
    """Referrals about a restricted child this user is not named on, other than the ones the
    user made: a subquery over the few restricted children (partial index on is_restricted),
    so excluding it never reads the whole referral table."""
    restricted = (
        ReferralChild.objects.filter(child__is_restricted=True)
        .exclude(child__named_users__user=user)
        .values("referral_id")
    )
    return Referral.objects.filter(pk__in=restricted).exclude(referred_by=user).values("pk")


def intel_referrals(*, user: Any) -> QuerySet[Referral]:
    """Referrals whose mentions an intel user may see: all but restricted children's."""
    if not _can(user, Cap.INTEL_VIEW) and not _can(user, Cap.ALERT_VIEW):
        return Referral.objects.none()
    return Referral.objects.exclude(pk__in=hidden_referrals(user=user))


def _visible_mentions(user: Any) -> QuerySet[Mention]:
    """Mentions on referrals the user may see, filtered on the mention's own referral key."""
    if not _can(user, Cap.INTEL_VIEW) and not _can(user, Cap.ALERT_VIEW):
        return Mention.objects.none()
    return Mention.objects.exclude(referral_id__in=hidden_referrals(user=user))


def entity_get(*, user: Any, entity_type: str, entity_id: Any) -> Entity | None:
    model = ENTITY_MODELS.get(entity_type)
    if model is None or not _can(user, Cap.INTEL_VIEW):
        return None
    try:
        pk = uuid.UUID(str(entity_id))
    except ValueError:
        return None
    if not _visible_mentions(user).filter(entity_id=pk).exists():
        return None
    return model.objects.filter(pk=pk).first()  # type: ignore[attr-defined]


def entity_mentions(*, user: Any, entity_id: uuid.UUID) -> QuerySet[Mention]:
    return (
        _visible_mentions(user)
        .filter(entity_id=entity_id)
        .select_related("referral", "agency")
        .order_by("-occurred_at")
    )


def mention_get(*, user: Any, mention_id: Any) -> Mention | None:
    if not _can(user, Cap.INTEL_LINK):
        return None
    try:
        pk = uuid.UUID(str(mention_id))
    except ValueError:
        return None
    return _visible_mentions(user).filter(pk=pk).select_related("referral").first()


def decision_get(*, user: Any, decision_id: Any) -> LinkDecision | None:
    if not _can(user, Cap.INTEL_LINK):
        return None
    try:
        pk = uuid.UUID(str(decision_id))
    except ValueError:
        return None
    return (
        LinkDecision.objects.filter(pk=pk)
        .exclude(mention__referral_id__in=hidden_referrals(user=user))
        .first()
    )


def candidate_entities(*, user: Any, mention: Mention) -> list[dict[str, Any]]:
    return candidates_for(user=user, mentions=[mention])[mention.pk]


def candidates_for(*, user: Any, mentions: list[Mention]) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """Each mention's candidate entities, best first, in two statements for any number of
    mentions (the candidates, then the references of each kind of entity they name)."""
    rows = list(
        MatchCandidate.objects.filter(mention__in=[m.pk for m in mentions]).order_by(
            "mention_id", "-score"
        )
    )
    ids: dict[str, list[uuid.UUID]] = defaultdict(list)
    for c in rows:
        ids[c.entity_type].append(c.entity_id)
    refs: dict[uuid.UUID, str] = {}
    for entity_type, entity_ids in ids.items():
        refs.update(_references(entity_type, entity_ids))
    out: dict[uuid.UUID, list[dict[str, Any]]] = {m.pk: [] for m in mentions}
    for c in rows:
        out[c.mention_id].append(
            {
                "entity_id": c.entity_id,
                "reference": refs.get(c.entity_id, ""),
                "score": c.score,
                "reasons": c.reasons,
                "status": c.status,
            }
        )
    return out


def _references(entity_type: str, ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    model = ENTITY_MODELS.get(entity_type)
    if model is None or not ids:
        return {}
    return dict(model.objects.filter(pk__in=ids).values_list("pk", "reference"))  # type: ignore[attr-defined]


# ---- children as the user may see them ------------------------------------------------------


@dataclass
class ChildView:
    shown: list[dict[str, Any]] = field(default_factory=list)  # id, reference, is_linkable
    withheld: int = 0


def children_view(*, user: Any, child_ids: list[Any]) -> ChildView:
    return children_views(user=user, child_id_lists=[child_ids])[0]


def children_views(*, user: Any, child_id_lists: list[list[Any]]) -> list[ChildView]:
    """What the user may see of the children of each row (an alert's, say), in three
    statements for the whole page whatever the number of rows: the restricted children hidden
    from the user, which of the page's children the user may open, and their references."""
    lists = [[uuid.UUID(str(c)) for c in ids] for ids in child_id_lists]
    every = sorted({cid for ids in lists for cid in ids})
    if not every:
        return [ChildView() for _ in lists]
    hidden = hidden_child_ids(user=user)
    linkable = set(child_scope(user=user).filter(pk__in=every).values_list("pk", flat=True))
    refs = _child_labels(every, linkable)
    views: list[ChildView] = []
    for ids in lists:
        view = ChildView()
        for cid in ids:
            if cid in hidden or cid not in refs:
                view.withheld += 1
            else:
                ref, name = refs[cid]
                view.shown.append(
                    {"id": cid, "reference": ref, "is_linkable": cid in linkable, "name": name}
                )
        views.append(view)
    return views


def _child_labels(ids: Any, openable: set[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str]]:
    """Each child's reference and, for a child the user may open (`child_scope`), its name
    (pages show names where the user may see them; others keep the reference alone)."""
    rows = Child.objects.filter(pk__in=ids).values_list(
        "pk", "reference", "given_name", "family_name"
    )
    return {pk: (ref, f"{g} {f}".strip() if pk in openable else "") for pk, ref, g, f in rows}


# ---- alerts --------------------------------------------------------------------------------


def alert_list(*, user: Any, status: str | None = None) -> QuerySet[Alert]:
    if not _can(user, Cap.ALERT_VIEW):
        return Alert.objects.none()
    qs = Alert.objects.select_related("fired_by")
    qs = qs.filter(status=status) if status else qs.exclude(status=AlertStatus.WITHDRAWN)
    # An alert raised by a restricted child's referral is not shown to other users.
    qs = qs.exclude(fired_by__in=hidden_referrals(user=user))
    return qs.order_by("priority", "-created_at")


def alert_get(*, user: Any, alert_id: Any) -> Alert | None:
    try:
        pk = uuid.UUID(str(alert_id))
    except ValueError:
        return None
    return alert_list(user=user, status=None).filter(pk=pk).first() or (
        alert_list(user=user, status=AlertStatus.WITHDRAWN).filter(pk=pk).first()
    )


# ---- network -------------------------------------------------------------------------------


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
        child_scope(user=user).filter(pk__in=by_type.get("child", [])).values_list("pk", flat=True)
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


# ---- merged and split persons (ADR 0205) ----------------------------------------------------


def person_moved_to(*, user: Any, person_id: Any) -> Entity | None:
    """The person a merged person's mentions went to (followed through later merges), if the
    user may see it; None when the person is still active, was never merged, or the
    surviving person is out of the user's view. An old reference keeps finding its person."""
    if not _can(user, Cap.INTEL_VIEW):
        return None
    try:
        pk = uuid.UUID(str(person_id))
    except ValueError:
        return None
    survivor = person_survivor(pk)
    if survivor is None:
        return None
    return entity_get(user=user, entity_type=EntityType.PERSON, entity_id=survivor)


def person_changes(*, user: Any, person_id: uuid.UUID) -> list[dict[str, Any]]:
    """The merges and splits this person took part in, oldest first, with both references."""
    if not _can(user, Cap.INTEL_VIEW):
        return []
    rows = list(
        PersonChange.objects.filter(Q(from_person=person_id) | Q(into_person=person_id))
        .select_related("decided_by")
        .order_by("created_at")[:100]
    )
    ids = {r.from_person for r in rows} | {r.into_person for r in rows}
    refs = dict(PersonOfConcern.objects.filter(pk__in=ids).values_list("pk", "reference"))
    return [
        {
            "id": r.pk,
            "kind": r.kind,
            "at": r.created_at,
            "from_person": {"id": r.from_person, "reference": refs.get(r.from_person, "")},
            "into_person": {"id": r.into_person, "reference": refs.get(r.into_person, "")},
            "mentions": len(r.mention_ids),
            "reason": r.reason,
            "by": r.decided_by.display_name if r.decided_by else "",
        }
        for r in rows
    ]


def mention_explanation(mention: Mention) -> dict[str, Any]:
    """Why a mention is linked where it is: its stored explanation (the model's probability and
    each comparison's contribution, the runner-up candidate), in the API's shape. A mention
    linked by hand or made before explanations were kept has none: its status says why."""
    stored = mention.explanation or {}
    runner = stored.get("runner_up")
    return {
        "mention_id": mention.pk,
        "link_status": mention.link_status,
        "entity": stored.get("entity"),
        "entity_id": stored.get("entity_id"),
        "probability": stored.get("probability"),
        "contributions": stored.get("contributions", []),
        "runner_up": runner,
        "ambiguous": bool(stored.get("ambiguous")),
        "candidates": stored.get("candidates", []),
    }

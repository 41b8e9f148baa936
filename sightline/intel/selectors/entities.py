"""Reads of entities, mentions and link decisions, within scope: an entity named only on
referrals the user may not see is not found; each mention's candidate entities with their
references; and a mention's stored explanation in the API's shape."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from sightline.accounts.roles import Cap
from sightline.intel.models import ENTITY_MODELS, Entity, LinkDecision, MatchCandidate, Mention
from sightline.intel.selectors.scope import _can, _visible_mentions, hidden_referrals


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

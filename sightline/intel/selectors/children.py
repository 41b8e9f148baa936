"""Children as the user may see them: a reference, a name only where the user may open the
child's record (`child_scope`), and a count of those withheld (restricted children the user
is not named on)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sightline.intel.selectors.scope import hidden_child_ids
from sightline.people.models import Child
from sightline.referrals.selectors import child_scope


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
    linkable = set(child_scope(user=user, among=every).values_list("pk", flat=True))
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

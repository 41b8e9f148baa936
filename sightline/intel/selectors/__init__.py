"""Reads in the intel app. Every selector takes the user and applies scope.

Scope (docs/permissions.md, intel rows): intelligence is partnership-wide for the roles that
hold `intel.view` (front door, managers, CSE specialists, police analysts, MACE chair,
safeguarding lead). What they see of a child there is its reference, never a name; a child
whose record is restricted to named users is shown only to those users, and otherwise is a
count. The child's record itself (names) opens only through the child scope of the referrals
app. An entity named only on referrals this user may not see answers 404.

The modules of this package hold the reads by what they read (`scope`: the one scope every
read sits behind, `hidden_referrals`; `entities`: entities, mentions, candidates, decisions;
`children`; `alerts`; `network`: the network, groups and hotspots; `persons`: merged and
split persons); callers import from here.
"""

from sightline.intel.selectors.alerts import alert_get, alert_list
from sightline.intel.selectors.children import ChildView, children_view, children_views
from sightline.intel.selectors.entities import (
    candidate_entities,
    candidates_for,
    decision_get,
    entity_get,
    entity_mentions,
    mention_explanation,
    mention_get,
)
from sightline.intel.selectors.network import (
    NETWORK_NODE_LIMIT,
    Network,
    group_list,
    hotspot_list,
    network_around,
)
from sightline.intel.selectors.persons import person_changes, person_moved_to
from sightline.intel.selectors.scope import hidden_child_ids, hidden_referrals, intel_referrals

__all__ = [
    "NETWORK_NODE_LIMIT",
    "ChildView",
    "Network",
    "alert_get",
    "alert_list",
    "candidate_entities",
    "candidates_for",
    "children_view",
    "children_views",
    "decision_get",
    "entity_get",
    "entity_mentions",
    "group_list",
    "hidden_child_ids",
    "hidden_referrals",
    "hotspot_list",
    "intel_referrals",
    "mention_explanation",
    "mention_get",
    "network_around",
    "person_changes",
    "person_moved_to",
]

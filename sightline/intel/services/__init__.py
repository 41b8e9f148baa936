"""Writes in the intel app: indexing a referral's (or a partner event's) mentions,
confirming, rejecting and undoing links, alert status changes, refreshing connected groups,
bulk indexing. Keyword-only, `acting_user`, one transaction each (nested inside the
caller's when there is one), audit rows inside it. The modules of this package hold the
parts; callers import from here."""

from sightline.intel.services.alerts import alert_status_set
from sightline.intel.services.bulk import intel_bulk_index
from sightline.intel.services.bulk_sources import SourceNames, SourcesPicture, mentions_on_sources
from sightline.intel.services.common import ALERT_ROLES, IndexResult, IntelError
from sightline.intel.services.concerns import concern_on_screening
from sightline.intel.services.groups import groups_refresh
from sightline.intel.services.indexing import mentions_on_referral
from sightline.intel.services.links import mention_confirm, mention_link_undo, mention_reject
from sightline.intel.services.sources import Source, SourceIndexResult, mentions_on_source

__all__ = [
    "ALERT_ROLES",
    "IndexResult",
    "IntelError",
    "Source",
    "SourceIndexResult",
    "SourceNames",
    "SourcesPicture",
    "alert_status_set",
    "concern_on_screening",
    "groups_refresh",
    "intel_bulk_index",
    "mention_confirm",
    "mention_link_undo",
    "mention_reject",
    "mentions_on_referral",
    "mentions_on_source",
    "mentions_on_sources",
]

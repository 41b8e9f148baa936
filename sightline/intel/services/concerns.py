"""A later screening that makes a referral an exploitation concern (issue 12 §3a): its place
mentions are flagged and the alerts of every place, vehicle and person it names re-evaluated,
in the screening's transaction."""

from __future__ import annotations

from typing import Any

from sightline.intel.choices import EntityType
from sightline.intel.concerns import CONCERN_KEY
from sightline.intel.models import Alert, Mention
from sightline.intel.services.alerts import alerts_apply
from sightline.referrals.models import Referral
from sightline.screening.choices import RiskLevel


def concern_on_screening(*, acting_user: Any, referral: Referral, level: str) -> list[Alert]:
    """After a screening at `level` on `referral`: when it is medium or high, the referral
    is an exploitation concern; flag its place mentions (once) and re-evaluate the alerts of
    what it names. Returns the alerts raised or changed."""
    if level not in (RiskLevel.MEDIUM, RiskLevel.HIGH):
        return []
    mentions = list(Mention.objects.filter(referral=referral).select_for_update())
    flagged = [
        m
        for m in mentions
        if m.entity_type == EntityType.PLACE and not (m.details or {}).get(CONCERN_KEY)
    ]
    for m in flagged:
        m.details = {**(m.details or {}), CONCERN_KEY: True}
    Mention.objects.bulk_update(flagged, ["details", "updated_at"])
    changed: list[Alert] = []
    named = sorted({(m.entity_type, m.entity_id) for m in mentions}, key=str)
    for entity_type, entity_id in named:
        changed += alerts_apply(
            entity_type, entity_id, fired_by=referral, acting_user=acting_user, notify=True
        )
    return changed

"""Indexing many referrals at once: the demo loader and back-filling."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.intel.models import Mention
from sightline.intel.services.alerts import alerts_apply
from sightline.intel.services.groups import groups_compute
from sightline.intel.services.mentions import index_referral
from sightline.referrals.models import Referral


@transaction.atomic
def intel_bulk_index(
    *, referrals: Iterable[Referral] | None = None, acting_user: Any = None, notify: bool = False
) -> dict[str, int]:
    """Index referrals not yet indexed, oldest first, exactly as intake would have (so alerts
    fire at the referral that would have fired them), in one transaction with one audit row.
    For the demo loader and for back-filling; `referrals=None` means every referral."""
    queryset = Referral.objects.exclude(
        pk__in=Mention.objects.values("referral_id")
    ).prefetch_related("persons_named", "places_named")
    if referrals is not None:
        queryset = queryset.filter(pk__in=[r.pk for r in referrals])
    counts = {"referrals": 0, "mentions": 0, "alerts": 0, "suggestions": 0}
    for referral in queryset.order_by("received_at", "reference").iterator(chunk_size=500):
        result, touched = index_referral(referral)
        for entity_type, entity_id in sorted(touched):
            result.alerts += alerts_apply(
                entity_type,
                entity_id,
                fired_by=referral,
                acting_user=acting_user,
                notify=notify,
                audit=False,
            )
        counts["referrals"] += 1
        counts["mentions"] += len(result.mentions)
        counts["alerts"] += len(result.alerts)
        counts["suggestions"] += len(result.suggestions)
    groups = groups_compute()
    audit_record(
        actor=acting_user,
        action=Action.IMPORT,
        object_type="intel_bulk_index",
        actor_username="" if acting_user else "intel_bulk_index",
        details={**counts, "groups": groups},
    )
    return counts

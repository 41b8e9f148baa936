"""Indexing a newly submitted referral (intake calls this through its workflow)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.intel.models import Mention
from sightline.intel.services.alerts import alerts_apply
from sightline.intel.services.common import IndexResult, IntelError
from sightline.intel.services.mentions import index_referral
from sightline.referrals.models import Referral


@transaction.atomic
def mentions_on_referral(
    *,
    referral: Referral,
    acting_user: Any,
    vehicles: Sequence[str] = (),
    phones: Sequence[str] = (),
    notify: bool = True,
) -> IndexResult:
    """Index a newly submitted referral: persons, places, vehicles and phones named on it
    become mentions of shared entities (found or made), candidates are stored with reasons,
    the narrative is read for suggestions, and the alert rules run, all in the caller's
    transaction. Call once per referral, after its persons and places are saved."""
    if Mention.objects.filter(referral=referral).exists():
        raise IntelError("This referral has already been indexed.")
    result, touched = index_referral(referral, vehicles=vehicles, phones=phones)
    for entity_type, entity_id in sorted(touched):
        result.alerts += alerts_apply(
            entity_type, entity_id, fired_by=referral, acting_user=acting_user, notify=notify
        )
    audit_record(
        actor=acting_user,
        action=Action.LINK,
        object_type="intel_index",
        object_id=referral.pk,
        object_ref=referral.reference,
        referral_id=referral.pk,
        actor_username="" if acting_user else "intel_index",
        details={
            "mentions": len(result.mentions),
            "candidates": len(result.candidates),
            "suggestions": len(result.suggestions),
            "alerts": [a.reference for a in result.alerts],
        },
    )
    return result

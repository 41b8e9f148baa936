"""Indexing a newly submitted referral (intake calls this through its workflow): the steps
are intake's (`mentions.index_referral`, the alert rules) run over `IntakeStore`, then its
writes, the audit rows of the alerts it raised or changed and of the indexing, and the alert
notifications. No savepoint: a step of the caller's transaction (ADR 0009)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.transactions import in_callers_transaction
from sightline.intel.models import Alert, Mention
from sightline.intel.services.alerts import alerts_apply_in_memory, alerts_notify
from sightline.intel.services.common import IndexResult, IntelError
from sightline.intel.services.indexing.store import IntakeStore
from sightline.intel.services.mentions import index_referral
from sightline.referrals.models import PersonNamed, PlaceNamed, Referral, ReferralChild


@in_callers_transaction
def mentions_on_referral(
    *,
    referral: Referral,
    acting_user: Any,
    vehicles: Sequence[str] = (),
    phones: Sequence[str] = (),
    notify: bool = True,
    children: Sequence[ReferralChild] | None = None,
    new_referral: bool = False,
    named: tuple[Sequence[PersonNamed], Sequence[PlaceNamed]] | None = None,
) -> IndexResult:
    """Index a newly submitted referral: persons, places, vehicles and phones named on it
    become mentions of shared entities (found or made), candidates are stored with reasons,
    the narrative is read for suggestions, and the alert rules run, all in the caller's
    transaction. Call once per referral, after its persons and places are saved.
    `children`: the referral's children as the caller saved them (else they are read);
    `new_referral`: the caller made the referral in this transaction, so it cannot have been
    indexed yet (else that is checked); `named`: the persons and places named as the caller
    saved them (else they are read)."""
    if not new_referral and Mention.objects.filter(referral=referral).exists():
        raise IntelError("This referral has already been indexed.")
    store = IntakeStore()
    store.load_for(referral, children=children, vehicles=vehicles, phones=phones, named=named)
    result, touched = index_referral(referral, vehicles=vehicles, phones=phones, store=store)
    store.prepare_alerts({entity_id for _type, entity_id in touched})
    raised: list[Alert] = []
    changes: list[tuple[Alert, Action, str]] = []
    for entity_type, entity_id in sorted(touched):
        changes += alerts_apply_in_memory(store, entity_type, entity_id, referral, raised)
    store.write(raised, fresh_referral=referral.pk if new_referral else None)
    result.alerts = [alert for alert, _action, _what in changes]
    for alert, action, what in changes:
        _alert_audit(alert, acting_user, action, what)
    if notify:
        alerts_notify(raised)
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


def _alert_audit(alert: Alert, acting_user: Any, action: Action, what: str) -> None:
    audit_record(
        actor=acting_user,
        action=action,
        object_type="intel_alert",
        object_id=alert.pk,
        object_ref=alert.reference,
        referral_id=alert.fired_by_id,
        actor_username="" if acting_user else "intel_rules",
        details={
            "event": what,
            "kind": alert.kind,
            "trigger": alert.trigger,
            "certainty": alert.certainty,
            "entity": alert.entity_ref,
            "children": len(alert.child_ids),
        },
    )

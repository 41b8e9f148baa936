"""Alerts: raised, confirmed or withdrawn to match what the rules say of an entity now, inside
the transaction that changed it; and a practitioner's change of an alert's status."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from sightline.accounts.models import User
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.outbox import outbox_enqueue_many, outbox_message
from sightline.intel import entities, rules
from sightline.intel.choices import ALERT_TRANSITIONS, AlertStatus, Certainty, EntityType
from sightline.intel.models import Alert
from sightline.intel.services.common import ALERT_ROLES, IntelError
from sightline.referrals.models import Referral

if TYPE_CHECKING:
    from sightline.intel.services.bulk_store import MemoryStore


def _alert_summary(entity_type: str, entity_ref: str, trigger: str, links: list[Any]) -> str:
    children = sorted({ref for link in links for _c, ref, _h in link.children})
    agencies = sorted({link.agency for link in links})
    what = {
        EntityType.PERSON: f"Person of concern {entity_ref} is linked to",
        EntityType.PLACE: f"Place {entity_ref} is named in exploitation concerns about",
        EntityType.VEHICLE: f"Vehicle {entity_ref} has been seen with",
    }[EntityType(entity_type)]
    extra = {
        "children3": " (a third child)",
        "agencies2": " (named by a second agency)",
        "vehicle": " (their vehicle is seen with more than one child)",
    }.get(trigger, "")
    return (
        f"{what} {_count(len(children), 'child', 'children')} from "
        f"{_count(len(agencies), 'agency', 'agencies')}{extra}: {', '.join(children[:6])}"
    )[:300]


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def alerts_apply(
    entity_type: str,
    entity_id: uuid.UUID,
    *,
    fired_by: Referral | None,
    acting_user: Any,
    notify: bool,
    audit: bool = True,
) -> list[Alert]:
    """Raise, confirm or withdraw this entity's alerts to match what the rules say now."""
    if entity_type not in rules.KIND_FOR:
        return []
    outcomes = rules.evaluate(entity_type, entity_id)
    current = {
        a.trigger: a
        for a in Alert.objects.filter(entity_id=entity_id).exclude(status=AlertStatus.WITHDRAWN)
    }
    entity = entities.entity_get(entity_type, entity_id)
    entity_ref = entity.reference if entity is not None else ""
    changed: list[Alert] = []
    raised: list[Alert] = []
    for trigger, outcome in outcomes.items():
        alert = current.get(trigger)
        if outcome.holds and alert is None:
            alert = alert_new(entity_type, entity_id, entity_ref, trigger, outcome, fired_by)
            alert.supersedes = current.get("children2") if trigger != "children2" else None
            alert.save()
            alert_audit(alert, acting_user, Action.CREATE, "raised", audit)
            raised.append(alert)
        elif outcome.holds and alert is not None:
            what = alert_update(alert, entity_ref, outcome)
            if what is None:
                continue
            alert.save()
            alert_audit(alert, acting_user, Action.CHANGE, what, audit)
        elif alert is not None and alert_withdraw(alert):
            alert.save(update_fields=["status", "status_reason", "updated_at"])
            alert_audit(alert, acting_user, Action.CHANGE, "withdrawn", audit)
        else:
            continue
        changed.append(alert)
    if notify:
        alerts_notify(raised)  # each as it was raised: none is changed again in this loop
    return changed


def alerts_apply_in_memory(
    store: MemoryStore,
    entity_type: str,
    entity_id: uuid.UUID,
    fired_by: Referral,
    raised: list[Alert],
) -> list[tuple[Alert, Action, str]]:
    """`alerts_apply` over a picture held in memory (intake's `IntakeStore`): the same
    outcomes, the alerts changed in memory (new ones appended to `raised`, references from
    the store), each with the audit action and event `alerts_apply` would record. The caller
    writes them and records the audit rows."""
    if entity_type not in rules.KIND_FOR:
        return []
    outcomes = rules.evaluate(
        entity_type, entity_id, links_of=store.links_of, vehicles_of=store.vehicles_of
    )
    current = store.alerts[entity_id]
    before = dict(current)
    entity_ref = store.reference_of(entity_type, entity_id)
    changed: list[tuple[Alert, Action, str]] = []
    for trigger, outcome in outcomes.items():
        alert = before.get(trigger)
        if outcome.holds and alert is None:
            reference = str(store.references("AL"))
            alert = alert_new(
                entity_type, entity_id, entity_ref, trigger, outcome, fired_by, reference=reference
            )
            alert.supersedes = before.get("children2") if trigger != "children2" else None
            current[trigger] = alert
            store.new.add(alert.pk)
            raised.append(alert)
            changed.append((alert, Action.CREATE, "raised"))
        elif outcome.holds and alert is not None:
            what = alert_update(alert, entity_ref, outcome)
            if what is None:
                continue
            store.touch(alert.pk)
            changed.append((alert, Action.CHANGE, what))
        elif alert is not None and alert_withdraw(alert):
            del current[trigger]
            store.touch(alert.pk)
            changed.append((alert, Action.CHANGE, "withdrawn"))
    return changed


def alert_new(
    entity_type: str,
    entity_id: uuid.UUID,
    entity_ref: str,
    trigger: str,
    outcome: rules.Outcome,
    fired_by: Referral | None,
    *,
    reference: str | None = None,
) -> Alert:
    """A new alert for a trigger that holds (unsaved; its reference taken now unless given)."""
    alert = Alert(
        reference=reference or entities.next_reference("AL", timezone.localdate().year, 7),
        kind=rules.KIND_FOR[EntityType(entity_type)],
        trigger=trigger,
        entity_type=entity_type,
        entity_id=entity_id,
        entity_ref=entity_ref,
        priority=rules.PRIORITY_FOR[trigger],
        certainty=Certainty.CONFIRMED if outcome.confirmed else Certainty.PROBABLE,
        child_ids=_child_ids(outcome),
        possible_at=outcome.possible_at,
        fired_by=fired_by,
    )
    alert_describe(alert, entity_ref, outcome.links)
    return alert


def _child_ids(outcome: rules.Outcome) -> list[str]:
    return sorted({c for link in outcome.links for c, _r, _h in link.children})


def alert_update(alert: Alert, entity_ref: str, outcome: rules.Outcome) -> str | None:
    """Bring a standing alert in line with a trigger that still holds (unsaved): "confirmed"
    or "updated", or None when nothing changed."""
    what = alert_changed(alert, outcome, _child_ids(outcome))
    if what is not None:
        alert_describe(alert, entity_ref, outcome.links)
    return what


def alert_changed(alert: Alert, outcome: rules.Outcome, child_ids: list[str]) -> str | None:
    """The part of `alert_update` that decides whether the alert changed: its certainty,
    children (`child_ids`, those of the outcome's links, sorted) and date."""
    certainty = Certainty.CONFIRMED if outcome.confirmed else Certainty.PROBABLE
    if (
        alert.certainty == certainty
        and alert.child_ids == child_ids
        and alert.possible_at == outcome.possible_at
    ):
        return None
    upgraded = alert.certainty == Certainty.PROBABLE and outcome.confirmed
    alert.certainty = certainty
    alert.child_ids = child_ids
    alert.possible_at = outcome.possible_at
    return "confirmed" if upgraded else "updated"


def alert_describe(alert: Alert, entity_ref: str, links: list[Any]) -> None:
    """The alert's evidence, referrals and summary, from the links it holds on."""
    alert.evidence = [link.evidence() for link in links]
    alert.referral_ids = sorted({str(link.referral_id) for link in links})
    alert.summary = _alert_summary(alert.entity_type, entity_ref, alert.trigger, links)


def alert_withdraw(alert: Alert) -> bool:
    """Withdraw an open alert whose trigger no longer holds (unsaved); False if it was closed."""
    if alert.status not in (AlertStatus.NEW, AlertStatus.REVIEWED):
        return False
    alert.status = AlertStatus.WITHDRAWN
    alert.status_reason = "The link that raised this alert was rejected or undone."
    return True


def alert_audit(alert: Alert, acting_user: Any, action: Action, what: str, audit: bool) -> None:
    if not audit:
        return
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


def alert_notify(alert: Alert) -> None:
    alerts_notify([alert])


def alerts_notify(alerts: Sequence[Alert]) -> None:
    """Each alert raised, to every active CSE specialist and police analyst: one read of them
    and one insert of all the messages (none of either when no alert was raised)."""
    if not alerts:
        return
    recipients = list(User.objects.filter(is_active=True, role__in=ALERT_ROLES))
    outbox_enqueue_many(
        [
            outbox_message(
                kind="intel_alert",
                dedupe_key=f"intel-alert:{alert.pk}:{user.pk}",
                recipient=user,
                subject=f"Sightline alert {alert.reference} ({alert.get_priority_display()})",
                body=f"{alert.summary}\nCertainty: {alert.get_certainty_display()}.",
                payload={"alert": alert.reference, "entity": alert.entity_ref},
            )
            for alert in alerts
            for user in recipients
        ]
    )


@transaction.atomic
def alert_status_set(*, acting_user: Any, alert: Alert, status: str, reason: str = "") -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if status not in ALERT_TRANSITIONS.get(alert.status, frozenset()):
        raise IntelError(
            f"An alert that is {alert.get_status_display().lower()} cannot be {status}."
        )
    reason = (reason or "").strip()
    if status == AlertStatus.DISMISSED and len(reason) < 5:
        raise IntelError("Give the reason for dismissing this alert.")
    before = alert.status
    alert.status = status
    alert.status_reason = reason[:2000]
    alert.status_changed_by = acting_user
    alert.save(update_fields=["status", "status_reason", "status_changed_by", "updated_at"])
    audit_record(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="intel_alert",
        object_id=alert.pk,
        object_ref=alert.reference,
        referral_id=alert.fired_by_id,
        reason=reason,
        details={"from": before, "to": status},
    )
    return alert

"""Acting on an escalation: acknowledging it (it stops climbing for the rung's time) and
resolving it. Both need a reason; nothing is dismissed silently; both are audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.escalation import rules
from sightline.escalation.choices import EscalationEventKind, EscalationStatus
from sightline.escalation.models import Clock, Escalation, EscalationEvent
from sightline.escalation.services.common import Conflict, NotPermitted, audit, require_reason
from sightline.escalation.timescales import ladder_for


def _locked(escalation: Escalation) -> Escalation:
    """Lock the clock, then the escalation: the order the sweep takes them in, so the two
    never wait on each other."""
    Clock.objects.select_for_update().filter(pk=escalation.clock_id).first()
    return (
        Escalation.objects.select_for_update(of=("self",))
        .select_related("referral", "clock", "agency")
        .get(pk=escalation.pk)
    )


def _recorded(
    escalation: Escalation, kind: str, acting_user: Any, reason: str, now: dt.datetime
) -> Escalation:
    """After an acknowledgement or resolution: the clock's next check follows the escalation's
    next climb, and the event and its audit row are written."""
    Clock.objects.filter(pk=escalation.clock_id).update(next_check_at=escalation.next_climb_at)
    EscalationEvent.objects.create(
        escalation=escalation,
        kind=kind,
        rung=escalation.rung,
        at=now,
        by=acting_user,
        reason=reason,
    )
    audit(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="escalation",
        object_id=escalation.pk,
        referral=escalation.referral,
        reason=reason,
        details={"event": str(kind), "rung": escalation.rung},
    )
    return escalation


@transaction.atomic
def escalation_acknowledge(*, acting_user: Any, escalation: Escalation, reason: str) -> Escalation:
    reason = require_reason(reason)
    if not rules.can_acknowledge_escalation(acting_user, escalation):
        raise NotPermitted("Your role cannot acknowledge escalations.")
    escalation = _locked(escalation)
    if escalation.status == EscalationStatus.RESOLVED:
        raise Conflict("This escalation has already been resolved.")
    rules.guard_escalation(escalation.status, EscalationStatus.ACKNOWLEDGED)
    now = timezone.now()
    hours = ladder_for(escalation.agency)[escalation.rung].hours
    escalation.status = EscalationStatus.ACKNOWLEDGED
    escalation.acknowledged_at = now
    escalation.acknowledged_by = acting_user
    escalation.next_climb_at = now + dt.timedelta(hours=hours)
    escalation.save(
        update_fields=[
            "status",
            "acknowledged_at",
            "acknowledged_by",
            "next_climb_at",
            "updated_at",
        ]
    )
    return _recorded(escalation, EscalationEventKind.ACKNOWLEDGED, acting_user, reason, now)


@transaction.atomic
def escalation_resolve(*, acting_user: Any, escalation: Escalation, reason: str) -> Escalation:
    reason = require_reason(reason)
    if not rules.can_resolve_escalation(acting_user, escalation):
        raise NotPermitted("Only a manager can resolve an escalation.")
    escalation = _locked(escalation)
    if escalation.status == EscalationStatus.RESOLVED:
        raise Conflict("This escalation has already been resolved.")
    rules.guard_escalation(escalation.status, EscalationStatus.RESOLVED)
    now = timezone.now()
    escalation.status = EscalationStatus.RESOLVED
    escalation.resolved_at = now
    escalation.resolved_by = acting_user
    escalation.resolution = reason
    escalation.next_climb_at = None
    escalation.save(
        update_fields=[
            "status",
            "resolved_at",
            "resolved_by",
            "resolution",
            "next_climb_at",
            "updated_at",
        ]
    )
    return _recorded(escalation, EscalationEventKind.RESOLVED, acting_user, reason, now)

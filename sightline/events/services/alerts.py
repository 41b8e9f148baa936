"""The detectors' alerts, told to who must act, and the sweep of time-based findings."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.accounts.models import User
from sightline.accounts.roles import Role
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.bulk import bulk_insert
from sightline.core.calendar import default_calendar
from sightline.core.errors import Invalid, TransitionNotAllowed
from sightline.core.outbox import outbox_enqueue
from sightline.core.references import references_reserve
from sightline.core.transactions import in_callers_transaction
from sightline.events.choices import (
    EVENT_ALERT_TRANSITIONS,
    Detector,
    EventAlertStatus,
)
from sightline.events.detectors import Finding, threshold
from sightline.events.models import (
    EventAlert,
    MissingEpisode,
)
from sightline.events.selectors import allocated_worker_recipients
from sightline.intel.choices import EntityType, LinkStatus
from sightline.intel.models import Mention


@in_callers_transaction
def findings_raise(
    *, acting_user: Any, findings: Sequence[Finding], notify: bool = True
) -> list[EventAlert]:
    """An alert for each finding not raised before (its key), told to who must act."""
    if not findings:
        return []
    keys = [f.key for f in findings]
    already = set(EventAlert.objects.filter(key__in=keys).values_list("key", flat=True))
    # The first finding of a key is the alert (as when the events arrived one by one).
    first: dict[str, Finding] = {}
    for f in findings:
        if f.key not in already:
            first.setdefault(f.key, f)
    todo = list(first.values())
    refs = references_reserve("EA", timezone.now().year, count=len(todo), width=7)
    now = timezone.now()
    rows = [
        EventAlert(
            reference=ref,
            detector=f.detector,
            key=f.key,
            child_id=f.child_id,
            event_id=f.event_id,
            raised_at=now,
            summary=f.summary[:300],
            evidence=f.evidence,
            asks=f.asks,
        )
        for f, ref in zip(todo, refs, strict=True)
    ]
    bulk_insert(EventAlert, rows, ignore_conflicts=True)
    for alert, finding in zip(rows, todo, strict=True):
        audit_record(
            actor=acting_user,
            action=Action.CREATE,
            object_type="event_alert",
            object_id=alert.pk,
            object_ref=alert.reference,
            child_id=alert.child_id,
            actor_username="" if acting_user else "event_detectors",
            details={"detector": alert.detector, "asks": alert.asks},
        )
        if notify:
            _notify(alert, finding)
    return rows


def _notify(alert: EventAlert, finding: Finding) -> None:
    if finding.urgent or finding.asks:
        recipients = allocated_worker_recipients(child_id=alert.child_id)
    else:
        recipients = list(User.objects.filter(is_active=True, role=Role.CSE_SPECIALIST))
    for user in recipients:
        outbox_enqueue(
            kind="event_alert",
            dedupe_key=f"event-alert:{alert.pk}:{user.pk}",
            recipient=user,
            subject=f"Sightline {alert.get_detector_display().lower()} ({alert.reference})",
            body=alert.summary,
            payload={"alert": alert.reference, "detector": alert.detector},
        )


@transaction.atomic
def event_alert_status_set(
    *, acting_user: Any, alert: EventAlert, status: str, reason: str = ""
) -> EventAlert:
    """Acknowledge (reviewed) or close (actioned, or dismissed with a reason) a detector's
    alert, as intel's alerts are; audited with the step and the reason."""
    alert = EventAlert.objects.select_for_update().select_related("child").get(pk=alert.pk)
    if status not in EventAlertStatus.values or status == EventAlertStatus.NEW:
        raise Invalid("status must be reviewed, actioned or dismissed.")
    if status not in EVENT_ALERT_TRANSITIONS.get(alert.status, frozenset()):
        raise TransitionNotAllowed(
            f"An alert that is {alert.get_status_display().lower()} cannot be {status}."
        )
    reason = (reason or "").strip()
    if status == EventAlertStatus.DISMISSED and len(reason) < 5:
        raise Invalid("Give the reason for dismissing this alert.")
    before = alert.status
    alert.status = status
    alert.status_reason = reason[:2000]
    alert.status_changed_by = acting_user
    alert.status_changed_at = timezone.now()
    alert.save(
        update_fields=[
            "status", "status_reason", "status_changed_by", "status_changed_at", "updated_at",
        ]
    )  # fmt: skip
    audit_record(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="event_alert",
        object_id=alert.pk,
        object_ref=alert.reference,
        child_id=alert.child_id,
        reason=reason,
        details={"from": before, "to": status, "detector": alert.detector},
    )
    return alert


# ---- the sweep: findings that come from time passing --------------------------------------

SWEEP_LOOKBACK = dt.timedelta(days=60)


def _unlinked_adults(event_id: uuid.UUID) -> list[str]:
    """References of the persons this event names who are not (yet) a person of concern
    anywhere else: no other source names them and no practitioner has confirmed the link."""
    found = Mention.objects.filter(source_id=event_id, entity_type=EntityType.PERSON)
    out = []
    for mention in found:
        others = (
            Mention.objects.filter(entity_id=mention.entity_id).exclude(source_id=event_id).exists()
        )
        if not others and mention.link_status != LinkStatus.CONFIRMED:
            out.append(mention.said[:60] or "an adult")
    return out


def found_with_findings(at: dt.datetime) -> list[Finding]:
    """P7: a child found with adults, and after N working days no adult they were found with
    is linked to a person of concern (or none was named at all)."""
    days = threshold("found_with_working_days")
    calendar = default_calendar()
    findings = []
    episodes = MissingEpisode.objects.filter(
        is_found_with_adults=True,
        returned_at__isnull=False,
        returned_at__gte=at - SWEEP_LOOKBACK,
        returned_at__lte=at - dt.timedelta(days=days),
    ).select_related("event", "child")
    raised = set(
        EventAlert.objects.filter(detector=Detector.FOUND_WITH_UNLINKED).values_list(
            "event_id", flat=True
        )
    )
    for episode in episodes:
        if episode.event_id in raised or episode.returned_at is None:
            continue
        if calendar.add_working_days(episode.returned_at, days) > at:
            continue
        named = [p for p in episode.event.persons_named if p.get("role") == "found_with"]
        unlinked = _unlinked_adults(episode.event_id) if named else ["no adult named"]
        if not unlinked:
            continue
        findings.append(
            Finding(
                Detector.FOUND_WITH_UNLINKED,
                f"found_with:{episode.event_id}",
                episode.child_id,
                episode.event_id,
                f"{episode.child.reference} was found with adults ({episode.event.reference}); "
                f"after {days} working days none is linked to a person of concern",
                [{"reference": episode.event.reference, "unlinked": unlinked[:5]}],
            )
        )
    return findings


def interview_overdue_findings(at: dt.datetime) -> list[Finding]:
    """Return interviews past their 72 hours for children with no referral (and so no clock
    on a referral to escalate): raised here instead."""
    overdue = MissingEpisode.objects.filter(
        clock_id__isnull=True,
        interview_due_at__lt=at,
        interview_due_at__gte=at - SWEEP_LOOKBACK,
        interview_status__in=("due", "offered", "accepted"),
    ).select_related("event", "child")
    return [
        Finding(
            Detector.RETURN_INTERVIEW_OVERDUE,
            f"ri_overdue:{e.event_id}",
            e.child_id,
            e.event_id,
            f"{e.child.reference}: the return interview for {e.event.reference} is overdue "
            "(72 hours from the return)",
            [{"reference": e.event.reference, "due": e.interview_due_at.isoformat()}],
            urgent=True,
        )
        for e in overdue
        if e.interview_due_at is not None
    ]


@transaction.atomic
def events_sweep(*, at: dt.datetime | None = None) -> dict[str, int]:
    moment = at or timezone.now()
    findings = found_with_findings(moment) + interview_overdue_findings(moment)
    raised = findings_raise(acting_user=None, findings=findings)
    counts: dict[str, int] = {}
    for alert in raised:
        counts[alert.detector] = counts.get(alert.detector, 0) + 1
    return counts

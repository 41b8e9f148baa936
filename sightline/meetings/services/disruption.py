"""The disruption register: actions against persons of concern, places, vehicles and
businesses; their status, dates and breaches; and the register's alerts (ADR 0502)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import Conflict, Invalid
from sightline.core.outbox import outbox_enqueue
from sightline.core.references import next_reference
from sightline.core.states import guard
from sightline.intel.models import Edge, Place, Vehicle
from sightline.intel.models import PersonOfConcern as Person
from sightline.meetings.agenda import first_links
from sightline.meetings.choices import (
    ACTIVE_DISRUPTION,
    DISRUPTION_TRANSITIONS,
    AlertKind,
    DisruptionStatus,
    TargetType,
)
from sightline.meetings.models import Breach, Disruption, Meeting, RegisterAlert
from sightline.meetings.rules import (
    EXPIRY_WARNING_DAYS,
    NO_DISRUPTION_CHILDREN,
    NO_DISRUPTION_DAYS,
)
from sightline.meetings.tactics import tactic_get, tactics
from sightline.people.models import Child

TARGET_MODELS: dict[str, Any] = {
    TargetType.PERSON: Person,
    TargetType.PLACE: Place,
    TargetType.VEHICLE: Vehicle,
    TargetType.BUSINESS: Place,  # a business is recorded at its premises
}


@dataclass(frozen=True)
class DisruptionDates:
    proposed_on: dt.date | None = None
    due_on: dt.date | None = None
    applied_on: dt.date | None = None
    served_on: dt.date | None = None
    expires_on: dt.date | None = None


def _check_dates(tactic_code: str, served_on: dt.date | None, expires_on: dt.date | None) -> None:
    if expires_on is None:
        return
    if served_on is not None and expires_on < served_on:
        raise Invalid({"expires_on": "The expiry date cannot be before the date it was served."})
    tactic = tactic_get(tactic_code)
    if tactic and tactic.max_days and served_on and (expires_on - served_on).days > tactic.max_days:
        raise Invalid(
            {"expires_on": f"A {tactic.name} lasts at most {tactic.max_days} days from service."}
        )


def _audit(user: Any, disruption: Disruption, what: Action, **details: Any) -> None:
    audit_record(
        actor=user,
        action=what,
        object_type="mace_disruption",
        object_id=disruption.pk,
        object_ref=disruption.reference,
        details={k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in details.items()},
    )


@transaction.atomic
def disruption_create(
    *,
    acting_user: Any,
    target_type: str,
    target_id: uuid.UUID,
    tactic: str,
    children: Sequence[uuid.UUID] = (),
    owner_agency: Any,
    owner: Any,
    dates: DisruptionDates,
    terms: str = "",
    business_name: str = "",
    meeting: Meeting | None = None,
) -> Disruption:
    errors: dict[str, str] = {}
    found = tactic_get(tactic)
    if target_type not in TargetType.values:
        errors["target"] = f"The target type is one of {', '.join(TargetType.values)}."
    if found is None:
        errors["tactic"] = f"Unknown tactic; one of {', '.join(sorted(tactics()))}."
    elif target_type in TargetType.values and not found.allows(target_type):
        errors["tactic"] = (
            f"A {found.name} cannot be used against a {TargetType(target_type).label.lower()}; "
            f"it allows: {', '.join(found.targets)}."
        )
    if owner_agency is None or owner is None:
        errors["owner"] = "Every disruption action needs an owner: an agency and a person in it."
    elif owner.agency_id != owner_agency.pk:
        errors["owner"] = "The owner must work for the owning agency."
    if errors:
        raise Invalid(errors)
    assert found is not None
    target = TARGET_MODELS[target_type].objects.filter(pk=target_id).first()
    if target is None:
        raise Invalid({"target": "No such person of concern, place or vehicle."})
    kids = list(Child.objects.filter(pk__in=list(children)))
    if len(kids) != len(set(children)):
        raise Invalid({"children": "One or more children were not found."})
    _check_dates(tactic, dates.served_on, dates.expires_on)
    status = (
        DisruptionStatus.SERVED
        if dates.served_on
        else DisruptionStatus.APPLIED
        if dates.applied_on
        else DisruptionStatus.PROPOSED
    )
    proposed_on = dates.proposed_on or timezone.localdate()
    disruption = Disruption.objects.create(
        reference=next_reference("DA", proposed_on.year, width=5),
        target_type=target_type,
        target_id=target.pk,
        target_ref=target.reference,
        business_name=business_name.strip(),
        tactic=tactic,
        owner_agency=owner_agency,
        owner=owner,
        status=status,
        proposed_on=proposed_on,
        due_on=dates.due_on,
        applied_on=dates.applied_on,
        served_on=dates.served_on,
        expires_on=dates.expires_on,
        terms=terms.strip(),
        meeting=meeting,
    )
    disruption.children.set(kids)
    _audit(
        acting_user,
        disruption,
        Action.CREATE,
        tactic=tactic,
        target=target.reference,
        children=[k.reference for k in kids],
        status=status,
    )
    return disruption


@transaction.atomic
def disruption_update(
    *,
    acting_user: Any,
    disruption: Disruption,
    status: str | None = None,
    dates: DisruptionDates | None = None,
    outcome: str | None = None,
    terms: str | None = None,
) -> Disruption:
    d = Disruption.objects.select_for_update().get(pk=disruption.pk)
    changed: dict[str, Any] = {}
    if dates is not None:
        for name in ("due_on", "applied_on", "served_on", "expires_on"):
            value = getattr(dates, name)
            if value is not None and value != getattr(d, name):
                setattr(d, name, value)
                changed[name] = value
        _check_dates(d.tactic, d.served_on, d.expires_on)
    if status is not None and status != d.status:
        if status not in DisruptionStatus.values:
            raise Invalid({"status": f"The status is one of {', '.join(DisruptionStatus.values)}."})
        guard(DISRUPTION_TRANSITIONS, "disruption action", d.status, status)
        if status == DisruptionStatus.SERVED and d.served_on is None:
            raise Invalid({"served_on": "Give the date it was served or made."})
        d.status = status
        changed["status"] = status
    for name, value in (("outcome", outcome), ("terms", terms)):
        if value is not None:
            setattr(d, name, value.strip())
            changed[name] = True
    if not changed:
        raise Invalid({"detail": "Nothing to change."})
    d.save()
    _audit(acting_user, d, Action.CHANGE, **changed)
    return d


def _alert(kind: str, key: str, summary: str, **kw: Any) -> RegisterAlert | None:
    alert, created = RegisterAlert.objects.get_or_create(
        dedupe_key=key[:120], defaults={"kind": kind, "summary": summary[:300], **kw}
    )
    return alert if created else None


@transaction.atomic
def breach_record(
    *, acting_user: Any, disruption: Disruption, occurred_on: dt.date, what: str
) -> Breach:
    """A breach of a notice or order in force: logged, the action marked breached, an alert
    raised and the owner told."""
    d = Disruption.objects.select_for_update().get(pk=disruption.pk)
    if d.status not in ACTIVE_DISRUPTION:
        raise Conflict("Only a notice or order that has been served or made can be breached.")
    if not what.strip():
        raise Invalid({"what": "Say what happened."})
    if d.served_on and occurred_on < d.served_on:
        raise Invalid({"occurred_on": "A breach cannot be before the date it was served."})
    if occurred_on > timezone.localdate():
        raise Invalid({"occurred_on": "A breach cannot be in the future."})
    breach = Breach.objects.create(
        disruption=d, occurred_on=occurred_on, what=what.strip(), recorded_by=acting_user
    )
    if d.status != DisruptionStatus.BREACHED:
        guard(DISRUPTION_TRANSITIONS, "disruption action", d.status, DisruptionStatus.BREACHED)
        d.status = DisruptionStatus.BREACHED
        d.save(update_fields=["status", "updated_at"])
    _alert(
        AlertKind.BREACH,
        f"breach:{breach.pk}",
        f"Breach of {d.reference} ({d.target_ref}) on {occurred_on.isoformat()}.",
        disruption=d,
        subject_ref=d.reference,
    )
    outbox_enqueue(
        kind="mace_breach",
        dedupe_key=f"mace_breach:{breach.pk}",
        recipient=d.owner,
        subject=f"Breach logged on {d.reference}",
        body=f"A breach of {d.reference} on {occurred_on.isoformat()} was logged.",
        payload={"disruption": d.reference},
    )
    _audit(acting_user, d, Action.CHANGE, breach=occurred_on)
    return breach


def _expiry_alerts(today: dt.date) -> int:
    soon = Disruption.objects.filter(
        status__in=ACTIVE_DISRUPTION,
        expires_on__gte=today,
        expires_on__lte=today + dt.timedelta(days=EXPIRY_WARNING_DAYS),
    )
    made = 0
    for d in soon:
        made += bool(
            _alert(
                AlertKind.EXPIRY_SOON,
                f"expiry:{d.pk}:{d.expires_on}",
                f"{d.reference} ({d.target_ref}) expires on {d.expires_on}.",
                disruption=d,
                subject_ref=d.reference,
            )
        )
    return made


def _expire(today: dt.date) -> int:
    done = 0
    for d in Disruption.objects.filter(status__in=ACTIVE_DISRUPTION, expires_on__lt=today):
        guard(DISRUPTION_TRANSITIONS, "disruption action", d.status, DisruptionStatus.EXPIRED)
        d.status = DisruptionStatus.EXPIRED
        d.save(update_fields=["status", "updated_at"])
        done += 1
    return done


def _undisrupted_alerts(now: dt.datetime) -> int:
    """Persons of concern linked to 3+ children, first linked 30+ days ago, with no
    disruption action of any status."""
    rows = (
        Edge.objects.filter(a_type="person", b_type="child")
        .values("a_id")
        .annotate(n=Count("b_id", distinct=True))
        .filter(n__gte=NO_DISRUPTION_CHILDREN)
    )
    counts = {r["a_id"]: r["n"] for r in rows}
    disrupted = set(
        Disruption.objects.filter(target_type="person", target_id__in=list(counts)).values_list(
            "target_id", flat=True
        )
    )
    first = first_links([p for p in counts if p not in disrupted])
    refs = dict(Person.objects.filter(pk__in=list(first)).values_list("pk", "reference"))
    made = 0
    for person_id, since in first.items():
        if person_id not in refs or (now - since).days < NO_DISRUPTION_DAYS:
            continue
        made += bool(
            _alert(
                AlertKind.NO_DISRUPTION,
                f"nodisruption:{person_id}",
                f"{refs[person_id]} is linked to {counts[person_id]} children, first on "
                f"{since.date().isoformat()}, and has no disruption action.",
                person_id=person_id,
                subject_ref=refs[person_id],
            )
        )
    return made


@transaction.atomic
def register_sweep(*, at: dt.datetime) -> dict[str, int]:
    """Expire what has run out, warn of expiries within 14 days, and flag persons of concern
    left without a disruption action. Idempotent (alerts are keyed)."""
    today = at.date()
    result = {
        "expired": _expire(today),
        "expiry_alerts": _expiry_alerts(today),
        "no_disruption_alerts": _undisrupted_alerts(at),
    }
    if any(result.values()):
        audit_record(
            actor=None,
            action=Action.CHANGE,
            object_type="mace_register_sweep",
            actor_username="system",
            details={**result, "at": at.isoformat()},
        )
    return result

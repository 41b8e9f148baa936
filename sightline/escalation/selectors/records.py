"""Reads of single records and their lists: clocks, escalations, the inbox, challenges,
re-referral history. Every selector takes the user and applies record scope through
referrals.selectors.referral_scope (a record outside it is simply not there)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from sightline.accounts.roles import Cap
from sightline.escalation import rules
from sightline.escalation.choices import LIVE_ESCALATION_STATUSES, ClockKind, Rung
from sightline.escalation.models import (
    Challenge,
    Clock,
    Escalation,
    EscalationEvent,
    InboxItem,
    ReReferral,
)
from sightline.referrals.models import Referral, ReferralChild
from sightline.referrals.selectors import referral_scope


def _scoped_referral_ids(user: Any) -> Any:
    return referral_scope(user=user).values("pk")


def clock_scope(*, user: Any) -> QuerySet[Clock]:
    if not user.has_capability(Cap.ESCALATION_VIEW):
        return Clock.objects.none()
    return Clock.objects.filter(referral_id__in=_scoped_referral_ids(user))


def escalation_list(*, user: Any, status: str | None = None) -> QuerySet[Escalation]:
    """Escalations on referrals in the user's scope; `status="open"` means not yet resolved
    (open or acknowledged)."""
    if not user.has_capability(Cap.ESCALATION_VIEW):
        return Escalation.objects.none()
    qs = Escalation.objects.filter(referral_id__in=_scoped_referral_ids(user))
    if status == "open":
        qs = qs.filter(status__in=LIVE_ESCALATION_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    return qs.select_related("referral", "clock", "agency").order_by("-raised_at", "pk")


def escalation_get(*, user: Any, escalation_id: Any) -> Escalation | None:
    return (
        escalation_list(user=user)
        .filter(pk=escalation_id)
        .select_related("clock__assigned_to", "clock__team", "resolved_by", "acknowledged_by")
        .prefetch_related(Prefetch("events", queryset=EscalationEvent.objects.select_related("by")))
        .first()
    )


def inbox_list(*, user: Any, unread_only: bool = False) -> QuerySet[InboxItem]:
    qs = InboxItem.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.select_related("referral__decision").order_by("-delivered_at", "pk")


def inbox_unread_count(*, user: Any) -> int:
    return InboxItem.objects.filter(user=user, read_at__isnull=True).count()


def challenge_list(*, user: Any) -> QuerySet[Challenge]:
    """A referrer sees the challenges they raised; those who answer challenges see every
    challenge on referrals in their scope."""
    qs = Challenge.objects.select_related("referral", "raised_by").order_by("-raised_at", "pk")
    if user.has_capability(Cap.CHALLENGE_RESPOND):
        return qs.filter(Q(referral_id__in=_scoped_referral_ids(user)) | Q(raised_by=user))
    if user.has_capability(Cap.CHALLENGE_RAISE):
        return qs.filter(raised_by=user, referral_id__in=_scoped_referral_ids(user))
    return Challenge.objects.none()


def challenge_get(*, user: Any, challenge_id: Any) -> Challenge | None:
    return (
        challenge_list(user=user)
        .filter(pk=challenge_id)
        .select_related("referral__decision__decided_by")
        .prefetch_related("stages__responded_by")
        .first()
    )


def referral_for_challenge(*, user: Any, reference: str) -> Referral | None:
    """The user's own referral, in scope (anything else is 'not found')."""
    return (
        referral_scope(user=user)
        .filter(reference=reference, referred_by=user)
        .select_related("decision")
        .first()
    )


def referral_in_scope(*, user: Any, reference: str) -> Referral | None:
    return referral_scope(user=user).filter(reference=reference).select_related("decision").first()


def referral_clocks(*, user: Any, referral: Referral) -> QuerySet[Clock]:
    if not (user.has_capability(Cap.ESCALATION_VIEW) or rules.is_referrer_of(user, referral)):
        return Clock.objects.none()
    return (
        Clock.objects.filter(referral=referral, referral_id__in=_scoped_referral_ids(user))
        .select_related("assigned_to", "team")
        .order_by("started_at", "kind")
    )


def clock_row(clock: Clock) -> dict[str, Any]:
    return {
        "name": clock.kind,
        "label": str(ClockKind(clock.kind).label),
        "started_at": clock.started_at,
        "due_at": clock.due_at,
        "met_at": clock.met_at,
        "status": clock.status,
        "stopped_reason": clock.stopped_reason,
    }


def escalation_row(escalation: Escalation) -> dict[str, Any]:
    return {
        "id": escalation.pk,
        "subject": escalation.referral.reference,
        "clock": escalation.clock.kind,
        "rung": escalation.rung,
        "rung_label": str(Rung(escalation.rung).label),
        "status": escalation.status,
        "raised_at": escalation.raised_at,
        "reason": escalation.reason,
        "resolved_at": escalation.resolved_at,
        "resolution": escalation.resolution,
    }


def referral_clock_summary(referral: Referral) -> dict[str, list[dict[str, Any]]]:
    """For GET /api/v1/referrals/{reference}: the caller has already applied scope."""
    clocks = Clock.objects.filter(referral=referral).order_by("started_at", "kind")
    escalations = (
        Escalation.objects.filter(referral=referral)
        .select_related("referral", "clock")
        .order_by("raised_at", "pk")
    )
    return {
        "clocks": [clock_row(c) for c in clocks],
        "escalations": [escalation_row(e) for e in escalations],
    }


def rereferral_history(*, user: Any, referral: Referral) -> list[Referral]:
    """Earlier referrals (in the user's scope) for this referral's children in the 12 months
    before it, newest first, with their decisions."""
    child_ids = ReferralChild.objects.filter(referral=referral).values("child_id")
    return list(
        referral_scope(user=user)
        .filter(
            children__child_id__in=child_ids,
            received_at__gte=referral.received_at - rules.REREFERRAL_WINDOW,
            received_at__lt=referral.received_at,
        )
        .exclude(pk=referral.pk)
        .select_related("decision", "source_agency")
        .order_by("-received_at")
        .distinct()[:20]
    )


def rereferral_mark(*, referral: Referral) -> ReReferral | None:
    return ReReferral.objects.filter(referral=referral).first()


def clock_due_at(*, referral: Referral, kind: str) -> dt.datetime | None:
    """The due time of the newest clock of `kind` on the referral, whatever its status: the
    one source of the referral's decision and information-gathering due times."""
    clock = Clock.objects.filter(referral=referral, kind=kind).order_by("-started_at").first()
    return clock.due_at if clock is not None else None

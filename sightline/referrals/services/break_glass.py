"""Break-glass: time-limited, audited access to a referral outside a user's scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sightline.accounts.choices import AgencyKind
from sightline.accounts.models import User
from sightline.accounts.roles import Role
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import Invalid, NotFound
from sightline.core.outbox import outbox_enqueue
from sightline.referrals.models import BreakGlassGrant, Referral


class BreakGlassRefused(Invalid):
    pass


NO_SUCH_REFERRAL = "There is no referral with that reference."


class BreakGlassNotFound(NotFound):
    """A restricted record refuses break-glass exactly as a reference that does not exist."""

    def __init__(self) -> None:
        super().__init__(NO_SUCH_REFERRAL, audited=True)


def break_glass_refused_record(
    *, acting_user: Any, reference: str, why: str, referral: Referral | None = None
) -> None:
    """The refused attempt, recorded in its own transaction (the attempt's was rolled back):
    which reference was asked for, and why it was refused (not found, restricted, invalid)."""
    with transaction.atomic():
        audit_record(
            actor=acting_user,
            action=Action.ACCESS_DENIED,
            object_type="break_glass",
            object_id=referral.pk if referral else "",
            object_ref=reference[:40],
            referral_id=referral.pk if referral else None,
            details={"why": why},
        )


@transaction.atomic
def break_glass_open(*, acting_user: Any, referral: Referral, reason: str) -> BreakGlassGrant:
    """Give `acting_user` time-limited access to a referral outside their scope. A reason is
    required; the front door's managers are alerted (outbox) and the grant is audited."""
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise BreakGlassRefused("Give a reason of at least 10 characters for opening this record.")
    if len(reason) > 2000:
        raise BreakGlassRefused("The reason must be 2,000 characters or fewer.")
    if referral.children.filter(child__is_restricted=True).exists():
        raise BreakGlassNotFound
    grant = BreakGlassGrant.objects.create(
        user=acting_user,
        referral=referral,
        reason=reason,
        expires_at=timezone.now() + dt.timedelta(minutes=settings.SIGHTLINE_BREAK_GLASS_MINUTES),
    )
    audit_record(
        actor=acting_user,
        action=Action.BREAK_GLASS,
        object_type="referral",
        object_id=referral.pk,
        object_ref=referral.reference,
        referral_id=referral.pk,
        reason=reason,
        details={"grant": str(grant.pk), "expires_at": grant.expires_at.isoformat()},
    )
    _alert_managers(acting_user, referral, grant)
    return grant


def _alert_managers(acting_user: Any, referral: Referral, grant: BreakGlassGrant) -> None:
    managers = User.objects.filter(
        is_active=True, role__in=[Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE],
        agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE,
    )  # fmt: skip
    for manager in managers:
        outbox_enqueue(
            kind="break_glass_alert",
            dedupe_key=f"break-glass:{grant.pk}:{manager.pk}",
            recipient=manager,
            subject=f"Break-glass access to {referral.reference}",
            body=(
                f"{acting_user.username} ({acting_user.get_role_display()}, "
                f"{acting_user.agency.name if acting_user.agency else 'no agency'}) opened "
                f"referral {referral.reference} outside their usual access.\nReason: "
                f"{grant.reason}\nAccess ends at {grant.expires_at:%d %b %Y %H:%M} UTC."
            ),
            payload={"referral": referral.reference, "grant": str(grant.pk)},
        )

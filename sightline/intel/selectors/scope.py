"""The intel scope every read sits behind (docs/permissions.md, intel rows): who may read at
all (`intel.view`, `alert.view`), the restricted children a user is not named on, and the
referrals (and so the mentions) about them, which are hidden from that user."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from sightline.accounts.roles import Cap
from sightline.intel.models import Mention
from sightline.people.models import Child
from sightline.referrals.models import Referral, ReferralChild


def _can(user: Any, cap: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_capability(cap))


def hidden_child_ids(*, user: Any) -> set[uuid.UUID]:
    """Restricted children this user is not named on (small: restricted records are few)."""
    return set(
        Child.objects.filter(is_restricted=True)
        .exclude(named_users__user=user)
        .values_list("pk", flat=True)
    )


def hidden_referrals(*, user: Any) -> QuerySet[Referral, Any]:
    """Referrals about a restricted child this user is not named on, other than the ones the
    user made: a subquery over the few restricted children (partial index on is_restricted),
    so excluding it never reads the whole referral table."""
    restricted = (
        ReferralChild.objects.filter(child__is_restricted=True)
        .exclude(child__named_users__user=user)
        .values("referral_id")
    )
    return Referral.objects.filter(pk__in=restricted).exclude(referred_by=user).values("pk")


def intel_referrals(*, user: Any) -> QuerySet[Referral]:
    """Referrals whose mentions an intel user may see: all but restricted children's."""
    if not _can(user, Cap.INTEL_VIEW) and not _can(user, Cap.ALERT_VIEW):
        return Referral.objects.none()
    return Referral.objects.exclude(pk__in=hidden_referrals(user=user))


def _visible_mentions(user: Any) -> QuerySet[Mention]:
    """Mentions on referrals the user may see, filtered on the mention's own referral key."""
    if not _can(user, Cap.INTEL_VIEW) and not _can(user, Cap.ALERT_VIEW):
        return Mention.objects.none()
    return Mention.objects.exclude(referral_id__in=hidden_referrals(user=user))

"""Deletion of referrals and of a child's links to referrals, under the retention schedule.
workflows.retention calls these after the screening, escalation and intel apps have deleted
what points at the referrals, and before people.child_purge deletes the child."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sightline.core.transactions import in_callers_transaction
from sightline.referrals.models import (
    BreakGlassGrant,
    ChildMatchCandidate,
    Decision,
    PersonNamed,
    PlaceNamed,
    Referral,
    ReferralChild,
)


@in_callers_transaction
def referral_children_purge(*, referral_child_ids: Iterable[Any]) -> int:
    """A child's links to referrals that also concern other children (those stay)."""
    ids = list(referral_child_ids)
    ChildMatchCandidate.objects.filter(referral_child_id__in=ids).delete()
    return ReferralChild.objects.filter(pk__in=ids).delete()[0]


@in_callers_transaction
def referrals_purge(*, referral_ids: Iterable[Any]) -> dict[str, int]:
    """Whole referrals: break-glass grants and the decision (both PROTECT the referral)
    first, then what cascades from it, then the referral."""
    ids = list(referral_ids)
    counts = {
        "break_glass_grants": BreakGlassGrant.objects.filter(referral_id__in=ids).delete()[0],
        "decisions": Decision.objects.filter(referral_id__in=ids).delete()[0],
        "match_candidates": ChildMatchCandidate.objects.filter(
            referral_child__referral_id__in=ids
        ).delete()[0],
        "referral_children": ReferralChild.objects.filter(referral_id__in=ids).delete()[0],
        "persons_named": PersonNamed.objects.filter(referral_id__in=ids).delete()[0],
        "places_named": PlaceNamed.objects.filter(referral_id__in=ids).delete()[0],
    }
    counts["referrals"] = Referral.objects.filter(pk__in=ids).delete()[0]
    return counts

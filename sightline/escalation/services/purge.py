"""Deletion of a referral's clocks, escalations, challenges, statutory steps, inbox items and
re-referral marks (and what it counted on the performance page), under the retention
schedule (workflows.retention calls it before the referral itself is deleted). Deleted
children-first, so no PROTECT is met on the way."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sightline.core.transactions import in_callers_transaction
from sightline.escalation.models import (
    Challenge,
    ChallengeStageRecord,
    Clock,
    Escalation,
    EscalationEvent,
    InboxItem,
    ReReferral,
    ReReferralReview,
    StatutoryStep,
)
from sightline.escalation.services.performance import performance_on_purge
from sightline.referrals.models import Referral


@in_callers_transaction
def referral_records_purge(*, referral_ids: Iterable[Any]) -> dict[str, int]:
    ids = list(referral_ids)
    performance_on_purge(referrals=Referral.objects.filter(pk__in=ids))
    counts: dict[str, int] = {}
    steps: list[tuple[str, Any]] = [
        ("inbox_items", InboxItem.objects.filter(referral_id__in=ids)),
        ("escalation_events", EscalationEvent.objects.filter(escalation__referral_id__in=ids)),
        ("escalations", Escalation.objects.filter(referral_id__in=ids)),
        ("clocks", Clock.objects.filter(referral_id__in=ids)),
        ("challenge_stages", ChallengeStageRecord.objects.filter(challenge__referral_id__in=ids)),
        ("challenges", Challenge.objects.filter(referral_id__in=ids)),
        ("statutory_steps", StatutoryStep.objects.filter(referral_id__in=ids)),
        ("rereferrals", ReReferral.objects.filter(referral_id__in=ids)),
        ("rereferral_reviews", ReReferralReview.objects.filter(referral_id__in=ids)),
    ]
    for name, queryset in steps:
        counts[name] = queryset.delete()[0]
    return counts

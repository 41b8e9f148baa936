"""Retention: the casework of children whose records are deleted, and what hangs on the
referrals that go with them (called by the retention workflow, inside its transaction, before
the referrals and the children themselves go)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sightline.casework.models import (
    Allocation,
    Assessment,
    CaseNote,
    ClosureOverride,
    Conference,
    EpisodeClosure,
    Plan,
    Section47Enquiry,
    SignOff,
    StrategyDiscussion,
)
from sightline.core.transactions import in_callers_transaction


@in_callers_transaction
def casework_purge(
    *, child_ids: Iterable[uuid.UUID], referral_ids: Iterable[uuid.UUID]
) -> dict[str, int]:
    """Delete the children's steps (plans before the conferences they follow, enquiries
    before their strategy discussions), notes and allocations, and the sign-offs and closure
    overrides of the referrals that go. Returns the count of each."""
    kids = list(child_ids)
    refs = list(referral_ids)
    counts: dict[str, int] = {}
    for name, model in (
        ("plans", Plan),
        ("conferences", Conference),
        ("assessments", Assessment),
        ("enquiries", Section47Enquiry),
        ("strategy_discussions", StrategyDiscussion),
        ("closures", EpisodeClosure),
        ("notes", CaseNote),
        ("allocations", Allocation),
    ):
        counts[name] = model.objects.filter(child_id__in=kids).delete()[0]
    counts["overrides"] = ClosureOverride.objects.filter(referral_id__in=refs).delete()[0]
    counts["sign_offs"] = SignOff.objects.filter(referral_id__in=refs).delete()[0]
    return counts

"""The parts of a child's history read from casework (strategy discussions, initial
conferences, episode closures) and the language flags of text stored under a child's or a
referral's reference; split from `history` to keep each module short. Each function fills
the `History` rows it is given (typed loosely here to keep the import one-way)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils import timezone

from sightline.casework.models import Conference, EpisodeClosure, StrategyDiscussion
from sightline.reviews.choices import TextKind
from sightline.reviews.models import LanguageFlag


def casework_steps(hist: dict[uuid.UUID, Any], step: Callable[..., Any]) -> None:
    """Casework's strategy discussions and initial conferences join escalation's statutory
    steps (the same kinds the detectors read); closures of the child's episode are kept."""
    ids = list(hist)
    for cid, ref, agency, at, outcome in StrategyDiscussion.objects.filter(
        child_id__in=ids
    ).values_list("child_id", "referral__reference", "agency__code", "held_at", "outcome"):
        hist[cid].steps.append(step("strategy_discussion", ref, agency or "", at, outcome or ""))
    for cid, ref, agency, on, outcome in Conference.objects.filter(
        child_id__in=ids, kind="initial"
    ).values_list("child_id", "referral__reference", "agency__code", "held_on", "outcome"):
        at = timezone.make_aware(dt.datetime.combine(on, dt.time(12, 0)))
        hist[cid].steps.append(step("conference_held", ref, agency or "", at, outcome or ""))
    for cid, ref, on, agency in EpisodeClosure.objects.filter(child_id__in=ids).values_list(
        "child_id", "referral__reference", "closed_on", "agency__code"
    ):
        hist[cid].closures.append((ref, on, agency or ""))
    for h in hist.values():
        h.steps.sort(key=lambda s: s.happened_at)
        h.closures.sort(key=lambda c: c[1])


# Text kept under the child's reference (notes, strategy outcomes, return interviews) and
# under the referral's (proposals and their return reasons).
CHILD_TEXT = (TextKind.CASE_NOTE, TextKind.STRATEGY_OUTCOME, TextKind.RETURN_INTERVIEW)
REFERRAL_TEXT = (TextKind.PROPOSAL_REASONING, TextKind.RETURN_REASON)


def other_flags(hist: dict[uuid.UUID, Any]) -> None:
    """Flags of text kept under a child's or a referral's reference, onto each history."""
    by_child = {h.child_ref: h.child_id for h in hist.values()}
    by_referral: dict[str, list[uuid.UUID]] = defaultdict(list)
    for h in hist.values():
        for r in h.referrals:
            by_referral[r.reference].append(h.child_id)
    rows = LanguageFlag.objects.filter(
        Q(content_type__in=CHILD_TEXT, record_ref__in=list(by_child))
        | Q(content_type__in=REFERRAL_TEXT, record_ref__in=list(by_referral))
    ).values_list("content_type", "record_ref", "phrase", "agency__code", "created_at")
    for kind, ref, phrase, agency, at in rows:
        cids = [by_child[ref]] if kind in CHILD_TEXT else by_referral[ref]
        for cid in cids:
            hist[cid].flags.append((ref, phrase, agency or "", at))

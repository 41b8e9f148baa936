"""The parts of a child's history read from casework (strategy discussions, initial
conferences, episode closures), the language flags about the child and the reviews' own
records (recommendations, MACE dates); split from `history` to keep each module short. Each
function fills the `History` rows it is given (typed loosely here to keep the import one-way)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils import timezone

from sightline.casework.models import Conference, EpisodeClosure, StrategyDiscussion
from sightline.meetings.models import ChildProposal, Discussion
from sightline.reviews.choices import TextKind
from sightline.reviews.models import LanguageFlag, Recommendation, ReviewChild


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


def language_flags(hist: dict[uuid.UUID, Any]) -> None:
    """The language flags about each child, in one query: those of its referrals' narratives
    and their decisions (by record id), then those of text kept under the child's reference
    (notes, strategy outcomes, return interviews) or a referral's (proposals and their return
    reasons)."""
    decision_of = {
        r.decision_id: (h.child_id, r.reference)
        for h in hist.values()
        for r in h.referrals
        if r.decision_id
    }
    ref_ids = {r.id: (h.child_id, r.reference) for h in hist.values() for r in h.referrals}
    by_child = {h.child_ref: h.child_id for h in hist.values()}
    by_referral: dict[str, list[uuid.UUID]] = defaultdict(list)
    for h in hist.values():
        for r in h.referrals:
            by_referral[r.reference].append(h.child_id)
    rows = LanguageFlag.objects.filter(
        Q(record_id__in=[*decision_of, *ref_ids])
        | Q(content_type__in=CHILD_TEXT, record_ref__in=list(by_child))
        | Q(content_type__in=REFERRAL_TEXT, record_ref__in=list(by_referral))
    ).values_list("record_id", "content_type", "record_ref", "phrase", "agency__code", "created_at")
    own: list[tuple[uuid.UUID, tuple[str, str, str, dt.datetime]]] = []
    other: list[tuple[uuid.UUID, tuple[str, str, str, dt.datetime]]] = []
    for rid, kind, record_ref, phrase, agency, at in rows:
        if rid in ref_ids or rid in decision_of:
            cid, ref = ref_ids.get(rid) or decision_of[rid]
            own.append((cid, (ref, phrase, agency or "", at)))
        if kind in CHILD_TEXT and record_ref in by_child:
            cids = [by_child[record_ref]]
        elif kind in REFERRAL_TEXT and record_ref in by_referral:
            cids = by_referral[record_ref]
        else:
            continue
        other += [(cid, (record_ref, phrase, agency or "", at)) for cid in cids]
    for cid, flag in (*own, *other):
        hist[cid].flags.append(flag)


def reviews_read(hist: dict[uuid.UUID, Any]) -> None:
    """Review recommendations about the children, and the days MACE met about them."""
    reviews: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for review_id, cid in ReviewChild.objects.filter(child_id__in=list(hist)).values_list(
        "review_id", "child_id"
    ):
        reviews[review_id].append(cid)
    for row in Recommendation.objects.filter(review_id__in=list(reviews)).values(
        "review_id", "reference", "due_on", "status", "owner_agency__code", "owner_person_id",
        "evidence", "review__reference",
    ):  # fmt: skip
        for cid in reviews[row["review_id"]]:
            hist[cid].recommendations.append(dict(row))
    for cid, at in ChildProposal.objects.filter(child_id__in=list(hist)).values_list(
        "child_id", "created_at"
    ):
        hist[cid].mace_on.append(at.date())
    for cid, held_on in Discussion.objects.filter(child_id__in=list(hist)).values_list(
        "child_id", "held_on"
    ):
        hist[cid].mace_on.append(held_on)

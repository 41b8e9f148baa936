"""Child matching after intake: a proposed match confirmed (the referral re-linked) or
rejected; both audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.people.models import Child
from sightline.referrals.choices import CandidateStatus, MatchStatus
from sightline.referrals.models import ChildMatchCandidate, ReferralChild
from sightline.referrals.services.common import DecisionInvalid


def _lock_proposed(candidate: ChildMatchCandidate) -> tuple[ReferralChild, ChildMatchCandidate]:
    """Lock the referral child, then the candidate (this order in both match services), and
    read the candidate's status again under the lock: of two people deciding at once, the
    second waits, then is told it has been dealt with."""
    referral_child = ReferralChild.objects.select_for_update().get(pk=candidate.referral_child_id)
    candidate = ChildMatchCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != CandidateStatus.PROPOSED:
        raise DecisionInvalid(
            "This match has already been dealt with (it is now "
            f"{candidate.get_status_display().lower()}). Nothing was changed."
        )
    return referral_child, candidate


@transaction.atomic
def child_match_confirm(
    *, acting_user: Any, candidate: ChildMatchCandidate, reason: str = ""
) -> ReferralChild:
    """The practitioner confirms the referred child is this existing child: the referral is
    re-linked, and the provisional record made at intake is marked as superseded."""
    referral_child, candidate = _lock_proposed(candidate)
    provisional: Child = referral_child.child
    target: Child = candidate.candidate
    referral_child.child = target
    referral_child.match_status = MatchStatus.MATCHED
    referral_child.save(update_fields=["child", "match_status", "updated_at"])
    candidate.status = CandidateStatus.CONFIRMED
    candidate.save(update_fields=["status", "updated_at"])
    ChildMatchCandidate.objects.filter(
        referral_child=referral_child, status=CandidateStatus.PROPOSED
    ).update(status=CandidateStatus.REJECTED)
    if provisional.pk != target.pk and not provisional.referral_links.exists():
        provisional.superseded_by = target
        provisional.save(update_fields=["superseded_by", "updated_at"])
    audit_record(
        actor=acting_user,
        action=Action.LINK,
        object_type="referral_child",
        object_id=referral_child.pk,
        object_ref=referral_child.referral.reference,
        child_id=target.pk,
        referral_id=referral_child.referral_id,
        reason=reason,
        details={
            "confirmed_child": target.reference,
            "provisional_child": provisional.reference,
            "score": candidate.score,
        },
    )
    return referral_child


@transaction.atomic
def child_match_reject(
    *, acting_user: Any, candidate: ChildMatchCandidate, reason: str = ""
) -> ChildMatchCandidate:
    referral_child, candidate = _lock_proposed(candidate)
    candidate.status = CandidateStatus.REJECTED
    candidate.save(update_fields=["status", "updated_at"])
    if not referral_child.candidates.filter(status=CandidateStatus.PROPOSED).exists():
        referral_child.match_status = MatchStatus.CONFIRMED_NEW
        referral_child.save(update_fields=["match_status", "updated_at"])
    audit_record(
        actor=acting_user,
        action=Action.UNLINK,
        object_type="child_match",
        object_id=candidate.pk,
        object_ref=referral_child.referral.reference,
        child_id=candidate.candidate_id,
        referral_id=referral_child.referral_id,
        reason=reason,
        details={"score": candidate.score},
    )
    return candidate

"""Re-referrals: the mark stored for each referral, and the team manager's review of a third
referral in 12 months."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.accounts.roles import is_manager
from sightline.audit.choices import Action
from sightline.escalation import rules
from sightline.escalation.models import ReReferral, ReReferralReview
from sightline.escalation.services.common import (
    Conflict,
    NotPermitted,
    audit,
    require_reason,
)
from sightline.escalation.services.performance import performance_on_rereferral
from sightline.referrals.choices import Outcome
from sightline.referrals.models import Referral


def prior_nfa_references(referral: Referral, child_ids: list[Any] | None = None) -> list[str]:
    """References of referrals for this referral's children, received in the 12 months
    before it and closed with no further action."""
    if child_ids is None:
        child_ids = list(referral.children.values_list("child_id", flat=True))
    if not child_ids:
        return []
    return list(
        Referral.objects.filter(
            children__child_id__in=child_ids,
            received_at__gte=referral.received_at - rules.REREFERRAL_WINDOW,
            received_at__lt=referral.received_at,
            decision__outcome=Outcome.NO_FURTHER_ACTION,
        )
        .exclude(pk=referral.pk)
        .order_by("received_at")
        .values_list("reference", flat=True)
        .distinct()
    )


def _window(referral: Referral, child_ids: list[Any]) -> tuple[list[str], int]:
    """What prior_nfa_references and rules.referrals_in_window answer, from one read of the
    referrals naming these children in the 12 months up to this one."""
    if not child_ids:
        return [], 1
    rows = set(
        Referral.objects.filter(
            children__child_id__in=child_ids,
            received_at__gte=referral.received_at - rules.REREFERRAL_WINDOW,
            received_at__lte=referral.received_at,
        )
        .order_by()
        .values_list("pk", "reference", "received_at", "decision__outcome")
    )
    prior = sorted(
        (at, ref)
        for pk, ref, at, outcome in rows
        if at < referral.received_at and pk != referral.pk and outcome == Outcome.NO_FURTHER_ACTION
    )
    return list(dict.fromkeys(ref for _, ref in prior)), len({row[0] for row in rows})


def rereferral_refresh(
    *, referral: Referral, child_ids: list[Any] | None = None, new_referral: bool = False
) -> ReReferral:
    """Recompute and store the mark (called by the clock hooks inside their transaction;
    also safe to call again after a child match is confirmed). One upsert, then the stored
    row: no savepoint, and two refreshes at once cannot both insert. `child_ids`: the
    referral's children that other referrals may name, as the caller knows them (a child
    first recorded on this referral, on no other, may be left out: it changes neither the
    earlier referrals nor the count), else they are read. `new_referral`: made in this
    transaction, so the upsert inserted the mark and it is not read back. A mark that
    changes is counted again on the performance page; for a new referral the intake's hook
    counts it with the referral."""
    was = (
        False
        if new_referral
        else ReReferral.objects.filter(referral=referral)
        .values_list("is_rereferral", flat=True)
        .first()
    )
    if child_ids is None:
        child_ids = list(referral.children.values_list("child_id", flat=True))
    prior, in_window = _window(referral, child_ids)
    (mark,) = ReReferral.objects.bulk_create(
        [
            ReReferral(
                referral=referral,
                is_rereferral=bool(prior),
                prior_nfa=prior,
                referrals_in_window=in_window,
                computed_at=timezone.now(),
            )
        ],
        update_conflicts=True,
        unique_fields=["referral"],
        update_fields=[
            "is_rereferral", "prior_nfa", "referrals_in_window", "computed_at", "updated_at",
        ],
    )  # fmt: skip
    if new_referral:
        return mark
    mark = ReReferral.objects.get(referral=referral)
    performance_on_rereferral(referral=referral, was=bool(was), now=mark.is_rereferral)
    return mark


@transaction.atomic
def rereferral_review_record(
    *, acting_user: Any, referral: Referral, reason: str
) -> ReReferralReview:
    """A team manager reviews the child's referral history before a third referral in 12
    months is decided."""
    reason = require_reason(reason)
    if not is_manager(acting_user):
        raise NotPermitted("Only a team manager can review a repeat referral.")
    if rules.has_decision(referral):
        raise Conflict("A decision has already been made on this referral.")
    if ReReferralReview.objects.filter(referral=referral).exists():
        raise Conflict("This referral has already been reviewed.")
    review = ReReferralReview.objects.create(
        referral=referral, reviewed_by=acting_user, reviewed_at=timezone.now(), reason=reason
    )
    mark = rereferral_refresh(referral=referral)
    audit(
        actor=acting_user,
        action=Action.CREATE,
        object_type="rereferral_review",
        object_id=review.pk,
        referral=referral,
        reason=reason,
        details={"referrals_in_12_months": mark.referrals_in_window},
    )
    return review

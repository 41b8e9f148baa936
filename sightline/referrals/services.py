"""Writes at the front door: intake, screening, decision, child matching. Each function is
one transaction and writes its audit rows inside it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sightline.accounts.choices import AgencyKind
from sightline.accounts.models import User
from sightline.accounts.roles import Role
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.dates import age_on
from sightline.core.errors import Conflict, Invalid, NotFound
from sightline.core.outbox import outbox_enqueue
from sightline.core.references import next_reference
from sightline.people.models import Child
from sightline.people.selectors import child_match_candidates
from sightline.people.services import child_create
from sightline.referrals import rules
from sightline.referrals.choices import (
    RAG_RANK,
    CandidateStatus,
    MatchStatus,
    Outcome,
    Rag,
    Status,
    Urgency,
)
from sightline.referrals.inputs import ReferralInput, validate
from sightline.referrals.models import (
    BreakGlassGrant,
    ChildMatchCandidate,
    Decision,
    PersonNamed,
    PlaceNamed,
    Referral,
    ReferralChild,
)
from sightline.screening.choices import LEVEL_RANK, RiskLevel


class DecisionBlocked(Conflict):
    """The decision cannot be recorded in this state (screening missing, sign-off needed)."""


class DecisionInvalid(Invalid):
    pass


@dataclass(frozen=True)
class IntakeChild:
    referral_child: ReferralChild
    matched_existing: bool
    candidates: list[ChildMatchCandidate]


@dataclass(frozen=True)
class SubmitResult:
    referral: Referral
    children: list[IntakeChild]


def rag_for(urgency: str, level: str) -> str:
    by_urgency_map: dict[str, str] = {Urgency.IMMEDIATE: Rag.RED, Urgency.URGENT: Rag.AMBER}
    by_urgency = by_urgency_map.get(urgency, Rag.GREEN)
    by_level_map: dict[str, str] = {RiskLevel.HIGH: Rag.RED, RiskLevel.MEDIUM: Rag.AMBER}
    by_level = by_level_map.get(level, Rag.GREEN)
    return min(by_urgency, by_level, key=lambda r: RAG_RANK[r])


def _age_on_day(child: Any, day: dt.date) -> int | None:
    if child.date_of_birth is not None:
        return age_on(child.date_of_birth, day)
    return child.approximate_age


def screening_required_for(age: int | None) -> bool:
    """Unknown age is screened too: the safe reading when a child may be over the limit."""
    return age is None or age >= settings.SIGHTLINE_SCREENING_MIN_AGE


@transaction.atomic
def referral_submit(*, acting_user: Any, data: ReferralInput) -> SubmitResult:
    """Store the referral, its children (matched or new), the persons and places named.
    Its due times are provisional (the time received) until the intake workflow has started
    the clocks, whose policy rows are the one source of every due time."""
    now = timezone.now()
    validate(data, today=timezone.localdate(now), now=now)
    received_at = data.received_at or now
    received_day = timezone.localtime(received_at).date()
    agency = acting_user.agency
    if agency is None or not agency.is_active:
        raise DecisionInvalid("Your account is not attached to an active agency.")
    rag = rag_for(data.urgency, "")
    referral = Referral.objects.create(
        reference=next_reference("SL", received_day.year),
        received_at=received_at,
        source_agency=agency,
        referred_by=acting_user,
        channel=data.channel,
        narrative=data.narrative.strip(),
        concern_categories=sorted(set(data.concern_categories)),
        child_aware=data.child_aware,
        family_aware=data.family_aware,
        urgency=data.urgency,
        status=Status.AWAITING_DECISION,
        decision_due_at=received_at,
        rag=rag,
        rag_due_at=received_at,
    )
    audit_record(
        actor=acting_user,
        action=Action.CREATE,
        object_type="referral",
        object_id=referral.pk,
        object_ref=referral.reference,
        referral_id=referral.pk,
        details={"channel": data.channel, "children": len(data.children), "urgency": data.urgency},
    )
    children: list[IntakeChild] = []
    for position, item in enumerate(data.children):
        children.append(_intake_child(acting_user, referral, position, item, received_day))
    if any(c.referral_child.screening_required for c in children):
        referral.status = Status.AWAITING_SCREENING
        referral.save(update_fields=["status"])
    PersonNamed.objects.bulk_create(
        PersonNamed(
            referral=referral,
            name=p.name.strip(),
            nickname=p.nickname.strip(),
            approximate_age=p.approximate_age,
            description=p.description.strip(),
            phone=p.phone.strip(),
            vehicle_registration=p.vehicle_registration.strip().upper(),
            address=p.address.strip(),
        )
        for p in data.persons_named
        if any((p.name, p.nickname, p.phone, p.vehicle_registration, p.description, p.address))
    )
    PlaceNamed.objects.bulk_create(
        PlaceNamed(
            referral=referral,
            name=p.name.strip(),
            kind=p.kind,
            address=p.address.strip(),
            postcode=p.postcode.strip().upper(),
        )
        for p in data.places_named
        if any((p.name, p.address, p.postcode))
    )
    return SubmitResult(referral, children)


def referral_due_times_set(
    *, referral: Referral, decision_due_at: dt.datetime, rag_due_at: dt.datetime
) -> None:
    """Copy the due times of the decision and RAG clocks onto the referral (for the queue's
    order and the referrer's acknowledgement). Part of intake and screening, whose audit rows
    record the clocks; nothing else writes these fields."""
    referral.decision_due_at = decision_due_at
    referral.rag_due_at = rag_due_at
    referral.save(update_fields=["decision_due_at", "rag_due_at", "updated_at"])


def referral_acknowledge(*, referral: Referral, acting_user: Any) -> None:
    """Queue the referrer's acknowledgement, with the decision's due time."""
    received_at = referral.received_at
    outbox_enqueue(
        kind="referral_received",
        dedupe_key=f"referral-received:{referral.pk}",
        recipient=acting_user,
        subject=f"Referral {referral.reference} received",
        body=(
            f"Your referral {referral.reference} was received at "
            f"{timezone.localtime(received_at):%d %b %Y %H:%M}. A decision is due by "
            f"{timezone.localtime(referral.decision_due_at):%d %b %Y %H:%M}; you will be told it."
        ),
        payload={"referral": referral.reference},
    )


def _intake_child(
    acting_user: Any, referral: Referral, position: int, item: Any, received_day: dt.date
) -> IntakeChild:
    candidates = child_match_candidates(
        given_name=item.given_name,
        family_name=item.family_name,
        date_of_birth=item.date_of_birth,
        postcode=item.postcode,
    )
    exact = [c for c in candidates if c.match.is_exact]
    age = _age_on_day(item, received_day)
    if len(exact) == 1:
        child = exact[0].child
        match_status = MatchStatus.MATCHED
        candidates = [c for c in candidates if c.child.pk != child.pk]
    else:
        child = child_create(
            acting_user=acting_user,
            given_name=item.given_name,
            family_name=item.family_name,
            date_of_birth=item.date_of_birth,
            sex=item.sex,
            address=item.address,
            postcode=item.postcode,
            school=item.school,
            nhs_number=item.nhs_number,
            has_learning_disability=item.has_learning_disability,
            referral_id=referral.pk,
        )
        match_status = MatchStatus.NEW_CHILD if candidates else MatchStatus.CONFIRMED_NEW
    referral_child = ReferralChild.objects.create(
        referral=referral,
        child=child,
        position=position,
        given_name=item.given_name.strip(),
        family_name=item.family_name.strip(),
        date_of_birth=item.date_of_birth,
        approximate_age=item.approximate_age,
        sex=item.sex,
        address=item.address.strip(),
        postcode=item.postcode.strip().upper(),
        school=item.school.strip(),
        nhs_number=item.nhs_number.replace(" ", ""),
        age_on_day=age,
        screening_required=screening_required_for(age),
        match_status=match_status,
    )
    stored = ChildMatchCandidate.objects.bulk_create(
        ChildMatchCandidate(
            referral_child=referral_child,
            candidate=c.child,
            score=c.match.score,
            reasons=list(c.match.reasons),
        )
        for c in candidates
    )
    audit_record(
        actor=acting_user,
        action=Action.LINK,
        object_type="referral_child",
        object_id=referral_child.pk,
        object_ref=referral.reference,
        child_id=child.pk,
        referral_id=referral.pk,
        details={
            "match_status": match_status,
            "candidates": len(stored),
            "screening_required": referral_child.screening_required,
        },
    )
    return IntakeChild(referral_child, match_status == MatchStatus.MATCHED, stored)


def referral_lock_for_screening(*, referral: Referral) -> Referral:
    """Lock the referral for a screening and check that it still awaits one (no decision)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    rules.guard_transition(referral.status, Status.AWAITING_DECISION)
    return referral


def referral_risk_refresh(*, referral: Referral) -> bool:
    """After a screening: the referral's risk rank, its RAG rating (raised, never lowered) and
    its status. Answers whether the RAG rating went up (the workflow then re-times the clock
    and copies its due time back)."""
    fresh = Referral.objects.prefetch_related("children__screenings").get(pk=referral.pk)
    level = rules.highest_level(fresh)
    referral.risk_rank = LEVEL_RANK.get(level, 0)
    new_rag = rag_for(referral.urgency, level)
    raised = RAG_RANK[new_rag] < RAG_RANK[referral.rag]
    if raised:
        referral.rag = new_rag
    if referral.status == Status.AWAITING_SCREENING and rules.screening_complete(fresh):
        rules.guard_transition(referral.status, Status.AWAITING_DECISION)
        referral.status = Status.AWAITING_DECISION
    referral.save(update_fields=["risk_rank", "rag", "status", "updated_at"])
    return raised


@transaction.atomic
def referral_decide(
    *,
    acting_user: Any,
    referral: Referral,
    outcome: str,
    reason: str,
    rereferral_review_pending: bool,
) -> Decision:
    if outcome not in Outcome.values:
        raise DecisionInvalid(f"Outcome must be one of: {', '.join(Outcome.values)}.")
    if not reason or not reason.strip():
        raise DecisionInvalid("Give the reason for the decision.")
    if len(reason) > 10_000:
        raise DecisionInvalid("The reason must be 10,000 characters or fewer.")
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    fresh = (
        Referral.objects.select_related("decision")
        .prefetch_related("children__screenings")
        .get(pk=referral.pk)
    )
    blocker = rules.decision_blocker(
        fresh, acting_user, outcome, rereferral_review_pending=rereferral_review_pending
    )
    if blocker:
        raise DecisionBlocked(blocker)
    rules.guard_transition(referral.status, Status.DECIDED)
    sign_off = rules.needs_manager_sign_off(fresh, outcome)
    decision = Decision.objects.create(
        referral=referral,
        outcome=outcome,
        reason=reason.strip(),
        decided_by=acting_user,
        decided_at=timezone.now(),
        signed_off_by=acting_user if sign_off else None,
        risk_level_at_decision=rules.highest_level(fresh),
    )
    referral.status = Status.DECIDED
    referral.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=acting_user,
        action=Action.DECIDE,
        object_type="referral",
        object_id=referral.pk,
        object_ref=referral.reference,
        referral_id=referral.pk,
        reason=decision.reason,
        details={
            "outcome": outcome,
            "manager_sign_off": sign_off,
            "risk_level": decision.risk_level_at_decision,
        },
    )
    return decision


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
                f"referral {referral.reference} outside their usual access.\nReason: {reason}\n"
                f"Access ends at {grant.expires_at:%d %b %Y %H:%M} UTC."
            ),
            payload={"referral": referral.reference, "grant": str(grant.pk)},
        )
    return grant

"""Intake at the front door: the referral, its children (matched or new), the persons and
places it names; then its due times and the referrer's acknowledgement. These run inside the
intake workflow's one transaction and open no savepoint of their own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.config import screening_min_age
from sightline.core.keylocks import CHILDREN, keys_lock
from sightline.core.outbox import outbox_enqueue
from sightline.core.references import next_reference
from sightline.core.transactions import in_callers_transaction
from sightline.people.matching import Referred, exact_key
from sightline.people.selectors import Candidate, child_match_candidates_many
from sightline.people.services import child_create
from sightline.referrals.choices import MatchStatus, Status
from sightline.referrals.inputs import ChildInput, ReferralInput, validate
from sightline.referrals.models import (
    ChildMatchCandidate,
    PersonNamed,
    PlaceNamed,
    Referral,
    ReferralChild,
)
from sightline.referrals.services.common import (
    DecisionInvalid,
    age_on_day,
    rag_for,
    screening_required_for,
)

# (received at, RAG rating) -> (decision due at, RAG due at): the clocks' due times.
DueTimes = Callable[[dt.datetime, str], tuple[dt.datetime, dt.datetime]]


@dataclass(frozen=True)
class IntakeChild:
    referral_child: ReferralChild
    matched_existing: bool
    candidates: list[ChildMatchCandidate]


@dataclass(frozen=True)
class SubmitResult:
    referral: Referral
    children: list[IntakeChild]
    # The rows as stored (in the order the referral names them), so that the steps after
    # intake need not read them back.
    persons_named: list[PersonNamed]
    places_named: list[PlaceNamed]


@in_callers_transaction
def referral_submit(
    *, acting_user: Any, data: ReferralInput, due_times: DueTimes | None = None
) -> SubmitResult:
    """Store the referral, its children (matched or new), the persons and places named.
    Its due times are provisional (the time received) until the intake workflow has started
    the clocks, whose policy rows are the one source of every due time; `due_times(received
    at, rag)`, given by the workflow, answers them as the clocks will (escalation's), so that
    the row is written with them."""
    now = timezone.now()
    validate(data, today=timezone.localdate(now), now=now)
    received_at = data.received_at or now
    received_day = timezone.localtime(received_at).date()
    agency = acting_user.agency
    if agency is None or not agency.is_active:
        raise DecisionInvalid("Your account is not attached to an active agency.")
    ages = [age_on_day(item, received_day) for item in data.children]
    min_age = screening_min_age()  # read once for every child on the referral
    screening = any(screening_required_for(age, min_age) for age in ages)
    referral = _referral_create(
        acting_user,
        data,
        received_at=received_at,
        status=Status.AWAITING_SCREENING if screening else Status.AWAITING_DECISION,
        due_times=due_times,
    )
    children = _intake_children(acting_user, referral, data.children, ages, min_age)
    persons, places = _named_store(referral, data)
    return SubmitResult(referral, children, persons, places)


def _referral_create(
    acting_user: Any,
    data: ReferralInput,
    *,
    received_at: dt.datetime,
    status: str,
    due_times: DueTimes | None,
) -> Referral:
    """The referral row (its status already the one its children call for) and its audit row."""
    received_day = timezone.localtime(received_at).date()
    rag = rag_for(data.urgency, "")
    decision_due_at, rag_due_at = (
        due_times(received_at, rag) if due_times else (received_at, received_at)
    )
    referral = Referral.objects.create(
        reference=next_reference("SL", received_day.year),
        received_at=received_at,
        source_agency=acting_user.agency,
        referred_by=acting_user,
        channel=data.channel,
        narrative=data.narrative.strip(),
        concern_categories=sorted(set(data.concern_categories)),
        child_aware=data.child_aware,
        family_aware=data.family_aware,
        urgency=data.urgency,
        status=status,
        decision_due_at=decision_due_at,
        rag=rag,
        rag_due_at=rag_due_at,
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
    return referral


def _intake_children(
    acting_user: Any,
    referral: Referral,
    items: Sequence[ChildInput],
    ages: list[int | None],
    min_age: int,
) -> list[IntakeChild]:
    """Each referred child, matched to an existing record or made new: one lookup of match
    candidates for all of them, then the child's rows in the order given."""
    referred = [Referred(c.given_name, c.family_name, c.date_of_birth, c.postcode) for c in items]
    # Another intake naming the same child finishes first, so this one finds its record
    # rather than making a second (ADR 0218).
    keys_lock(CHILDREN, [exact_key(r) for r in referred])
    found = child_match_candidates_many(referred)
    return [
        _intake_child(acting_user, referral, position, item, age, candidates, min_age)
        for position, (item, age, candidates) in enumerate(zip(items, ages, found, strict=True))
    ]


def _intake_child(
    acting_user: Any,
    referral: Referral,
    position: int,
    item: ChildInput,
    age: int | None,
    candidates: list[Candidate],
    min_age: int,
) -> IntakeChild:
    exact = [c for c in candidates if c.match.is_exact]
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
        screening_required=screening_required_for(age, min_age),
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
    _audit_link(acting_user, referral, referral_child, match_status, len(stored))
    return IntakeChild(referral_child, match_status == MatchStatus.MATCHED, stored)


def _audit_link(
    acting_user: Any,
    referral: Referral,
    referral_child: ReferralChild,
    match_status: str,
    candidates: int,
) -> None:
    audit_record(
        actor=acting_user,
        action=Action.LINK,
        object_type="referral_child",
        object_id=referral_child.pk,
        object_ref=referral.reference,
        child_id=referral_child.child_id,
        referral_id=referral.pk,
        details={
            "match_status": match_status,
            "candidates": candidates,
            "screening_required": referral_child.screening_required,
        },
    )


def _named_store(
    referral: Referral, data: ReferralInput
) -> tuple[list[PersonNamed], list[PlaceNamed]]:
    """The persons and places named, one insert each; answers the rows stored."""
    persons = PersonNamed.objects.bulk_create(
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
    places = PlaceNamed.objects.bulk_create(
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
    return persons, places


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

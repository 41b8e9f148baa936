"""Intake: a referral arrives, from the form or the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from sightline.audit.services import audit_batch
from sightline.escalation.choices import ClockKind
from sightline.escalation.selectors import clock_due_at
from sightline.escalation.services import clocks_on_referral_received
from sightline.escalation.timescales import received_due_times, timescales_held
from sightline.intel.services import IndexResult, mentions_on_referral
from sightline.referrals.inputs import ReferralInput
from sightline.referrals.models import Referral
from sightline.referrals.services import (
    IntakeChild,
    referral_acknowledge,
    referral_due_times_set,
    referral_submit,
)
from sightline.reviews.choices import TextKind
from sightline.reviews.language import Flag
from sightline.reviews.services import (
    TextToCheck,
    language_flags_record,
    language_flags_record_many,
    missed_opportunities_check,
)
from sightline.screening import scoring


@dataclass(frozen=True)
class IntakeResult:
    referral: Referral
    children: list[IntakeChild]
    suggestions: list[scoring.Suggestion]
    intel: IndexResult
    language_flags: list[Flag] = field(default_factory=list)
    # The flags of each named person's description, in the order they were named.
    person_flags: list[list[Flag]] = field(default_factory=list)


@transaction.atomic
def referral_intake(*, acting_user: Any, data: ReferralInput) -> IntakeResult:
    """Store the referral and its children (referrals, people), index what it names and run
    the alert rules (intel), start the decision and RAG clocks and mark a re-referral
    (escalation), copy the clocks' due times onto the referral, acknowledge it to the
    referrer (outbox), offer the narrative's indicators for the screening and keep the language
    flags of the narrative and of each named person's description (reviews). The step's
    audit rows are written together at its end (audit_batch)."""
    # The calendar and clock policies are read once for the step (the referral's due times,
    # then its clocks), as the one transaction sees them.
    with audit_batch(), timescales_held():
        return _intake(acting_user, data)


def _intake(acting_user: Any, data: ReferralInput) -> IntakeResult:
    submitted = referral_submit(acting_user=acting_user, data=data, due_times=received_due_times)
    referral = submitted.referral
    intel = mentions_on_referral(
        referral=referral,
        acting_user=acting_user,
        vehicles=[v.strip() for v in data.vehicles if v.strip()],
        phones=[p.strip() for p in data.phones if p.strip()],
        children=[c.referral_child for c in submitted.children],
        new_referral=True,
        named=(submitted.persons_named, submitted.places_named),
    )
    started = clocks_on_referral_received(
        referral=referral,
        acting_user=acting_user,
        # A child first recorded on this referral is on no other: only the matched can make it
        # a re-referral.
        child_ids=[c.referral_child.child_id for c in submitted.children if c.matched_existing],
        new_referral=True,
    )
    due = {clock.kind: clock.due_at for clock in started}
    decision_due_at = (
        due.get(ClockKind.DECISION)
        or clock_due_at(referral=referral, kind=ClockKind.DECISION)
        or referral.decision_due_at
    )
    rag_due_at = (
        due.get(ClockKind.RAG)
        or clock_due_at(referral=referral, kind=ClockKind.RAG)
        or referral.rag_due_at
    )
    if (decision_due_at, rag_due_at) != (referral.decision_due_at, referral.rag_due_at):
        # Written with the referral as its clocks answer them; copied here only if not.
        referral_due_times_set(
            referral=referral, decision_due_at=decision_due_at, rag_due_at=rag_due_at
        )
    referral_acknowledge(referral=referral, acting_user=acting_user)
    suggestions = scoring.suggest_indicators(scoring.load_catalogue(), referral.narrative)
    ages = [c.referral_child.age_on_day for c in submitted.children]
    flags = language_flags_record(
        acting_user=acting_user,
        content_type=TextKind.REFERRAL_NARRATIVE,
        record_id=referral.pk,
        record_ref=referral.reference,
        field="narrative",
        text=referral.narrative,
        child_age=min((a for a in ages if a is not None), default=None),
        new_record=True,
    )
    # How each person named is described (one INSERT for all, none when none is described).
    youngest = min((a for a in ages if a is not None), default=None)
    person_flags = language_flags_record_many(
        acting_user=acting_user,
        texts=[
            TextToCheck(TextKind.PERSON_NAMED, p.pk, referral.reference, "description",
                        p.description, youngest, p.approximate_age)
            for p in submitted.persons_named
        ],
    )  # fmt: skip
    missed_opportunities_check(  # a new child with no flagged words has no history to match
        acting_user=acting_user,
        child_ids=[
            c.referral_child.child_id for c in submitted.children if c.matched_existing or flags
        ],
        trigger="intake",
    )
    described = [person_flags.get((p.pk, "description"), []) for p in submitted.persons_named]
    return IntakeResult(referral, submitted.children, suggestions, intel, flags, described)

"""The statutory steps after the front door, each one function: the casework record
(casework), then the clock it meets and the clock it starts (escalation); allocation of a
child's work, telling the worker; the language flags of the text practitioners write
(reviews). One transaction each."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.casework import services
from sightline.casework.choices import (
    ConferenceKind,
    ConferenceOutcome,
    EnquiryOutcome,
    PlanKind,
    StrategyOutcome,
)
from sightline.casework.models import (
    Allocation,
    Assessment,
    CaseNote,
    Conference,
    EpisodeClosure,
    Plan,
    Section47Enquiry,
    StrategyDiscussion,
)
from sightline.escalation.choices import ClockKind, InboxKind
from sightline.escalation.services import clocks_assign, clocks_on_step
from sightline.escalation.services.notify import notify
from sightline.reviews.choices import TextKind
from sightline.workflows.language import child_age, flag_fields, flag_text


def _flag_step(
    user: Any, step: Any, kind: str, fields: tuple[str, ...], new_record: bool = False
) -> None:
    """The language flags of a step's optional text fields (reviews), by the child's age
    (`new_record`: the step was made in this transaction, no earlier check to replace)."""
    flag_fields(user, kind=kind, record=step, ref=step.child.reference, fields=fields,
                age=child_age(step.child), new_record=new_record)  # fmt: skip


def _start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


@transaction.atomic
def strategy_discussion_record(
    *, acting_user: Any, child: Any, referral: Any, **fields: Any
) -> StrategyDiscussion:
    """Record the discussion (casework), meet the strategy discussion clock and, for a
    section 47 outcome, start the initial conference clock (escalation)."""
    discussion = services.strategy_discussion_create(
        acting_user=acting_user, child=child, referral=referral, **fields
    )
    clocks_on_step(
        acting_user=acting_user,
        referral=referral,
        meets=ClockKind.STRATEGY_DISCUSSION,
        at=discussion.held_at,
        reason="Strategy discussion held.",
        starts_icpc=discussion.outcome == StrategyOutcome.SECTION_47,
    )
    flag_text(acting_user, child, TextKind.STRATEGY_OUTCOME, discussion.pk, "outcome_reason",
          discussion.outcome_reason, new_record=True)  # fmt: skip
    _flag_step(acting_user, discussion, TextKind.STRATEGY_NOTES, ("absence_reason", "actions"),
               new_record=True)  # fmt: skip
    return discussion


@transaction.atomic
def strategy_discussion_outcome(
    *, acting_user: Any, discussion: StrategyDiscussion, outcome: str, outcome_reason: str,
    actions: str | None = None,
) -> StrategyDiscussion:  # fmt: skip
    discussion = services.strategy_discussion_update(
        acting_user=acting_user, discussion=discussion, outcome=outcome,
        outcome_reason=outcome_reason, actions=actions,
    )  # fmt: skip
    flag_text(acting_user, discussion.child, TextKind.STRATEGY_OUTCOME, discussion.pk,
          "outcome_reason", discussion.outcome_reason)  # fmt: skip
    if actions is not None:
        _flag_step(acting_user, discussion, TextKind.STRATEGY_NOTES, ("actions",))
    if discussion.outcome == StrategyOutcome.SECTION_47:
        clocks_on_step(
            acting_user=acting_user, referral=discussion.referral, meets="",
            at=discussion.held_at, reason="Section 47 enquiry decided.", starts_icpc=True,
        )  # fmt: skip
    return discussion


@transaction.atomic
def enquiry_start(
    *, acting_user: Any, discussion: StrategyDiscussion, started_on: dt.date
) -> Section47Enquiry:
    return services.enquiry_create(
        acting_user=acting_user, discussion=discussion, started_on=started_on
    )


@transaction.atomic
def enquiry_outcome(
    *, acting_user: Any, enquiry: Section47Enquiry, outcome: str, completed_on: dt.date,
    no_conference_reason: str = "",
) -> Section47Enquiry:  # fmt: skip
    """An enquiry that needs no conference stops the initial conference clock."""
    enquiry = services.enquiry_update(
        acting_user=acting_user, enquiry=enquiry, outcome=outcome, completed_on=completed_on,
        no_conference_reason=no_conference_reason,
    )  # fmt: skip
    _flag_step(acting_user, enquiry, TextKind.ENQUIRY_OUTCOME, ("no_conference_reason",))
    if enquiry.outcome != EnquiryOutcome.SUBSTANTIATED_CONFERENCE:
        clocks_on_step(
            acting_user=acting_user, referral=enquiry.referral, meets="",
            at=_start_of_day(completed_on), stops=ClockKind.ICPC,
            reason=f"Section 47 enquiry: {enquiry.get_outcome_display()}.",
        )  # fmt: skip
    return enquiry


@transaction.atomic
def assessment_start(
    *, acting_user: Any, child: Any, referral: Any, started_on: dt.date, factors: list[str]
) -> Assessment:
    """Start the assessment; its 45-working-day clock runs from the referral."""
    assessment = services.assessment_create(
        acting_user=acting_user, child=child, referral=referral, started_on=started_on,
        factors=factors,
    )  # fmt: skip
    clocks_on_step(
        acting_user=acting_user, referral=referral, meets="", at=_start_of_day(started_on),
        reason="Assessment started.", starts_assessment=True,
    )  # fmt: skip
    return assessment


@transaction.atomic
def assessment_progress(*, acting_user: Any, assessment: Assessment, **fields: Any) -> Assessment:
    """Factors, completion (which meets the assessment clock) and authorisation."""
    was_complete = assessment.completed_on is not None
    assessment = services.assessment_update(
        acting_user=acting_user, assessment=assessment, **fields
    )
    if assessment.completed_on is not None and not was_complete:
        clocks_on_step(
            acting_user=acting_user, referral=assessment.referral, meets=ClockKind.ASSESSMENT,
            at=_start_of_day(assessment.completed_on), reason="Assessment completed.",
        )  # fmt: skip
    return assessment


@transaction.atomic
def conference_record(
    *, acting_user: Any, child: Any, referral: Any, kind: str, held_on: dt.date,
    enquiry: Section47Enquiry | None, outcome: str, plan_category: str = "",
) -> Conference:  # fmt: skip
    """An initial conference meets its clock; a plan decided starts on the conference's date
    (CIN rule 2885); a review conference that ends the plan ends it that day."""
    conference = services.conference_create(
        acting_user=acting_user, child=child, referral=referral, kind=kind, held_on=held_on,
        enquiry=enquiry, outcome=outcome, plan_category=plan_category,
    )  # fmt: skip
    plan_goes_on = conference.outcome in (
        ConferenceOutcome.CP_PLAN, ConferenceOutcome.CP_PLAN_CONTINUES,
    )  # fmt: skip
    if conference.kind == ConferenceKind.INITIAL:
        clocks_on_step(
            acting_user=acting_user, referral=referral, meets=ClockKind.ICPC,
            at=_start_of_day(held_on), reason="Initial child protection conference held.",
            starts_review="first" if plan_goes_on else "",
        )  # fmt: skip
    else:  # a review conference meets its clock; the next is due while the plan goes on
        clocks_on_step(
            acting_user=acting_user, referral=referral, meets=ClockKind.REVIEW_CONFERENCE,
            at=_start_of_day(held_on), reason="Review child protection conference held.",
            starts_review="next" if plan_goes_on else "",
        )  # fmt: skip
    if conference.outcome == ConferenceOutcome.CP_PLAN:
        services.plan_create(
            acting_user=acting_user, child=child, referral=referral,
            kind=PlanKind.CHILD_PROTECTION, category=conference.plan_category,
            started_on=held_on, conference=conference,
        )  # fmt: skip
    if conference.outcome == ConferenceOutcome.CP_PLAN_ENDS:
        plan = Plan.objects.filter(
            child=child, kind=PlanKind.CHILD_PROTECTION, ended_on__isnull=True
        ).first()
        if plan is not None:
            services.plan_end(
                acting_user=acting_user, plan=plan, ended_on=held_on,
                end_reason="Ended at the review conference.",
            )  # fmt: skip
    return conference


@transaction.atomic
def plan_record(*, acting_user: Any, child: Any, referral: Any, **fields: Any) -> Plan:
    return services.plan_create(acting_user=acting_user, child=child, referral=referral, **fields)


@transaction.atomic
def plan_close(*, acting_user: Any, plan: Plan, ended_on: dt.date, end_reason: str) -> Plan:
    """A child protection plan ended outside a conference: no review conference is due."""
    ended = services.plan_end(
        acting_user=acting_user, plan=plan, ended_on=ended_on, end_reason=end_reason
    )
    _flag_step(acting_user, ended, TextKind.PLAN_END, ("end_reason",))
    if ended.kind == PlanKind.CHILD_PROTECTION and ended.referral_id is not None:
        clocks_on_step(
            acting_user=acting_user, referral=ended.referral, meets="",
            at=_start_of_day(ended_on), reason=f"Child protection plan ended: {end_reason}",
            stops=ClockKind.REVIEW_CONFERENCE,
        )  # fmt: skip
    return ended


@transaction.atomic
def episode_closure_record(
    *, acting_user: Any, child: Any, referral: Any, closed_on: dt.date, reason: str,
    notes: str = "",
) -> EpisodeClosure:  # fmt: skip
    closure = services.episode_close(
        acting_user=acting_user, child=child, referral=referral, closed_on=closed_on,
        reason=reason, notes=notes,
    )  # fmt: skip
    _flag_step(acting_user, closure, TextKind.CLOSURE, ("notes",), new_record=True)
    # the child leaves the worker's caseload (an allocation for a later referral stays)
    services.allocation_end(
        acting_user=acting_user, child=child, referral=referral,
        at=min(timezone.now(), _start_of_day(closed_on) + dt.timedelta(hours=8)),
        reason=f"Episode closed ({closure.get_reason_display()}).",
    )  # fmt: skip
    return closure


@transaction.atomic
def case_note_record(
    *, acting_user: Any, child: Any, kind: str, body: str, referral: Any = None,
    at: dt.datetime | None = None,
) -> CaseNote:  # fmt: skip
    note = services.note_add(
        acting_user=acting_user, child=child, kind=kind, body=body, referral=referral, at=at
    )
    flag_text(acting_user, child, TextKind.CASE_NOTE, note.pk, "text", note.text, new_record=True)
    return note


@transaction.atomic
def child_allocate(
    *, acting_user: Any, child: Any, team: Any, worker: Any, reason: str, referral: Any = None,
    at: dt.datetime | None = None, tell: bool = True,
) -> Allocation:  # fmt: skip
    """Allocate (or reallocate, with a reason) a child's work (casework); the referral's open
    clocks show the new owner (escalation); the worker is told (inbox and e-mail) unless
    `tell` is off (a history loaded afterwards). `at`: when, for one recorded afterwards."""
    allocation = services.allocation_set(
        acting_user=acting_user, child=child, team=team, worker=worker, referral=referral,
        reason=reason, require_reason=Allocation.objects.filter(child=child).exists(), at=at,
    )  # fmt: skip
    flag_fields(acting_user, kind=TextKind.ALLOCATION_REASON, record=allocation,
                ref=child.reference, fields=("reason",), age=child_age(child),
                new_record=True)  # fmt: skip
    if allocation.referral is not None:
        clocks_assign(referral=allocation.referral, team=team, worker=worker)
    if worker is not None and tell:
        notify(
            users=[worker],
            kind=InboxKind.ALLOCATION,
            subject=f"Child {child.reference} allocated to you",
            body=f"{child.reference} has been allocated to you in {team.name}.",
            dedupe_key=f"allocation:{allocation.pk}",
            at=allocation.allocated_at,
            referral=allocation.referral,
        )
    return allocation

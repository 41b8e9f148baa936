"""The statutory steps after the front door, recorded: strategy discussion, section 47
enquiry, child and family assessment, conferences, plans and the episode's closure. Each
runs inside its workflow's transaction (which meets and starts the clocks) and refuses bad
input (422) or a step out of order (409) before anything is stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sightline.accounts.roles import is_manager
from sightline.casework import rules
from sightline.casework.choices import (
    AssessmentFactor,
    AssessmentOutcome,
    ClosureReason,
    ConferenceKind,
    ConferenceOutcome,
    EnquiryOutcome,
    PlanCategory,
    PlanKind,
    StrategyOutcome,
)
from sightline.casework.models import (
    Assessment,
    Conference,
    EpisodeClosure,
    Plan,
    Section47Enquiry,
    StrategyDiscussion,
)
from sightline.casework.services.common import (
    Action,
    CaseworkConflict,
    CaseworkInvalid,
    CaseworkRefused,
    audit_step,
    choice,
    locked,
    text,
)
from sightline.core.transactions import in_callers_transaction


def _may_record(user: Any) -> None:
    if not rules.may_record_steps(user):
        raise CaseworkRefused("Your role cannot record casework steps.")


def _dated(referral: Any, when: Any, what: str) -> None:
    blocker = rules.date_blocker(referral, when, what)
    if blocker:
        raise CaseworkInvalid(blocker)


def _owner(acting_user: Any) -> dict[str, Any]:
    return {"recorded_by": acting_user, "agency": acting_user.agency}


def _audit(acting_user: Any, action: str, record: Any, **details: Any) -> None:
    audit_step(
        actor=acting_user,
        action=action,
        object_type=type(record).__name__.lower(),
        record=record,
        referral=record.referral,
        child_id=record.child_id,
        details=details,
    )


@in_callers_transaction
def strategy_discussion_create(
    *,
    acting_user: Any,
    child: Any,
    referral: Any,
    held_at: dt.datetime,
    police_present: bool,
    csc_present: bool,
    health_present: bool,
    others_present: str = "",
    absence_reason: str = "",
    outcome: str = "",
    outcome_reason: str = "",
    actions: str = "",
) -> StrategyDiscussion:
    _may_record(acting_user)
    if held_at.tzinfo is None:
        raise CaseworkInvalid("Give the date and time with a time zone.")
    _dated(referral, held_at, "strategy discussion")
    absent = [
        name
        for name, present in (
            ("police", police_present),
            ("children's social care", csc_present),
            ("health", health_present),
        )
        if not present
    ]
    absence_reason = text(absence_reason, what="reason for the absence", required=bool(absent))
    outcome = choice(outcome, StrategyOutcome, what="outcome", blank=True)
    outcome_reason = text(outcome_reason, what="reasons for the outcome", required=bool(outcome))
    discussion = StrategyDiscussion.objects.create(
        child=child,
        referral=referral,
        held_at=held_at,
        police_present=police_present,
        csc_present=csc_present,
        health_present=health_present,
        others_present=text(others_present, what="others present", required=False, limit=500),
        absence_reason=absence_reason,
        outcome=outcome,
        outcome_reason=outcome_reason,
        actions=text(actions, what="actions", required=False),
        **_owner(acting_user),
    )
    _audit(acting_user, Action.CREATE, discussion, outcome=outcome, absent=absent)
    return discussion


@in_callers_transaction
def strategy_discussion_update(
    *, acting_user: Any, discussion: StrategyDiscussion, outcome: str, outcome_reason: str,
    actions: str | None = None,
) -> StrategyDiscussion:  # fmt: skip
    _may_record(acting_user)
    discussion = locked(discussion)
    if discussion.outcome:
        raise CaseworkConflict("This strategy discussion's outcome has already been recorded.")
    discussion.outcome = choice(outcome, StrategyOutcome, what="outcome")
    discussion.outcome_reason = text(outcome_reason, what="reasons for the outcome")
    if actions is not None:
        discussion.actions = text(actions, what="actions", required=False)
    discussion.save(update_fields=["outcome", "outcome_reason", "actions", "updated_at"])
    _audit(acting_user, Action.CHANGE, discussion, outcome=discussion.outcome)
    return discussion


@in_callers_transaction
def enquiry_create(
    *, acting_user: Any, discussion: StrategyDiscussion, started_on: dt.date
) -> Section47Enquiry:
    _may_record(acting_user)
    if discussion.outcome != StrategyOutcome.SECTION_47:
        raise CaseworkConflict(
            "A section 47 enquiry starts from a strategy discussion whose outcome is a "
            "section 47 enquiry: record that outcome first."
        )
    _dated(discussion.referral, started_on, "start of the enquiry")
    if started_on < discussion.held_at.date():
        raise CaseworkInvalid("The enquiry cannot start before its strategy discussion.")
    enquiry = Section47Enquiry.objects.create(
        child=discussion.child,
        referral=discussion.referral,
        strategy_discussion=discussion,
        started_on=started_on,
        **_owner(acting_user),
    )
    _audit(acting_user, Action.CREATE, enquiry)
    return enquiry


@in_callers_transaction
def enquiry_update(
    *, acting_user: Any, enquiry: Section47Enquiry, outcome: str, completed_on: dt.date,
    no_conference_reason: str = "",
) -> Section47Enquiry:  # fmt: skip
    _may_record(acting_user)
    enquiry = locked(enquiry)
    if enquiry.outcome:
        raise CaseworkConflict("This enquiry's outcome has already been recorded.")
    outcome = choice(outcome, EnquiryOutcome, what="outcome")
    blocker = rules.enquiry_blocker(enquiry, outcome, no_conference_reason or "")
    if blocker:
        raise CaseworkInvalid(blocker)
    _dated(enquiry.referral, completed_on, "completion of the enquiry")
    if completed_on < enquiry.started_on:
        raise CaseworkInvalid("The enquiry cannot be completed before it started.")
    enquiry.outcome = outcome
    enquiry.completed_on = completed_on
    enquiry.no_conference_reason = (no_conference_reason or "").strip()
    enquiry.save(update_fields=["outcome", "completed_on", "no_conference_reason", "updated_at"])
    _audit(acting_user, Action.CHANGE, enquiry, outcome=outcome)
    return enquiry


def _factors(factors: list[str]) -> list[str]:
    unknown = [f for f in factors if f not in AssessmentFactor.values]
    if unknown:
        raise CaseworkInvalid(f"Unknown assessment factor codes: {', '.join(unknown)}.")
    return sorted(set(factors), key=AssessmentFactor.values.index)


@in_callers_transaction
def assessment_create(
    *, acting_user: Any, child: Any, referral: Any, started_on: dt.date, factors: list[str]
) -> Assessment:
    _may_record(acting_user)
    _dated(referral, started_on, "start of the assessment")
    cleaned = _factors(factors)
    blocker = rules.factors_blocker(cleaned, completing=False)
    if blocker:
        raise CaseworkInvalid(blocker)
    assessment = Assessment.objects.create(
        child=child, referral=referral, started_on=started_on, factors=cleaned,
        **_owner(acting_user),
    )  # fmt: skip
    _audit(acting_user, Action.CREATE, assessment, factors=cleaned)
    return assessment


@in_callers_transaction
def assessment_update(
    *,
    acting_user: Any,
    assessment: Assessment,
    factors: list[str] | None = None,
    completed_on: dt.date | None = None,
    outcome: str = "",
    authorised_on: dt.date | None = None,
) -> Assessment:
    """Factors, completion (with its outcome) and a manager's authorisation."""
    _may_record(acting_user)
    assessment = locked(assessment)
    if factors is not None:
        assessment.factors = _factors(factors)
    if completed_on is not None:
        if assessment.completed_on is not None:
            raise CaseworkConflict("This assessment has already been completed.")
        _dated(assessment.referral, completed_on, "completion of the assessment")
        if completed_on < assessment.started_on:
            raise CaseworkInvalid("The assessment cannot be completed before it started.")
        assessment.completed_on = completed_on
        assessment.outcome = choice(outcome, AssessmentOutcome, what="outcome")
    blocker = rules.factors_blocker(
        list(assessment.factors), completing=assessment.completed_on is not None
    )
    if blocker:
        raise CaseworkInvalid(blocker)
    if authorised_on is not None:
        if not is_manager(acting_user):
            raise CaseworkRefused("A team manager authorises an assessment.")
        if assessment.completed_on is None or authorised_on < assessment.completed_on:
            raise CaseworkConflict("An assessment is authorised after it is completed.")
        _dated(assessment.referral, authorised_on, "authorisation")
        assessment.authorised_on = authorised_on
        assessment.authorised_by = acting_user
    assessment.save()
    _audit(
        acting_user, Action.CHANGE, assessment, factors=assessment.factors,
        completed=assessment.completed_on is not None, outcome=assessment.outcome,
        authorised=assessment.authorised_on is not None,
    )  # fmt: skip
    return assessment


@in_callers_transaction
def conference_create(
    *,
    acting_user: Any,
    child: Any,
    referral: Any,
    kind: str,
    held_on: dt.date,
    enquiry: Section47Enquiry | None,
    outcome: str,
    plan_category: str = "",
) -> Conference:
    _may_record(acting_user)
    kind = choice(kind, ConferenceKind, what="kind of conference")
    _dated(referral, held_on, "conference date")
    outcome = choice(outcome, ConferenceOutcome, what="outcome")
    plan_category = choice(plan_category, PlanCategory, what="plan category", blank=True)
    plan_needed = outcome in (ConferenceOutcome.CP_PLAN, ConferenceOutcome.CP_PLAN_CONTINUES)
    if plan_needed and not plan_category:
        raise CaseworkInvalid("Give the child protection plan's category.")
    blocker = rules.conference_blocker(child, referral, kind, enquiry, held_on)
    if blocker:
        raise CaseworkConflict(blocker)
    conference = Conference.objects.create(
        child=child, referral=referral, kind=kind, enquiry=enquiry, held_on=held_on,
        outcome=outcome, plan_category=plan_category, **_owner(acting_user),
    )  # fmt: skip
    _audit(acting_user, Action.CREATE, conference, kind=kind, outcome=outcome)
    return conference


@in_callers_transaction
def plan_create(
    *,
    acting_user: Any,
    child: Any,
    referral: Any,
    kind: str,
    started_on: dt.date,
    category: str = "",
    conference: Conference | None = None,
) -> Plan:
    _may_record(acting_user)
    kind = choice(kind, PlanKind, what="kind of plan")
    category = choice(category, PlanCategory, what="category", blank=True)
    if kind == PlanKind.CHILD_PROTECTION and not category:
        raise CaseworkInvalid("Give the child protection plan's category.")
    _dated(referral, started_on, "start of the plan")
    blocker = rules.plan_blocker(child, kind, started_on)
    if blocker:
        raise CaseworkConflict(blocker)
    plan = Plan.objects.create(
        child=child, referral=referral, kind=kind, category=category, started_on=started_on,
        conference=conference, **_owner(acting_user),
    )  # fmt: skip
    _audit(acting_user, Action.CREATE, plan, kind=kind, category=category)
    return plan


@in_callers_transaction
def plan_end(*, acting_user: Any, plan: Plan, ended_on: dt.date, end_reason: str) -> Plan:
    _may_record(acting_user)
    plan = locked(plan)
    end_reason = text(end_reason, what="reason the plan ended")
    blocker = rules.plan_end_blocker(plan, ended_on)
    if blocker:
        raise CaseworkConflict(blocker)
    plan.ended_on = ended_on
    plan.end_reason = end_reason
    plan.save(update_fields=["ended_on", "end_reason", "updated_at"])
    _audit(acting_user, Action.CHANGE, plan, ended=True)
    return plan


@in_callers_transaction
def episode_close(
    *, acting_user: Any, child: Any, referral: Any, closed_on: dt.date, reason: str,
    notes: str = "",
) -> EpisodeClosure:  # fmt: skip
    _may_record(acting_user)
    reason = choice(reason, ClosureReason, what="reason for closure")
    _dated(referral, closed_on, "closure date")
    if Plan.objects.filter(child=child, ended_on__isnull=True).exists():
        raise CaseworkConflict("End the child's open plan before closing the episode.")
    if EpisodeClosure.objects.filter(child=child, referral=referral).exists():
        raise CaseworkConflict("This episode has already been closed.")
    closure = EpisodeClosure.objects.create(
        child=child, referral=referral, closed_on=closed_on, reason=reason,
        notes=text(notes, what="notes", required=False), **_owner(acting_user),
    )  # fmt: skip
    _audit(acting_user, Action.CREATE, closure, reason=reason)
    return closure

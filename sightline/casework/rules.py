"""State rules of casework: predicates composed into named checks, each answering in words
for the practitioner why something may not happen now (None when it may). Capability lives
in accounts.roles, scope in selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sightline.accounts.roles import Cap, Role, is_manager
from sightline.casework.choices import (
    CLOSING_OUTCOMES,
    NO_FACTORS,
    OVERRIDE_RATIONALE_MIN,
    SIGN_OFF_TRANSITIONS,
    ConferenceKind,
    EnquiryOutcome,
    PlanKind,
)
from sightline.casework.models import Plan, Section47Enquiry, SignOff, StrategyDiscussion
from sightline.core.states import guard
from sightline.escalation.choices import StepKind
from sightline.escalation.models import StatutoryStep
from sightline.referrals.choices import Outcome
from sightline.screening import scoring
from sightline.screening.choices import MarkStatus
from sightline.screening.models import ScreeningMark


def guard_sign_off(current: str, target: str) -> None:
    guard(SIGN_OFF_TRANSITIONS, "sign-off", current, target)


# --- Sign-off and the disclosure rule --------------------------------------------------------


def override_indicators(referral: Any) -> list[str]:
    """The override indicators (category A: a disclosure of sexual assault or exploitation,
    abduction, trafficking ...) marked present on a current screening of the referral."""
    codes = {i.code for i in scoring.load_catalogue().indicators if i.weight == "override"}
    present = ScreeningMark.objects.filter(
        screening__referral_child__referral_id=referral.pk,
        screening__is_current=True,
        status=MarkStatus.PRESENT,
        code__in=codes,
    ).values_list("code", flat=True)
    return sorted(set(present))


def has_strategy_discussion(referral: Any) -> bool:
    """A strategy discussion has been recorded for the referral (casework, or the escalation
    app's step record)."""
    return (
        StrategyDiscussion.objects.filter(referral_id=referral.pk).exists()
        or StatutoryStep.objects.filter(
            referral_id=referral.pk, kind=StepKind.STRATEGY_DISCUSSION
        ).exists()
    )


def closure_blocker(referral: Any, user: Any, outcome: str, override_rationale: str) -> str | None:
    """A disclosure (an override indicator) is never closed with no further action,
    information and advice or early help before a strategy discussion has considered it. A
    head of service may override that with a written rationale of at least 200 characters."""
    if outcome not in CLOSING_OUTCOMES:
        return None
    codes = override_indicators(referral)
    if not codes or has_strategy_discussion(referral):
        return None
    label = Outcome(outcome).label.lower()
    if user.role != Role.HEAD_OF_SERVICE:
        return (
            f"The screening records a disclosure or significant incident "
            f"({', '.join(codes)}), so {referral.reference} cannot be closed with {label} "
            "until a strategy discussion has been recorded for it. Record the strategy "
            "discussion first, or choose another outcome."
        )
    if len((override_rationale or "").strip()) < OVERRIDE_RATIONALE_MIN:
        return (
            f"The screening records a disclosure or significant incident ({', '.join(codes)}) "
            "and no strategy discussion has been recorded. To close it with "
            f"{label} anyway, write your rationale ({OVERRIDE_RATIONALE_MIN} characters or "
            "more): the partnership's safeguarding lead will be told."
        )
    return None


def is_override(referral: Any, outcome: str, override_rationale: str) -> bool:
    """The head of service's rationale is what lets this closure through."""
    return bool(
        outcome in CLOSING_OUTCOMES
        and (override_rationale or "").strip()
        and override_indicators(referral)
        and not has_strategy_discussion(referral)
    )


def sign_off_blocker(user: Any, sign_off: SignOff) -> str | None:
    if not is_manager(user):
        return "Only a team manager or someone more senior can sign off a decision."
    if sign_off.proposed_by_id == user.pk:
        return "You proposed this decision, so another manager must sign it off."
    return None


# --- The statutory steps ---------------------------------------------------------------------


def may_record_steps(user: Any) -> bool:
    return bool(user.has_capability(Cap.CASEWORK_RECORD))


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None or not 1900 <= value.year <= 2200:
            # Not a date any step can have (and too far out to convert to local time): the
            # callers' own "before the referral" / "in the future" rules refuse it as such.
            return value.date()
        return timezone.localtime(value).date()
    return value


def date_blocker(referral: Any, when: dt.date | dt.datetime | None, what: str) -> str | None:
    """A step is never dated before its referral was received, nor in the future."""
    if when is None:
        return None
    day = _as_date(when)
    if isinstance(when, dt.datetime) and when > timezone.now() + dt.timedelta(minutes=5):
        return f"The {what} cannot be in the future."
    if day > timezone.localdate():
        return f"The {what} cannot be in the future."
    if day < timezone.localtime(referral.received_at).date():
        return f"The {what} cannot be before the referral {referral.reference} was received."
    return None


def conference_blocker(
    child: Any, referral: Any, kind: str, enquiry: Any, held_on: Any
) -> str | None:
    """No initial conference before its section 47 enquiry (one whose outcome calls for a
    conference); no review conference without an open child protection plan."""
    if kind == ConferenceKind.INITIAL:
        if enquiry is None:
            return (
                "An initial child protection conference follows a section 47 enquiry: "
                "record the enquiry first."
            )
        if enquiry.outcome not in ("", EnquiryOutcome.SUBSTANTIATED_CONFERENCE):
            return "The section 47 enquiry's outcome did not call for a conference."
        if held_on < enquiry.started_on:
            return "The conference cannot be held before its section 47 enquiry started."
        return None
    if not Plan.objects.filter(
        child=child, kind=PlanKind.CHILD_PROTECTION, ended_on__isnull=True
    ).exists():
        return "A review conference needs an open child protection plan."
    return None


def plan_blocker(child: Any, kind: str, started_on: dt.date) -> str | None:
    """A second open child protection plan is refused; a CIN plan is never open alongside
    a CP plan (CIN census rules 4001, 4016)."""
    open_plans = Plan.objects.filter(child=child, ended_on__isnull=True)
    if (
        kind == PlanKind.CHILD_PROTECTION
        and open_plans.filter(kind=PlanKind.CHILD_PROTECTION).exists()
    ):
        return "This child already has an open child protection plan."
    if (
        kind == PlanKind.CHILD_IN_NEED
        and open_plans.filter(kind=PlanKind.CHILD_PROTECTION).exists()
    ):
        return "A child-in-need plan cannot be open alongside a child protection plan."
    return None


def plan_end_blocker(plan: Plan, ended_on: dt.date) -> str | None:
    if plan.ended_on is not None:
        return "This plan has already ended."
    if ended_on < plan.started_on:
        return "A plan cannot end before it starts."
    if ended_on > timezone.localdate():
        return "The plan's end cannot be in the future."
    return None


def enquiry_blocker(enquiry: Section47Enquiry, outcome: str, reason: str) -> str | None:
    if outcome == EnquiryOutcome.SUBSTANTIATED_NO_CONFERENCE and not reason.strip():
        return "Give the reason no conference is needed."
    return None


def factors_blocker(factors: list[str], completing: bool) -> str | None:
    """A completed assessment has factors (8897Q); factor 21 stands alone (8869)."""
    if NO_FACTORS in factors and len(factors) > 1:
        return "Factor 21 (no factors identified) cannot be recorded with other factors."
    if completing and not factors:
        return "A completed assessment records its factors (21 if there are none)."
    return None

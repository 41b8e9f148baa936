"""Casework pages: the sign-off queue, caseloads, closure overrides, and a child's casework
(its steps, notes and allocation, with a form for each step). Each view parses, authorises
through a scoped selector, and calls one workflow."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_POST

from sightline.accounts.http import AuthenticatedHttpRequest
from sightline.accounts.models import Team, User
from sightline.accounts.roles import Cap
from sightline.casework import selectors
from sightline.casework.choices import (
    AssessmentFactor,
    ClosureReason,
    ConferenceOutcome,
    NoteKind,
    PlanCategory,
    SignOffStatus,
    StrategyOutcome,
)
from sightline.casework.models import Section47Enquiry, StrategyDiscussion
from sightline.casework.services import CaseworkInvalid
from sightline.core.errors import NotPermitted
from sightline.core.permissions import capability_required
from sightline.reviews.selectors import record_flags
from sightline.site.language_flags import tell_flags
from sightline.workflows import (
    assessment_start,
    case_note_record,
    child_allocate,
    conference_record,
    enquiry_start,
    episode_closure_record,
    plan_record,
    sign_off_approve,
    sign_off_return,
    strategy_discussion_record,
)


@capability_required(Cap.REFERRAL_SIGN_OFF)
def sign_off_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    status = request.GET.get("status") or SignOffStatus.PENDING
    if status not in SignOffStatus.values:
        status = SignOffStatus.PENDING
    rows = selectors.sign_off_list_read(user=request.user, status=status)
    owners = selectors.owners_of_referrals([s.referral_id for s in rows])
    flags = record_flags(record_ids=[s.pk for s in rows])
    return render(
        request,
        "casework/sign_offs.html",
        {
            "rows": rows,
            "owners": owners,
            "flags": flags,
            "status": status,
            "statuses": SignOffStatus.choices,
        },
    )


def _sign_off_or_404(request: AuthenticatedHttpRequest, sign_off_id: uuid.UUID) -> Any:
    found = selectors.sign_off_get(user=request.user, sign_off_id=sign_off_id)
    if found is None:
        raise Http404
    return found


@capability_required(Cap.REFERRAL_SIGN_OFF)
@require_POST
def sign_off_approve_page(
    request: AuthenticatedHttpRequest, sign_off_id: uuid.UUID
) -> HttpResponse:
    sign_off = _sign_off_or_404(request, sign_off_id)
    sign_off_approve(acting_user=request.user, sign_off=sign_off)
    messages.success(
        request, f"Approved: the decision on {sign_off.referral.reference} is recorded."
    )
    return redirect("referrals:detail", reference=sign_off.referral.reference)


@capability_required(Cap.REFERRAL_SIGN_OFF)
@require_POST
def sign_off_return_page(request: AuthenticatedHttpRequest, sign_off_id: uuid.UUID) -> HttpResponse:
    sign_off = _sign_off_or_404(request, sign_off_id)
    sign_off_return(
        acting_user=request.user, sign_off=sign_off, reason=request.POST.get("reason", "")
    )
    messages.success(request, f"Returned to {sign_off.proposed_by.username} with your reason.")
    return redirect("casework:sign_offs")


@capability_required(Cap.CASELOAD_VIEW)
def caseloads_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    loads = selectors.caseloads_read(user=request.user)
    return render(request, "casework/caseloads.html", {"loads": loads})


@capability_required(Cap.OVERRIDE_VIEW)
def overrides_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    rows = selectors.closure_override_list_read(user=request.user)
    return render(request, "casework/overrides.html", {"rows": rows})


def _child_or_404(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> Any:
    child = selectors.casework_child_get(user=request.user, child_id=child_id)
    if child is None:
        raise Http404
    return child


def _context(
    request: AuthenticatedHttpRequest, child: Any, errors: list[str] | None = None
) -> dict[str, Any]:
    user = request.user
    return {
        "child": child,
        "work": selectors.child_casework(user=user, child=child),
        "episode": selectors.episode_referral(user=user, child=child),
        "allocation": selectors.current_allocation(child),
        "errors": errors or [],
        "values": request.POST if request.method == "POST" else {},
        "strategy_outcomes": StrategyOutcome.choices,
        "note_kinds": NoteKind.choices,
        "factors": AssessmentFactor.choices,
        "conference_outcomes": ConferenceOutcome.choices,
        "categories": PlanCategory.choices,
        "closure_reasons": ClosureReason.choices,
        "teams": Team.objects.filter(agency=user.agency).order_by("name"),
        "workers": User.objects.filter(agency=user.agency, is_active=True).order_by("username")[
            :200
        ],
        "now": timezone.now(),
    }


@capability_required(Cap.CASEWORK_VIEW)
def child_casework_page(request: AuthenticatedHttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = selectors.casework_child_read(user=request.user, child_id=child_id)
    return render(request, "casework/child.html", _context(request, child))


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _date(value: str, what: str) -> dt.date:
    parsed = parse_date(value or "")
    if parsed is None:
        raise CaseworkInvalid(f"Give the {what} as a date (YYYY-MM-DD).")
    return parsed


def _moment(value: str, what: str) -> dt.datetime:
    parsed = parse_datetime(value or "")
    if parsed is None:
        raise CaseworkInvalid(f"Give the {what} as a date and time.")
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _record(request: AuthenticatedHttpRequest, step: str, child: Any) -> str:  # noqa: PLR0911, PLR0912 (one form per statutory step)
    """Parse the step's form and call its workflow; answers the message shown after."""
    user = request.user
    post = request.POST
    episode = selectors.episode_referral(user=user, child=child)
    if step == "note":
        note = case_note_record(
            acting_user=user, child=child, kind=post.get("kind", ""), body=post.get("text", ""),
            referral=episode,
        )  # fmt: skip
        tell_flags(request, note.pk)
        return "Case note added."
    if step == "allocate":
        if not user.has_capability(Cap.CASEWORK_ALLOCATE):
            raise NotPermitted("Your role cannot allocate work.")
        team_id = post.get("team", "")
        team = (
            Team.objects.filter(pk=team_id, agency=user.agency).first()
            if _is_uuid(team_id)
            else None
        )
        if team is None:
            raise CaseworkInvalid("Choose a team of your agency.")
        worker = None
        if post.get("worker"):
            worker = User.objects.filter(username=post["worker"], agency=user.agency).first()
            if worker is None:
                raise CaseworkInvalid("Choose a worker of your agency.")
        current = selectors.current_allocation(child)
        child_allocate(
            acting_user=user, child=child, team=team, worker=worker,
            reason=post.get("reason", ""), referral=current.referral if current else episode,
        )  # fmt: skip
        return "Allocation recorded."
    if episode is None:
        raise CaseworkInvalid("This child has no open episode to record the step against.")
    if step == "strategy":
        held = strategy_discussion_record(
            acting_user=user, child=child, referral=episode,
            held_at=_moment(post.get("held_at", ""), "date and time of the discussion"),
            police_present=post.get("police_present") == "on",
            csc_present=post.get("csc_present") == "on",
            health_present=post.get("health_present") == "on",
            others_present=post.get("others_present", ""),
            absence_reason=post.get("absence_reason", ""), outcome=post.get("outcome", ""),
            outcome_reason=post.get("outcome_reason", ""), actions=post.get("actions", ""),
        )  # fmt: skip
        tell_flags(request, held.pk)
        return "Strategy discussion recorded."
    if step == "enquiry":
        sd_id = post.get("strategy_discussion", "")
        discussion = (
            selectors.step_get(user=user, model=StrategyDiscussion, record_id=sd_id)
            if _is_uuid(sd_id)
            else None
        )
        if discussion is None or discussion.child_id != child.pk:
            raise CaseworkInvalid("Choose the strategy discussion the enquiry starts from.")
        enquiry_start(
            acting_user=user, discussion=discussion,
            started_on=_date(post.get("started_on", ""), "start date"),
        )  # fmt: skip
        return "Section 47 enquiry started."
    if step == "assessment":
        assessment_start(
            acting_user=user, child=child, referral=episode,
            started_on=_date(post.get("started_on", ""), "start date"),
            factors=post.getlist("factors"),
        )  # fmt: skip
        return "Assessment started."
    if step == "conference":
        enquiry_id = post.get("enquiry", "")
        enquiry = (
            selectors.step_get(user=user, model=Section47Enquiry, record_id=enquiry_id)
            if _is_uuid(enquiry_id)
            else None
        )
        conference_record(
            acting_user=user, child=child, referral=enquiry.referral if enquiry else episode,
            kind=post.get("kind", ""), held_on=_date(post.get("held_on", ""), "conference date"),
            enquiry=enquiry, outcome=post.get("outcome", ""),
            plan_category=post.get("plan_category", ""),
        )  # fmt: skip
        return "Conference recorded."
    if step == "plan":
        plan_record(
            acting_user=user, child=child, referral=episode, kind=post.get("kind", ""),
            category=post.get("category", ""),
            started_on=_date(post.get("started_on", ""), "start date"),
        )  # fmt: skip
        return "Plan started."
    if step == "closure":
        episode_closure_record(
            acting_user=user, child=child, referral=episode,
            closed_on=_date(post.get("closed_on", ""), "closure date"),
            reason=post.get("reason", ""), notes=post.get("notes", ""),
        )  # fmt: skip
        return "Episode closed."
    raise Http404


@capability_required(Cap.CASEWORK_RECORD)
@require_POST
def child_step_new(
    request: AuthenticatedHttpRequest, child_id: uuid.UUID, step: str
) -> HttpResponse:
    child = _child_or_404(request, child_id)
    try:
        message = _record(request, step, child)
    except CaseworkInvalid as exc:
        # Shown on the form again with what was typed (422); a 409 or 403 is the error page.
        # Shown again, read afresh with its view recorded (the refused step was rolled back).
        child = selectors.casework_child_read(user=request.user, child_id=child.pk)
        return render(
            request, "casework/child.html", _context(request, child, [str(exc)]), status=422
        )
    messages.success(request, message)
    return redirect("casework:child", child_id=child.pk)

"""Pages: overdue work, the inbox, escalations, challenges, a referral's clocks and the
performance dashboard. Each view carries its capability and shows what an audited selector
(`selectors.*_read`) returns: the selector applies scope (anything outside it is a 404) and
records the read (ADR 0010). The written steps that keep language flags through workflows
(acting on an escalation, reviewing a repeat referral, a challenge's steps) have their pages
in sightline/site."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sightline.accounts.http import AuthenticatedHttpRequest
from sightline.accounts.models import Agency
from sightline.accounts.roles import Cap, is_manager
from sightline.core.permissions import capability_required
from sightline.escalation import rules, selectors
from sightline.escalation.choices import ChallengeStatus, EscalationStatus
from sightline.escalation.forms import ChallengeResponseForm, ReasonForm
from sightline.escalation.models import InboxItem


@capability_required(Cap.ESCALATION_VIEW)
def overview(request: HttpRequest) -> HttpResponse:
    found = selectors.overdue_work_read(user=request.user, page=request.GET.get("page"))
    return render(
        request,
        "escalation/overview.html",
        {
            "work": found.work,
            "page": found.page,
            "nearly": found.nearly,
            "now": found.work.now,
            "children": found.children,
        },
    )


@capability_required(Cap.REFERRAL_VIEW)
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    page = selectors.inbox_page_read(
        user=request.user, unread_only=unread_only, page=request.GET.get("page")
    )
    return render(
        request,
        "escalation/inbox.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread": selectors.inbox_unread_count(user=request.user),
        },
    )


@capability_required(Cap.REFERRAL_VIEW)
@require_POST
def inbox_read(request: AuthenticatedHttpRequest, item_id: uuid.UUID) -> HttpResponse:
    # Marking one's own message read is not a change to any child's record.
    user = request.user
    if not InboxItem.objects.filter(user=user, pk=item_id).exists():
        raise Http404  # someone else's message, or none: not confirmed either way
    InboxItem.objects.filter(user=user, pk=item_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("escalation:inbox")


@capability_required(Cap.ESCALATION_VIEW)
def escalation_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    if status not in ("open", "resolved", "all"):
        status = "open"
    page = selectors.escalation_page_read(
        user=request.user, status=status, page=request.GET.get("page")
    )
    return render(request, "escalation/escalation_list.html", {"page": page, "status": status})


def render_escalation(
    request: HttpRequest, escalation: Any, form: ReasonForm | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "escalation/escalation_detail.html",
        {
            "escalation": escalation,
            "form": form or ReasonForm(),
            "can_resolve": rules.can_resolve_escalation(request.user, escalation),
            "is_live": escalation.status != EscalationStatus.RESOLVED,
        },
        status=status,
    )


@capability_required(Cap.ESCALATION_VIEW)
def escalation_detail(request: HttpRequest, escalation_id: uuid.UUID) -> HttpResponse:
    escalation = selectors.escalation_read(user=request.user, escalation_id=escalation_id)
    return render_escalation(request, escalation)


@capability_required(Cap.ESCALATION_VIEW)
def referral_clocks(request: HttpRequest, reference: str) -> HttpResponse:
    found = selectors.referral_clocks_read(user=request.user, reference=reference)
    referral = found.referral
    challenges = list(selectors.challenge_list(user=request.user).filter(referral=referral))
    return render(
        request,
        "escalation/referral_clocks.html",
        {
            "referral": referral,
            "clocks": found.clocks,
            "challenges": challenges,
            "now": timezone.now(),
            "review_needed": rules.manager_review_required(referral),
            "can_review": is_manager(request.user),
        },
    )


@capability_required(Cap.CHALLENGE_RAISE)
def challenge_list(request: HttpRequest) -> HttpResponse:
    page = selectors.challenge_page_read(user=request.user, page=request.GET.get("page"))
    return render(request, "escalation/challenge_list.html", {"page": page})


def render_challenge(
    request: HttpRequest,
    challenge: Any,
    form: ChallengeResponseForm | None = None,
    escalate_form: ReasonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    is_open = challenge.status == ChallengeStatus.OPEN
    return render(
        request,
        "escalation/challenge_detail.html",
        {
            "challenge": challenge,
            "form": form or ChallengeResponseForm(),
            "escalate_form": escalate_form or ReasonForm(),
            "can_respond": is_open
            and rules.can_answer_challenge_stage(request.user, challenge.stage),
            "can_escalate": challenge.raised_by_id == request.user.pk
            and challenge.stage < 4
            and (is_open or challenge.outcome == "decision_upheld"),
        },
        status=status,
    )


@capability_required(Cap.CHALLENGE_RAISE)
def challenge_detail(request: HttpRequest, challenge_id: uuid.UUID) -> HttpResponse:
    challenge = selectors.challenge_read(user=request.user, challenge_id=challenge_id)
    return render_challenge(request, challenge)


@capability_required(Cap.PERFORMANCE_VIEW)
def performance(request: HttpRequest) -> HttpResponse:
    agencies = list(Agency.objects.filter(is_active=True).order_by("name"))
    code = request.GET.get("agency", "")
    agency = next((a for a in agencies if a.code == code), None)
    result = selectors.performance_read(user=request.user, agency=agency, asked=code)
    chart = selectors.decision_chart(result)
    return render(
        request,
        "escalation/performance.html",
        {"perf": result, "agencies": agencies, "agency": agency, "chart": chart},
    )

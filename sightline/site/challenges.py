"""The page steps that raise a challenge, answer its stage and escalate it: they call
workflows (which keep the language flags of the reason, the answer and the escalation), so
they stand above the escalation app's own pages."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sightline.accounts.roles import Cap
from sightline.core.errors import Conflict, DomainError, NotPermitted
from sightline.core.permissions import capability_required
from sightline.escalation.forms import ChallengeForm, ChallengeResponseForm, ReasonForm
from sightline.escalation.models import Challenge
from sightline.escalation.selectors import (
    challenge_form_read,
    challenge_get,
    challenge_read,
    referral_for_challenge,
)
from sightline.escalation.views import render_challenge
from sightline.site.language_flags import tell_flags
from sightline.workflows import (
    answer_field,
    challenge_answer,
    challenge_open,
    challenge_refer_up,
    escalation_field,
)


@capability_required(Cap.CHALLENGE_RAISE)
def challenge_new(request: HttpRequest, reference: str) -> HttpResponse:
    referral = referral_for_challenge(user=request.user, reference=reference)
    if referral is None:
        raise Http404
    form = ChallengeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                challenge = challenge_open(
                    acting_user=request.user, referral=referral,
                    reason=form.cleaned_data["reason"],
                    immediate_risk=form.cleaned_data["immediate_risk"],
                )  # fmt: skip
            except NotPermitted as exc:
                raise Http404 from exc
            except Conflict as exc:
                form.add_error(None, str(exc))
                status = 409
            else:
                messages.success(
                    request,
                    "Your challenge has been sent. A response is due by "
                    f"{timezone.localtime(challenge.stage_due_at):%d %b %Y %H:%M}.",
                )
                tell_flags(request, challenge.pk, "reason")
                return redirect("escalation:challenge", challenge_id=challenge.pk)
    # Shown afresh, its read recorded, only when the form is drawn (not after a challenge is sent).
    referral = challenge_form_read(user=request.user, reference=reference)
    return render(
        request, "escalation/challenge_new.html", {"referral": referral, "form": form},
        status=status,
    )  # fmt: skip


@capability_required(Cap.CHALLENGE_RESPOND)
@require_POST
def challenge_respond(request: HttpRequest, challenge_id: uuid.UUID) -> HttpResponse:
    challenge = challenge_get(user=request.user, challenge_id=challenge_id)
    if challenge is None:
        raise Http404
    form = ChallengeResponseForm(request.POST)
    if not form.is_valid():
        return render_challenge(request, _afresh(request, challenge), form=form, status=422)
    try:
        challenge_answer(
            acting_user=request.user,
            challenge=challenge,
            outcome=form.cleaned_data["outcome"],
            notes=form.cleaned_data["notes"],
        )
    except DomainError as exc:
        form.add_error(None, str(exc))
        return render_challenge(request, _afresh(request, challenge), form=form, status=409)
    messages.success(request, "Response recorded. The referrer has been told.")
    tell_flags(request, challenge.pk, answer_field(challenge.stage))
    return redirect("escalation:challenge", challenge_id=challenge.pk)


@capability_required(Cap.CHALLENGE_RAISE)
@require_POST
def challenge_escalate(request: HttpRequest, challenge_id: uuid.UUID) -> HttpResponse:
    """The referrer, not satisfied, escalates the challenge to the next stage."""
    challenge = challenge_get(user=request.user, challenge_id=challenge_id)
    if challenge is None:
        raise Http404
    form = ReasonForm(request.POST)
    if not form.is_valid():
        shown = _afresh(request, challenge)
        return render_challenge(request, shown, escalate_form=form, status=422)
    try:
        escalated = challenge_refer_up(
            acting_user=request.user, challenge=challenge, reason=form.cleaned_data["reason"]
        )
    except (NotPermitted, Conflict) as exc:
        form.add_error(None, str(exc))
        shown = _afresh(request, challenge)
        return render_challenge(request, shown, escalate_form=form, status=409)
    messages.success(request, "Challenge escalated to the next stage.")
    tell_flags(request, escalated.pk, escalation_field(escalated.stage))
    return redirect("escalation:challenge", challenge_id=challenge.pk)


def _afresh(request: HttpRequest, challenge: Challenge) -> Challenge:
    """A refused answer or escalation shows the challenge again: read afresh, the view
    recorded (ADR 0010), as the page itself does."""
    return challenge_read(user=request.user, challenge_id=challenge.pk)

"""The escalation pages' written steps: acknowledging or resolving an escalation and a team
manager's review of a repeat referral. They call workflows (which keep the reason's language
flags), so they stand above the escalation app's own pages; their URLs are unchanged
(site/escalation_urls.py)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sightline.accounts.http import AuthenticatedHttpRequest
from sightline.accounts.roles import Cap
from sightline.core.errors import Conflict, DomainError, NotPermitted
from sightline.core.permissions import capability_required
from sightline.escalation.forms import ReasonForm
from sightline.escalation.models import Escalation
from sightline.escalation.selectors import (
    escalation_get,
    escalation_read,
    referral_in_scope,
    rereferral_history_read,
)
from sightline.escalation.views import render_escalation
from sightline.site.language_flags import tell_flags
from sightline.workflows import (
    ESCALATION_VERBS,
    escalation_act,
    escalation_reason_field,
    rereferral_review,
)


@capability_required(Cap.ESCALATION_VIEW)
@require_POST
def escalation_act_page(
    request: AuthenticatedHttpRequest, escalation_id: uuid.UUID, verb: str
) -> HttpResponse:
    escalation = escalation_get(user=request.user, escalation_id=escalation_id)
    if escalation is None or verb not in ESCALATION_VERBS:
        raise Http404
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return render_escalation(request, _afresh(request, escalation), form, status=422)
    try:
        acted = escalation_act(
            acting_user=request.user, escalation=escalation, verb=verb,
            reason=form.cleaned_data["reason"],
        )  # fmt: skip
    except NotPermitted as exc:
        form.add_error(None, str(exc))
        return render_escalation(request, _afresh(request, escalation), form, status=403)
    except DomainError as exc:  # a conflict, or the reason refused
        form.add_error(None, str(exc))
        return render_escalation(request, _afresh(request, escalation), form, status=409)
    messages.success(request, "Escalation resolved." if verb == "resolve" else "Acknowledged.")
    tell_flags(request, acted.pk, escalation_reason_field(verb, acted.rung))
    return redirect("escalation:detail", escalation_id=escalation.pk)


def _afresh(request: AuthenticatedHttpRequest, escalation: Escalation) -> Escalation:
    """A refused acknowledge or resolve shows the escalation again: read afresh, the view
    recorded (ADR 0010), as the page itself does."""
    return escalation_read(user=request.user, escalation_id=escalation.pk)


@capability_required(Cap.REFERRAL_SIGN_OFF)
def rereferral_review_page(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    referral = referral_in_scope(user=request.user, reference=reference)
    if referral is None:
        raise Http404
    form = ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                review = rereferral_review(
                    acting_user=request.user, referral=referral,
                    reason=form.cleaned_data["reason"],
                )  # fmt: skip
            except NotPermitted as exc:
                form.add_error(None, str(exc))
                status = 403
            except Conflict as exc:
                form.add_error(None, str(exc))
                status = 409
            else:
                messages.success(request, "Review recorded. The referral can now be decided.")
                tell_flags(request, review.pk, "reason")
                return redirect("escalation:referral", reference=reference)
    # Shown afresh (and recorded) only when the page is drawn, not after a review is saved.
    referral, history = rereferral_history_read(user=request.user, reference=reference)
    return render(
        request,
        "escalation/rereferral_review.html",
        {"referral": referral, "form": form, "history": history},
        status=status,
    )

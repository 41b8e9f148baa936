"""The page step that answers a challenge's stage: it calls the workflow, so it stands above
the escalation app's own pages."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from sightline.accounts.roles import Cap
from sightline.core.errors import DomainError
from sightline.core.permissions import capability_required
from sightline.escalation.forms import ChallengeResponseForm
from sightline.escalation.selectors import challenge_get
from sightline.escalation.views import render_challenge
from sightline.workflows import challenge_answer


@capability_required(Cap.CHALLENGE_RESPOND)
@require_POST
def challenge_respond(request: HttpRequest, challenge_id: uuid.UUID) -> HttpResponse:
    challenge = challenge_get(user=request.user, challenge_id=challenge_id)
    if challenge is None:
        raise Http404
    form = ChallengeResponseForm(request.POST)
    if not form.is_valid():
        return render_challenge(request, challenge, form=form, status=422)
    try:
        challenge_answer(
            acting_user=request.user,
            challenge=challenge,
            outcome=form.cleaned_data["outcome"],
            notes=form.cleaned_data["notes"],
        )
    except DomainError as exc:
        form.add_error(None, str(exc))
        return render_challenge(request, challenge, form=form, status=409)
    messages.success(request, "Response recorded. The referrer has been told.")
    return redirect("escalation:challenge", challenge_id=challenge.pk)

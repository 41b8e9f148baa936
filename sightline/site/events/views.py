"""Partner-event pages that write: the CSV upload for agency leads (with its row report) and
the return-interview record. Each calls one workflow."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.forms import ChoiceField
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sightline.accounts.http import AuthenticatedHttpRequest
from sightline.accounts.roles import Cap
from sightline.core.errors import Conflict, Invalid, NotFound, NotPermitted
from sightline.core.permissions import capability_required
from sightline.events import rules, selectors
from sightline.events.choices import EventKind
from sightline.events.forms import ImportForm, InterviewForm
from sightline.events.imports import rows_parse
from sightline.workflows import event_alert_status_record, events_import, return_interview_step


@capability_required(Cap.EVENT_IMPORT)
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not rules.may_import(user):
        raise NotPermitted("Only an agency's lead can import its events.")
    kinds = sorted(rules.kinds_for_agency(user.agency))
    form = ImportForm(request.POST or None, request.FILES or None)
    kind_field = form.fields["kind"]
    if isinstance(kind_field, ChoiceField):
        kind_field.choices = [(k, EventKind(k).label) for k in kinds]
    status: int = 200
    report: dict[str, Any] | None = None
    rejected: dict[str, Any] | None = None
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            parsed = rows_parse(kind=form.cleaned_data["kind"], data=upload.read())
            if parsed.errors and not (form.cleaned_data["accept_valid"] and parsed.valid):
                rejected, status = parsed.report(), 422
            else:
                if user.agency is None:
                    raise NotPermitted("Your account is not attached to an agency.")
                result = events_import(
                    acting_user=user,
                    agency=user.agency,
                    rows=[e for _line, e in parsed.valid],
                    filename=upload.name or "",
                )
                report = {**parsed.report(), **result.__dict__}
        else:
            status = 422
    return render(
        request,
        "events/import.html",
        {"form": form, "agency": user.agency, "report": report, "rejected": rejected},
        status=status,
    )


@capability_required(Cap.RETURN_INTERVIEW_RECORD)
def interview_record(request: AuthenticatedHttpRequest, event_id: uuid.UUID) -> HttpResponse:
    user = request.user
    episode = selectors.episode_get(user=user, event_id=event_id)
    if episode is None:
        raise NotFound("No missing episode with that id that you can see.")
    form = InterviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        return_interview_step(
            acting_user=user,
            episode=episode,
            status=data.pop("status"),
            **data,
        )
        return redirect("events:child", child_id=episode.child_id)
    return render(
        request,
        "events/interview.html",
        {"form": form, "episode": episode},
        status=422 if request.method == "POST" else 200,
    )


@require_POST
@capability_required(Cap.ALERT_ACTION)
def alert_status(request: AuthenticatedHttpRequest, alert_id: uuid.UUID) -> HttpResponse:
    """Acknowledge or close a detector's alert from the child's events page."""
    user = request.user
    alert = selectors.alert_get(user=user, alert_id=alert_id)
    if alert is None:
        raise NotFound("No alert with that id that you can see.")
    try:
        event_alert_status_record(
            acting_user=user,
            alert=alert,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, f"Alert {alert.reference} updated.")
    except (Invalid, Conflict) as exc:  # told on the page, as intel's alerts are
        messages.error(request, f"Alert {alert.reference}: {exc}")
    return redirect("events:child", child_id=alert.child_id)

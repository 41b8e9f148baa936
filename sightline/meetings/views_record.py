"""Recording a meeting on its pages (what the API already did): attendance, holding the
meeting (quorum) and approving the minutes. Each item's discussion, the actions agreed and
an action's progress carry free text: those pages call workflows, so they are in
sightline/site/meetings_record.py, and use these helpers. Chairs record; an action's owner
updates it.

A meeting the user may not see answers 404 (the selectors' scope); a member who is not a
chair is refused by the service (403). Bad input shows the form again with the message (422)
and stores nothing; every form read and every write is audited (reads by the selectors,
writes by the services)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sightline.accounts.roles import Cap
from sightline.core.errors import Invalid
from sightline.core.permissions import capability_required
from sightline.meetings import selectors, services
from sightline.meetings.forms import AttendanceForm
from sightline.meetings.models import AgendaItem, Meeting, MeetingAction
from sightline.meetings.services.meetings import require_chair
from sightline.meetings.views import _meeting


def posted(request: HttpRequest) -> Any:
    """The posted data (even when empty: an empty form is refused, not shown anew)."""
    return request.POST if request.method == "POST" else None


def refused(form: forms.Form, exc: Invalid) -> None:
    """Put the service's field errors on the form (a sentence goes to the top)."""
    detail = exc.detail if isinstance(exc.detail, dict) else {"": exc.detail}
    for key, message in detail.items():
        form.add_error(key if key in form.fields else None, str(message))


def step(
    request: HttpRequest, form: forms.Form, step: Callable[[], str], then: str, **to: Any
) -> HttpResponse | None:
    """The one shape of every form here: when the posted form is valid, run `step` (it returns
    the message to show) and redirect to the page `then` (with `to`); a refusal (Invalid) goes
    on the form and None says to show the form again, as does a form not posted or invalid."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        message = step()
    except Invalid as exc:
        refused(form, exc)
        return None
    messages.success(request, message)
    response: HttpResponse = redirect(then, **to)
    return response


def shown(
    request: HttpRequest, meeting: Meeting, form: forms.Form, what: str, title: str, **extra: Any
) -> HttpResponse:
    """A meeting's form shown (anew or again with its errors), the meeting read afresh through
    the audited selector (the write, if any, fetched it unaudited)."""
    meeting = selectors.meeting_read(user=request.user, meeting_id=meeting.pk, form=what)
    return page(request, meeting, form, title, **extra)


def page(
    request: HttpRequest, meeting: Meeting, form: forms.Form, title: str, **extra: Any
) -> HttpResponse:
    status = 422 if form.is_bound and form.errors else 200
    context = {"meeting": meeting, "form": form, "title": title, **extra}
    return render(request, "meetings/record_form.html", context, status=status)


def agenda_item(meeting: Meeting, item_id: uuid.UUID) -> AgendaItem:
    item = selectors.agenda_items(meeting=meeting).filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


def action_shown(request: HttpRequest, action: MeetingAction, form: forms.Form) -> HttpResponse:
    """An action's page (its progress form, anew or with its errors), the action read afresh
    through the audited selector."""
    action = selectors.action_read(user=request.user, action_id=action.pk)
    return page(request, action.meeting, form, f"Action {action.reference}",
                button="Save the update", action=action)  # fmt: skip


@capability_required(Cap.MEETING_MANAGE)
def attendance(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    require_chair(request.user, meeting)
    form = AttendanceForm(posted(request), meeting=meeting)

    def record() -> str:
        rows = services.attendance_record(
            acting_user=request.user, meeting=meeting, entries=form.entries()
        )
        return f"Attendance recorded ({len(rows)} entries)."

    done = step(request, form, record, "meetings:detail", meeting_id=meeting.pk)
    return done or shown(request, meeting, form, "attendance",
                          "Record attendance and apologies", button="Save attendance")  # fmt: skip


@require_POST
@capability_required(Cap.MEETING_MANAGE)
def hold(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    services.meeting_hold(acting_user=request.user, meeting=meeting)
    messages.success(request, "The meeting is recorded as held (quorate).")
    return redirect("meetings:detail", meeting_id=meeting.pk)


@require_POST
@capability_required(Cap.MEETING_MANAGE)
def minutes_approve(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    version = services.minutes_approve(acting_user=request.user, meeting=meeting)
    messages.success(request, f"Minutes approved and fixed as version {version.version}; "
                              "the packs are withdrawn.")  # fmt: skip
    return redirect("meetings:detail", meeting_id=meeting.pk)


@capability_required(Cap.MEETING_VIEW)
def action_list(request: HttpRequest) -> HttpResponse:
    """The MACE actions the user owns (a team manager: the team's), open ones first."""
    rows = selectors.actions_of_read(user=request.user)
    return render(request, "meetings/action_list.html", {"rows": rows})

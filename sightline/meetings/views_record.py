"""Recording a meeting on its pages (what the API already did): attendance, holding the
meeting (quorum), each item's discussion, the actions agreed, an action's progress to done,
and approving the minutes. Chairs record; an action's owner updates it.

A meeting the user may not see answers 404 (the selectors' scope); a member who is not a
chair is refused by the service (403). Bad input shows the form again with the message (422)
and stores nothing; every form read and every write is audited (reads here, writes in the
services)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sightline.accounts.roles import Cap
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import Invalid
from sightline.core.permissions import capability_required
from sightline.meetings import selectors, services
from sightline.meetings.forms import ActionForm, ActionUpdateForm, AttendanceForm, DiscussionForm
from sightline.meetings.models import AgendaItem, Meeting, MeetingAction
from sightline.meetings.services.meetings import require_chair
from sightline.meetings.views import _meeting


def _audit_read(request: HttpRequest, meeting: Meeting, what: str) -> None:
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        object_type="mace_meeting",
        object_id=meeting.pk,
        object_ref=meeting.reference,
        details={"form": what},
    )


def _posted(request: HttpRequest) -> Any:
    """The posted data (even when empty: an empty form is refused, not shown anew)."""
    return request.POST if request.method == "POST" else None


def _refused(form: forms.Form, exc: Invalid) -> None:
    """Put the service's field errors on the form (a sentence goes to the top)."""
    detail = exc.detail if isinstance(exc.detail, dict) else {"": exc.detail}
    for key, message in detail.items():
        form.add_error(key if key in form.fields else None, str(message))


def _step(
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
        _refused(form, exc)
        return None
    messages.success(request, message)
    response: HttpResponse = redirect(then, **to)
    return response


def _shown(
    request: HttpRequest, meeting: Meeting, form: forms.Form, what: str, title: str, **extra: Any
) -> HttpResponse:
    """A meeting's form shown (anew or again with its errors), the read recorded."""
    with transaction.atomic():
        _audit_read(request, meeting, what)
        return _page(request, meeting, form, title, **extra)


def _page(
    request: HttpRequest, meeting: Meeting, form: forms.Form, title: str, **extra: Any
) -> HttpResponse:
    status = 422 if form.is_bound and form.errors else 200
    context = {"meeting": meeting, "form": form, "title": title, **extra}
    return render(request, "meetings/record_form.html", context, status=status)


def _item(meeting: Meeting, item_id: uuid.UUID) -> AgendaItem:
    item = selectors.agenda_items(meeting=meeting).filter(pk=item_id).first()
    if item is None:
        raise Http404
    return item


@capability_required(Cap.MEETING_MANAGE)
def attendance(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    require_chair(request.user, meeting)
    form = AttendanceForm(_posted(request), meeting=meeting)

    def record() -> str:
        rows = services.attendance_record(
            acting_user=request.user, meeting=meeting, entries=form.entries()
        )
        return f"Attendance recorded ({len(rows)} entries)."

    done = _step(request, form, record, "meetings:detail", meeting_id=meeting.pk)
    return done or _shown(request, meeting, form, "attendance",
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


@capability_required(Cap.MEETING_MANAGE)
def discussion(request: HttpRequest, meeting_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    require_chair(request.user, meeting)
    item = _item(meeting, item_id)
    held = getattr(item, "discussion", None)
    initial = {"summary": held.summary, "risk_view": held.risk_view,
               "decisions": held.decisions} if held else None  # fmt: skip
    form = DiscussionForm(_posted(request), initial=initial)

    def record() -> str:
        services.discussion_record(acting_user=request.user, meeting=meeting, item=item,
                                   **form.cleaned_data)  # fmt: skip
        return f"Discussion of {item.subject_ref} recorded."

    done = _step(request, form, record, "meetings:detail", meeting_id=meeting.pk)
    return done or _shown(request, meeting, form, "discussion", f"Discussion: {item.subject_ref}",
                          button="Save the discussion", item=item)  # fmt: skip


@capability_required(Cap.MEETING_MANAGE)
def action_new(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    require_chair(request.user, meeting)
    items = list(selectors.agenda_items(meeting=meeting))
    owners = list(selectors.action_owner_candidates(meeting=meeting))
    form = ActionForm(_posted(request), items=items, owners=owners)

    def record() -> str:
        data = form.cleaned_data
        owner = next((u for u in owners if str(u.pk) == data["owner"]), None)
        item = next((i for i in items if str(i.pk) == data["item"]), None)
        action = services.action_create(
            acting_user=request.user, meeting=meeting, description=data["description"],
            owner_agency=owner.agency if owner else None, owner=owner,
            due_on=data["due_on"], item=item,
        )  # fmt: skip
        return f"Action {action.reference} agreed."

    done = _step(request, form, record, "meetings:detail", meeting_id=meeting.pk)
    return done or _shown(
        request, meeting, form, "action", "Agree an action", button="Agree the action"
    )


@capability_required(Cap.MEETING_VIEW)
def action_detail(request: HttpRequest, action_id: uuid.UUID) -> HttpResponse:
    """An action's progress: its owner or a chair records updates and completes it."""
    action: MeetingAction | None = selectors.action_get(user=request.user, action_id=action_id)
    if action is None:
        raise Http404
    form = ActionUpdateForm(_posted(request), initial={"status": action.status,
                                                          "update": action.update})  # fmt: skip

    def record() -> str:
        data = form.cleaned_data
        services.action_update(
            acting_user=request.user, action=action, status=data["status"],
            update=data["update"] if data["update"] != action.update else None,
            due_on=data["due_on"],
        )  # fmt: skip
        return f"Action {action.reference} updated."

    done = _step(request, form, record, "meetings:action", action_id=action.pk)
    if done is not None:
        return done
    with transaction.atomic():
        audit_record(actor=request.user, action=Action.VIEW, object_type="mace_action",
                     object_id=action.pk, object_ref=action.reference)  # fmt: skip
        return _page(request, action.meeting, form, f"Action {action.reference}",
                     button="Save the update", action=action)  # fmt: skip


@capability_required(Cap.MEETING_VIEW)
def action_list(request: HttpRequest) -> HttpResponse:
    """The MACE actions the user owns (a team manager: the team's), open ones first."""
    with transaction.atomic():
        rows = list(selectors.actions_of(user=request.user)[:300])
        audit_record(actor=request.user, action=Action.LIST, object_type="mace_action",
                     details={"count": len(rows)})  # fmt: skip
        return render(request, "meetings/action_list.html", {"rows": rows})

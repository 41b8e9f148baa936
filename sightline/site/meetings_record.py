"""The MACE pages that write a practitioner's free text: an item's discussion, an action
agreed, an action's progress, an item taken off the agenda with its reason. They call
workflows (the record, then its language flags), so they stand above the meetings app's own
pages, whose helpers they share; the author is told of any flagged phrase on the page the
save leads to."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from sightline.accounts.roles import Cap
from sightline.core.permissions import capability_required
from sightline.meetings import selectors
from sightline.meetings.choices import MeetingStatus
from sightline.meetings.forms import (
    ActionForm,
    ActionUpdateForm,
    DiscussionForm,
    MinutesAmendForm,
)
from sightline.meetings.models import MeetingAction
from sightline.meetings.services.meetings import require_chair
from sightline.meetings.views import _meeting
from sightline.meetings.views_record import action_shown, agenda_item, posted, shown, step
from sightline.site.language_flags import tell_flags
from sightline.workflows import (
    mace_action_create,
    mace_action_update,
    mace_agenda_item_remove,
    mace_discussion_record,
    mace_minutes_amend,
)


@capability_required(Cap.MEETING_MANAGE)
def discussion(request: HttpRequest, meeting_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    require_chair(request.user, meeting)
    item = agenda_item(meeting, item_id)
    held = getattr(item, "discussion", None)
    initial = {"summary": held.summary, "risk_view": held.risk_view,
               "decisions": held.decisions} if held else None  # fmt: skip
    approved = meeting.status == MeetingStatus.MINUTES_APPROVED
    form = (MinutesAmendForm if approved else DiscussionForm)(posted(request), initial=initial)

    def record() -> str:
        if approved:  # the approved versions stay; this is a new one, with its reason
            version = mace_minutes_amend(acting_user=request.user, meeting=meeting, item=item,
                                         **form.cleaned_data)  # fmt: skip
            tell_flags(request, version.pk, "reason")
            return f"Minutes changed for {item.subject_ref}: version {version.version}."
        held = mace_discussion_record(acting_user=request.user, meeting=meeting, item=item,
                                      **form.cleaned_data)  # fmt: skip
        tell_flags(request, held.pk)
        return f"Discussion of {item.subject_ref} recorded."

    done = step(request, form, record, "meetings:detail", meeting_id=meeting.pk)
    title = f"{'Change the minutes' if approved else 'Discussion'}: {item.subject_ref}"
    button = "Save as a new version of the minutes" if approved else "Save the discussion"
    return done or shown(request, meeting, form, "discussion", title, button=button, item=item)


@capability_required(Cap.MEETING_MANAGE)
def action_new(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    require_chair(request.user, meeting)
    items = list(selectors.agenda_items(meeting=meeting))
    owners = list(selectors.action_owner_candidates(meeting=meeting))
    form = ActionForm(posted(request), items=items, owners=owners)

    def record() -> str:
        data = form.cleaned_data
        owner = next((u for u in owners if str(u.pk) == data["owner"]), None)
        item = next((i for i in items if str(i.pk) == data["item"]), None)
        action = mace_action_create(
            acting_user=request.user, meeting=meeting, description=data["description"],
            owner_agency=owner.agency if owner else None, owner=owner,
            due_on=data["due_on"], item=item,
        )  # fmt: skip
        tell_flags(request, action.pk, "description")
        return f"Action {action.reference} agreed."

    done = step(request, form, record, "meetings:detail", meeting_id=meeting.pk)
    return done or shown(
        request, meeting, form, "action", "Agree an action", button="Agree the action"
    )


@capability_required(Cap.MEETING_VIEW)
def action_detail(request: HttpRequest, action_id: uuid.UUID) -> HttpResponse:
    """An action's progress: its owner or a chair records updates and completes it."""
    action: MeetingAction | None = selectors.action_get(user=request.user, action_id=action_id)
    if action is None:
        raise Http404
    form = ActionUpdateForm(posted(request), initial={"status": action.status,
                                                          "update": action.update})  # fmt: skip

    def record() -> str:
        data = form.cleaned_data
        update = data["update"] if data["update"] != action.update else None
        mace_action_update(acting_user=request.user, action=action, status=data["status"],
                           update=update, due_on=data["due_on"])  # fmt: skip
        if update:
            tell_flags(request, action.pk, "update")
        return f"Action {action.reference} updated."

    done = step(request, form, record, "meetings:action", action_id=action.pk)
    if done is not None:
        return done
    return action_shown(request, action, form)


@require_POST
@capability_required(Cap.MEETING_MANAGE)
def item_remove(request: HttpRequest, meeting_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    """A chair takes an item off the agenda; the reason is checked as they type and on save."""
    meeting = _meeting(request, meeting_id)
    item = agenda_item(meeting, item_id)
    mace_agenda_item_remove(acting_user=request.user, meeting=meeting, item=item,
                            reason=request.POST.get("reason", ""))  # fmt: skip
    tell_flags(request, item.pk, "removed_reason")
    messages.success(request, f"{item.subject_ref} taken off the agenda.")
    return redirect("meetings:detail", meeting_id=meeting.pk)

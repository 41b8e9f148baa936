"""Planning a MACE meeting on a page (the API could; the chair's pages could not): the date,
the two co-chairs, the agencies and people invited. The new meeting's agenda is built at once
from the data as it stands (it is built again, as of the cut-off, when the pack is issued),
so the chair lands on a meeting with its victims, adults, places and actions listed.

Bad input shows the form again with each message (422) and stores nothing; the service
writes the meeting and the agenda with their audit rows, in one transaction."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sightline.accounts.roles import Cap
from sightline.core.errors import Invalid
from sightline.core.permissions import capability_required
from sightline.meetings import selectors, services
from sightline.meetings.forms import MeetingPlanForm
from sightline.meetings.views_record import posted, refused


@capability_required(Cap.MEETING_MANAGE)
def meeting_new(request: HttpRequest) -> HttpResponse:
    form = MeetingPlanForm(
        posted(request), members=selectors.mace_members(), agencies=selectors.agencies_active()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                meeting = services.meeting_create(
                    acting_user=request.user,
                    held_on=data["held_on"],
                    chairs=list(data["chairs"]),
                    invited_agencies=list(data["invited_agencies"]),
                    invited_people=list(data["invited_people"]),
                )
                items = services.agenda_build(acting_user=request.user, meeting=meeting)
        except Invalid as exc:
            refused(form, exc)
        else:
            messages.success(
                request,
                f"Meeting {meeting.reference} planned for {meeting.held_on:%-d %B %Y}; "
                f"its agenda lists {len(items)} items as the records stand today.",
            )
            return redirect("meetings:detail", meeting_id=meeting.pk)
    status = 422 if form.is_bound else 200
    return render(request, "meetings/meeting_new.html", {"form": form}, status=status)

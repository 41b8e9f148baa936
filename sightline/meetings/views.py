"""MACE pages: meetings, a meeting's agenda and actions, the pack (HTML and PDF), the
disruption register, one disruption action, the measures (taking an item off the agenda
writes a reason, so that page is in sightline/site/meetings_record.py). Each view declares
its capability and reads through the meetings selectors (404 for a meeting the user was not
invited to); a page that shows a record reads it through an audited selector (`*_read`),
which writes its row."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from sightline.accounts.roles import Cap
from sightline.core.permissions import capability_required
from sightline.meetings import selectors, services
from sightline.meetings.choices import SECTION_ORDER, Section
from sightline.meetings.models import Meeting
from sightline.meetings.rules import may_chair
from sightline.meetings.tactics import tactic_get, tactics


def _meeting(request: HttpRequest, meeting_id: uuid.UUID) -> Meeting:
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    if meeting is None:
        raise Http404
    return meeting


@capability_required(Cap.MEETING_VIEW)
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = selectors.meeting_list_read(user=request.user)
    return render(request, "meetings/meeting_list.html", {"meetings": meetings})


@capability_required(Cap.MEETING_VIEW)
def meeting_detail(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    page = selectors.meeting_page_read(user=request.user, meeting_id=meeting_id)
    meeting = page.meeting
    sections = [
        (Section(s).label, [i for i in page.items if i.section == s]) for s in SECTION_ORDER
    ]
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "sections": sections,
            # their stored language flags are read in one query (records_flags)
            "discussions": [d for i in page.items if (d := getattr(i, "discussion", None))],
            "withheld": page.withheld,
            "removed": page.removed,
            "minutes": page.minutes,
            "actions": meeting.actions.select_related("owner", "owner_agency"),
            "attendance": meeting.attendance.select_related("agency", "user"),
            "is_chair": may_chair(request.user, meeting),
            "pack": selectors.pack_latest(meeting=meeting, user=request.user),
        },
    )


@capability_required(Cap.MEETING_VIEW)
def pack_html(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    """The pack's content as a page (the same content as the PDF, for the same reader)."""
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    if meeting is None:
        services.pack_refusal_audit(
            acting_user=request.user, meeting_id=meeting_id, what="pack page"
        )
        raise Http404
    context = selectors.pack_page_read(user=request.user, meeting=meeting)
    return render(request, "meetings/pack_page.html", context)


@require_POST
@capability_required(Cap.MEETING_VIEW)
def pack_issue(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    if meeting is None:
        services.pack_refusal_audit(acting_user=request.user, meeting_id=meeting_id, what="pack")
        raise Http404
    pack = services.pack_generate(acting_user=request.user, meeting=meeting)
    messages.success(request, f"Pack generated for you ({pack.pages} pages).")
    return redirect("meetings:detail", meeting_id=meeting.pk)


@capability_required(Cap.MEETING_VIEW)
def pack_pdf(request: HttpRequest, meeting_id: uuid.UUID) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, meeting_id=meeting_id)
    if meeting is None:
        services.pack_refusal_audit(acting_user=request.user, meeting_id=meeting_id, what="pack")
        raise Http404
    pack = services.pack_download(acting_user=request.user, meeting=meeting)
    response = HttpResponse(bytes(pack.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{meeting.reference}-pack.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@capability_required(Cap.DISRUPTION_VIEW)
def register(request: HttpRequest) -> HttpResponse:
    rows, alerts = selectors.register_read(user=request.user)
    named = {code: t.name for code, t in tactics().items()}
    return render(
        request,
        "meetings/register.html",
        {"rows": [(d, named.get(d.tactic, d.tactic)) for d in rows], "alerts": alerts},
    )


@capability_required(Cap.DISRUPTION_VIEW)
def disruption_detail(request: HttpRequest, disruption_id: uuid.UUID) -> HttpResponse:
    shown = selectors.disruption_read(user=request.user, disruption_id=disruption_id)
    context: dict[str, Any] = {
        "d": shown.disruption,
        "tactic": tactic_get(shown.disruption.tactic),
        "children": shown.children,
        "withheld": shown.withheld,
    }
    return render(request, "meetings/disruption_detail.html", context)


@capability_required(Cap.DISRUPTION_VIEW)
def measures(request: HttpRequest) -> HttpResponse:
    figures = selectors.measures_read(user=request.user, today=timezone.localdate())
    return render(request, "meetings/measures.html", {"m": figures})

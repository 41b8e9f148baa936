"""Packs: generated from the stored agenda at the cut-off for one reader (their name and the
time on every page), stored, downloaded (each generation and download audited), and withdrawn
when the minutes are approved. Only the meeting's invited members and the MACE chair role may
have one; a refused request stores nothing and is audited."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import Conflict, NotFound
from sightline.meetings.choices import MeetingStatus
from sightline.meetings.models import Meeting, Pack
from sightline.meetings.pack import LAWFUL_BASIS, MARKING, SHARING_STATEMENT, pack_pages
from sightline.meetings.rules import may_chair, may_download_pack
from sightline.meetings.services.agenda import agenda_build
from sightline.meetings.services.meetings import meeting_transition

REFUSED = "access.refused"


def pack_context(meeting: Meeting, user: Any) -> dict[str, Any]:
    items = list(meeting.items.filter(removed_at__isnull=True).order_by("position"))
    generated_at = timezone.now()
    return {
        "meeting": meeting,
        "cutoff": meeting.cutoff_at,
        "chairs": list(meeting.chairs.select_related("agency")),
        "agencies": list(meeting.invited_agencies.all()),
        "reader": user,
        "reader_agency": user.agency.name if user.agency_id else "",
        "generated_at": generated_at,
        "marking": MARKING,
        "sharing_statement": SHARING_STATEMENT,
        "lawful_basis": LAWFUL_BASIS,
        "pages": pack_pages(meeting, items, user, meeting.cutoff_at),
        "child_ids": [i.subject_id for i in items if i.subject_type == "child"],
    }


def pack_render(meeting: Meeting, user: Any) -> tuple[bytes, int, dict[str, Any]]:
    context = pack_context(meeting, user)
    html = render_to_string("meetings/pack_document.html", context)
    document = HTML(string=html).render()
    return document.write_pdf(), len(document.pages), context


def pack_refusal_audit(*, acting_user: Any, meeting_id: Any, what: str) -> None:
    """Record a refused pack request in its own transaction (nothing else is stored)."""
    with transaction.atomic():
        audit_record(
            actor=acting_user,
            action=REFUSED,
            object_type="mace_pack",
            object_id=str(meeting_id)[:64],
            reason=f"{what}: not invited to this meeting",
        )


def _refuse_unless_member(acting_user: Any, meeting: Meeting, what: str) -> None:
    if not may_download_pack(acting_user, meeting):
        pack_refusal_audit(acting_user=acting_user, meeting_id=meeting.pk, what=what)
        raise NotFound("No meeting with that id that you can see.")


def pack_generate(*, acting_user: Any, meeting: Meeting) -> Pack:
    """Generate a pack for the acting user. A chair's first generation issues the pack (the
    agenda is built first if it has not been); members can then have their own copies."""
    _refuse_unless_member(acting_user, meeting, "pack generation")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.status == MeetingStatus.MINUTES_APPROVED:
            raise Conflict("The minutes are approved and the pack is withdrawn.")
        if meeting.status == MeetingStatus.PLANNED:
            if not may_chair(acting_user, meeting):
                raise Conflict("The pack has not been issued yet: a chair issues it.")
            if not meeting.items.exists():
                agenda_build(acting_user=acting_user, meeting=meeting)
            meeting_transition(meeting, MeetingStatus.PACK_ISSUED)
        pdf, pages, context = pack_render(meeting, acting_user)
        pack = Pack.objects.create(
            meeting=meeting,
            generated_for=acting_user,
            cutoff_at=meeting.cutoff_at,
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            pages=pages,
        )
        audit_record(
            actor=acting_user,
            action=Action.EXPORT,
            object_type="mace_pack",
            object_id=pack.pk,
            object_ref=meeting.reference,
            details={
                "generated": True,
                "pages": pages,
                "children": [str(c) for c in context["child_ids"]],
                "sha256": pack.sha256,
            },
        )
        return pack


def pack_download(*, acting_user: Any, meeting: Meeting, pack_id: uuid.UUID | None = None) -> Pack:
    """The reader's latest pack (generated now if they have none), audited as an export."""
    _refuse_unless_member(acting_user, meeting, "pack download")
    packs = Pack.objects.filter(meeting=meeting, generated_for=acting_user)
    if pack_id is not None:
        packs = packs.filter(pk=pack_id)
    pack = packs.order_by("-created_at").first()
    if pack is not None and pack.withdrawn_at is not None:
        raise Conflict("This pack was withdrawn when the minutes were approved.")
    if pack is None:
        if meeting.status == MeetingStatus.MINUTES_APPROVED:
            raise Conflict("The minutes are approved and the pack is withdrawn.")
        return pack_generate(acting_user=acting_user, meeting=meeting)
    with transaction.atomic():
        audit_record(
            actor=acting_user,
            action=Action.EXPORT,
            object_type="mace_pack",
            object_id=pack.pk,
            object_ref=meeting.reference,
            details={"downloaded": True, "sha256": pack.sha256},
        )
    return pack

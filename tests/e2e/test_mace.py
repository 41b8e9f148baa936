"""A MACE meeting recorded on its pages in chromium: the chair records attendance, an item's
discussion (an empty one is refused with the message) and an action (one with no owner is
refused), holds the meeting, approves the minutes and changes one item's minutes as a new
version with its reason; the action's owner tracks it to done. Screenshots go to
docs/screenshots/mace-record-*.png."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from sightline.accounts.roles import Role
from sightline.accounts.tests.factories import UserFactory
from sightline.audit.choices import Action
from sightline.audit.models import AuditEvent
from sightline.meetings import services
from sightline.meetings.models import MeetingAction
from sightline.site.tests.world import build_world
from sightline.workflows import mace_breach_record

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_chair_records_the_meeting_and_the_owner_completes_the_action(
    browsing: Any, police_officer: Any, teacher: Any, manager: Any, agencies: dict[str, Any]
) -> None:
    with transaction.atomic():
        build_world(police_officer=police_officer, teacher=teacher, manager=manager)
    chair = UserFactory(username="mace-police", agency=agencies["police"], role=Role.MACE_CHAIR)
    la = UserFactory(username="mace-la", agency=agencies["csc"], role=Role.SAFEGUARDING_LEAD)
    health = UserFactory(username="mace-health", agency=agencies["health"], role=Role.HEALTH_LEAD)
    school = UserFactory(
        username="mace-school", agency=agencies["education"], role=Role.EDUCATION_LEAD
    )
    meeting = services.meeting_create(
        acting_user=chair, held_on=timezone.localdate() + dt.timedelta(days=7),
        chairs=[chair, la], invited_agencies=[agencies["health"], agencies["education"]],
        invited_people=[health, school], cutoff_at=timezone.now() + dt.timedelta(minutes=5),
    )  # fmt: skip
    items = services.agenda_build(acting_user=chair, meeting=meeting)
    detail = f"/meetings/{meeting.pk}/"

    tab = browsing.tab("mace-police")
    page = tab.page
    tab.open(detail)
    tab.submit(page.get_by_role("link", name="Record attendance"))
    for select in page.locator("main select").all():
        select.select_option("present")
    page.screenshot(path=str(SHOTS / "mace-record-attendance.png"), full_page=True)
    tab.submit(page.get_by_role("button", name="Save attendance"))
    assert "Attendance recorded" in page.locator("main").inner_text()

    # An empty discussion is refused with the service's message; then recorded.
    tab.submit(page.get_by_role("link", name=f"Record discussion of {items[1].subject_ref}"))
    tab.submit(page.get_by_role("button", name="Save the discussion"), status=422)
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Record what was discussed or decided" in summary
    page.screenshot(path=str(SHOTS / "mace-record-discussion-error.png"), full_page=True)
    page.get_by_label("Discussion summary").fill("Seen twice at the station with the adult.")
    page.get_by_label("Risk view agreed").select_option("high")
    page.get_by_label("Decisions").fill("Police to consider a CAWN; school to share attendance.")
    tab.submit(page.get_by_role("button", name="Save the discussion"))

    # An action with no owner is refused; with an owner and a due date it is agreed.
    tab.submit(page.get_by_role("link", name="Agree an action"))
    page.get_by_label("What is to be done").fill("Share the attendance record with the police.")
    page.get_by_label("Due date").fill(f"{meeting.held_on + dt.timedelta(days=14):%Y-%m-%d}")
    tab.submit(page.get_by_role("button", name="Agree the action"), status=422)
    assert "Every action needs an owner" in page.locator(".govuk-error-summary").inner_text()
    assert not MeetingAction.objects.exists()
    page.screenshot(path=str(SHOTS / "mace-record-action-error.png"), full_page=True)
    page.get_by_label("Owner").select_option(label=f"{school.display_name} ({school.agency.name})")
    page.get_by_label("Agenda item (optional)").select_option(index=2)
    tab.submit(page.get_by_role("button", name="Agree the action"))
    action = MeetingAction.objects.get()
    assert action.owner == school and f"Action {action.reference} agreed" in page.inner_text("main")
    tab.submit(page.get_by_role("button", name="Record the meeting as held"))
    assert "held (quorate)" in page.locator("main").inner_text()
    page.screenshot(path=str(SHOTS / "mace-record-meeting.png"), full_page=True)

    # The minutes approved, a chair changes an item's minutes as a new version, with a reason.
    tab.submit(page.get_by_role("button", name="Approve the minutes"))
    tab.submit(page.get_by_role("link", name=f"Change the minutes for {items[1].subject_ref}"))
    page.get_by_label("Decisions").fill("Police to serve a CAWN; school to share attendance.")
    page.get_by_label("Why the approved minutes are changed").fill(
        "The police agreed to serve the notice, not to consider it."
    )
    tab.submit(page.get_by_role("button", name="Save as a new version of the minutes"))
    minutes = page.locator("main").inner_text()
    assert "version 2" in minutes and "Version 2, approved by" in minutes
    assert "Changed because: The police agreed to serve the notice" in minutes
    page.screenshot(path=str(SHOTS / "mace-minutes-changed.png"), full_page=True)

    # The owner opens the action and records it as done.
    owner = browsing.tab("mace-school")
    page = owner.page
    owner.open(f"/meetings/actions/{action.pk}/")
    page.get_by_label("Status").select_option("done")
    page.get_by_label("Progress update").fill("Attendance record sent to the police.")
    owner.submit(page.get_by_role("button", name="Save the update"))
    assert "Done on" in page.locator("main").inner_text()
    page.screenshot(path=str(SHOTS / "mace-record-action-done.png"), full_page=True)
    action.refresh_from_db()
    assert action.status == "done" and action.completed_on == timezone.localdate()
    audited = AuditEvent.objects.filter(object_type="mace_action", object_ref=action.reference)
    assert {e.action for e in audited} >= {Action.CREATE, Action.CHANGE, Action.VIEW}
    browsing.assert_clean()


def test_chair_takes_an_item_off_with_a_reason_checked_as_typed(
    browsing: Any, police_officer: Any, teacher: Any, manager: Any, agencies: dict[str, Any]
) -> None:
    """The reason for taking an item off the agenda is checked as the chair types it and the
    save tells them what was flagged; a breach's flagged account is shown on its page."""
    with transaction.atomic():
        world = build_world(police_officer=police_officer, teacher=teacher, manager=manager)
    chair = UserFactory(username="mace-police", agency=agencies["police"], role=Role.MACE_CHAIR)
    la = UserFactory(username="mace-la", agency=agencies["csc"], role=Role.SAFEGUARDING_LEAD)
    meeting = services.meeting_create(
        acting_user=chair, held_on=timezone.localdate() + dt.timedelta(days=7),
        chairs=[chair, la], invited_agencies=[agencies["health"]], invited_people=[],
        cutoff_at=timezone.now() + dt.timedelta(minutes=5),
    )  # fmt: skip
    item = services.agenda_build(acting_user=chair, meeting=meeting)[0]
    tab = browsing.tab("mace-police")
    page = tab.page
    tab.open(f"/meetings/{meeting.pk}/")
    row = page.locator("tr", has=page.locator(f"#reason-{item.pk}"))
    row.locator("summary").click()
    tab.write(page.locator(f"#reason-{item.pk}"), "She is streetwise; no longer a concern.")
    assert "streetwise" in page.locator(f"#language-flags-reason-{item.pk}").inner_text()
    row.screenshot(path=str(SHOTS / "mace-remove-reason-flags.png"))
    tab.submit(row.get_by_role("button", name="Remove from the agenda"))
    assert "Check your wording" in page.locator("main").inner_text()
    page.screenshot(path=str(SHOTS / "mace-remove-reason-saved.png"), full_page=True)

    d = services.disruption_create(
        acting_user=chair, target_type="person", target_id=world["person"], tactic="cawn",
        children=[world["child_id"]], owner_agency=chair.agency, owner=chair,
        dates=services.DisruptionDates(served_on=timezone.localdate()),
    )  # fmt: skip
    mace_breach_record(acting_user=chair, disruption=d, occurred_on=timezone.localdate(),
                       what="Seen with her in his car; he says she consented.")  # fmt: skip
    tab.open(f"/meetings/disruption/{d.pk}/")
    assert "consented" in page.locator(".sl-stored-flags").inner_text()
    page.screenshot(path=str(SHOTS / "mace-breach-flags.png"), full_page=True)
    browsing.assert_clean()

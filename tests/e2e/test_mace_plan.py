"""A chair plans a MACE meeting on its page in chromium: a plan with one co-chair is refused
with the message and nothing stored; with both it lands on the meeting and its agenda.
Screenshots go to docs/screenshots/mace-plan*.png."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from sightline.accounts.roles import Role
from sightline.accounts.tests.factories import UserFactory
from sightline.meetings.models import Meeting
from sightline.site.tests.world import build_world

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_chair_plans_a_meeting_on_the_page(
    browsing: Any, police_officer: Any, teacher: Any, manager: Any, agencies: dict[str, Any]
) -> None:
    with transaction.atomic():
        build_world(police_officer=police_officer, teacher=teacher, manager=manager)
    UserFactory(username="plan-police", agency=agencies["police"], role=Role.MACE_CHAIR,
                first_name="Priya", last_name="Chairwoman")  # fmt: skip
    UserFactory(username="plan-la", agency=agencies["csc"], role=Role.SAFEGUARDING_LEAD,
                first_name="Laura", last_name="Lead")  # fmt: skip
    tab = browsing.tab("plan-police")
    page = tab.page
    tab.open("/meetings/")
    tab.submit(page.get_by_role("link", name="Plan a meeting"))
    held_on = timezone.localdate() + dt.timedelta(days=14)
    page.get_by_label("Meeting date").fill(held_on.isoformat())
    page.locator("#id_chairs").get_by_label("Priya Chairwoman", exact=False).check()
    tab.submit(page.get_by_role("button", name="Plan the meeting"), status=422)
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Name two co-chairs" in summary
    page.screenshot(path=str(SHOTS / "mace-plan-error.png"), full_page=True)
    assert not Meeting.objects.exists()
    page.locator("#id_chairs").get_by_label("Laura Lead", exact=False).check()
    tab.submit(page.get_by_role("button", name="Plan the meeting"))
    meeting = Meeting.objects.get()
    assert page.url.endswith(f"/meetings/{meeting.pk}/")
    assert "its agenda lists" in page.locator("main").inner_text()
    assert meeting.items.exists()
    page.screenshot(path=str(SHOTS / "mace-plan.png"), full_page=True)

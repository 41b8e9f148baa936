"""The screening's texts and a manager's reason on the escalation ladder, checked in chromium as
they are typed and shown with their stored flags after the save (issue 15 §1, ADR 0714).
Screenshots go to docs/screenshots/language-screening*.png and language-escalation*.png."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sightline.escalation import services as escalation_services
from sightline.escalation.models import Escalation
from sightline.escalation.tests.factories import received
from sightline.referrals.tests.factories import submit
from sightline.reviews.choices import TextKind
from sightline.reviews.models import LanguageFlag

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
NOTE = "Says the older man is her boyfriend; she is making her own choices."
RAISED = "She is streetwise and putting herself at risk, so I am raising it."
LONG_AGO = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def test_a_screening_is_checked_as_it_is_written_and_shown_with_its_flags(
    browsing: Any, front_door: Any, teacher: Any
) -> None:
    referral = submit(teacher).referral
    child_id = referral.children.get().child_id
    worker = browsing.tab("fd-worker")
    page = worker.page
    worker.open(f"/referrals/{referral.reference}/children/{child_id}/screening/")
    # a vulnerability (context only): the level can still be raised, with a reason
    page.locator("#status_H1_present").check()
    worker.write(page.locator("#note_H1"), NOTE)
    note_flags = page.locator("#language-flags-note_H1 .sl-language-flags__box")
    assert "“making her own choices”" in note_flags.inner_text()
    page.locator("#raised_level").select_option("high")
    worker.write(page.locator("#raised_reason"), RAISED)
    flags = page.locator("#language-flags-raised_reason .sl-language-flags__box")
    assert "Instead:" in flags.inner_text()
    page.locator("#raised_reason").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "language-screening-writing.png"), full_page=False)
    worker.submit(page.get_by_role("button", name="Save screening"))
    main = page.locator("main").inner_text()
    assert "Check your wording" in main and "“making her own choices”" in main
    stored = LanguageFlag.objects.filter(content_type=TextKind.SCREENING)
    assert {"raised_reason", "note_H1"} == set(stored.values_list("field", flat=True))
    shown = page.locator("[data-language-flags]").first
    assert shown.get_attribute("data-language-flags") == str(stored.count())
    shown.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "language-screening-stored.png"), full_page=False)
    browsing.assert_clean()


def test_an_escalations_acknowledgement_is_checked_and_shown_with_its_flags(
    browsing: Any, manager: Any, police_officer: Any
) -> None:
    referral = received(police_officer, at=LONG_AGO)
    escalation_services.sweep(at=LONG_AGO + dt.timedelta(days=3))
    escalation = Escalation.objects.filter(referral=referral).first()
    assert escalation is not None
    tab = browsing.tab("team-manager")
    page = tab.page
    tab.open(f"/escalation/escalations/{escalation.pk}/")
    tab.write(page.locator("#id_reason"), "Spoke to the worker: she is making her own choices.")
    flags = page.locator("#language-flags-reason .sl-language-flags__box")
    assert "“making her own choices”" in flags.inner_text()
    page.screenshot(path=str(SHOTS / "language-escalation-writing.png"), full_page=True)
    tab.submit(page.get_by_role("button", name="Acknowledge"))
    main = page.locator("main").inner_text()
    assert "Acknowledged." in main and "Check your wording" in main
    assert page.locator("[data-language-flags]").get_attribute("data-language-flags") == "1"
    page.screenshot(path=str(SHOTS / "language-escalation-stored.png"), full_page=True)
    browsing.assert_clean()

"""Intelligence's practitioner text in chromium (issue 15 §1): an analyst dismisses an alert
with a reason whose wording the checker flags as it is typed, saves (never blocked) and sees
the flag kept beside the reason; a split's reason shows its flag in the person's history.
Screenshots: intel-alert-reason.png, intel-alert-reason-kept.png,
intel-person-split-flags.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sightline.intel.models import Alert, PersonOfConcern

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WORDING = "Known to us. She is making her own choices."


def test_an_alerts_reason_and_a_splits_reason_are_checked_and_kept(
    browsing: Any, adult_named_for_three_children: None, front_door: Any
) -> None:
    alert = Alert.objects.filter(kind="person_multiple_children", status="new").first()
    assert alert is not None
    tab = browsing.tab("fd-worker")
    page = tab.page
    tab.open(f"/intel/alerts/{alert.pk}/")
    page.select_option("#alert-status", "dismissed")
    tab.write(page.locator("#alert-reason"), WORDING)
    box = page.locator("#language-flags-reason .sl-language-flags__box")
    assert "making her own choices" in box.inner_text() and "Instead:" in box.inner_text()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "intel-alert-reason.png"), full_page=True)
    tab.submit(page.get_by_role("button", name="Save"))
    alert.refresh_from_db()
    assert (alert.status, alert.status_reason) == ("dismissed", WORDING)
    kept = page.locator("[data-language-flags]")
    assert kept.get_attribute("data-language-flags") == "1"
    page.screenshot(path=str(SHOTS / "intel-alert-reason-kept.png"), full_page=True)

    person = PersonOfConcern.objects.get()
    tab.open(f"/intel/persons/{person.pk}/split/")
    page.locator("input[name=mention]").last.check()
    tab.write(page.get_by_label("Why these are a different person"), f"Two men. {WORDING}")
    tab.submit(page.get_by_role("button", name="Split out to a new person"))
    history = page.locator("#person-changes")
    assert "making her own choices" in history.inner_text()
    assert history.locator("[data-language-flags]").count() == 1
    page.screenshot(path=str(SHOTS / "intel-person-split-flags.png"), full_page=True)
    browsing.assert_clean()

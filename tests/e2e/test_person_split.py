"""Splitting a person of concern in the browser (ADR 0205): a practitioner chooses the mention
that is a different man, gives the reason, and lands on the new person's record, whose history
names the person it was split from; the old person's page lists the split too."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sightline.intel.models import PersonChange, PersonOfConcern

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_practitioner_splits_a_mention_out_to_a_new_person(
    browsing: Any, adult_named_for_three_children: None, front_door: Any
) -> None:
    person = PersonOfConcern.objects.get()
    tab = browsing.tab("fd-worker")
    tab.open(f"/intel/persons/{person.pk}/")
    page = tab.page
    tab.submit(page.get_by_role("link", name="Split mentions out to another person"))
    page.locator("input[name=mention]").last.check()
    page.get_by_label("Why these are a different person").fill(
        "The police record gives a different date of birth and address."
    )
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "intel-person-split-form.png"), full_page=True)
    tab.submit(page.get_by_role("button", name="Split out to a new person"))
    change = PersonChange.objects.get()
    assert tab.path() == f"/intel/persons/{change.into_person}/"
    history = page.locator("#person-changes").inner_text()
    assert f"Split from {person.reference}" in history
    assert "different date of birth" in history
    page.screenshot(path=str(SHOTS / "intel-person-split-history.png"), full_page=True)
    tab.open(f"/intel/persons/{person.pk}/")
    assert "Split from" in page.locator("#person-changes").inner_text()
    browsing.assert_clean()

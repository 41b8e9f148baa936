"""Issue 12: why a mention is linked, shown where a practitioner reads it. A second child's
referral names "VENN Carl" (police style, surname first); it links at once (probable) to the
Carl Venn a first referral named, the alert fires on that second referral, and the mention,
alert and network pages show each comparison's weight. Screenshots go to
docs/screenshots/intel-explanation-*.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sightline.accounts.roles import Role
from sightline.accounts.tests.factories import UserFactory
from sightline.intel.choices import EntityType, LinkStatus
from sightline.intel.models import Alert
from sightline.intel.tests.conftest import Refer
from sightline.intel.tests.conftest import refer as refer_fixture

refer = refer_fixture

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_link_explanations_on_the_mention_alert_and_network_pages(
    browsing: Any, police_officer: Any, teacher: Any, agencies: dict[str, Any], refer: Refer
) -> None:
    UserFactory(username="police-analyst", agency=agencies["police"], role=Role.POLICE_ANALYST)
    refer(police_officer, persons=[{"name": "Carl Venn", "approximate_age": 35}])
    second = refer(
        teacher,
        child=("Jade", "Marsh"),
        persons=[{"name": "VENN Carl", "approximate_age": 36, "phone": "07700 900456"}],
    )
    mention = next(m for m in second.mentions if m.entity_type == EntityType.PERSON)
    assert mention.link_status == LinkStatus.PROBABLE
    alert = Alert.objects.get(entity_id=mention.entity_id, trigger="children2")

    analyst = browsing.tab("police-analyst")
    page = analyst.page
    analyst.open(f"/intel/persons/{mention.entity_id}/")
    why = page.locator(".sl-explanation").first
    why.locator("summary").click()
    text = why.inner_text()
    assert "Why linked" in text and "first_name" in text and "surname" in text
    page.screenshot(path=str(SHOTS / "intel-explanation-mention.png"), full_page=True)

    analyst.open(f"/intel/alerts/{alert.pk}/")
    evidence = page.locator(".sl-explanation").first
    evidence.locator("summary").click()
    assert "probability" in page.locator("main").inner_text()
    assert "surname" in evidence.inner_text()
    page.screenshot(path=str(SHOTS / "intel-explanation-alert.png"), full_page=True)

    analyst.open(f"/intel/network/person/{mention.entity_id}/")
    page.locator("#network-status", has_text="item").wait_for()  # the drawing is done
    joined = page.locator(".sl-explanation").first
    joined.locator("summary").click()
    assert "Why these mentions are joined" in page.locator("main").inner_text()
    page.screenshot(path=str(SHOTS / "intel-explanation-network.png"), full_page=True)
    browsing.assert_clean()

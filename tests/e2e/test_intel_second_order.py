"""Issue 12, ADR 0214: the second-order context, shown where an analyst reads it. "Les Robinson"
is named about Ruby, who was named before with Abdirahman Ahmed, who had been named with
Leslie Robinson: the mention links to Leslie (probable) and the person page says why, in the
words of the reason, beside each comparison's weight. The same words name the context in the
API's explanation. Screenshot: docs/screenshots/intel-explanation-second-order.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sightline.accounts.roles import Role
from sightline.accounts.tests.factories import UserFactory
from sightline.intel.choices import LinkStatus
from sightline.intel.tests.test_second_order import ASSOCIATE, _circle, _les

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def test_the_second_order_reason_is_on_the_person_page(
    browsing: Any, police_officer: Any, agencies: dict[str, Any]
) -> None:
    UserFactory(username="police-analyst", agency=agencies["police"], role=Role.POLICE_ANALYST)
    leslie, _ = _circle(police_officer)
    les = _les(police_officer, ("Ruby", "Okafor"))
    assert les.entity_id == leslie.entity_id
    assert les.link_status == LinkStatus.PROBABLE
    assert ASSOCIATE in les.reasons

    analyst = browsing.tab("police-analyst")
    page = analyst.page
    analyst.open(f"/intel/persons/{les.entity_id}/")
    main = page.locator("main")
    assert "Les Robinson" in main.inner_text()
    assert "linked to 2 children from 1 agency:" in main.inner_text()
    why = page.locator(".sl-explanation").first  # only the probable link has one
    why.locator("summary").click()
    text = why.inner_text()
    assert "Why linked" in text
    assert "associate" in text and ASSOCIATE in text  # the comparison's level and its words
    page.screenshot(path=str(SHOTS / "intel-explanation-second-order.png"), full_page=True)
    browsing.assert_clean()

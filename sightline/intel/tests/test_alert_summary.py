"""An alert's summary counts children and agencies in words that agree with the number
("2 children from 1 agency", not "1 agencies")."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest

from sightline.intel.choices import EntityType
from sightline.intel.services.alerts import _alert_summary


def _link(child_ref: str, agency: str) -> SimpleNamespace:
    return SimpleNamespace(children=[(uuid.uuid4(), child_ref, "")], agency=agency)


@pytest.mark.parametrize(
    ("links", "expected"),
    [
        ([_link("CH-1", "POL")], "is linked to 1 child from 1 agency: CH-1"),
        (
            [_link("CH-1", "POL"), _link("CH-2", "POL")],
            "is linked to 2 children from 1 agency: CH-1, CH-2",
        ),
        (
            [_link("CH-1", "POL"), _link("CH-2", "SCH")],
            "is linked to 2 children from 2 agencies: CH-1, CH-2",
        ),
    ],
)
def test_the_summary_counts_in_agreeing_words(links: list[SimpleNamespace], expected: str) -> None:
    summary = _alert_summary(EntityType.PERSON, "POC-2026-0000001", "children2", links)
    assert summary == f"Person of concern POC-2026-0000001 {expected}"

"""The screening page's level preview: computed by the screening service, not the view."""

from __future__ import annotations

from sightline.screening.scoring import Level
from sightline.screening.services import screening_level_preview


def test_an_override_indicator_present_previews_high() -> None:
    level = screening_level_preview(
        marks={"A1": {"status": "present"}}, age_years=14, has_learning_disability=False
    )
    assert level == Level.HIGH


def test_no_marks_preview_no_apparent_risk() -> None:
    assert screening_level_preview(marks={}, age_years=14, has_learning_disability=False) == (
        Level.NONE
    )


def test_unknown_codes_and_not_known_marks_are_left_out() -> None:
    level = screening_level_preview(
        marks={"ZZ9": {"status": "present"}, "A1": {"status": "not_known"}},
        age_years=14,
        has_learning_disability=False,
    )
    assert level == Level.NONE

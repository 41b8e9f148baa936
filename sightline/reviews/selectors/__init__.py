"""Reads for the reviews app. Every selector takes the user and applies record scope."""

from sightline.reviews.selectors.chronology import Entry, entry_row, review_chronology
from sightline.reviews.selectors.detectors import (
    detector_run_get,
    detector_runs,
    missed_opportunity_get,
    missed_opportunity_list,
    run_hits,
)
from sightline.reviews.selectors.language import (
    LanguageReport,
    language_flags_of,
    language_report,
    record_flags,
    report_agencies,
)
from sightline.reviews.selectors.reader import (
    ReviewChildRecord,
    review_child_get,
    review_referral_get,
    review_referrals,
)
from sightline.reviews.selectors.recommendations import (
    Tracker,
    recommendation_get,
    recommendation_list,
    recommendation_scope,
    tracker,
)
from sightline.reviews.selectors.reviews import (
    ReviewWindow,
    review_get,
    review_list,
    review_scope,
    reviewer_windows,
)

__all__ = [
    "Entry",
    "LanguageReport",
    "ReviewChildRecord",
    "ReviewWindow",
    "Tracker",
    "detector_run_get",
    "detector_runs",
    "entry_row",
    "language_flags_of",
    "language_report",
    "missed_opportunity_get",
    "missed_opportunity_list",
    "recommendation_get",
    "recommendation_list",
    "recommendation_scope",
    "record_flags",
    "report_agencies",
    "review_child_get",
    "review_chronology",
    "review_get",
    "review_list",
    "review_referral_get",
    "review_referrals",
    "review_scope",
    "reviewer_windows",
    "run_hits",
    "tracker",
]

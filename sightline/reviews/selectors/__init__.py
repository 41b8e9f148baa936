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
    chronology_note_flags,
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
from sightline.reviews.selectors.reads_detectors import (
    detector_run_hits_read,
    detector_run_read,
    detector_runs_read,
    language_report_read,
    missed_opportunity_list_read,
    missed_opportunity_read,
)
from sightline.reviews.selectors.reads_reviews import (
    recommendation_export_read,
    recommendation_page_read,
    recommendation_read,
    review_child_read,
    review_chronology_read,
    review_list_read,
    review_read,
    review_referral_read,
    tracker_read,
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
    "chronology_note_flags",
    "detector_run_get",
    "detector_run_hits_read",
    "detector_run_read",
    "detector_runs",
    "detector_runs_read",
    "entry_row",
    "language_flags_of",
    "language_report",
    "language_report_read",
    "missed_opportunity_get",
    "missed_opportunity_list",
    "missed_opportunity_list_read",
    "missed_opportunity_read",
    "recommendation_export_read",
    "recommendation_get",
    "recommendation_list",
    "recommendation_page_read",
    "recommendation_read",
    "recommendation_scope",
    "record_flags",
    "report_agencies",
    "review_child_get",
    "review_child_read",
    "review_chronology",
    "review_chronology_read",
    "review_get",
    "review_list",
    "review_list_read",
    "review_read",
    "review_referral_get",
    "review_referral_read",
    "review_referrals",
    "review_scope",
    "reviewer_windows",
    "run_hits",
    "tracker",
    "tracker_read",
]

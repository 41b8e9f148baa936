"""The reviews app's writes, one function per step; each opens its transaction and writes its
audit row inside it."""

from sightline.core.errors import Conflict, Invalid, NotPermitted
from sightline.reviews.services.language import language_flags_record
from sightline.reviews.services.recommendations import (
    recommendation_add,
    recommendation_update,
    recommendations_flag_overdue,
)
from sightline.reviews.services.reviews import (
    chronology_note_set,
    finding_add,
    review_close,
    review_create,
    review_dates_record,
    review_due_times,
    reviewer_grant,
)

__all__ = [
    "Conflict",
    "Invalid",
    "NotPermitted",
    "chronology_note_set",
    "finding_add",
    "language_flags_record",
    "recommendation_add",
    "recommendation_update",
    "recommendations_flag_overdue",
    "review_close",
    "review_create",
    "review_dates_record",
    "review_due_times",
    "reviewer_grant",
]

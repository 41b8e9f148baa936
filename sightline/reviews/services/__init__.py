"""The reviews app's writes, one function per step; each opens its transaction and writes its
audit row inside it."""

from sightline.core.errors import Conflict, Invalid, NotPermitted
from sightline.reviews.services.detectors import (
    detector_run_execute,
    detector_run_request,
    detector_run_task_set,
    is_inline,
    missed_opportunities_check,
    missed_opportunities_escalate,
    missed_opportunities_sweep,
    missed_opportunity_acknowledge,
)
from sightline.reviews.services.language import (
    TextToCheck,
    language_batch,
    language_flags_record,
    language_flags_record_many,
)
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
    "TextToCheck",
    "chronology_note_set",
    "detector_run_execute",
    "detector_run_request",
    "detector_run_task_set",
    "finding_add",
    "is_inline",
    "language_batch",
    "language_flags_record",
    "language_flags_record_many",
    "missed_opportunities_check",
    "missed_opportunities_escalate",
    "missed_opportunities_sweep",
    "missed_opportunity_acknowledge",
    "recommendation_add",
    "recommendation_update",
    "recommendations_flag_overdue",
    "review_close",
    "review_create",
    "review_dates_record",
    "review_due_times",
    "reviewer_grant",
]

"""The reviews app's vocabularies, one TextChoices each, with the allowed transitions beside the
states they govern."""

from __future__ import annotations

from django.db import models


class ReviewKind(models.TextChoices):
    RAPID_REVIEW = "rapid_review", "Rapid review"
    LCSPR = "lcspr", "Local child safeguarding practice review"
    LEARNING_REVIEW = "learning_review", "Learning review"


class ReviewStatus(models.TextChoices):
    SCOPING = "scoping", "Scoping"
    IN_PROGRESS = "in_progress", "In progress"
    CLOSED = "closed", "Closed"


REVIEW_TRANSITIONS: dict[str, set[str]] = {
    ReviewStatus.SCOPING: {ReviewStatus.IN_PROGRESS, ReviewStatus.CLOSED},
    ReviewStatus.IN_PROGRESS: {ReviewStatus.CLOSED},
    ReviewStatus.CLOSED: set(),
}


class RecommendationStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    EVIDENCE_SUBMITTED = "evidence_submitted", "Evidence submitted"
    ACCEPTED = "accepted", "Accepted as done"
    NOT_ACCEPTED = "not_accepted", "Not accepted"


RECOMMENDATION_TRANSITIONS: dict[str, set[str]] = {
    RecommendationStatus.OPEN: {
        RecommendationStatus.IN_PROGRESS,
        RecommendationStatus.EVIDENCE_SUBMITTED,
    },
    RecommendationStatus.IN_PROGRESS: {RecommendationStatus.EVIDENCE_SUBMITTED},
    RecommendationStatus.EVIDENCE_SUBMITTED: {
        RecommendationStatus.ACCEPTED,
        RecommendationStatus.NOT_ACCEPTED,
    },
    RecommendationStatus.NOT_ACCEPTED: {
        RecommendationStatus.IN_PROGRESS,
        RecommendationStatus.EVIDENCE_SUBMITTED,
    },
    RecommendationStatus.ACCEPTED: set(),
}

# The statuses in which a recommendation is still owed (an overdue one is one of these).
OPEN_STATUSES = frozenset(
    {
        RecommendationStatus.OPEN,
        RecommendationStatus.IN_PROGRESS,
        RecommendationStatus.EVIDENCE_SUBMITTED,
        RecommendationStatus.NOT_ACCEPTED,
    }
)

# The list filter's extra value beside the statuses.
OVERDUE = "overdue"


# Kinds of record whose text the language checker reads, as stored on a flag.
class TextKind(models.TextChoices):
    REFERRAL_NARRATIVE = "referral.narrative", "Referral: what the concern is"
    DECISION_REASON = "decision.reason", "Decision: the reason"
    CLOSURE_OVERRIDE = "closure_override.rationale", "Closure override: the rationale"
    PROPOSAL_REASONING = "sign_off.reasoning", "Proposed decision: the reasoning"
    RETURN_REASON = "sign_off.return_reason", "Sign-off: the reason for returning"
    CASE_NOTE = "case_note.body", "Case note"
    STRATEGY_OUTCOME = "strategy_discussion.outcome_reason", "Strategy discussion: the outcome"
    RETURN_INTERVIEW = "return_interview", "Return interview: the practitioner's notes"
    CHALLENGE_REASON = "challenge.reason", "Challenge: the referrer's reason"
    CHALLENGE_ANSWER = "challenge.notes", "Challenge: the answer to a stage"
    CHALLENGE_ESCALATION = "challenge.escalation", "Challenge: the referrer's escalation"
    STRATEGY_NOTES = "strategy_discussion.notes", "Strategy discussion: absences and actions"
    ENQUIRY_OUTCOME = "section_47.outcome", "Section 47 enquiry: why no conference"
    PLAN_END = "plan.end_reason", "Plan: why it ended"
    CLOSURE = "closure.notes", "Closure: the notes"
    ALLOCATION_REASON = "allocation.reason", "Allocation: the reason"
    MACE_DISCUSSION = "mace.discussion", "MACE: what was said and decided about an item"
    MACE_ACTION = "mace.action", "MACE: an action and its updates"
    MACE_DISRUPTION = "mace.disruption", "MACE: a disruption's terms and outcome"
    MACE_PROPOSAL = "mace.proposal", "MACE: why a child is proposed for the agenda"
    MACE_AGENDA = "mace.agenda", "MACE: why an item was taken off the agenda"
    MACE_MINUTES = "mace.minutes", "MACE: why approved minutes were changed"
    MACE_BREACH = "mace.breach", "MACE: what happened in a breach of a notice or order"
    REVIEW_FINDING = "review.finding", "Case review: a finding"
    RECOMMENDATION = "recommendation", "Case review: a recommendation"
    RECOMMENDATION_UPDATE = "recommendation.update", "Case review: a recommendation's update"
    REVIEW_SIGNIFICANCE = "review.significance", "Case review: a chronology entry's significance"
    MISSED_OPPORTUNITY_NOTE = "missed_opportunity.note", "Missed opportunity: what was done"
    SCREENING = "screening", "Screening: the reason for raising the level, indicator notes"
    PERSON_NAMED = "referral.person_named", "Referral: a person named, as described"
    ESCALATION_NOTE = "escalation.reason", "Escalation: a manager's acknowledgement or resolution"
    REREFERRAL_REVIEW = "rereferral_review.reason", "Re-referral review: the manager's reason"
    PARTNER_EVENT = "event.summary", "Partner event: the summary its agency wrote"
    MISSING_FOUND_WITH = "missing.found_with", "Missing episode: who the child was found with"
    ALERT_STATUS = "alert.status_reason", "Alert: the reason it was reviewed, actioned or dismissed"
    INTEL_LINK = "intel.link_reason", "Intelligence: why a link was confirmed, rejected or split"


# Timescales of a review after a serious incident, in working days (Working Together 2023).
NOTIFICATION_WORKING_DAYS = 5
RAPID_REVIEW_WORKING_DAYS = 15
# A local child safeguarding practice review reports within six months of the rapid review.
LCSPR_MONTHS = 6
# Longest a reviewer's access may be granted for at once.
MAX_GRANT_DAYS = 365


class MissedOpportunityStatus(models.TextChoices):
    NEW = "new", "New"
    ESCALATED = "escalated", "Escalated (not acknowledged in time)"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"


MISSED_OPPORTUNITY_TRANSITIONS: dict[str, set[str]] = {
    MissedOpportunityStatus.NEW: {
        MissedOpportunityStatus.ESCALATED,
        MissedOpportunityStatus.ACKNOWLEDGED,
    },
    MissedOpportunityStatus.ESCALATED: {MissedOpportunityStatus.ACKNOWLEDGED},
    MissedOpportunityStatus.ACKNOWLEDGED: set(),
}


class DetectorRunStatus(models.TextChoices):
    QUEUED = "queued", "Queued for the worker"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


# A retrospective run longer than this, or over every child, is the worker's job.
DETECTOR_RUN_INLINE_DAYS = 2 * 366
DETECTOR_RUN_INLINE_CHILDREN = 50
# Longer than this is refused outright.
DETECTOR_RUN_MAX_DAYS = 30 * 366

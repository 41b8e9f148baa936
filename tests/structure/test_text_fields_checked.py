"""Every free-text field a practitioner writes is language-checked (issue 15 §1, ADR 0714).

Each free-text field of every model (a TextField, or a CharField longer than 255 characters
without choices: shorter ones are names, keys and e-mail addresses) is classified here exactly
once. CHECKED names the TextKind its flags are kept under; EXEMPT says why it is not a
practitioner's account (names, addresses, words quoted as said, text the system writes,
administrators' reasons). A new text field fails this test until someone decides which it is."""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps
from django.db import models

from sightline.reviews.choices import TextKind

ROOT = Path(__file__).resolve().parents[2] / "sightline"

CHECKED: dict[str, str] = {
    "referrals.Referral.narrative": TextKind.REFERRAL_NARRATIVE,
    "referrals.Decision.reason": TextKind.DECISION_REASON,
    "casework.ClosureOverride.rationale": TextKind.CLOSURE_OVERRIDE,
    "casework.SignOff.reasoning": TextKind.PROPOSAL_REASONING,
    "casework.SignOff.return_reason": TextKind.RETURN_REASON,
    "casework.CaseNote.text": TextKind.CASE_NOTE,
    "casework.StrategyDiscussion.outcome_reason": TextKind.STRATEGY_OUTCOME,
    "casework.StrategyDiscussion.absence_reason": TextKind.STRATEGY_NOTES,
    "casework.StrategyDiscussion.actions": TextKind.STRATEGY_NOTES,
    "casework.Section47Enquiry.no_conference_reason": TextKind.ENQUIRY_OUTCOME,
    "casework.Plan.end_reason": TextKind.PLAN_END,
    "casework.EpisodeClosure.notes": TextKind.CLOSURE,
    "casework.Allocation.reason": TextKind.ALLOCATION_REASON,
    "events.ReturnInterview.with_whom": TextKind.RETURN_INTERVIEW,
    "events.ReturnInterview.actions": TextKind.RETURN_INTERVIEW,
    "events.ReturnInterview.not_offered_reason": TextKind.RETURN_INTERVIEW,
    "escalation.Challenge.reason": TextKind.CHALLENGE_REASON,
    # a stage's answer and the referrer's escalation to the next stage
    "escalation.ChallengeStageRecord.notes": TextKind.CHALLENGE_ANSWER,
    "meetings.Discussion.summary": TextKind.MACE_DISCUSSION,
    "meetings.Discussion.decisions": TextKind.MACE_DISCUSSION,
    "meetings.MeetingAction.description": TextKind.MACE_ACTION,
    "meetings.MeetingAction.update": TextKind.MACE_ACTION,
    "meetings.Disruption.terms": TextKind.MACE_DISRUPTION,
    "meetings.Disruption.outcome": TextKind.MACE_DISRUPTION,
    "meetings.ChildProposal.reason": TextKind.MACE_PROPOSAL,
    "meetings.AgendaItem.removed_reason": TextKind.MACE_AGENDA,
    "meetings.MinutesVersion.reason": TextKind.MACE_MINUTES,
    "meetings.Breach.what": TextKind.MACE_BREACH,
    "reviews.Finding.text": TextKind.REVIEW_FINDING,
    "reviews.Recommendation.text": TextKind.RECOMMENDATION,
    "reviews.Recommendation.required_evidence": TextKind.RECOMMENDATION,
    "reviews.Recommendation.evidence": TextKind.RECOMMENDATION,
    "reviews.RecommendationUpdate.note": TextKind.RECOMMENDATION_UPDATE,
    "reviews.ChronologyNote.significance": TextKind.REVIEW_SIGNIFICANCE,
    "reviews.MissedOpportunity.acknowledged_note": TextKind.MISSED_OPPORTUNITY_NOTE,
    # the reason for raising the level (field raised_reason) and each indicator's note
    # (field note_<code>), kept under the screening's id
    "screening.Screening.raised_reason": TextKind.SCREENING,
    "screening.ScreeningMark.note": TextKind.SCREENING,
    "referrals.PersonNamed.description": TextKind.PERSON_NAMED,
    # a manager's acknowledgement or resolution, kept under the escalation's id per step and rung
    "escalation.EscalationEvent.reason": TextKind.ESCALATION_NOTE,
    "escalation.ReReferralReview.reason": TextKind.REREFERRAL_REVIEW,
    # a partner agency's officer, nurse or teacher wrote these (API, CSV import, upload page)
    "events.Event.summary": TextKind.PARTNER_EVENT,
    "events.MissingEpisode.found_with": TextKind.MISSING_FOUND_WITH,
    "events.EventAlert.status_reason": TextKind.ALERT_STATUS,
    "intel.Alert.status_reason": TextKind.ALERT_STATUS,
    "intel.LinkDecision.reason": TextKind.INTEL_LINK,
    # a practitioner's split (a merge's reason is the system's, and is not checked)
    "intel.PersonChange.reason": TextKind.INTEL_LINK,
}

EXEMPT: dict[str, str] = {
    "core.OutboxMessage.body": "written by the system (a notification)",
    "core.OutboxMessage.last_error": "written by the system (a delivery error)",
    "audit.AuditEvent.reason": "the audit trail's copy of a reason kept (and checked) elsewhere",
    "people.Child.address": "an address",
    "referrals.ReferralChild.address": "an address",
    "referrals.PersonNamed.address": "an address",
    "referrals.PlaceNamed.address": "an address",
    "intel.Place.address": "an address",
    "screening.IndicatorDefinition.label": "configuration: the indicator list's wording",
    "referrals.BreakGlassGrant.reason": "an access justification read by information governance",
    "escalation.InboxItem.body": "written by the system (an inbox message)",
    "intel.Mention.said": "the words as said, quoted from a narrative that is checked",
    "intel.Alert.summary": "written by the system (the alert rule's summary)",
    "events.EventAlert.summary": "written by the system (the detector's summary)",
    "events.ReturnInterview.child_said": "what the child said, recorded as said",
    "events.ReturnInterview.where_stayed": "a place, as an address is",
    "casework.StrategyDiscussion.others_present": "a list of names",
    "reviews.MissedOpportunity.summary": "written by the system (the detector's summary)",
    "reviews.MissedOpportunity.action": "written by the system (the pattern's suggested action)",
    "reviews.DetectorRun.error": "written by the system (a failed run's error)",
    "meetings.RegisterAlert.summary": "written by the system (the register's alert)",
    "meetings.IntelGrading.conditions": "handling conditions of intelligence, not about a child",
    "retention.LegalHold.release_reason": "an administrator's reason (retention)",
    "retention.Tombstone.why": "written by the system (what a purge removed and why)",
    "retention.ScheduleVersion.text": "configuration: the retention schedule",
    "referrals.Decision.reopened_reason": "a copy of the challenge's answer (checked there)",
    "escalation.Escalation.reason": "written by the system (the overdue clock and its due time)",
    "escalation.Escalation.resolution": (
        "a copy of the resolving event's reason (checked there) or a system reason"
    ),
    "escalation.StatutoryStep.notes": "written by the system (no page or API writes a step)",
    "escalation.Clock.stopped_reason": (
        "written by the system, from a checked text or a fixed sentence (no page or API stops "
        "a clock)"
    ),
    "intel.PersonOfConcern.description": "written by the system (its mentions' descriptions "
    "joined; a practitioner writes referrals.PersonNamed.description)",
}


def _free_text_fields() -> set[str]:
    found = set()
    for model in apps.get_models():
        if not model.__module__.startswith("sightline."):
            continue
        for field in model._meta.get_fields():
            long_char = (
                isinstance(field, models.CharField)
                and not field.choices
                and (field.max_length or 0) > 255
            )
            if isinstance(field, models.TextField) or long_char:
                found.add(f"{model._meta.app_label}.{model.__name__}.{field.name}")
    return found


def test_every_free_text_field_is_classified_once() -> None:
    fields = _free_text_fields()
    classified = [*CHECKED, *EXEMPT]
    twice = sorted({name for name in classified if classified.count(name) > 1})
    assert twice == [], f"classified more than once: {twice}"
    unclassified = sorted(fields - set(classified))
    assert unclassified == [], (
        f"free-text fields not classified (CHECKED with its TextKind, or EXEMPT with a reason): "
        f"{unclassified}"
    )
    gone = sorted(set(classified) - fields)
    assert gone == [], f"classified fields that no longer exist: {gone}"


def test_each_checked_kind_is_written_by_product_code() -> None:
    """A kind named here is passed to the flag writer somewhere outside its definition."""
    names = {kind.value: kind.name for kind in TextKind}
    source = "\n".join(
        path.read_text()
        for path in ROOT.rglob("*.py")
        if not {"tests", "migrations"} & set(path.parts) and path.name != "choices.py"
    )
    unused = sorted(
        value
        for value in set(CHECKED.values())
        if not re.search(rf"TextKind\.{names[value]}\b", source)
    )
    assert unused == [], f"kinds no product code writes: {unused}"

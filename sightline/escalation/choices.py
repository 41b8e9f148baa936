"""Choices and the explicit state machines of the escalation app."""

from __future__ import annotations

from django.db import models

from sightline.accounts.roles import Role


class ClockKind(models.TextChoices):
    DECISION = "decision", "Referral decision"
    RAG = "rag", "Front-door information gathering (RAG)"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    ASSESSMENT = "assessment", "Child and family assessment"
    ICPC = "icpc", "Initial child protection conference"
    REVIEW_CONFERENCE = "review_conference", "Review child protection conference"
    SCREENING_REVIEW = "screening_review", "CSE screening review"
    RETURN_INTERVIEW = "return_interview", "Return-home interview"
    REFERRER_FEEDBACK = "referrer_feedback", "Feedback to the referrer"


class ClockStatus(models.TextChoices):
    RUNNING = "running", "Running"
    MET = "met", "Met"
    BREACHED = "breached", "Overdue"
    STOPPED = "stopped", "Stopped"


# A breached clock can still be met (late) or stopped; met and stopped are final.
CLOCK_TRANSITIONS: dict[str, set[str]] = {
    ClockStatus.RUNNING: {ClockStatus.MET, ClockStatus.BREACHED, ClockStatus.STOPPED},
    ClockStatus.BREACHED: {ClockStatus.MET, ClockStatus.STOPPED},
    ClockStatus.MET: set(),
    ClockStatus.STOPPED: set(),
}
OPEN_CLOCK_STATUSES = (ClockStatus.RUNNING, ClockStatus.BREACHED)


class Unit(models.TextChoices):
    WORKING_DAYS = "working_days", "Working days"
    END_OF_WORKING_DAY = "end_of_working_day", "By the end of the working day (+N days)"
    HOURS = "hours", "Hours"
    MONTHS = "months", "Months"


class TimescaleKey(models.TextChoices):
    """Everything with a configurable timescale: the clocks and the challenge stages."""

    DECISION = "decision", "Referral decision"
    RAG_RED = "rag_red", "RAG red: information gathering"
    RAG_AMBER = "rag_amber", "RAG amber: information gathering"
    RAG_GREEN = "rag_green", "RAG green: information gathering"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    ASSESSMENT = "assessment", "Child and family assessment"
    ICPC = "icpc", "Initial child protection conference"
    REVIEW_CONFERENCE = "review_conference", "First review conference (after the initial)"
    REVIEW_CONFERENCE_NEXT = "review_conference_next", "Later review conferences"
    SCREENING_REVIEW = "screening_review", "CSE screening review"
    RETURN_INTERVIEW = "return_interview", "Return-home interview"
    REFERRER_FEEDBACK = "referrer_feedback", "Feedback to the referrer"
    CHALLENGE_STAGE_1 = "challenge_stage_1", "Challenge stage 1: practitioner discussion"
    CHALLENGE_STAGE_2 = "challenge_stage_2", "Challenge stage 2: line managers"
    CHALLENGE_STAGE_3 = "challenge_stage_3", "Challenge stage 3: senior managers"
    CHALLENGE_STAGE_4 = "challenge_stage_4", "Challenge stage 4: the partnership"
    CHALLENGE_IMMEDIATE = "challenge_immediate", "Challenge where a child is at immediate risk"


# Defaults from practice.md §3.1-3.3; a ClockPolicy row overrides any of them.
DEFAULT_TIMESCALES: dict[str, tuple[int, str]] = {
    TimescaleKey.DECISION: (1, Unit.WORKING_DAYS),
    TimescaleKey.RAG_RED: (2, Unit.HOURS),
    TimescaleKey.RAG_AMBER: (6, Unit.HOURS),
    TimescaleKey.RAG_GREEN: (24, Unit.HOURS),
    TimescaleKey.STRATEGY_DISCUSSION: (0, Unit.END_OF_WORKING_DAY),
    TimescaleKey.ASSESSMENT: (45, Unit.WORKING_DAYS),
    TimescaleKey.ICPC: (15, Unit.WORKING_DAYS),
    # Working Together 2023: the first review within 3 months of the initial conference, then
    # at intervals of no more than 6 months while the plan lasts.
    TimescaleKey.REVIEW_CONFERENCE: (3, Unit.MONTHS),
    TimescaleKey.REVIEW_CONFERENCE_NEXT: (6, Unit.MONTHS),
    TimescaleKey.SCREENING_REVIEW: (3, Unit.MONTHS),
    TimescaleKey.RETURN_INTERVIEW: (72, Unit.HOURS),
    TimescaleKey.REFERRER_FEEDBACK: (1, Unit.WORKING_DAYS),
    TimescaleKey.CHALLENGE_STAGE_1: (2, Unit.WORKING_DAYS),
    TimescaleKey.CHALLENGE_STAGE_2: (3, Unit.WORKING_DAYS),
    TimescaleKey.CHALLENGE_STAGE_3: (5, Unit.WORKING_DAYS),
    TimescaleKey.CHALLENGE_STAGE_4: (10, Unit.WORKING_DAYS),
    TimescaleKey.CHALLENGE_IMMEDIATE: (24, Unit.HOURS),
}


class Rung(models.IntegerChoices):
    PRACTITIONER = 1, "Practitioner"
    TEAM_MANAGER = 2, "Team manager"
    HEAD_OF_SERVICE = 3, "Head of service"
    SAFEGUARDING_LEAD = 4, "Partnership safeguarding lead"


TOP_RUNG = Rung.SAFEGUARDING_LEAD

# Default ladder: (role, hours on this rung before the escalation climbs to the next).
DEFAULT_LADDER: dict[int, tuple[str, int]] = {
    Rung.PRACTITIONER: (Role.FRONT_DOOR_PRACTITIONER, 4),
    Rung.TEAM_MANAGER: (Role.TEAM_MANAGER, 24),
    Rung.HEAD_OF_SERVICE: (Role.HEAD_OF_SERVICE, 48),
    Rung.SAFEGUARDING_LEAD: (Role.SAFEGUARDING_LEAD, 72),
}


class EscalationStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


ESCALATION_TRANSITIONS: dict[str, set[str]] = {
    EscalationStatus.OPEN: {EscalationStatus.ACKNOWLEDGED, EscalationStatus.RESOLVED},
    EscalationStatus.ACKNOWLEDGED: {EscalationStatus.ACKNOWLEDGED, EscalationStatus.RESOLVED},
    EscalationStatus.RESOLVED: set(),
}
LIVE_ESCALATION_STATUSES = (EscalationStatus.OPEN, EscalationStatus.ACKNOWLEDGED)


class EscalationEventKind(models.TextChoices):
    RAISED = "raised", "Raised"
    CLIMBED = "climbed", "Climbed the ladder"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


class ChallengeStage(models.IntegerChoices):
    PRACTITIONERS = 1, "Stage 1: practitioner discussion"
    LINE_MANAGERS = 2, "Stage 2: line managers and safeguarding leads"
    SENIOR_MANAGERS = 3, "Stage 3: senior managers (formal, written)"
    PARTNERSHIP = 4, "Stage 4: the safeguarding partnership"


TOP_CHALLENGE_STAGE = ChallengeStage.PARTNERSHIP

# Who answers the challenge at each stage.
CHALLENGE_STAGE_ROLES: dict[int, str] = {
    ChallengeStage.PRACTITIONERS: Role.FRONT_DOOR_PRACTITIONER,
    ChallengeStage.LINE_MANAGERS: Role.TEAM_MANAGER,
    ChallengeStage.SENIOR_MANAGERS: Role.HEAD_OF_SERVICE,
    ChallengeStage.PARTNERSHIP: Role.SAFEGUARDING_LEAD,
}


class ChallengeStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


CHALLENGE_TRANSITIONS: dict[str, set[str]] = {
    ChallengeStatus.OPEN: {ChallengeStatus.OPEN, ChallengeStatus.RESOLVED},
    ChallengeStatus.RESOLVED: set(),
}


class ChallengeOutcome(models.TextChoices):
    DECISION_UPHELD = "decision_upheld", "Decision upheld"
    DECISION_CHANGED = "decision_changed", "Decision to be changed"
    ESCALATED = "escalated", "Not agreed: escalated to the next stage"
    TIMESCALE_PASSED = "timescale_passed", "Timescale passed: escalated automatically"


FINAL_CHALLENGE_OUTCOMES = (ChallengeOutcome.DECISION_UPHELD, ChallengeOutcome.DECISION_CHANGED)


class StepKind(models.TextChoices):
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion held"
    ASSESSMENT_COMPLETED = "assessment_completed", "Child and family assessment completed"
    CONFERENCE_HELD = "conference_held", "Initial child protection conference held"
    RETURN_INTERVIEW = "return_interview", "Return-home interview held"


class StrategyOutcome(models.TextChoices):
    SECTION_47 = "section_47", "Section 47 enquiry: conference to be arranged"
    ASSESSMENT = "assessment", "Continue the child and family assessment"
    NO_FURTHER_ACTION = "no_further_action", "No further action under section 47"


class InboxKind(models.TextChoices):
    ESCALATION = "escalation", "Escalation"
    CHALLENGE = "challenge", "Professional challenge"
    DECISION_NOTICE = "decision_notice", "Decision on your referral"
    SIGN_OFF = "sign_off", "Decision awaiting or back from sign-off"
    CLOSURE_OVERRIDE = "closure_override", "Disclosure closed without a strategy discussion"
    ALLOCATION = "allocation", "Work allocated to you or your team"


# The information-gathering timescale for each RAG rating (green when none is given).
RAG_KEYS = {"red": TimescaleKey.RAG_RED, "amber": TimescaleKey.RAG_AMBER}

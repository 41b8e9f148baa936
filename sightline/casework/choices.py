"""The vocabularies of casework: sign-off, the statutory steps (their outcomes in the words of
Working Together 2023 and the CIN census codes), plans, allocation and case notes."""

from __future__ import annotations

from django.db import models

from sightline.referrals.choices import Outcome


class SignOffStatus(models.TextChoices):
    PENDING = "pending", "Awaiting sign-off"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned to the practitioner"


SIGN_OFF_TRANSITIONS: dict[str, set[str]] = {
    SignOffStatus.PENDING: {SignOffStatus.APPROVED, SignOffStatus.RETURNED},
    SignOffStatus.APPROVED: set(),
    SignOffStatus.RETURNED: set(),
}

# Outcomes that close the front door's involvement: never on a disclosure (an override
# indicator) before a strategy discussion has considered it (after-the-front-door.md §1).
CLOSING_OUTCOMES = (
    Outcome.NO_FURTHER_ACTION,
    Outcome.INFORMATION_AND_ADVICE,
    Outcome.EARLY_HELP,
)
# Decisions that open casework on the child (an episode that steps and plans belong to).
CASEWORK_OUTCOMES = (
    Outcome.ASSESSMENT,
    Outcome.STRATEGY_DISCUSSION,
    Outcome.SPECIALIST_CSE_TEAM,
)
OVERRIDE_RATIONALE_MIN = 200


class StrategyOutcome(models.TextChoices):
    SECTION_47 = "section_47", "Section 47 enquiry"
    POLICE_INVESTIGATION = "police_investigation", "Single-agency police investigation"
    CIN_ASSESSMENT = "cin_assessment", "Child-in-need assessment"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class EnquiryOutcome(models.TextChoices):
    SUBSTANTIATED_CONFERENCE = (
        "substantiated_conference",
        "Concerns substantiated: initial child protection conference needed",
    )
    SUBSTANTIATED_NO_CONFERENCE = (
        "substantiated_no_conference",
        "Concerns substantiated: no conference needed",
    )
    NOT_SUBSTANTIATED = "not_substantiated", "Concerns not substantiated"


class AssessmentOutcome(models.TextChoices):
    CIN_PLAN = "cin_plan", "Child-in-need plan"
    STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
    EARLY_HELP = "early_help", "Early help"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class AssessmentFactor(models.TextChoices):
    """CIN census assessment factors (CIN_schema_2025-26.xsd, assessmentfactorstype)."""

    F1A = "1A", "Alcohol misuse: the child"
    F1B = "1B", "Alcohol misuse: parent or carer"
    F1C = "1C", "Alcohol misuse: another person in the household"
    F2A = "2A", "Drug misuse: the child"
    F2B = "2B", "Drug misuse: parent or carer"
    F2C = "2C", "Drug misuse: another person in the household"
    F3A = "3A", "Domestic violence: the child"
    F3B = "3B", "Domestic violence: parent or carer"
    F3C = "3C", "Domestic violence: another person in the household"
    F4A = "4A", "Mental health: the child"
    F4B = "4B", "Mental health: parent or carer"
    F4C = "4C", "Mental health: another person in the household"
    F5A = "5A", "Learning disability: the child"
    F5B = "5B", "Learning disability: parent or carer"
    F5C = "5C", "Learning disability: another person in the household"
    F6A = "6A", "Physical disability or illness: the child"
    F6B = "6B", "Physical disability or illness: parent or carer"
    F6C = "6C", "Physical disability or illness: another person in the household"
    F7A = "7A", "Young carer"
    F8B = "8B", "Privately fostered: overseas, intend to return"
    F8C = "8C", "Privately fostered: overseas, intend to stay"
    F8D = "8D", "Privately fostered: UK, educational placement"
    F8E = "8E", "Privately fostered: UK, alternative family arrangement"
    F8F = "8F", "Privately fostered: other"
    F9A = "9A", "Unaccompanied asylum-seeking child"
    F10A = "10A", "Going or being missing"
    F11A = "11A", "Child sexual exploitation"
    F12A = "12A", "Trafficking"
    F13A = "13A", "Gangs"
    F14A = "14A", "Socially unacceptable behaviour"
    F15A = "15A", "Self-harm"
    F16A = "16A", "Neglect"
    F17A = "17A", "Emotional abuse"
    F18B = "18B", "Physical abuse: child on child"
    F18C = "18C", "Physical abuse: adult on child"
    F19B = "19B", "Sexual abuse: child on child"
    F19C = "19C", "Sexual abuse: adult on child"
    F20 = "20", "Other"
    F21 = "21", "No factors identified"
    F22A = "22A", "Female genital mutilation"
    F23A = "23A", "Abuse linked to faith or belief"
    F24A = "24A", "Child criminal exploitation"


NO_FACTORS = AssessmentFactor.F21


class ConferenceKind(models.TextChoices):
    INITIAL = "initial", "Initial child protection conference"
    REVIEW = "review", "Review child protection conference"


class ConferenceOutcome(models.TextChoices):
    CP_PLAN = "cp_plan", "Child protection plan"
    CP_PLAN_CONTINUES = "cp_plan_continues", "Child protection plan continues"
    CP_PLAN_ENDS = "cp_plan_ends", "Child protection plan ends"
    NO_PLAN = "no_plan", "No child protection plan"


class PlanCategory(models.TextChoices):
    """CIN census category of abuse (categoryofabusetype)."""

    NEGLECT = "NEG", "Neglect"
    PHYSICAL = "PHY", "Physical abuse"
    SEXUAL = "SAB", "Sexual abuse"
    EMOTIONAL = "EMO", "Emotional abuse"
    MULTIPLE = "MUL", "Multiple"


class PlanKind(models.TextChoices):
    CHILD_PROTECTION = "cp", "Child protection plan"
    CHILD_IN_NEED = "cin", "Child-in-need plan"


class ClosureReason(models.TextChoices):
    """CIN census reason for closure (reasonforclosuretype)."""

    RC1 = "RC1", "Adopted"
    RC2 = "RC2", "Died"
    RC3 = "RC3", "Child arrangements order"
    RC4 = "RC4", "Special guardianship order"
    RC5 = "RC5", "Transferred to another local authority"
    RC6 = "RC6", "Transferred to adult social care"
    RC7 = "RC7", "Services ceased for any other reason, including child no longer in need"
    RC8 = "RC8", "Case closed after assessment, no further action"
    RC9 = "RC9", "Case closed after assessment, referred to early help"


class NoteKind(models.TextChoices):
    VISIT = "visit", "Visit"
    CONTACT = "contact", "Contact"
    AGENCY_CHECK = "agency_check", "Agency check"
    SUPERVISION = "supervision", "Supervision"
    DIRECT_WORK = "direct_work", "Direct work"


class AllocationKind(models.TextChoices):
    ALLOCATED = "allocated", "Allocated to a worker"
    TEAM_QUEUE = "team_queue", "In the team's allocation queue"

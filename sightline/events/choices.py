"""The vocabularies of partner events: one `TextChoices` each (API literals and CSV codes derive
from these)."""

from __future__ import annotations

from django.db import models

from sightline.accounts.choices import AgencyKind


class EventKind(models.TextChoices):
    POLICE_INCIDENT = "police_incident", "Police incident"
    MISSING_EPISODE = "missing_episode", "Missing episode"
    SAFE_AND_WELL = "safe_and_well", "Safe-and-well check"
    HEALTH_ATTENDANCE = "health_attendance", "Health attendance"
    EDUCATION = "education", "Education"
    YOUTH_JUSTICE = "youth_justice", "Youth justice"
    HOUSING = "housing", "Housing"


# Which kinds an agency of each kind may send (and its leads may see). Children's social care
# sends and sees every kind.
KINDS_FOR_AGENCY: dict[str, frozenset[str]] = {
    AgencyKind.POLICE: frozenset(
        {EventKind.POLICE_INCIDENT, EventKind.MISSING_EPISODE, EventKind.SAFE_AND_WELL}
    ),
    AgencyKind.HEALTH: frozenset({EventKind.HEALTH_ATTENDANCE}),
    AgencyKind.EDUCATION: frozenset({EventKind.EDUCATION}),
    AgencyKind.YOUTH_JUSTICE: frozenset({EventKind.YOUTH_JUSTICE}),
    AgencyKind.HOUSING: frozenset({EventKind.HOUSING}),
    AgencyKind.CHILDRENS_SOCIAL_CARE: frozenset(EventKind.values),
}


class IncidentType(models.TextChoices):
    CONCERN_FOR_WELFARE = "concern_for_welfare", "Concern for welfare"
    FOUND_WITH_ADULTS = "found_with_adults", "Child found with adults"
    SEXUAL_OFFENCE = "sexual_offence", "Sexual offence"
    ARRESTED = "arrested", "Child arrested"
    CHARGED = "charged", "Child charged"


class RiskGrade(models.TextChoices):
    NO_APPARENT_RISK = "no_apparent_risk", "No apparent risk (absent)"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class AbsenceType(models.TextChoices):
    MISSING = "missing", "Missing"
    AWOL = "away_without_authorisation", "Away without authorisation"


class MissingFrom(models.TextChoices):
    HOME = "home", "Home"
    CARE = "care", "Care placement"
    SCHOOL = "school", "School"


class AttendanceType(models.TextChoices):
    EMERGENCY_DEPARTMENT = "emergency_department", "Emergency department"
    SEXUAL_HEALTH = "sexual_health", "Sexual health"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse service"


class SexualHealthReason(models.TextChoices):
    STI_TEST = "sti_test", "STI test"
    STI_DIAGNOSIS = "sti_diagnosis", "STI diagnosis"
    PREGNANCY = "pregnancy", "Pregnancy"
    TERMINATION = "termination", "Termination"
    EMERGENCY_CONTRACEPTION = "emergency_contraception", "Emergency contraception"
    OTHER = "other", "Other"


class EducationType(models.TextChoices):
    ABSENCE = "absence", "Absence"
    EXCLUSION = "exclusion", "Exclusion"
    MISSING_EDUCATION = "missing_education", "Child missing education"
    PART_TIME_TIMETABLE = "part_time_timetable", "Move to a part-time timetable"


class MatchStatus(models.TextChoices):
    GIVEN = "given", "Child record given by id"
    MATCHED = "matched", "Matched to an existing child"
    NEW_CHILD = "new_child", "New child record; possible matches to confirm"
    CONFIRMED_NEW = "confirmed_new", "New child record; no possible matches"


class InterviewStatus(models.TextChoices):
    DUE = "due", "Not yet offered"
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    NOT_OFFERED = "not_offered", "Not offered (with a reason)"
    COMPLETED = "completed", "Completed"


INTERVIEW_TRANSITIONS: dict[str, frozenset[str]] = {
    InterviewStatus.DUE: frozenset(
        {
            InterviewStatus.OFFERED,
            InterviewStatus.NOT_OFFERED,
            InterviewStatus.ACCEPTED,
            InterviewStatus.DECLINED,
            InterviewStatus.COMPLETED,
        }
    ),
    InterviewStatus.OFFERED: frozenset(
        {InterviewStatus.ACCEPTED, InterviewStatus.DECLINED, InterviewStatus.COMPLETED}
    ),
    InterviewStatus.ACCEPTED: frozenset({InterviewStatus.COMPLETED, InterviewStatus.DECLINED}),
    InterviewStatus.DECLINED: frozenset({InterviewStatus.OFFERED}),
    InterviewStatus.NOT_OFFERED: frozenset({InterviewStatus.OFFERED}),
    InterviewStatus.COMPLETED: frozenset(),
}


class Detector(models.TextChoices):
    REPEAT_MISSING = "repeat_missing", "Repeat missing (third episode in 90 days)"
    MISSING_SCREENED_CHILD = "missing_screened_child", "Missing: child screened medium or high"
    FOUND_WITH_UNLINKED = "found_with_unlinked", "Found with an adult not linked after 5 days"
    VICTIM_AS_OFFENDER = "victim_as_offender", "Arrested or charged while indicators open"
    UNDER16_SEXUAL_HEALTH = "under16_sexual_health", "Under-16 sexual health, no referral"
    UNDER13_SEXUAL_HEALTH = "under13_sexual_health", "Under-13 at a sexual-health service"
    ACCUMULATING_CONCERNS = "accumulating_concerns", "Concerns accumulating across agencies"
    RETURN_INTERVIEW_OVERDUE = "return_interview_overdue", "Return interview overdue (no referral)"


# The practice pattern (reference §7.3) each detector watches for, as the alerts list shows it.
DETECTOR_PATTERN: dict[str, str] = {
    Detector.REPEAT_MISSING: "P6",
    Detector.MISSING_SCREENED_CHILD: "P6",
    Detector.RETURN_INTERVIEW_OVERDUE: "P6",
    Detector.FOUND_WITH_UNLINKED: "P7",
    Detector.VICTIM_AS_OFFENDER: "P8",
    Detector.UNDER16_SEXUAL_HEALTH: "P10",
    Detector.UNDER13_SEXUAL_HEALTH: "P10",
    Detector.ACCUMULATING_CONCERNS: "P11",
}


class EventAlertStatus(models.TextChoices):
    NEW = "new", "New"
    REVIEWED = "reviewed", "Reviewed"
    ACTIONED = "actioned", "Actioned"
    DISMISSED = "dismissed", "Dismissed"


# The same steps as intel's alerts (acknowledge: reviewed; close: actioned, or dismissed with
# a reason); a closed alert stays closed.
EVENT_ALERT_TRANSITIONS: dict[str, frozenset[str]] = {
    EventAlertStatus.NEW: frozenset(
        {EventAlertStatus.REVIEWED, EventAlertStatus.ACTIONED, EventAlertStatus.DISMISSED}
    ),
    EventAlertStatus.REVIEWED: frozenset({EventAlertStatus.ACTIONED, EventAlertStatus.DISMISSED}),
    EventAlertStatus.ACTIONED: frozenset(),
    EventAlertStatus.DISMISSED: frozenset(),
}

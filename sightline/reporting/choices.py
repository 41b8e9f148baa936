"""Vocabularies of the reporting layer: why someone searches, what they search for, and the
kinds of entry on a child's chronology."""

from __future__ import annotations

from django.db import models


class SearchPurpose(models.TextChoices):
    """Why the user is searching. Stated before any result shows, and audited with the count."""

    SAFEGUARDING_ENQUIRY = "safeguarding_enquiry", "Safeguarding enquiry about a child"
    CASE_WORK = "case_work", "Case work on a child I am working with"
    MACE_PREPARATION = "mace_preparation", "MACE meeting preparation"
    AUDIT_QUALITY = "audit_quality", "Audit or quality assurance"
    REVIEW = "review", "Case review"


class SearchType(models.TextChoices):
    CHILD = "child", "Children"
    PERSON = "person", "Persons of concern"
    PLACE = "place", "Places"
    VEHICLE = "vehicle", "Vehicles"
    PHONE = "phone", "Phone numbers"


class ChronologyKind(models.TextChoices):
    """The shared event-type list of the integrated chronology (practice.md §7.2)."""

    REFERRAL = "referral", "Referral received"
    REFERRAL_ELSEWHERE = "referral_held", "Referral held by another agency"
    SCREENING = "screening", "CSE screening"
    DECISION = "decision", "Decision"
    CHALLENGE = "challenge", "Professional challenge"
    STATUTORY_STEP = "statutory_step", "Statutory step"
    ESCALATION = "escalation", "Escalation of an overdue step"
    ALERT = "alert", "Intelligence alert"
    RECORD_LINK = "record_link", "Records linked"
    CASEWORK_STEP = "casework_step", "Casework step"
    CASE_NOTE = "case_note", "Case note"
    ALLOCATION = "allocation", "Allocation"
    PARTNER_EVENT = "partner_event", "Partner event"
    MACE = "mace", "Discussed at MACE"
    GAP = "gap", "No agency contact"

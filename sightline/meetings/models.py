"""MACE meetings: the meeting, who was invited and came, its agenda (built from the data at a
cut-off), what was said about each item (`Discussion`, which the chronology reads), the
actions agreed, minutes versions and the packs generated; and the disruption register:
disruption actions against adults, places, vehicles and businesses, their breaches and the
register's own alerts. `__str__` returns a reference, never a name."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from sightline.core.models import BaseModel
from sightline.meetings.choices import (
    ActionStatus,
    AlertKind,
    AlertStatus,
    Attendance,
    DisruptionStatus,
    HandlingCode,
    InformationGrade,
    ItemOrigin,
    MeetingStatus,
    Section,
    SourceGrade,
    SubjectType,
    TargetType,
)

USER = settings.AUTH_USER_MODEL


class Meeting(BaseModel):
    reference = models.CharField(max_length=20, unique=True)
    held_on = models.DateField(db_index=True)
    cutoff_at = models.DateTimeField(help_text="The agenda and pack are built as of this time.")
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    chairs: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        USER, related_name="meetings_chaired"
    )
    invited_agencies = models.ManyToManyField("accounts.Agency", related_name="meetings_invited")
    invited_people: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        USER, related_name="meetings_invited", blank=True
    )
    is_quorate = models.BooleanField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.reference


class MeetingAttendance(BaseModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Attendance.choices)

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "agency", "user"], name="uniq_attendance")
        ]

    def __str__(self) -> str:
        return f"{self.status} ({self.agency_id})"


class ChildProposal(BaseModel):
    """A practitioner's proposal that a child be discussed at the next meeting."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    proposed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    taken_at = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )

    def __str__(self) -> str:
        return f"proposal {self.pk}"


class AgendaItem(BaseModel):
    """One line of the agenda: a subject (action, child, person, place, vehicle or theme), why
    it is there (`reasons`: [{why, refs, note}]) and whether it is new since the last meeting.
    A removed item keeps its row with the reason (the chair's edits are audited)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(max_length=12, choices=Section.choices)
    position = models.PositiveIntegerField(default=0)
    subject_type = models.CharField(max_length=10, choices=SubjectType.choices)
    subject_id = models.UUIDField(null=True, blank=True)
    subject_ref = models.CharField(max_length=40)
    title = models.CharField(max_length=200, blank=True)
    reasons = models.JSONField(default=list)
    figures = models.JSONField(default=dict, blank=True)
    is_new = models.BooleanField(default=False)
    origin = models.CharField(max_length=10, choices=ItemOrigin.choices)
    added_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removed_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "position"]
        indexes = [models.Index(fields=["subject_id"], name="mace_item_subject_idx")]

    def __str__(self) -> str:
        return f"{self.section}: {self.subject_ref}"


class Discussion(BaseModel):
    """What the meeting said about one item: the record the chronology reads ("discussed at
    MACE on …, actions …"). Exactly one of child / entity is set for a child, person, place or
    vehicle item; a theme has neither."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="discussions")
    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="discussion")
    held_on = models.DateField()
    subject_type = models.CharField(max_length=10, choices=SubjectType.choices)
    child = models.ForeignKey(
        "people.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mace_discussions",
    )
    entity_id = models.UUIDField(null=True, blank=True, db_index=True)
    subject_ref = models.CharField(max_length=40)
    summary = models.TextField(blank=True)
    risk_view = models.CharField(max_length=20, blank=True)
    decisions = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on"]
        indexes = [models.Index(fields=["child", "held_on"], name="mace_discussion_child_idx")]

    def __str__(self) -> str:
        return f"discussed {self.subject_ref}"


class MeetingAction(BaseModel):
    reference = models.CharField(max_length=20, unique=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    description = models.TextField()
    owner_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="mace_actions")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default="open")
    completed_on = models.DateField(null=True, blank=True)
    update = models.TextField(blank=True)
    overdue_since = models.DateField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]
        indexes = [models.Index(fields=["status", "due_on"], name="mace_action_open_idx")]

    def __str__(self) -> str:
        return self.reference


class MinutesVersion(BaseModel):
    """The approved minutes, fixed: a later change is a new version with its reason."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes")
    version = models.PositiveSmallIntegerField()
    content = models.JSONField()
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "version"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "version"], name="uniq_minutes_version")
        ]

    def __str__(self) -> str:
        return f"minutes v{self.version}"


class Pack(BaseModel):
    """A pack generated for one person (their name and the time are on every page)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="packs")
    generated_for = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    cutoff_at = models.DateTimeField()
    pdf = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField(default=0)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"pack {self.pk}"


class Disruption(BaseModel):
    reference = models.CharField(max_length=20, unique=True)
    target_type = models.CharField(max_length=10, choices=TargetType.choices)
    target_id = models.UUIDField(db_index=True)
    target_ref = models.CharField(max_length=40)
    business_name = models.CharField(max_length=200, blank=True)
    tactic = models.CharField(max_length=40)
    children = models.ManyToManyField("people.Child", related_name="+", blank=True)
    owner_agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="disruptions_owned")
    status = models.CharField(
        max_length=10, choices=DisruptionStatus.choices, default=DisruptionStatus.PROPOSED
    )
    proposed_on = models.DateField()
    due_on = models.DateField(null=True, blank=True)
    applied_on = models.DateField(null=True, blank=True)
    served_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    terms = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="disruptions"
    )

    class Meta:
        ordering = ["-proposed_on"]
        indexes = [models.Index(fields=["status", "expires_on"], name="mace_disruption_exp_idx")]

    def __str__(self) -> str:
        return self.reference


class Breach(BaseModel):
    disruption = models.ForeignKey(Disruption, on_delete=models.CASCADE, related_name="breaches")
    occurred_on = models.DateField()
    what = models.TextField()
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-occurred_on"]

    def __str__(self) -> str:
        return f"breach {self.occurred_on}"


class RegisterAlert(BaseModel):
    """The disruption register's own alerts (ADR 0502): not intel alerts, which are about
    entities linked to children; these are about the register's deadlines and gaps."""

    kind = models.CharField(max_length=20, choices=AlertKind.choices)
    status = models.CharField(max_length=10, choices=AlertStatus.choices, default="new")
    disruption = models.ForeignKey(
        Disruption, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    action = models.ForeignKey(
        MeetingAction, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    person_id = models.UUIDField(null=True, blank=True)
    subject_ref = models.CharField(max_length=40)
    summary = models.CharField(max_length=300)
    dedupe_key = models.CharField(max_length=120, unique=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_ref}"


class IntelGrading(BaseModel):
    """The 3x5x2 grade of one item of intelligence (an intel mention: a person, place or
    vehicle named by an agency on a referral or partner event), given by a police analyst or
    a MACE chair before the item goes into a pack. Regrading replaces it (audited)."""

    mention = models.OneToOneField("intel.Mention", on_delete=models.CASCADE, related_name="+")
    entity_id = models.UUIDField(db_index=True)
    source = models.CharField(max_length=1, choices=SourceGrade.choices)
    information = models.CharField(max_length=1, choices=InformationGrade.choices)
    handling = models.CharField(max_length=1, choices=HandlingCode.choices)
    conditions = models.TextField(blank=True)
    graded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    graded_at = models.DateTimeField()

    @property
    def code(self) -> str:
        return f"{self.source}{self.information}{self.handling}"

    def __str__(self) -> str:
        return f"grade {self.code}"

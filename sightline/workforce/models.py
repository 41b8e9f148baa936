"""The workforce: who works in each agency (headcount snapshots and the staff roll), the CSE
courses, and who completed which course when. No child data lives here.

Teams are the agency's own HR team names (text), not Sightline `accounts.Team` rows: a school's
whole staff or a ward's nurses are workforce without being Sightline teams (ADR 0601)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sightline.core.models import BaseModel
from sightline.workforce.choices import ImportKind, Measure, RoleGroup


class Course(BaseModel):
    """A CSE course from `data/courses.yaml`. `refreshes` names the course a refresher renews."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    measure = models.CharField(max_length=10, choices=Measure.choices)
    valid_months = models.PositiveSmallIntegerField()
    refreshes = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="refreshed_by"
    )

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class HeadcountSnapshot(BaseModel):
    """How many people an agency employs in a team and role group on a day. The latest
    snapshot on or before a day is the workforce that day (the denominator of coverage)."""

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="headcounts"
    )
    as_on = models.DateField()
    team = models.CharField(max_length=200)
    role_group = models.CharField(max_length=10, choices=RoleGroup.choices)
    headcount = models.PositiveIntegerField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headcounts_entered",
    )

    class Meta:
        ordering = ["agency", "-as_on", "team", "role_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "as_on", "team", "role_group"], name="uniq_headcount_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.as_on} {self.team} {self.role_group}: {self.headcount}"


class StaffMember(BaseModel):
    """A person on an agency's workforce roll, known by the agency's own staff id. Linked to
    a Sightline user when the roll gives a username that matches one in the same agency."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="staff")
    staff_id = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    team = models.CharField(max_length=200)
    role_group = models.CharField(max_length=10, choices=RoleGroup.choices)
    is_active = models.BooleanField(default=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_records",
    )

    class Meta:
        ordering = ["agency", "team", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "staff_id"], name="uniq_staff_id_per_agency")
        ]
        indexes = [models.Index(fields=["agency", "is_active", "team"], name="staff_scope_idx")]

    def __str__(self) -> str:
        return f"{self.staff_id} ({self.agency_id})"


class TrainingRecord(BaseModel):
    """One completion of one course. `expires_on` is `completed_on` plus the course's validity,
    kept in step by `course_sync`, so "in date on day D" is `completed_on <= D < expires_on`."""

    staff_member = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="training_records"
    )
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField()
    expires_on = models.DateField()
    provider = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-completed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff_member", "course", "completed_on"], name="uniq_training_completion"
            )
        ]
        indexes = [
            models.Index(fields=["course", "completed_on", "expires_on"], name="tr_date_idx")
        ]

    def __str__(self) -> str:
        return f"{self.staff_member_id} {self.course_id} {self.completed_on}"


class WorkforceImport(BaseModel):
    """One stored CSV import: what, by whom, from which file (its digest), with what result."""

    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="workforce_imports"
    )
    kind = models.CharField(max_length=10, choices=ImportKind.choices)
    filename = models.CharField(max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    created = models.PositiveIntegerField()
    updated = models.PositiveIntegerField()
    unchanged = models.PositiveIntegerField()
    rejected = models.PositiveIntegerField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="workforce_imports",
    )
    channel = models.CharField(max_length=20, default="web")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} import {self.pk}"

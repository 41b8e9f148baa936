"""Casework after the front door: decision proposals awaiting a manager's sign-off, closure
overrides, the statutory steps (strategy discussion, section 47 enquiry, assessment,
conferences, plans, closure), allocation with its history, and case notes.

Each step belongs to a child and to the referral that started the child's episode (the clocks
belong to that referral). `__str__` never carries a child's name."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from sightline.casework.choices import (
    AllocationKind,
    AssessmentOutcome,
    ClosureReason,
    ConferenceKind,
    ConferenceOutcome,
    EnquiryOutcome,
    NoteKind,
    PlanCategory,
    PlanKind,
    SignOffStatus,
    StrategyOutcome,
)
from sightline.core.models import BaseModel
from sightline.referrals.choices import Outcome

USER = settings.AUTH_USER_MODEL


class SignOff(BaseModel):
    """A practitioner's proposed decision that needs a manager: kept whether it is approved
    (it becomes the decision) or returned (with the reason the practitioner sees)."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="sign_offs"
    )
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    reasoning = models.TextField()
    proposed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="proposals")
    proposed_at = models.DateTimeField()
    risk_level = models.CharField(max_length=10, blank=True)
    status = models.CharField(
        max_length=10, choices=SignOffStatus.choices, default=SignOffStatus.PENDING
    )
    answered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="sign_offs_answered", null=True, blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(blank=True)
    decision = models.OneToOneField(
        "referrals.Decision",
        on_delete=models.PROTECT,
        related_name="sign_off",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["proposed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(status="pending"),
                name="uniq_pending_sign_off_per_referral",
            )
        ]
        indexes = [models.Index(fields=["status", "proposed_at"], name="sign_off_queue_idx")]

    def __str__(self) -> str:
        return f"sign-off {self.pk}"


class ClosureOverride(BaseModel):
    """A head of service closing a disclosure (an override indicator) without a strategy
    discussion: only with a written rationale; the safeguarding lead is alerted."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="closure_overrides"
    )
    decision = models.OneToOneField(
        "referrals.Decision", on_delete=models.PROTECT, related_name="closure_override"
    )
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    indicators = models.JSONField(default=list)
    rationale = models.TextField()
    overridden_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="closure_overrides"
    )
    overridden_at = models.DateTimeField()

    class Meta:
        ordering = ["-overridden_at"]

    def __str__(self) -> str:
        return f"closure override {self.pk}"


class Step(BaseModel):
    """What every statutory step shares: the child, the episode's referral, who recorded it."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class StrategyDiscussion(Step):
    held_at = models.DateTimeField()
    police_present = models.BooleanField()
    csc_present = models.BooleanField()
    health_present = models.BooleanField()
    others_present = models.CharField(max_length=500, blank=True)
    absence_reason = models.TextField(blank=True)
    outcome = models.CharField(max_length=30, choices=StrategyOutcome.choices, blank=True)
    outcome_reason = models.TextField(blank=True)
    actions = models.TextField(blank=True)

    class Meta:
        ordering = ["held_at"]
        indexes = [models.Index(fields=["child", "held_at"], name="sd_child_idx")]

    def __str__(self) -> str:
        return f"strategy discussion {self.pk}"


class Section47Enquiry(Step):
    strategy_discussion = models.ForeignKey(
        StrategyDiscussion, on_delete=models.PROTECT, related_name="enquiries"
    )
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=EnquiryOutcome.choices, blank=True)
    no_conference_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["started_on"]

    def __str__(self) -> str:
        return f"section 47 enquiry {self.pk}"


class Assessment(Step):
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    authorised_on = models.DateField(null=True, blank=True)
    authorised_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    factors = models.JSONField(default=list, blank=True)
    outcome = models.CharField(max_length=30, choices=AssessmentOutcome.choices, blank=True)

    class Meta:
        ordering = ["started_on"]

    def __str__(self) -> str:
        return f"assessment {self.pk}"


class Conference(Step):
    kind = models.CharField(max_length=10, choices=ConferenceKind.choices)
    enquiry = models.ForeignKey(
        Section47Enquiry,
        on_delete=models.PROTECT,
        related_name="conferences",
        null=True,
        blank=True,
    )
    held_on = models.DateField()
    outcome = models.CharField(max_length=30, choices=ConferenceOutcome.choices, blank=True)
    plan_category = models.CharField(max_length=3, choices=PlanCategory.choices, blank=True)

    class Meta:
        ordering = ["held_on"]

    def __str__(self) -> str:
        return f"{self.kind} conference {self.pk}"


class Plan(Step):
    kind = models.CharField(max_length=3, choices=PlanKind.choices)
    category = models.CharField(max_length=3, choices=PlanCategory.choices, blank=True)
    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="plans", null=True, blank=True
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(kind="cp", ended_on__isnull=True),
                name="uniq_open_cp_plan_per_child",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="plan_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} plan {self.pk}"


class EpisodeClosure(Step):
    closed_on = models.DateField()
    reason = models.CharField(max_length=3, choices=ClosureReason.choices)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["closed_on"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "child"], name="uniq_episode_closure")
        ]

    def __str__(self) -> str:
        return f"closure {self.pk}"


class CaseNote(BaseModel):
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    kind = models.CharField(max_length=15, choices=NoteKind.choices)
    text = models.TextField()
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="case_notes")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["-written_at"]
        indexes = [models.Index(fields=["child", "-written_at"], name="note_child_idx")]

    def __str__(self) -> str:
        return f"{self.kind} note {self.pk}"


class Allocation(BaseModel):
    """Who owns a child's work (and the referral that brought it): a worker in a team, or the
    team's allocation queue. The open row (ended_at null) is current; ended rows are history."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        related_name="allocations",
        null=True,
        blank=True,
    )
    kind = models.CharField(max_length=12, choices=AllocationKind.choices)
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="allocations", null=True, blank=True
    )
    allocated_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    allocated_at = models.DateTimeField()
    reason = models.TextField(blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-allocated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(ended_at__isnull=True),
                name="uniq_open_allocation_per_child",
            ),
            models.CheckConstraint(
                condition=Q(kind="team_queue", worker__isnull=True)
                | Q(kind="allocated", worker__isnull=False),
                name="allocation_worker_matches_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["worker", "ended_at"], name="allocation_worker_idx"),
            models.Index(fields=["team", "ended_at"], name="allocation_team_idx"),
        ]

    def __str__(self) -> str:
        return f"allocation {self.pk}"

"""Statutory clocks, escalations up the management ladder, professional challenges, the
in-app inbox and re-referral marks. `__str__` never carries a child's name."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from sightline.core.models import BaseModel
from sightline.escalation.choices import (
    ChallengeOutcome,
    ChallengeStage,
    ChallengeStatus,
    ClockKind,
    ClockStatus,
    EscalationEventKind,
    EscalationStatus,
    InboxKind,
    Rung,
    StepKind,
    TimescaleKey,
    Unit,
)


class ClosureDay(BaseModel):
    """A day the partnership is closed beyond weekends and bank holidays (not a working day)."""

    day = models.DateField(unique=True)
    description = models.CharField(max_length=200)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"closed {self.day:%d %b %Y}"


class ClockPolicy(BaseModel):
    """The partnership's own timescale for one clock or challenge stage (overrides the default
    in choices.DEFAULT_TIMESCALES)."""

    key = models.CharField(max_length=30, choices=TimescaleKey.choices, unique=True)
    amount = models.PositiveIntegerField()
    unit = models.CharField(max_length=20, choices=Unit.choices)

    class Meta:
        verbose_name_plural = "clock policies"

    def __str__(self) -> str:
        return f"{self.key}: {self.amount} {self.unit}"


class LadderRung(BaseModel):
    """One rung of an agency's escalation ladder: who holds it and how long they have before
    the escalation climbs to the next rung."""

    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="rungs")
    rung = models.PositiveSmallIntegerField(choices=Rung.choices)
    role = models.CharField(max_length=40)
    hours = models.PositiveIntegerField()

    class Meta:
        ordering = ["agency", "rung"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "rung"], name="uniq_ladder_rung"),
        ]

    def __str__(self) -> str:
        return f"rung {self.rung} ({self.role}, {self.hours} h)"


class Clock(BaseModel):
    """One statutory time limit on one referral. `next_check_at` is when the sweep must next
    look at it (the due time while running, the next climb once escalated, null when nothing
    is left to do); the sweep reads only that partial index."""

    kind = models.CharField(max_length=30, choices=ClockKind.choices)
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="clocks"
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="clocks",
        null=True,
        blank=True,
        help_text="The agency whose escalation ladder applies.",
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.SET_NULL, related_name="clocks", null=True, blank=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="clocks_assigned",
        null=True,
        blank=True,
    )
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    met_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ClockStatus.choices, default=ClockStatus.RUNNING
    )
    stopped_reason = models.TextField(blank=True)
    detail = models.CharField(max_length=100, blank=True, help_text="e.g. the RAG rating.")
    next_check_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "kind"],
                condition=Q(status__in=["running", "breached"]) & ~Q(kind="return_interview"),
                name="uniq_open_clock_per_kind",
            ),
            models.UniqueConstraint(
                fields=["referral", "kind", "detail"],
                condition=Q(status__in=["running", "breached"], kind="return_interview"),
                name="uniq_open_clock_per_episode",  # its detail: the episode (ADR 0901)
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_check_at"],
                name="clock_sweep_idx",
                condition=Q(next_check_at__isnull=False),
            ),
            models.Index(fields=["status", "due_at"], name="clock_status_due_idx"),
            models.Index(fields=["referral", "kind"], name="clock_referral_idx"),
            # The performance page counts the assessments met in its months: a range on
            # met_at for one kind and status, not a scan of every clock.
            models.Index(fields=["kind", "status", "met_at"], name="clock_kind_met_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} clock {self.pk}"

    @property
    def is_late(self) -> bool:
        return bool(self.met_at and self.met_at > self.due_at)


class Escalation(BaseModel):
    """An overdue clock, climbing the ladder until someone resolves it (with a reason)."""

    clock = models.OneToOneField(Clock, on_delete=models.CASCADE, related_name="escalation")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="escalations"
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        on_delete=models.PROTECT,
        related_name="escalations",
        null=True,
        blank=True,
    )
    rung = models.PositiveSmallIntegerField(choices=Rung.choices)
    status = models.CharField(
        max_length=15, choices=EscalationStatus.choices, default=EscalationStatus.OPEN
    )
    raised_at = models.DateTimeField()
    reason = models.CharField(max_length=300)
    rung_reached_at = models.DateTimeField()
    next_climb_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="escalations_acknowledged",
        null=True,
        blank=True,
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="escalations_resolved",
        null=True,
        blank=True,
    )
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["status", "rung"], name="escalation_status_idx"),
            models.Index(fields=["referral", "-raised_at"], name="escalation_referral_idx"),
        ]

    def __str__(self) -> str:
        return f"escalation {self.pk} (rung {self.rung})"


class EscalationEvent(models.Model):
    """The history of an escalation: raised, each climb, acknowledgement, resolution."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=15, choices=EscalationEventKind.choices)
    rung = models.PositiveSmallIntegerField(choices=Rung.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="escalation_events",
        null=True,
        blank=True,
    )
    reason = models.TextField(blank=True)
    notified = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} at rung {self.rung}"


class Challenge(BaseModel):
    """A referrer's professional challenge to the decision on their referral (practice.md
    §3.3), moving up the stages until it is resolved."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="challenges"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="challenges_raised"
    )
    raised_at = models.DateTimeField()
    reason = models.TextField()
    immediate_risk = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN
    )
    stage = models.PositiveSmallIntegerField(choices=ChallengeStage.choices)
    stage_due_at = models.DateTimeField()
    next_check_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=ChallengeOutcome.choices, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=Q(status="open"),
                name="uniq_open_challenge_per_referral",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_check_at"],
                name="challenge_sweep_idx",
                condition=Q(next_check_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"challenge {self.pk}"


class ChallengeStageRecord(models.Model):
    """One stage of a challenge: when it started, when it was due, how it ended."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="stages")
    stage = models.PositiveSmallIntegerField(choices=ChallengeStage.choices)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=ChallengeOutcome.choices, blank=True)
    notes = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="challenge_stages_answered",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["challenge", "started_at", "stage"]

    def __str__(self) -> str:
        return f"challenge stage {self.stage}"


class StatutoryStep(BaseModel):
    """A step that stops a clock: a strategy discussion, an assessment, a conference."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="statutory_steps"
    )
    kind = models.CharField(max_length=30, choices=StepKind.choices)
    happened_at = models.DateTimeField()
    outcome = models.CharField(max_length=40)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="statutory_steps"
    )

    class Meta:
        ordering = ["happened_at"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.happened_at:%Y-%m-%d}"


class InboxItem(BaseModel):
    """A message in a user's in-app inbox. Carries references, never a child's name."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_items"
    )
    kind = models.CharField(max_length=20, choices=InboxKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.CASCADE,
        related_name="inbox_items",
        null=True,
        blank=True,
    )
    escalation = models.ForeignKey(
        Escalation, on_delete=models.CASCADE, related_name="inbox_items", null=True, blank=True
    )
    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="inbox_items", null=True, blank=True
    )
    delivered_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["-delivered_at"]
        indexes = [models.Index(fields=["user", "read_at", "-delivered_at"], name="inbox_idx")]

    def __str__(self) -> str:
        return f"inbox {self.kind} {self.pk}"


class ReReferral(BaseModel):
    """Stored at intake (and refreshed when children are matched or decisions made): whether
    this referral's child had a referral closed with no further action in the 12 months
    before, and how many referrals the child had in those 12 months (this one included)."""

    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.CASCADE, related_name="rereferral"
    )
    is_rereferral = models.BooleanField(default=False)
    prior_nfa = models.JSONField(default=list, blank=True)
    referrals_in_window = models.PositiveSmallIntegerField(default=1)
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["is_rereferral"], name="rereferral_flag_idx")]

    def __str__(self) -> str:
        return f"re-referral mark {self.referral_id}"


class ReReferralReview(BaseModel):
    """A team manager's review of a third (or later) referral in 12 months, before any
    decision."""

    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.CASCADE, related_name="rereferral_review"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rereferral_reviews"
    )
    reviewed_at = models.DateTimeField()
    reason = models.TextField()

    def __str__(self) -> str:
        return f"re-referral review {self.referral_id}"


class PerformanceMonth(models.Model):
    """The performance page's counts by month and referring agency, kept by the services in
    the transaction of each write that changes them: rows are appended (a change adds a row
    of differences, so no row is held to commit) and folded into one row per key by the
    sweep; the page sums the period's rows (ADR 0103)."""

    month = models.DateField()
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    referrals = models.IntegerField(default=0)
    rereferrals = models.IntegerField(default=0)
    decided = models.IntegerField(default=0)
    decided_in_time = models.IntegerField(default=0)
    assessments = models.IntegerField(default=0)
    assessments_in_time = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["month", "agency"], name="perf_month_idx")]

    def __str__(self) -> str:
        return f"performance {self.month:%Y-%m} {self.agency_id}"

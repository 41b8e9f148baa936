"""Language flags on records, case reviews (scope, reviewers, chronology notes, findings) and
their recommendations. `__str__` returns a reference, never a child's name."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from sightline.core.models import BaseModel
from sightline.reviews.choices import (
    DetectorRunStatus,
    MissedOpportunityStatus,
    RecommendationStatus,
    ReviewKind,
    ReviewStatus,
    TextKind,
)


class LanguageCheck(BaseModel):
    """One stored text that the language checker read (the denominator of "flags per 100
    records"), with its author's agency and team at the time."""

    content_type = models.CharField(max_length=40, choices=TextKind.choices)
    record_id = models.UUIDField()
    record_ref = models.CharField(max_length=30)
    field = models.CharField(max_length=40)
    list_version = models.CharField(max_length=20)
    flag_count = models.PositiveIntegerField(default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, related_name="+"
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["agency", "created_at"], name="langcheck_agency_idx"),
            models.Index(fields=["content_type", "record_id"], name="langcheck_record_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type} {self.record_ref}"


class LanguageFlag(BaseModel):
    """A phrase the checker flagged in a stored text. Never blocks the save; kept for the
    author's own view and for training figures."""

    language_check = models.ForeignKey(
        LanguageCheck, on_delete=models.CASCADE, related_name="flags"
    )
    content_type = models.CharField(max_length=40, choices=TextKind.choices)
    record_id = models.UUIDField()
    record_ref = models.CharField(max_length=30)
    field = models.CharField(max_length=40)
    phrase = models.CharField(max_length=200)
    code = models.CharField(max_length=10)
    category = models.CharField(max_length=30)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, null=True, related_name="+"
    )
    team = models.ForeignKey(
        "accounts.Team", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "start"]
        indexes = [
            models.Index(fields=["agency", "created_at"], name="langflag_agency_idx"),
            models.Index(fields=["content_type", "record_id"], name="langflag_record_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} in {self.record_ref}"


class Review(BaseModel):
    """A case review: its scope (children, period, agencies), status and statutory dates."""

    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=20, choices=ReviewKind.choices)
    title = models.CharField(max_length=200, help_text="No child's name: use references.")
    status = models.CharField(
        max_length=15, choices=ReviewStatus.choices, default=ReviewStatus.SCOPING
    )
    period_start = models.DateField()
    period_end = models.DateField()
    agencies = models.ManyToManyField("accounts.Agency", blank=True, related_name="reviews")
    incident_at = models.DateTimeField(
        null=True, blank=True, help_text="When the partnership learned of the serious incident."
    )
    notification_due_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    rapid_review_due_at = models.DateTimeField(null=True, blank=True)
    rapid_review_done_at = models.DateTimeField(null=True, blank=True)
    report_due_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_started"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")), name="review_period_order"
            )
        ]

    def __str__(self) -> str:
        return self.reference


class ReviewChild(BaseModel):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="children")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "child"], name="uniq_review_child")
        ]

    def __str__(self) -> str:
        return f"{self.review_id}/{self.child_id}"


class ReviewerGrant(BaseModel):
    """Time-limited access for a reviewer to one review's children and period. It ends at
    `expires_at`, when revoked (`ended_at`) or when the review closes."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_grants"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "expires_at"], name="review_grant_user_idx")]

    def __str__(self) -> str:
        return f"grant {self.pk}"


class ChronologyNote(BaseModel):
    """A reviewer's significance note on one entry of the review's chronology."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="notes")
    entry_key = models.CharField(max_length=100)
    significance = models.TextField(blank=True)
    is_key = models.BooleanField(default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "entry_key"], name="uniq_chronology_note")
        ]

    def __str__(self) -> str:
        return self.entry_key


class Finding(BaseModel):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="uniq_finding_number")
        ]

    def __str__(self) -> str:
        return f"finding {self.number}"


class Recommendation(BaseModel):
    reference = models.CharField(max_length=20, unique=True)
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="recommendations")
    finding = models.ForeignKey(
        Finding, on_delete=models.SET_NULL, null=True, blank=True, related_name="recommendations"
    )
    text = models.TextField()
    owner_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="recommendations"
    )
    owner_person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recommendations_owned"
    )
    due_on = models.DateField()
    required_evidence = models.TextField()
    status = models.CharField(
        max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )
    evidence = models.TextField(blank=True)
    evidence_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evidence_submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "reference"]
        indexes = [models.Index(fields=["status", "due_on"], name="rec_status_due_idx")]

    def __str__(self) -> str:
        return self.reference


class RecommendationUpdate(BaseModel):
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="updates"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    status_from = models.CharField(max_length=20, choices=RecommendationStatus.choices)
    status_to = models.CharField(max_length=20, choices=RecommendationStatus.choices)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"update on {self.recommendation_id}"


class MissedOpportunity(BaseModel):
    """A missed-opportunity detector's hit raised live (practice reference §7.3): its pattern,
    the child, the evidence (record references and the agency holding each), the suggested
    action. `key` makes it once per pattern per child per evidence set. Listed in
    `GET /api/v1/alerts` as kind `missed_opportunity`."""

    reference = models.CharField(max_length=20, unique=True)
    pattern = models.CharField(max_length=4)
    key = models.CharField(max_length=200, unique=True)
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    first_visible_on = models.DateField()
    summary = models.CharField(max_length=300)
    action = models.TextField()
    evidence = models.JSONField(default=list)
    agencies = models.JSONField(default=list)
    trigger = models.CharField(max_length=10)
    raised_at = models.DateTimeField()
    status = models.CharField(
        max_length=15,
        choices=MissedOpportunityStatus.choices,
        default=MissedOpportunityStatus.NEW,
    )
    notified = models.JSONField(default=list, help_text="Usernames told (worker, manager).")
    escalated_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at"]
        indexes = [
            models.Index(fields=["child", "-raised_at"], name="mo_child_idx"),
            models.Index(fields=["status", "raised_at"], name="mo_status_idx"),
        ]

    def __str__(self) -> str:
        return self.reference


class DetectorRun(BaseModel):
    """A retrospective run of every detector over a period (and optionally some children):
    run in the request when short, else by the worker with its progress here."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    start_on = models.DateField()
    end_on = models.DateField()
    child_ids = models.JSONField(default=list, blank=True, help_text="Empty: every child.")
    status = models.CharField(
        max_length=10, choices=DetectorRunStatus.choices, default=DetectorRunStatus.QUEUED
    )
    task_id = models.CharField(max_length=64, blank=True)
    children_total = models.PositiveIntegerField(default=0)
    children_done = models.PositiveIntegerField(default=0)
    hits = models.JSONField(default=list, blank=True)
    hit_count = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"detector run {self.start_on}..{self.end_on}"

    @property
    def percent(self) -> int:
        if not self.children_total:
            return 100 if self.status == DetectorRunStatus.DONE else 0
        return int(100 * self.children_done / self.children_total)

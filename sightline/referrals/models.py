from __future__ import annotations

from django.conf import settings
from django.db import models

from sightline.core.models import BaseModel
from sightline.referrals.choices import (
    CandidateStatus,
    Channel,
    MatchStatus,
    Outcome,
    PlaceKind,
    Rag,
    Status,
    Urgency,
)


class Referral(BaseModel):
    reference = models.CharField(max_length=20, unique=True)
    received_at = models.DateTimeField()
    source_agency = models.ForeignKey(
        "accounts.Agency", on_delete=models.PROTECT, related_name="referrals"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    narrative = models.TextField()
    concern_categories = models.JSONField(default=list, blank=True)
    child_aware = models.BooleanField(null=True)
    family_aware = models.BooleanField(null=True)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE)
    status = models.CharField(max_length=20, choices=Status.choices)
    decision_due_at = models.DateTimeField()
    rag = models.CharField(max_length=6, choices=Rag.choices)
    rag_due_at = models.DateTimeField()
    risk_rank = models.PositiveSmallIntegerField(
        default=0, help_text="Highest current screening level (0 none … 3 high), for ordering."
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["status", "risk_rank", "decision_due_at"], name="ref_queue_idx"),
            models.Index(fields=["referred_by", "-received_at"], name="ref_referrer_idx"),
            models.Index(fields=["source_agency", "-received_at"], name="ref_agency_idx"),
            # Period reports (the performance dashboard) read a range of months received.
            models.Index(fields=["received_at"], name="ref_received_idx"),
        ]

    def __str__(self) -> str:
        return self.reference


class ReferralChild(BaseModel):
    """A child as named on a referral (what the referrer wrote), linked to a child record."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="children")
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, related_name="referral_links"
    )
    position = models.PositiveSmallIntegerField(default=0)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    approximate_age = models.PositiveSmallIntegerField(null=True, blank=True)
    sex = models.CharField(max_length=10, default="unknown")
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    school = models.CharField(max_length=200, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True)
    age_on_day = models.PositiveSmallIntegerField(null=True)
    screening_required = models.BooleanField()
    match_status = models.CharField(max_length=15, choices=MatchStatus.choices)

    class Meta:
        ordering = ["referral", "position"]

    def __str__(self) -> str:
        return f"{self.referral.reference}/{self.position + 1}"


class ChildMatchCandidate(BaseModel):
    """A possible existing record for a referred child, with its score and reasons. Only
    child_match_confirm / child_match_reject act on it; children are never merged by itself."""

    referral_child = models.ForeignKey(
        ReferralChild, on_delete=models.CASCADE, related_name="candidates"
    )
    candidate = models.ForeignKey(
        "people.Child", on_delete=models.CASCADE, related_name="match_candidacies"
    )
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.PROPOSED
    )

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral_child", "candidate"], name="uniq_candidate_per_referred_child"
            )
        ]

    def __str__(self) -> str:
        return f"candidate {self.score:.2f}"


class PersonNamed(BaseModel):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="persons_named")
    name = models.CharField(max_length=200, blank=True)
    nickname = models.CharField(max_length=100, blank=True)
    approximate_age = models.PositiveSmallIntegerField(null=True, blank=True)
    description = models.TextField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    vehicle_registration = models.CharField(max_length=12, blank=True)
    address = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"person named on {self.referral_id}"


class PlaceNamed(BaseModel):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="places_named")
    name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=PlaceKind.choices, default=PlaceKind.OTHER)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name or "place"


class Decision(BaseModel):
    """The front door's outcome on a referral. A referral has at most one current decision
    (`referral`, read as `referral.decision`); a decision reopened by a challenge stops being
    current (its `referral` is cleared) and is kept, with `for_referral` and, once the new
    decision is recorded, `superseded_by` (ADR 0402)."""

    referral = models.OneToOneField(
        Referral,
        on_delete=models.PROTECT,
        related_name="decision",
        null=True,
        blank=True,
        help_text="Set while this is the referral's current decision.",
    )
    for_referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions"
    )
    decided_at = models.DateTimeField()
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="decisions_signed_off",
        null=True,
        blank=True,
    )
    risk_level_at_decision = models.CharField(max_length=10, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_reason = models.TextField(blank=True)
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        related_name="supersedes",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(referral__isnull=True)
                | models.Q(referral=models.F("for_referral")),
                name="decision_current_of_its_referral",
            ),
            models.CheckConstraint(
                condition=models.Q(superseded_by__isnull=True) | models.Q(referral__isnull=True),
                name="superseded_decision_not_current",
            ),
        ]

    def __str__(self) -> str:
        return f"decision on {self.for_referral_id}"

    @property
    def is_current(self) -> bool:
        return self.referral_id is not None


class BreakGlassGrant(BaseModel):
    """Time-limited access to one referral (and its children) outside the user's scope,
    given only with a reason; the owning managers are alerted and it is audited."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    reason = models.TextField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["user", "expires_at"], name="breakglass_user_idx")]

    def __str__(self) -> str:
        return f"break-glass {self.pk}"

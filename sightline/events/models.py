"""Partner events: what other agencies' systems record about a child (police incidents, missing
episodes, safe-and-well checks, health attendances, education, youth justice, housing), the
missing episode's own record with its return interview, the possible child matches, and the
alerts the detectors raise. `__str__` returns a reference, never a name."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from sightline.core.models import BaseModel
from sightline.events.choices import (
    AbsenceType,
    Detector,
    EventAlertStatus,
    EventKind,
    InterviewStatus,
    MatchStatus,
    MissingFrom,
    RiskGrade,
)


class Event(BaseModel):
    """One event from one agency's system. Re-sending the same (agency, kind, source_id)
    changes nothing: the unique constraint holds that even under concurrent sends."""

    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    code = models.CharField(max_length=40, blank=True, help_text="Its type within the kind.")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    source_id = models.CharField(max_length=100)
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="events")
    match_status = models.CharField(max_length=15, choices=MatchStatus.choices)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="events_submitted"
    )
    summary = models.TextField(blank=True)
    fields = models.JSONField(default=dict, blank=True, help_text="The kind's own fields.")
    child_as_sent = models.JSONField(default=dict, blank=True)
    persons_named = models.JSONField(default=list, blank=True)
    places_named = models.JSONField(default=list, blank=True)
    vehicles = models.JSONField(default=list, blank=True)
    phones = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-occurred_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "kind", "source_id"], name="uniq_event_source"
            ),
        ]
        indexes = [
            models.Index(fields=["child", "-occurred_at"], name="event_child_idx"),
            models.Index(fields=["kind", "-occurred_at"], name="event_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.reference


class EventChildCandidate(BaseModel):
    """An existing child the event's child may be, with score and reasons; never merged."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="candidates")
    candidate = models.ForeignKey("people.Child", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    reasons = models.JSONField(default=list)

    class Meta:
        ordering = ["-score"]

    def __str__(self) -> str:
        return f"candidate {self.score:.2f}"


class MissingEpisode(BaseModel):
    """A missing episode's own record: the facts the measures count, the return, and the
    return interview due 72 clock hours after it."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="episode")
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    reported_at = models.DateTimeField(null=True, blank=True)
    risk_grade = models.CharField(max_length=20, choices=RiskGrade.choices)
    absence_type = models.CharField(max_length=30, choices=AbsenceType.choices)
    missing_from = models.CharField(max_length=10, choices=MissingFrom.choices)
    returned_at = models.DateTimeField(null=True, blank=True)
    found_where = models.CharField(max_length=200, blank=True)
    found_by = models.CharField(max_length=200, blank=True)
    found_with = models.TextField(blank=True)
    is_found_with_adults = models.BooleanField(default=False)
    interview_due_at = models.DateTimeField(null=True, blank=True)
    interview_status = models.CharField(
        max_length=15, choices=InterviewStatus.choices, default=InterviewStatus.DUE
    )
    clock_id = models.UUIDField(
        null=True, blank=True, help_text="The escalation clock on the child's latest referral."
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["child", "started_at"], name="episode_child_idx"),
            models.Index(
                fields=["interview_due_at"],
                name="episode_open_interview_idx",
                condition=Q(interview_status__in=["due", "offered", "accepted"]),
            ),
        ]

    def __str__(self) -> str:
        return f"episode {self.event_id}"


class ReturnInterview(BaseModel):
    """The return interview: offered, accepted, declined, not offered (with a reason), the
    attempts, and when completed what the child said and the actions agreed."""

    episode = models.OneToOneField(
        MissingEpisode, on_delete=models.CASCADE, related_name="interview"
    )
    status = models.CharField(max_length=15, choices=InterviewStatus.choices)
    offered_at = models.DateTimeField(null=True, blank=True)
    not_offered_reason = models.TextField(blank=True)
    attempts = models.JSONField(default=list, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    interviewer = models.CharField(max_length=200, blank=True)
    is_independent = models.BooleanField(default=True)
    where_stayed = models.TextField(blank=True)
    with_whom = models.TextField(blank=True)
    child_said = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"return interview {self.pk}"


class EventAlert(BaseModel):
    """A detector's finding about one child (a named rule, practice reference §7.3). `key`
    makes each finding once: the same episode, attendance or window raises one alert."""

    reference = models.CharField(max_length=20, unique=True)
    detector = models.CharField(max_length=30, choices=Detector.choices)
    key = models.CharField(max_length=200, unique=True)
    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    raised_at = models.DateTimeField()
    summary = models.CharField(max_length=300)
    evidence = models.JSONField(default=list, blank=True)
    asks = models.CharField(max_length=40, blank=True, help_text="e.g. cse_screening")
    status = models.CharField(
        max_length=10, choices=EventAlertStatus.choices, default=EventAlertStatus.NEW
    )
    status_reason = models.TextField(blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["child", "-raised_at"], name="eventalert_child_idx")]

    def __str__(self) -> str:
        return self.reference

"""Persons of concern, places, vehicles, phones and handles; the mentions that tie them to
referrals; candidate matches, link decisions, suggestions read from narratives; alerts; the
adjacency table the network view walks. `__str__` returns a reference, never a name."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from sightline.core.models import BaseModel
from sightline.intel.choices import (
    AlertKind,
    AlertStatus,
    CandidateStatus,
    Certainty,
    EntityType,
    LinkAction,
    LinkStatus,
    PersonChangeKind,
    Priority,
    SuggestionKind,
    SuggestionStatus,
)


class Entity(BaseModel):
    reference = models.CharField(max_length=20, unique=True)
    is_active = models.BooleanField(
        default=True, help_text="False once its only mention was moved to another entity."
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.reference


class PersonOfConcern(Entity):
    """An adult named in concerns about children. The profile fields are the union of what its
    active mentions say, rebuilt whenever a mention is linked or unlinked."""

    names = models.JSONField(default=list, blank=True)
    nicknames = models.JSONField(default=list, blank=True)
    estimated_birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True)
    addresses = models.JSONField(default=list, blank=True)
    phones = models.JSONField(default=list, blank=True)
    plates = models.JSONField(default=list, blank=True)
    profile = models.JSONField(default=dict, blank=True, help_text="resolution.Profile, as JSON")

    class Meta:
        verbose_name = "person of concern"
        verbose_name_plural = "persons of concern"


class PersonKey(models.Model):
    """Blocking keys for the online candidate search: `fam:<metaphone>`, `giv:<group key>`,
    `nick:<nickname>`, `tel:<E.164>`, `vrm:full:…`/`vrm:start:…`/`vrm:end:…`. One index
    lookup per key finds the few persons worth scoring."""

    person = models.ForeignKey(PersonOfConcern, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=60)

    class Meta:
        indexes = [models.Index(fields=["key"], name="intel_personkey_idx")]

    def __str__(self) -> str:
        return self.key


class PersonChange(BaseModel):
    """A merge or a split of persons of concern, kept so that an old reference still finds its
    person: `from_person` gave up the mentions in `mention_ids` to `into_person`. A merge is
    made by indexing (a mention matched both; `decided_by` empty) and moves every mention; a
    split is a practitioner's, with a reason, and makes `into_person`. ADR 0205."""

    kind = models.CharField(max_length=10, choices=PersonChangeKind.choices)
    from_person = models.UUIDField()
    into_person = models.UUIDField()
    mention_ids = models.JSONField(default=list)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intel_person_changes",
    )

    class Meta:
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["from_person", "created_at"], name="intel_change_from_idx"),
            models.Index(fields=["into_person", "created_at"], name="intel_change_into_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class Place(Entity):
    name = models.CharField(max_length=200, blank=True)
    name_key = models.CharField(max_length=200, blank=True, db_index=True)
    kind = models.CharField(max_length=20, default="other")
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    postcode_key = models.CharField(max_length=10, blank=True, db_index=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)


class Vehicle(Entity):
    registration = models.CharField(max_length=10, db_index=True)
    is_partial = models.BooleanField(default=False)
    anchor = models.CharField(max_length=5, default="full")
    make = models.CharField(max_length=60, blank=True)
    colour = models.CharField(max_length=30, blank=True)


class Phone(Entity):
    number = models.CharField(max_length=16, unique=True)


class Handle(Entity):
    handle = models.CharField(max_length=40, unique=True)
    platform = models.CharField(max_length=30, blank=True)


ENTITY_MODELS: dict[str, type[Entity]] = {
    EntityType.PERSON: PersonOfConcern,
    EntityType.PLACE: Place,
    EntityType.VEHICLE: Vehicle,
    EntityType.PHONE: Phone,
    EntityType.HANDLE: Handle,
}


class Mention(BaseModel):
    """An entity named somewhere: which referral or other source (a partner event), which
    agency, what was said. The children it concerns are the referral's children, or for
    another source those in `child_ids`."""

    entity_type = models.CharField(max_length=10, choices=EntityType.choices)
    entity_id = models.UUIDField()
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.CASCADE,
        related_name="intel_mentions",
        null=True,
        blank=True,
        help_text="The referral it was named on; null for another source (a partner event).",
    )
    source_kind = models.CharField(
        max_length=20, default="referral", help_text='"referral", or e.g. "event".'
    )
    source_id = models.UUIDField(
        null=True, blank=True, help_text="The source record's id when it is not a referral."
    )
    source_ref = models.CharField(max_length=20, blank=True)
    child_ids = models.JSONField(
        default=list, blank=True, help_text="The children a non-referral source concerns."
    )
    agency = models.ForeignKey("accounts.Agency", on_delete=models.PROTECT, related_name="+")
    person_named = models.ForeignKey(
        "referrals.PersonNamed", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    place_named = models.ForeignKey(
        "referrals.PlaceNamed", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    via = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="parts",
        help_text="The person mention this phone or vehicle was given with.",
    )
    occurred_at = models.DateTimeField()
    said = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    link_status = models.CharField(max_length=10, choices=LinkStatus.choices)
    score = models.FloatField(default=1.0)
    reasons = models.JSONField(default=list, blank=True)
    origin_entity_id = models.UUIDField(
        null=True, blank=True, help_text="The entity made from this mention, if one was."
    )
    explanation = models.JSONField(
        default=dict,
        blank=True,
        help_text="Why linked (or not): entity, probability, each comparison's contribution "
        "(comparison, level, weight) and the runner-up candidate; ambiguous: both candidates.",
    )

    class Meta:
        ordering = ["occurred_at"]
        indexes = [
            models.Index(fields=["entity_id", "occurred_at"], name="intel_mention_entity_idx"),
            models.Index(fields=["entity_type", "occurred_at"], name="intel_mention_type_idx"),
            models.Index(
                fields=["source_id"],
                name="intel_mention_source_idx",
                condition=models.Q(source_id__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"mention {self.pk}"

    @property
    def is_probable(self) -> bool:
        return self.link_status == LinkStatus.PROBABLE

    @property
    def source_key(self) -> uuid.UUID:
        """The referral's id, or the other source's: what adjacency and the rules key on."""
        key = self.referral_id or self.source_id
        if key is None:
            raise ValueError("A mention has a referral or another source.")
        return key


class MatchCandidate(BaseModel):
    """An existing entity a mention may be, with its score and reasons. Only mention_confirm
    and mention_reject act on it."""

    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="candidates")
    entity_type = models.CharField(max_length=10, choices=EntityType.choices)
    entity_id = models.UUIDField()
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    status = models.CharField(
        max_length=10, choices=CandidateStatus.choices, default=CandidateStatus.PROPOSED
    )

    class Meta:
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["mention", "entity_id"], name="uniq_intel_candidate")
        ]
        indexes = [models.Index(fields=["entity_id"], name="intel_candidate_entity_idx")]

    def __str__(self) -> str:
        return f"candidate {self.score:.2f}"


class LinkDecision(BaseModel):
    """A practitioner's confirm or reject, with what it changed, so that it can be undone."""

    mention = models.ForeignKey(Mention, on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField(max_length=10, choices=LinkAction.choices)
    entity_id = models.UUIDField()
    before_entity_id = models.UUIDField()
    before_status = models.CharField(max_length=10)
    after_entity_id = models.UUIDField()
    after_status = models.CharField(max_length=10)
    reactivated_entity_id = models.UUIDField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intel_link_decisions"
    )
    reason = models.TextField(blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intel_link_undos",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.action} {self.pk}"


class Suggestion(BaseModel):
    """Something read from a narrative (a registration, phone, postcode, handle, or the name of
    a known person of concern), offered for confirmation; never a link by itself."""

    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.CASCADE, related_name="intel_suggestions"
    )
    kind = models.CharField(max_length=10, choices=SuggestionKind.choices)
    text = models.CharField(max_length=100)
    value = models.CharField(max_length=100)
    entity_type = models.CharField(max_length=10, blank=True)
    entity_id = models.UUIDField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"suggestion {self.kind}"


class Alert(BaseModel):
    reference = models.CharField(max_length=20, unique=True)
    kind = models.CharField(max_length=30, choices=AlertKind.choices)
    trigger = models.CharField(max_length=20)
    entity_type = models.CharField(max_length=10, choices=EntityType.choices)
    entity_id = models.UUIDField()
    entity_ref = models.CharField(max_length=20)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices)
    certainty = models.CharField(max_length=10, choices=Certainty.choices)
    status = models.CharField(max_length=10, choices=AlertStatus.choices, default=AlertStatus.NEW)
    status_reason = models.TextField(blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(max_length=300)
    child_ids = models.JSONField(default=list)
    referral_ids = models.JSONField(default=list)
    evidence = models.JSONField(default=list)
    possible_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the rule first held on the links known now (a late link dates an alert "
        "to the referral that made it possible, earlier than the one that raised it).",
    )
    fired_by = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    supersedes = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="escalations"
    )

    class Meta:
        ordering = ["priority", "-created_at"]
        indexes = [
            models.Index(fields=["status", "priority", "-created_at"], name="intel_alert_queue"),
            # The default list (every status but withdrawn), read in its display order.
            models.Index(fields=["priority", "-created_at"], name="intel_alert_order_idx"),
            models.Index(fields=["status", "fired_by"], name="intel_alert_count_idx"),  # its count
            models.Index(fields=["entity_id", "trigger"], name="intel_alert_entity_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def trigger_label(self) -> str:
        return {
            "children2": "second child",
            "children3": "third child",
            "agencies2": "second agency",
            "vehicle": "shared vehicle",
        }.get(self.trigger, self.trigger)


class Edge(models.Model):
    """Adjacency (both directions) between children and entities named on the same referral:
    the network view is two indexed lookups on `a_id`."""

    id = models.BigAutoField(primary_key=True)
    a_type = models.CharField(max_length=10)
    a_id = models.UUIDField()
    b_type = models.CharField(max_length=10)
    b_id = models.UUIDField()
    referral_id = models.UUIDField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["a_id"], name="intel_edge_a_idx"),
            models.Index(fields=["referral_id"], name="intel_edge_referral_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.a_type}-{self.b_type}"


class NetworkGroup(BaseModel):
    """A connected group across the partnership (networkx, per connected component), refreshed
    by `intel_groups_refresh`. Holds counts and agency codes; members are read on demand."""

    size = models.PositiveIntegerField()
    persons = models.PositiveIntegerField()
    children = models.PositiveIntegerField()
    places = models.PositiveIntegerField()
    vehicles = models.PositiveIntegerField()
    phones = models.PositiveIntegerField()
    agencies = models.JSONField(default=list)
    person_ids = models.JSONField(default=list)
    anchor_person_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-persons", "-children"]
        indexes = [
            models.Index(fields=["-persons", "-children", "-size"], name="intel_group_order_idx")
        ]

    def __str__(self) -> str:
        return f"group {self.pk}"

from __future__ import annotations

from django.db import models


class EntityType(models.TextChoices):
    PERSON = "person", "Person of concern"
    PLACE = "place", "Place"
    VEHICLE = "vehicle", "Vehicle"
    PHONE = "phone", "Phone number"
    HANDLE = "handle", "Online handle"


class LinkStatus(models.TextChoices):
    """How a mention came to be tied to its entity."""

    ORIGIN = "origin", "First mention (the entity was made from it)"
    EXACT = "exact", "Same identifier (phone, full registration, postcode)"
    PROBABLE = "probable", "Probable match, awaiting confirmation"
    CONFIRMED = "confirmed", "Confirmed by a practitioner"


class CandidateStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    LINKED = "linked", "Linked (probable)"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"
    AMBIGUOUS = "ambiguous", "Ambiguous (fits two persons about equally; linked to neither)"


class SuggestionKind(models.TextChoices):
    VEHICLE = "vehicle", "Vehicle registration"
    PHONE = "phone", "Phone number"
    POSTCODE = "postcode", "Postcode"
    HANDLE = "handle", "Online handle"
    PERSON = "person", "Known person of concern"


class SuggestionStatus(models.TextChoices):
    OPEN = "open", "Awaiting confirmation"
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"


class AlertKind(models.TextChoices):
    PERSON_MULTIPLE_CHILDREN = "person_multiple_children", "Person of concern linked to children"
    PLACE_HOTSPOT = "place_hotspot", "Place linked to concerns about children"
    VEHICLE_MULTIPLE_CHILDREN = "vehicle_multiple_children", "Vehicle seen with children"


class AlertStatus(models.TextChoices):
    NEW = "new", "New"
    REVIEWED = "reviewed", "Reviewed"
    ACTIONED = "actioned", "Actioned"
    DISMISSED = "dismissed", "Dismissed"
    WITHDRAWN = "withdrawn", "Withdrawn (the match was rejected)"


ALERT_TRANSITIONS: dict[str, frozenset[str]] = {
    AlertStatus.NEW: frozenset({AlertStatus.REVIEWED, AlertStatus.ACTIONED, AlertStatus.DISMISSED}),
    AlertStatus.REVIEWED: frozenset({AlertStatus.ACTIONED, AlertStatus.DISMISSED}),
    AlertStatus.ACTIONED: frozenset(),
    AlertStatus.DISMISSED: frozenset(),
    AlertStatus.WITHDRAWN: frozenset(),
}


class Certainty(models.TextChoices):
    PROBABLE = "probable", "Probable (match not yet confirmed)"
    CONFIRMED = "confirmed", "Confirmed"


class Priority(models.IntegerChoices):
    HIGH = 1, "High"
    STANDARD = 2, "Standard"


class LinkAction(models.TextChoices):
    CONFIRM = "confirm", "Confirmed"
    REJECT = "reject", "Rejected"


class PersonChangeKind(models.TextChoices):
    MERGE = "merge", "Merged (its mentions moved to another person)"
    SPLIT = "split", "Split (mentions moved out to a new person)"

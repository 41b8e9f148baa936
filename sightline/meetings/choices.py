"""The meetings app's vocabularies, and the allowed-transitions maps beside their statuses."""

from __future__ import annotations

from django.db import models


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    PACK_ISSUED = "pack_issued", "Pack issued"
    HELD = "held", "Held"
    MINUTES_APPROVED = "minutes_approved", "Minutes approved"


MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingStatus.PLANNED: frozenset({MeetingStatus.PACK_ISSUED, MeetingStatus.HELD}),
    MeetingStatus.PACK_ISSUED: frozenset({MeetingStatus.HELD}),
    MeetingStatus.HELD: frozenset({MeetingStatus.MINUTES_APPROVED}),
    MeetingStatus.MINUTES_APPROVED: frozenset(),
}


class Attendance(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent (no apologies)"


class Section(models.TextChoices):
    """The VOLT order, after the action log."""

    ACTIONS = "actions", "Previous actions"
    VICTIMS = "victims", "Victims"
    OFFENDERS = "offenders", "Persons of concern"
    LOCATIONS = "locations", "Locations"
    THEMES = "themes", "Themes and trends"


SECTION_ORDER = [s.value for s in Section]


class SubjectType(models.TextChoices):
    ACTION = "action", "Action"
    CHILD = "child", "Child"
    PERSON = "person", "Person of concern"
    PLACE = "place", "Place"
    VEHICLE = "vehicle", "Vehicle"
    THEME = "theme", "Theme"


class ItemOrigin(models.TextChoices):
    GENERATED = "generated", "From the data"
    ADDED = "added", "Added by the chair"


class Why(models.TextChoices):
    """Why an item is on the agenda (one item may have several reasons)."""

    OPEN_ACTION = "open_action", "Open action"
    OVERDUE_ACTION = "overdue_action", "Overdue action"
    NEWLY_HIGH_RISK = "newly_high_risk", "Newly high risk (screening)"
    NEW_ALERT = "new_alert", "New alert"
    REPEAT_MISSING = "repeat_missing", "Repeat missing episodes"
    REVIEW_DUE = "review_due", "Due for review (12 weeks since last discussed)"
    PROPOSED = "proposed", "Proposed by a practitioner"
    NEW_LINKS = "new_links", "New links to children"
    OPEN_DISRUPTION = "open_disruption", "Disruption action open"
    HOTSPOT = "hotspot", "Hotspot or place with new concerns"
    THEME = "theme", "Counts and trends"
    CHAIR = "chair", "Added by the chair"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


ACTION_TRANSITIONS: dict[str, frozenset[str]] = {
    ActionStatus.OPEN: frozenset({ActionStatus.DONE, ActionStatus.CANCELLED}),
    ActionStatus.DONE: frozenset({ActionStatus.OPEN}),
    ActionStatus.CANCELLED: frozenset(),
}


class TargetType(models.TextChoices):
    PERSON = "person", "Person of concern"
    PLACE = "place", "Place"
    VEHICLE = "vehicle", "Vehicle"
    BUSINESS = "business", "Business (at a place)"


class DisruptionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPLIED = "applied", "Applied for"
    SERVED = "served", "Served or made"
    IN_FORCE = "in_force", "In force"
    BREACHED = "breached", "Breached"
    EXPIRED = "expired", "Expired"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"


DISRUPTION_TRANSITIONS: dict[str, frozenset[str]] = {
    DisruptionStatus.PROPOSED: frozenset(
        {DisruptionStatus.APPLIED, DisruptionStatus.SERVED, DisruptionStatus.WITHDRAWN}
    ),
    DisruptionStatus.APPLIED: frozenset(
        {DisruptionStatus.SERVED, DisruptionStatus.REFUSED, DisruptionStatus.WITHDRAWN}
    ),
    DisruptionStatus.SERVED: frozenset(
        {
            DisruptionStatus.IN_FORCE,
            DisruptionStatus.BREACHED,
            DisruptionStatus.EXPIRED,
            DisruptionStatus.WITHDRAWN,
        }
    ),
    DisruptionStatus.IN_FORCE: frozenset(
        {DisruptionStatus.BREACHED, DisruptionStatus.EXPIRED, DisruptionStatus.WITHDRAWN}
    ),
    DisruptionStatus.BREACHED: frozenset(
        {DisruptionStatus.IN_FORCE, DisruptionStatus.EXPIRED, DisruptionStatus.WITHDRAWN}
    ),
    DisruptionStatus.EXPIRED: frozenset(),
    DisruptionStatus.REFUSED: frozenset(),
    DisruptionStatus.WITHDRAWN: frozenset(),
}

# A measure that is doing its work: counted as "active" on the measures page.
ACTIVE_DISRUPTION = frozenset(
    {DisruptionStatus.SERVED, DisruptionStatus.IN_FORCE, DisruptionStatus.BREACHED}
)
# Still to be finished (the agenda's "disruption actions open").
OPEN_DISRUPTION = ACTIVE_DISRUPTION | {DisruptionStatus.PROPOSED, DisruptionStatus.APPLIED}


class AlertKind(models.TextChoices):
    EXPIRY_SOON = "expiry_soon", "Disruption expires within 14 days"
    BREACH = "breach", "Breach logged"
    ACTION_OVERDUE = "action_overdue", "Action overdue at the next meeting"
    NO_DISRUPTION = "no_disruption", "Person of concern linked to 3+ children, no disruption"


class AlertStatus(models.TextChoices):
    NEW = "new", "New"
    SEEN = "seen", "Seen"


# The 3x5x2 intelligence grading (College of Policing APP, Intelligence management): how
# reliable the source is, how the source knows it, and whether and how it may be shared.
class SourceGrade(models.TextChoices):
    RELIABLE = "1", "1: Reliable"
    UNTESTED = "2", "2: Untested"
    NOT_RELIABLE = "3", "3: Not reliable"


class InformationGrade(models.TextChoices):
    DIRECT = "A", "A: Known directly to the source"
    CORROBORATED = "B", "B: Known indirectly to the source but corroborated"
    INDIRECT = "C", "C: Known indirectly to the source"
    NOT_KNOWN = "D", "D: Not known"
    SUSPECT = "E", "E: Suspected to be false or malicious"


class HandlingCode(models.TextChoices):
    PERMITTED = "P", "P: Lawful sharing permitted"
    CONDITIONS = "C", "C: Lawful sharing permitted with conditions"

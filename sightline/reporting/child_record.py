"""Everything Sightline holds about one child that one user may see, loaded once and in bulk.

`ChildRecord` is the read model the child hub and the chronology share. Each property is one
query (or none), whatever the number of referrals the child has, and each applies the scope
of the app it reads: referrals through `referrals.selectors.child_referrals`, clocks and
escalations through `escalation.selectors`, alerts through `intel.selectors.alert_list`,
linked entities through the intel scope. Screenings are the front door's working and show
only to those who may see it (`referrals.selectors.can_see_assessment`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import Q

from sightline.accounts.roles import Cap
from sightline.audit.choices import Action
from sightline.audit.models import AuditEvent
from sightline.casework.selectors import Casework, case_note_marks, child_casework
from sightline.escalation.models import Challenge, Clock, Escalation, StatutoryStep
from sightline.escalation.selectors import challenge_list, clock_scope, escalation_list
from sightline.events.selectors import events_for_child_chronology
from sightline.intel.choices import EntityType
from sightline.intel.models import ENTITY_MODELS, Alert, Edge, Entity
from sightline.intel.selectors import alert_list, intel_referrals
from sightline.meetings.models import ChildProposal, Discussion
from sightline.people.models import Child
from sightline.referrals.models import Referral, ReferralChild
from sightline.referrals.selectors import can_see_assessment, child_get, child_referrals
from sightline.screening.models import Screening

LINKED_TYPES = (EntityType.PERSON, EntityType.PLACE, EntityType.VEHICLE, EntityType.PHONE)


@dataclass(frozen=True)
class HeldElsewhere:
    """A referral about the child that this user may not open: its date and agency only."""

    received_at: Any
    agency: str


class ChildRecord:
    def __init__(self, *, user: Any, child: Child) -> None:
        self.user = user
        self.child = child

    # ---- referrals ---------------------------------------------------------------------

    @cached_property
    def referrals(self) -> list[Referral]:
        """Newest first, with the decision, its maker and the source agency."""
        return list(
            child_referrals(user=self.user, child=self.child).select_related(
                "decision__decided_by__agency", "decision__signed_off_by", "referred_by"
            )
        )

    @cached_property
    def referral_ids(self) -> list[uuid.UUID]:
        return [r.pk for r in self.referrals]

    @cached_property
    def names_as_referred(self) -> list[tuple[str, str]]:
        """The names the child was referred under that differ from the record's (aliases and
        spellings), from the referrals the user may see."""
        own = (self.child.given_name.strip().lower(), self.child.family_name.strip().lower())
        seen: dict[tuple[str, str], tuple[str, str]] = {}
        rows = ReferralChild.objects.filter(
            child=self.child, referral_id__in=self.referral_ids
        ).values_list("given_name", "family_name")
        for given, family in rows:
            key = (given.strip().lower(), family.strip().lower())
            if key != own and key not in seen:
                seen[key] = (given.strip(), family.strip())
        return sorted(seen.values())

    @cached_property
    def held_elsewhere(self) -> list[HeldElsewhere]:
        """Referrals about this child outside the user's scope: "event held by AGENCY"
        (practice: an entry another agency may not see in detail shows only who holds it)."""
        rows = (
            ReferralChild.objects.filter(child=self.child)
            .exclude(referral_id__in=self.referral_ids)
            .values_list("referral__received_at", "referral__source_agency__name")
            .order_by("referral__received_at")
        )
        return [HeldElsewhere(at, agency) for at, agency in rows]

    # ---- screening ---------------------------------------------------------------------

    @cached_property
    def sees_screening(self) -> bool:
        return can_see_assessment(self.user)

    @cached_property
    def screenings(self) -> list[Screening]:
        """Every screening of the child on the user's referrals, oldest first."""
        if not self.sees_screening:
            return []
        return list(
            Screening.objects.filter(
                referral_child__child=self.child, referral_child__referral_id__in=self.referral_ids
            )
            .select_related("referral_child__referral", "screened_by__agency")
            .order_by("screened_at", "pk")
        )

    @property
    def current_screening(self) -> Screening | None:
        return self.screenings[-1] if self.screenings else None

    # ---- escalation: challenges, clocks, statutory steps -------------------------------

    @cached_property
    def challenges(self) -> list[Challenge]:
        return list(
            challenge_list(user=self.user)
            .filter(referral_id__in=self.referral_ids)
            .select_related("raised_by__agency")
            .order_by("raised_at")
        )

    @cached_property
    def clocks(self) -> list[Clock]:
        return list(
            clock_scope(user=self.user)
            .filter(referral_id__in=self.referral_ids)
            .select_related("referral", "assigned_to", "team")
            .order_by("due_at", "pk")
        )

    @cached_property
    def steps(self) -> list[StatutoryStep]:
        if not self.user.has_capability(Cap.ESCALATION_VIEW):
            return []
        return list(
            StatutoryStep.objects.filter(referral_id__in=self.referral_ids)
            .select_related("referral", "recorded_by__agency")
            .order_by("happened_at", "pk")
        )

    @cached_property
    def escalations(self) -> list[Escalation]:
        return list(
            escalation_list(user=self.user)
            .filter(referral_id__in=self.referral_ids)
            .order_by("raised_at", "pk")
        )

    # ---- intelligence ------------------------------------------------------------------

    @cached_property
    def sees_intel(self) -> bool:
        return bool(self.user.has_capability(Cap.INTEL_VIEW))

    @cached_property
    def _edges(self) -> list[tuple[str, uuid.UUID]]:
        """The entities named with this child on referrals the user may see in intelligence."""
        if not self.sees_intel:
            return []
        visible = intel_referrals(user=self.user).filter(pk__in=self.referral_ids).values("pk")
        return list(
            Edge.objects.filter(a_id=self.child.pk, b_type__in=LINKED_TYPES)
            .filter(referral_id__in=visible)
            .values_list("b_type", "b_id")
            .distinct()
        )

    @cached_property
    def linked(self) -> dict[str, list[Entity]]:
        """Persons, places, vehicles and phones named with the child: one query per type."""
        ids: dict[str, set[uuid.UUID]] = {t: set() for t in LINKED_TYPES}
        for kind, pk in self._edges:
            ids[kind].add(pk)
        out: dict[str, list[Entity]] = {}
        for kind in LINKED_TYPES:
            model = ENTITY_MODELS[kind]
            rows = model.objects.filter(pk__in=ids[kind], is_active=True)  # type: ignore[attr-defined]
            out[kind] = sorted(rows, key=lambda e: e.reference)
        return out

    @cached_property
    def alerts(self) -> list[Alert]:
        """Alerts that name this child (on entities linked with it), oldest first."""
        entity_ids = [pk for _kind, pk in self._edges]
        if not self.user.has_capability(Cap.ALERT_VIEW):
            return []
        wanted = str(self.child.pk)
        rows = alert_list(user=self.user).filter(entity_id__in=entity_ids).order_by("created_at")
        return [a for a in rows if wanted in {str(c) for c in a.child_ids}]

    # ---- audit-relevant events ---------------------------------------------------------

    @cached_property
    def record_links(self) -> list[AuditEvent]:
        """Confirmed and rejected matches between this child's record and referrals."""
        return [
            e
            for e in AuditEvent.objects.filter(
                Q(action=Action.LINK, object_type="referral_child")
                | Q(action=Action.UNLINK, object_type="child_match"),
                child_id=self.child.pk,
                referral_id__in=self.referral_ids,
            ).order_by("seq")
            if e.action == Action.UNLINK or "confirmed_child" in (e.details or {})
        ]

    # ---- after the front door: casework, partner events, MACE ----------------------------

    @cached_property
    def casework(self) -> Casework:
        """Statutory steps, plans, notes and allocations (empty without casework.view)."""
        return child_casework(user=self.user, child=self.child)

    @cached_property
    def case_note_marks(self) -> list[tuple[Any, str, str]]:
        """When, what kind and which agency, for every case note (the chronology's entries):
        from the notes already read when they are all there, else one more read."""
        work = self.casework
        if work.notes_total <= len(work.notes):
            return [(n.written_at, n.get_kind_display(), n.agency.name) for n in work.notes]
        return case_note_marks(user=self.user, child=self.child)

    @cached_property
    def partner_events(self) -> list[dict[str, Any]]:
        """The partner events the user may see, as the events app lists them."""
        return events_for_child_chronology(self.child, self.user)

    @cached_property
    def mace_discussions(self) -> list[Discussion]:
        """Each time a MACE meeting discussed the child (for those who see MACE meetings)."""
        if not self.user.has_capability(Cap.MEETING_VIEW):
            return []
        return list(
            Discussion.objects.filter(child=self.child)
            .select_related("meeting")
            .order_by("held_on")
        )

    @cached_property
    def mace_proposals(self) -> list[ChildProposal]:
        """Proposals that the next MACE meeting discuss the child, not yet taken onto an
        agenda (for those who propose or see MACE meetings)."""
        if not (
            self.user.has_capability(Cap.MEETING_PROPOSE)
            or self.user.has_capability(Cap.MEETING_VIEW)
        ):
            return []
        return list(
            ChildProposal.objects.filter(child=self.child, taken_at__isnull=True)
            .select_related("proposed_by__agency")
            .order_by("created_at")
        )


def child_record_get(*, user: Any, child_id: Any) -> ChildRecord | None:
    """The child's record as this user may see it, or None (missing and out of scope alike)."""
    if not getattr(user, "is_authenticated", False) or not user.has_capability(Cap.CHILD_VIEW):
        return None
    child = child_get(user=user, child_id=child_id)
    return ChildRecord(user=user, child=child) if child is not None else None

"""Persons of concern merged and split, as events with history (`PersonChange`, ADR 0205).

A merge is made by indexing when a mention matches two persons strongly (`mentions.
_person_merge`): every mention of one moves to the other, and the change is recorded so the
old reference still finds the surviving person. A split is a practitioner's: chosen mentions
of a person move out to a new person, with a reason, audited; the alert rules run again for
both persons and their vehicles."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.intel import entities
from sightline.intel.choices import CandidateStatus, EntityType, LinkStatus, PersonChangeKind
from sightline.intel.models import (
    Alert,
    MatchCandidate,
    Mention,
    PersonChange,
    PersonOfConcern,
)
from sightline.intel.resolution import PersonFeatures
from sightline.intel.services.alerts import alerts_apply
from sightline.intel.services.common import IntelError

SPLIT_REASON_MAX = 2000


@transaction.atomic
def person_split(
    *,
    acting_user: Any,
    person: PersonOfConcern,
    mention_ids: list[uuid.UUID],
    reason: str,
) -> tuple[PersonOfConcern, PersonChange, list[Alert]]:
    """Move these mentions of `person` out to a new person of concern: the practitioner says
    they are someone else. Each moved mention is confirmed to the new person; the old person
    is rejected as a candidate for it, so that indexing does not join them again. Returns the
    new person, the recorded change and the alerts raised, changed or withdrawn."""
    reason = (reason or "").strip()
    if not reason:
        raise IntelError("Give the reason these mentions are a different person.")
    if len(reason) > SPLIT_REASON_MAX:
        raise IntelError(f"The reason is longer than {SPLIT_REASON_MAX} characters.")
    wanted = set(mention_ids)
    if not wanted:
        raise IntelError("Choose at least one mention to split out.")
    person = PersonOfConcern.objects.select_for_update().get(pk=person.pk)
    mentions = list(
        Mention.objects.select_for_update(of=("self",))
        .filter(entity_id=person.pk, entity_type=EntityType.PERSON)
        .order_by("occurred_at", "created_at")
    )
    moving = [m for m in mentions if m.pk in wanted]
    if len(moving) != len(wanted):
        raise IntelError("Each mention split out must be a mention of this person.")
    if len(moving) == len(mentions):
        raise IntelError("Leave at least one mention with this person; split out the others.")
    new = entities.person_create(PersonFeatures())
    why = f"split from {person.reference} by a practitioner: {reason}"[:500]
    for mention in moving:
        mention.entity_id = new.pk
        mention.link_status = LinkStatus.CONFIRMED
        mention.score = 1.0
        mention.reasons = [why]
        mention.origin_entity_id = new.pk
    Mention.objects.bulk_update(
        moving, ["entity_id", "link_status", "score", "reasons", "origin_entity_id"]
    )
    MatchCandidate.objects.filter(mention__in=moving, entity_id=person.pk).update(
        status=CandidateStatus.REJECTED
    )
    MatchCandidate.objects.bulk_create(
        [
            MatchCandidate(
                mention=m,
                entity_type=EntityType.PERSON,
                entity_id=new.pk,
                score=1.0,
                reasons=[why],
                status=CandidateStatus.CONFIRMED,
            )
            for m in moving
        ],
        ignore_conflicts=True,
    )
    entities.person_refresh(person.pk)
    entities.person_refresh(new.pk)
    entities.edges_rebuild(sorted({m.source_key for m in moving}))
    change = PersonChange.objects.create(
        kind=PersonChangeKind.SPLIT,
        from_person=person.pk,
        into_person=new.pk,
        mention_ids=[str(m.pk) for m in moving],
        reason=reason,
        decided_by=acting_user,
    )
    new.refresh_from_db()
    audit_record(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="intel_person",
        object_id=person.pk,
        object_ref=person.reference,
        reason=reason,
        details={
            "change": str(change.pk),
            "kind": PersonChangeKind.SPLIT,
            "into": new.reference,
            "mentions": len(moving),
        },
    )
    return new, change, _alerts_again(person.pk, new.pk, moving, acting_user)


def _alerts_again(
    old: uuid.UUID, new: uuid.UUID, moving: list[Mention], acting_user: Any
) -> list[Alert]:
    """The alert rules for both persons, and for the vehicles named with the moved mentions
    (a person's vehicle alert rests on who uses the vehicle)."""
    changed: list[Alert] = []
    for person_id in (old, new):
        changed += alerts_apply(
            EntityType.PERSON, person_id, fired_by=None, acting_user=acting_user, notify=True
        )
    vehicles = Mention.objects.filter(via__in=moving, entity_type=EntityType.VEHICLE).values_list(
        "entity_id", flat=True
    )
    for vehicle_id in sorted(set(vehicles)):
        changed += alerts_apply(
            EntityType.VEHICLE, vehicle_id, fired_by=None, acting_user=acting_user, notify=True
        )
    return changed

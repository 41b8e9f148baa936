"""Link decisions: a practitioner confirms or rejects that a mention is an entity, or undoes
either. Each is audited, reversible, and re-runs the alert rules for the entities it moved
the mention between."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.intel import entities
from sightline.intel.choices import CandidateStatus, EntityType, LinkAction, LinkStatus
from sightline.intel.models import Alert, LinkDecision, MatchCandidate, Mention
from sightline.intel.resolution import PersonFeatures
from sightline.intel.services.alerts import alerts_apply
from sightline.intel.services.common import IntelError


def _mention_move(mention: Mention, entity_id: uuid.UUID, status: str) -> uuid.UUID:
    before = mention.entity_id
    mention.entity_id = entity_id
    mention.link_status = status
    mention.save(update_fields=["entity_id", "link_status", "updated_at"])
    for eid in {before, entity_id}:
        entities.entity_set_active(mention.entity_type, eid)
    entities.edges_rebuild([mention.source_key])
    return before


def _after_decision(mention: Mention, entity_ids: set[uuid.UUID], acting_user: Any) -> list[Alert]:
    changed: list[Alert] = []
    for eid in sorted(entity_ids):
        changed += alerts_apply(
            mention.entity_type,
            eid,
            fired_by=mention.referral,
            acting_user=acting_user,
            notify=True,
        )
    # A person's vehicle alerts depend on its vehicles; a vehicle's on the persons using it.
    return changed


def _audit_link(
    acting_user: Any, action: Action, mention: Mention, reason: str, details: dict[str, Any]
) -> None:
    audit_record(
        actor=acting_user,
        action=action,
        object_type="intel_mention",
        object_id=mention.pk,
        object_ref=mention.referral.reference if mention.referral else mention.source_ref,
        referral_id=mention.referral_id,
        reason=reason,
        details=details,
    )


@transaction.atomic
def mention_confirm(
    *, acting_user: Any, mention: Mention, entity_id: uuid.UUID, reason: str = ""
) -> LinkDecision:
    """The practitioner confirms that this mention is this entity: the mention is linked (moved
    there if it was elsewhere) as confirmed, and alerts are raised or confirmed."""
    mention = (
        Mention.objects.select_for_update(of=("self",))
        .select_related("referral")
        .get(pk=mention.pk)
    )
    target = entities.entity_get(mention.entity_type, entity_id)
    if target is None:
        raise IntelError("There is no such entity of this kind.")
    if mention.entity_id == entity_id and mention.link_status == LinkStatus.CONFIRMED:
        raise IntelError("This link is already confirmed.")
    before_status = mention.link_status
    before = _mention_move(mention, entity_id, LinkStatus.CONFIRMED)
    MatchCandidate.objects.filter(mention=mention, entity_id=entity_id).update(
        status=CandidateStatus.CONFIRMED
    )
    decision = LinkDecision.objects.create(
        mention=mention,
        action=LinkAction.CONFIRM,
        entity_id=entity_id,
        before_entity_id=before,
        before_status=before_status,
        after_entity_id=entity_id,
        after_status=LinkStatus.CONFIRMED,
        decided_by=acting_user,
        reason=reason.strip(),
    )
    _audit_link(
        acting_user,
        Action.LINK,
        mention,
        reason,
        {"decision": str(decision.pk), "entity": target.reference, "from": str(before)},
    )
    _after_decision(mention, {before, entity_id}, acting_user)
    return decision


@transaction.atomic
def mention_reject(
    *, acting_user: Any, mention: Mention, entity_id: uuid.UUID, reason: str = ""
) -> LinkDecision:
    """The practitioner says this mention is not this entity. If it was linked there (a
    probable match), it goes back to an entity of its own, and probable alerts that rested on
    the link are withdrawn; if the entity was only a candidate, the candidate is rejected."""
    mention = (
        Mention.objects.select_for_update(of=("self",))
        .select_related("referral")
        .get(pk=mention.pk)
    )
    target = entities.entity_get(mention.entity_type, entity_id)
    if target is None:
        raise IntelError("There is no such entity of this kind.")
    before_status = mention.link_status
    before = mention.entity_id
    if mention.entity_type in (EntityType.PHONE, EntityType.HANDLE):
        raise IntelError("A number or handle is the same wherever it is named.")
    reactivated: uuid.UUID | None = None
    after, after_status = before, before_status
    if mention.entity_id == entity_id:
        if mention.origin_entity_id == entity_id:
            raise IntelError("This entity was made from this mention; there is nothing to undo.")
        if mention.origin_entity_id is not None:
            home = mention.origin_entity_id
        else:
            home = _fresh_entity_for(mention)
            mention.origin_entity_id = home
            mention.save(update_fields=["origin_entity_id"])
        reactivated = home
        after, after_status = home, LinkStatus.ORIGIN
        _mention_move(mention, home, LinkStatus.ORIGIN)
    elif not MatchCandidate.objects.filter(mention=mention, entity_id=entity_id).exists():
        raise IntelError("That entity is not linked to, or a candidate for, this mention.")
    MatchCandidate.objects.filter(mention=mention, entity_id=entity_id).update(
        status=CandidateStatus.REJECTED
    )
    decision = LinkDecision.objects.create(
        mention=mention,
        action=LinkAction.REJECT,
        entity_id=entity_id,
        before_entity_id=before,
        before_status=before_status,
        after_entity_id=after,
        after_status=after_status,
        reactivated_entity_id=reactivated,
        decided_by=acting_user,
        reason=reason.strip(),
    )
    _audit_link(
        acting_user,
        Action.UNLINK,
        mention,
        reason,
        {"decision": str(decision.pk), "entity": target.reference, "to": str(after)},
    )
    _after_decision(mention, {before, after}, acting_user)
    return decision


def _fresh_entity_for(mention: Mention) -> uuid.UUID:
    if mention.entity_type == EntityType.PERSON:
        return entities.person_create(PersonFeatures()).pk
    model = entities.ENTITY_MODELS[mention.entity_type]
    entity = entities.entity_get(mention.entity_type, mention.entity_id)
    fields: dict[str, Any] = {"reference": entities.new_reference(mention.entity_type)}
    for name in ("name", "name_key", "kind", "address", "postcode", "postcode_key"):
        if entity is not None and hasattr(entity, name):
            fields[name] = getattr(entity, name)
    if mention.entity_type == EntityType.VEHICLE:
        fields["registration"] = str(mention.details.get("registration", "")).replace(" ", "")
        fields["is_partial"] = bool(mention.details.get("partial"))
    return model.objects.create(**fields).pk  # type: ignore[attr-defined]


@transaction.atomic
def mention_link_undo(
    *, acting_user: Any, decision: LinkDecision, reason: str = ""
) -> LinkDecision:
    """Put a confirm or reject back as it was (the decision stays on record, marked undone)."""
    decision = LinkDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.undone_at is not None:
        raise IntelError("This decision has already been undone.")
    mention = (
        Mention.objects.select_for_update(of=("self",))
        .select_related("referral")
        .get(pk=decision.mention_id)
    )
    if mention.entity_id != decision.after_entity_id:
        raise IntelError("The link has changed since; undo the later decision first.")
    _mention_move(mention, decision.before_entity_id, decision.before_status)
    MatchCandidate.objects.filter(mention=mention, entity_id=decision.entity_id).update(
        status=CandidateStatus.LINKED
        if decision.before_entity_id == decision.entity_id
        else CandidateStatus.PROPOSED
    )
    decision.undone_at = timezone.now()
    decision.undone_by = acting_user
    decision.save(update_fields=["undone_at", "undone_by", "updated_at"])
    _audit_link(
        acting_user,
        Action.UNLINK if decision.action == LinkAction.CONFIRM else Action.LINK,
        mention,
        reason,
        {"undo": str(decision.pk), "action": decision.action},
    )
    _after_decision(mention, {decision.before_entity_id, decision.after_entity_id}, acting_user)
    return decision

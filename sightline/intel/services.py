"""Writes in the intel app: indexing a referral's mentions, confirming, rejecting and undoing
links, alert status changes, refreshing connected groups. Keyword-only, `acting_user`, one
transaction each (nested inside the caller's when there is one), audit rows inside it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from django.db import transaction
from django.utils import timezone

from sightline.accounts.models import User
from sightline.accounts.roles import Role
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import Conflict
from sightline.core.outbox import outbox_enqueue
from sightline.intel import entities, rules
from sightline.intel.choices import (
    ALERT_TRANSITIONS,
    AlertStatus,
    CandidateStatus,
    Certainty,
    EntityType,
    LinkAction,
    LinkStatus,
    SuggestionKind,
)
from sightline.intel.models import (
    Alert,
    Edge,
    LinkDecision,
    MatchCandidate,
    Mention,
    NetworkGroup,
    PersonKey,
    Suggestion,
)
from sightline.intel.normalise import (
    given_key,
    normalise_nickname,
    normalise_phone,
    normalise_plate,
    phonetic,
    read_narrative,
)
from sightline.intel.resolution import HIGH_CONFIDENCE, PersonFeatures
from sightline.referrals.models import Referral, ReferralChild

ALERT_ROLES = (Role.CSE_SPECIALIST, Role.POLICE_ANALYST)


class IntelError(Conflict):
    """A link decision or alert change that is not allowed in the current state."""


@dataclass
class IndexResult:
    referral: Referral
    mentions: list[Mention] = field(default_factory=list)
    candidates: list[MatchCandidate] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)


# ---- intake --------------------------------------------------------------------------------


def _said(*parts: str) -> str:
    return "; ".join(p.strip() for p in parts if p and p.strip())[:1000]


def _index_referral(
    referral: Referral, *, vehicles: Sequence[str] = (), phones: Sequence[str] = ()
) -> tuple[IndexResult, set[tuple[str, uuid.UUID]]]:
    """Mentions for one referral's structured fields, candidates, suggestions, adjacency.
    Returns the entities touched, for the alert rules."""
    result = IndexResult(referral)
    touched: set[tuple[str, uuid.UUID]] = set()
    year = timezone.localtime(referral.received_at).year
    common = {"referral": referral, "agency_id": referral.source_agency_id}

    place_ids: list[str] = []
    for named in referral.places_named.all():
        place, status, score, reasons, others = entities.place_resolve(
            name=named.name, kind=named.kind, address=named.address, postcode=named.postcode
        )
        mention = Mention.objects.create(
            **common,
            entity_type=EntityType.PLACE,
            entity_id=place.pk,
            place_named=named,
            occurred_at=referral.received_at,
            said=_said(named.name, named.address, named.postcode),
            details={"name": named.name, "kind": named.kind, "postcode": named.postcode},
            link_status=status,
            score=score,
            reasons=list(reasons),
            origin_entity_id=place.pk if status == LinkStatus.ORIGIN else None,
        )
        result.mentions.append(mention)
        result.candidates += _store_candidates(mention, EntityType.PLACE, others, place.pk)
        touched.add((EntityType.PLACE, place.pk))
        place_ids.append(str(place.pk))

    # Co-mentioned context for the persons: the children on the referral and what it names
    # that is already resolved (places first, then each person, vehicle and phone in turn).
    context: set[uuid.UUID] = {
        *ReferralChild.objects.filter(referral=referral).values_list("child_id", flat=True),
    }
    context.update(m.entity_id for m in result.mentions)
    for person in referral.persons_named.all():
        details = {
            "name": person.name,
            "nickname": person.nickname,
            "approximate_age": person.approximate_age,
            "year": year,
            "phone": person.phone,
            "vehicle_registration": person.vehicle_registration,
            "address": person.address,
            "description": person.description,
            "place_ids": place_ids,
        }
        features = entities.features_from_details(details)
        if not features.has_identity and not person.description:
            continue
        ranked = entities.person_candidates(features, context=frozenset(context))
        top = ranked[0] if ranked else None
        strong = [r for r in ranked if _identity(r) >= HIGH_CONFIDENCE]
        if top is not None and strong and _identity(top) < HIGH_CONFIDENCE:
            top = strong[0]  # context breaks no tie against a person the details match
        for other in ranked:
            if other is top:
                continue
            if top is not None and _identity(top) >= HIGH_CONFIDENCE <= _identity(other):
                # This mention is strongly like two entities: they are probably one person.
                # Only its own details count here: shared context (children, vehicles) is
                # what two people of one network have in common, so it never joins them.
                moved = _person_merge(into=top, other=other)
                touched.add((EntityType.PERSON, other.entity_id))
                result.candidates += moved
        if top is not None and top.score >= HIGH_CONFIDENCE:
            person_id, status, score, reasons = (
                top.entity_id,
                LinkStatus.PROBABLE,
                top.score,
                top.reasons,
            )
            exact = {"same phone number", "same vehicle registration"}
            if exact & set(top.reasons) and not {"different name", "age differs"} & set(
                top.reasons
            ):
                status = LinkStatus.EXACT
            origin = None
        else:
            made = entities.person_create(features)
            person_id, status, score, reasons, origin = (
                made.pk, LinkStatus.ORIGIN, 1.0, (), made.pk,
            )  # fmt: skip
        mention = Mention.objects.create(
            **common,
            entity_type=EntityType.PERSON,
            entity_id=person_id,
            person_named=person,
            occurred_at=referral.received_at,
            said=_said(
                person.name,
                f'known as "{person.nickname}"' if person.nickname else "",
                f"about {person.approximate_age}" if person.approximate_age else "",
                person.description,
            ),
            details=details,
            link_status=status,
            score=score,
            reasons=list(reasons),
            origin_entity_id=origin,
        )
        entities.person_refresh(person_id)
        result.mentions.append(mention)
        result.candidates += _store_candidates(mention, EntityType.PERSON, ranked, person_id)
        touched.add((EntityType.PERSON, person_id))
        context.add(person_id)
        if features.phone:
            result.mentions.append(_phone_mention(common, referral, person.phone, via=mention))
            touched.add((EntityType.PHONE, result.mentions[-1].entity_id))
        plate = normalise_plate(person.vehicle_registration)
        if plate is not None:
            vm = _vehicle_mention(common, referral, person.vehicle_registration, via=mention)
            if vm is not None:
                result.mentions.append(vm)
                touched.add((EntityType.VEHICLE, vm.entity_id))
        context.update(m.entity_id for m in result.mentions)

    for value in phones:
        if normalise_phone(value):
            result.mentions.append(_phone_mention(common, referral, value, via=None))
            touched.add((EntityType.PHONE, result.mentions[-1].entity_id))
    for value in vehicles:
        vm = _vehicle_mention(common, referral, value, via=None)
        if vm is not None:
            result.mentions.append(vm)
            touched.add((EntityType.VEHICLE, vm.entity_id))

    result.suggestions = _suggest(referral, result.mentions)
    entities.edges_rebuild([referral.pk])
    return result, touched


def _identity(ranked: entities.Ranked) -> float:
    return ranked.score if ranked.identity is None else ranked.identity


def _person_merge(*, into: Any, other: Any) -> list[MatchCandidate]:
    """Move every mention of `other` to `into` as a probable link (each can be rejected, which
    sends it back to the entity it made). Children are never merged; only persons of concern."""
    moving = list(Mention.objects.filter(entity_id=other.entity_id))
    reason = f"probably the same person as {into.reference} (a mention matched both)"
    for mention in moving:
        if mention.origin_entity_id is None:
            mention.origin_entity_id = other.entity_id
        mention.entity_id = into.entity_id
        mention.link_status = LinkStatus.PROBABLE
        mention.reasons = [reason, *other.reasons]
        mention.score = other.score
    Mention.objects.bulk_update(
        moving, ["entity_id", "link_status", "reasons", "score", "origin_entity_id"]
    )
    entities.person_refresh(into.entity_id)
    entities.person_refresh(other.entity_id)
    entities.edges_rebuild(sorted({m.referral_id for m in moving}))
    return MatchCandidate.objects.bulk_create(
        [
            MatchCandidate(
                mention=m,
                entity_type=EntityType.PERSON,
                entity_id=into.entity_id,
                score=other.score,
                reasons=[reason],
                status=CandidateStatus.LINKED,
            )
            for m in moving
        ],
        ignore_conflicts=True,
    )


def _phone_mention(
    common: dict[str, Any], referral: Referral, value: str, *, via: Mention | None
) -> Mention:
    phone, status = entities.phone_resolve(value)
    return Mention.objects.create(
        **common,
        entity_type=EntityType.PHONE,
        entity_id=phone.pk,
        via=via,
        occurred_at=referral.received_at,
        said=value.strip(),
        details={"phone": value.strip()},
        link_status=status,
        reasons=["same phone number"] if status == LinkStatus.EXACT else [],
        origin_entity_id=phone.pk if status == LinkStatus.ORIGIN else None,
    )


def _vehicle_mention(
    common: dict[str, Any], referral: Referral, value: str, *, via: Mention | None
) -> Mention | None:
    plate = normalise_plate(value)
    if plate is None:
        return None
    vehicle, status, score, reasons = entities.vehicle_resolve(plate)
    return Mention.objects.create(
        **common,
        entity_type=EntityType.VEHICLE,
        entity_id=vehicle.pk,
        via=via,
        occurred_at=referral.received_at,
        said=value.strip(),
        details={"registration": value.strip(), "partial": plate.is_partial},
        link_status=status,
        score=score,
        reasons=list(reasons),
        origin_entity_id=vehicle.pk if status == LinkStatus.ORIGIN else None,
    )


def _store_candidates(
    mention: Mention, entity_type: str, ranked: Iterable[Any], linked_id: uuid.UUID
) -> list[MatchCandidate]:
    rows = [
        MatchCandidate(
            mention=mention,
            entity_type=entity_type,
            entity_id=r.entity_id,
            score=r.score,
            reasons=list(r.reasons),
            status=CandidateStatus.LINKED if r.entity_id == linked_id else CandidateStatus.PROPOSED,
        )
        for r in ranked
    ]
    return MatchCandidate.objects.bulk_create(rows)


def _suggest(referral: Referral, mentions: list[Mention]) -> list[Suggestion]:
    """What the narrative mentions that the structured fields did not: offered, not linked."""
    known = {
        str(m.details.get(k, "")).replace(" ", "").upper()
        for m in mentions
        for k in ("phone", "registration", "vehicle_registration")
    }
    known_phones = {normalise_phone(str(m.details.get("phone", ""))) for m in mentions}
    known_nicks = {normalise_nickname(str(m.details.get("nickname", ""))) for m in mentions}
    known_names = {str(m.details.get("name", "")).lower() for m in mentions}
    rows: list[Suggestion] = []
    for found in read_narrative(referral.narrative)[:60]:
        entity_type, entity_id = "", None
        if found.kind == "vehicle":
            if found.value.lstrip("…") in known or found.text.replace(" ", "").upper() in known:
                continue
            kind = SuggestionKind.VEHICLE
        elif found.kind == "phone":
            if found.value in known_phones:
                continue
            kind = SuggestionKind.PHONE
        elif found.kind == "postcode":
            kind = SuggestionKind.POSTCODE
        elif found.kind == "handle":
            kind = SuggestionKind.HANDLE
        elif found.kind == "nickname":
            if found.value in known_nicks or not found.value:
                continue
            hit = (
                PersonKey.objects.filter(key=f"nick:{found.value}")
                .values_list("person_id", flat=True)
                .first()
            )
            if hit is None:
                continue
            kind, entity_type, entity_id = SuggestionKind.PERSON, EntityType.PERSON, hit
        else:  # a capitalised pair: keep it only when it is a known person's name
            given, _, family = found.value.partition(" ")
            if found.value in known_names or not family:
                continue
            key = (
                f"nm:{given_key(given)}:{phonetic(family)}"
                if len(given) > 1
                else f"ini:{given}:{phonetic(family)}"
            )
            hit = PersonKey.objects.filter(key=key).values_list("person_id", flat=True).first()
            if hit is None:
                continue
            kind, entity_type, entity_id = SuggestionKind.PERSON, EntityType.PERSON, hit
        rows.append(
            Suggestion(
                referral=referral,
                kind=kind,
                text=found.text[:100],
                value=found.value[:100],
                entity_type=entity_type,
                entity_id=entity_id,
            )
        )
    return Suggestion.objects.bulk_create(rows)


@transaction.atomic
def mentions_on_referral(
    *,
    referral: Referral,
    acting_user: Any,
    vehicles: Sequence[str] = (),
    phones: Sequence[str] = (),
    notify: bool = True,
) -> IndexResult:
    """Index a newly submitted referral: persons, places, vehicles and phones named on it
    become mentions of shared entities (found or made), candidates are stored with reasons,
    the narrative is read for suggestions, and the alert rules run, all in the caller's
    transaction. Call once per referral, after its persons and places are saved."""
    if Mention.objects.filter(referral=referral).exists():
        raise IntelError("This referral has already been indexed.")
    result, touched = _index_referral(referral, vehicles=vehicles, phones=phones)
    for entity_type, entity_id in sorted(touched):
        result.alerts += _alerts_apply(
            entity_type, entity_id, fired_by=referral, acting_user=acting_user, notify=notify
        )
    audit_record(
        actor=acting_user,
        action=Action.LINK,
        object_type="intel_index",
        object_id=referral.pk,
        object_ref=referral.reference,
        referral_id=referral.pk,
        actor_username="" if acting_user else "intel_index",
        details={
            "mentions": len(result.mentions),
            "candidates": len(result.candidates),
            "suggestions": len(result.suggestions),
            "alerts": [a.reference for a in result.alerts],
        },
    )
    return result


@transaction.atomic
def intel_bulk_index(
    *, referrals: Iterable[Referral] | None = None, acting_user: Any = None, notify: bool = False
) -> dict[str, int]:
    """Index referrals not yet indexed, oldest first, exactly as intake would have (so alerts
    fire at the referral that would have fired them), in one transaction with one audit row.
    For the demo loader and for back-filling; `referrals=None` means every referral."""
    queryset = Referral.objects.exclude(
        pk__in=Mention.objects.values("referral_id")
    ).prefetch_related("persons_named", "places_named")
    if referrals is not None:
        queryset = queryset.filter(pk__in=[r.pk for r in referrals])
    counts = {"referrals": 0, "mentions": 0, "alerts": 0, "suggestions": 0}
    for referral in queryset.order_by("received_at", "reference").iterator(chunk_size=500):
        result, touched = _index_referral(referral)
        for entity_type, entity_id in sorted(touched):
            result.alerts += _alerts_apply(
                entity_type,
                entity_id,
                fired_by=referral,
                acting_user=acting_user,
                notify=notify,
                audit=False,
            )
        counts["referrals"] += 1
        counts["mentions"] += len(result.mentions)
        counts["alerts"] += len(result.alerts)
        counts["suggestions"] += len(result.suggestions)
    groups = _groups_refresh()
    audit_record(
        actor=acting_user,
        action=Action.IMPORT,
        object_type="intel_bulk_index",
        actor_username="" if acting_user else "intel_bulk_index",
        details={**counts, "groups": groups},
    )
    return counts


# ---- alerts --------------------------------------------------------------------------------


def _alert_summary(entity_type: str, entity_ref: str, trigger: str, links: list[Any]) -> str:
    children = sorted({ref for link in links for _c, ref, _h in link.children})
    agencies = sorted({link.agency for link in links})
    what = {
        EntityType.PERSON: f"Person of concern {entity_ref} is linked to",
        EntityType.PLACE: f"Place {entity_ref} is named in exploitation concerns about",
        EntityType.VEHICLE: f"Vehicle {entity_ref} has been seen with",
    }[EntityType(entity_type)]
    extra = {
        "children3": " (a third child)",
        "agencies2": " (named by a second agency)",
        "vehicle": " (their vehicle is seen with more than one child)",
    }.get(trigger, "")
    return (
        f"{what} {len(children)} children from {len(agencies)} agencies{extra}: "
        f"{', '.join(children[:6])}"
    )[:300]


def _alerts_apply(
    entity_type: str,
    entity_id: uuid.UUID,
    *,
    fired_by: Referral | None,
    acting_user: Any,
    notify: bool,
    audit: bool = True,
) -> list[Alert]:
    """Raise, confirm or withdraw this entity's alerts to match what the rules say now."""
    if entity_type not in rules.KIND_FOR:
        return []
    outcomes = rules.evaluate(entity_type, entity_id)
    current = {
        a.trigger: a
        for a in Alert.objects.filter(entity_id=entity_id).exclude(status=AlertStatus.WITHDRAWN)
    }
    entity = entities.entity_get(entity_type, entity_id)
    entity_ref = entity.reference if entity is not None else ""
    changed: list[Alert] = []
    for trigger, outcome in outcomes.items():
        alert = current.get(trigger)
        certainty = Certainty.CONFIRMED if outcome.confirmed else Certainty.PROBABLE
        if outcome.holds:
            child_ids = sorted({c for link in outcome.links for c, _r, _h in link.children})
            evidence = [link.evidence() for link in outcome.links]
            if alert is None:
                alert = Alert.objects.create(
                    reference=entities.next_reference("AL", timezone.localdate().year, 7),
                    kind=rules.KIND_FOR[EntityType(entity_type)],
                    trigger=trigger,
                    entity_type=entity_type,
                    entity_id=entity_id,
                    entity_ref=entity_ref,
                    priority=rules.PRIORITY_FOR[trigger],
                    certainty=certainty,
                    summary=_alert_summary(entity_type, entity_ref, trigger, outcome.links),
                    child_ids=child_ids,
                    referral_ids=sorted({str(link.referral_id) for link in outcome.links}),
                    evidence=evidence,
                    fired_by=fired_by,
                    supersedes=current.get("children2") if trigger != "children2" else None,
                )
                changed.append(alert)
                _alert_audit(alert, acting_user, Action.CREATE, "raised", audit)
                if notify:
                    _alert_notify(alert)
            elif alert.certainty != certainty or alert.child_ids != child_ids:
                upgraded = alert.certainty == Certainty.PROBABLE and outcome.confirmed
                alert.certainty = certainty
                alert.child_ids = child_ids
                alert.evidence = evidence
                alert.referral_ids = sorted({str(link.referral_id) for link in outcome.links})
                alert.summary = _alert_summary(entity_type, entity_ref, trigger, outcome.links)
                alert.save()
                changed.append(alert)
                _alert_audit(
                    alert, acting_user, Action.CHANGE, "confirmed" if upgraded else "updated", audit
                )
        elif alert is not None and alert.status in (AlertStatus.NEW, AlertStatus.REVIEWED):
            alert.status = AlertStatus.WITHDRAWN
            alert.status_reason = "The link that raised this alert was rejected or undone."
            alert.save(update_fields=["status", "status_reason", "updated_at"])
            changed.append(alert)
            _alert_audit(alert, acting_user, Action.CHANGE, "withdrawn", audit)
    return changed


def _alert_audit(alert: Alert, acting_user: Any, action: Action, what: str, audit: bool) -> None:
    if not audit:
        return
    audit_record(
        actor=acting_user,
        action=action,
        object_type="intel_alert",
        object_id=alert.pk,
        object_ref=alert.reference,
        referral_id=alert.fired_by_id,
        actor_username="" if acting_user else "intel_rules",
        details={
            "event": what,
            "kind": alert.kind,
            "trigger": alert.trigger,
            "certainty": alert.certainty,
            "entity": alert.entity_ref,
            "children": len(alert.child_ids),
        },
    )


def _alert_notify(alert: Alert) -> None:
    recipients = User.objects.filter(is_active=True, role__in=ALERT_ROLES)
    for user in recipients:
        outbox_enqueue(
            kind="intel_alert",
            dedupe_key=f"intel-alert:{alert.pk}:{user.pk}",
            recipient=user,
            subject=f"Sightline alert {alert.reference} ({alert.get_priority_display()})",
            body=f"{alert.summary}\nCertainty: {alert.get_certainty_display()}.",
            payload={"alert": alert.reference, "entity": alert.entity_ref},
        )


@transaction.atomic
def alert_status_set(*, acting_user: Any, alert: Alert, status: str, reason: str = "") -> Alert:
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if status not in ALERT_TRANSITIONS.get(alert.status, frozenset()):
        raise IntelError(
            f"An alert that is {alert.get_status_display().lower()} cannot be {status}."
        )
    reason = (reason or "").strip()
    if status == AlertStatus.DISMISSED and len(reason) < 5:
        raise IntelError("Give the reason for dismissing this alert.")
    before = alert.status
    alert.status = status
    alert.status_reason = reason[:2000]
    alert.status_changed_by = acting_user
    alert.save(update_fields=["status", "status_reason", "status_changed_by", "updated_at"])
    audit_record(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="intel_alert",
        object_id=alert.pk,
        object_ref=alert.reference,
        referral_id=alert.fired_by_id,
        reason=reason,
        details={"from": before, "to": status},
    )
    return alert


# ---- link decisions ------------------------------------------------------------------------


def _mention_move(mention: Mention, entity_id: uuid.UUID, status: str) -> uuid.UUID:
    before = mention.entity_id
    mention.entity_id = entity_id
    mention.link_status = status
    mention.save(update_fields=["entity_id", "link_status", "updated_at"])
    for eid in {before, entity_id}:
        entities.entity_set_active(mention.entity_type, eid)
    entities.edges_rebuild([mention.referral_id])
    return before


def _after_decision(mention: Mention, entity_ids: set[uuid.UUID], acting_user: Any) -> list[Alert]:
    changed: list[Alert] = []
    for eid in sorted(entity_ids):
        changed += _alerts_apply(
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
        object_ref=mention.referral.reference,
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
    mention = Mention.objects.select_for_update().select_related("referral").get(pk=mention.pk)
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
    mention = Mention.objects.select_for_update().select_related("referral").get(pk=mention.pk)
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
        Mention.objects.select_for_update().select_related("referral").get(pk=decision.mention_id)
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


# ---- connected groups ----------------------------------------------------------------------


def _groups_refresh() -> int:
    graph: nx.Graph = nx.Graph()
    for a_type, a_id, b_type, b_id in Edge.objects.values_list(
        "a_type", "a_id", "b_type", "b_id"
    ).iterator(chunk_size=5000):
        graph.add_node(a_id, t=a_type)
        graph.add_node(b_id, t=b_type)
        graph.add_edge(a_id, b_id)
    agencies: dict[uuid.UUID, set[str]] = {}
    for eid, code in Mention.objects.values_list("entity_id", "agency__code").iterator(
        chunk_size=5000
    ):
        agencies.setdefault(eid, set()).add(code)
    rows: list[NetworkGroup] = []
    for component in nx.connected_components(graph):
        types = [graph.nodes[n]["t"] for n in component]
        persons = [n for n in component if graph.nodes[n]["t"] == EntityType.PERSON]
        children = types.count("child")
        if not persons or children < 2:
            continue
        anchor = max(persons, key=lambda n: graph.degree[n])
        rows.append(
            NetworkGroup(
                size=len(component),
                persons=len(persons),
                children=children,
                places=types.count(EntityType.PLACE),
                vehicles=types.count(EntityType.VEHICLE),
                phones=types.count(EntityType.PHONE),
                agencies=sorted(set().union(*(agencies.get(n, set()) for n in component))),
                person_ids=[str(p) for p in persons[:200]],
                anchor_person_id=anchor,
            )
        )
    NetworkGroup.objects.all().delete()
    NetworkGroup.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def groups_refresh(*, acting_user: Any = None) -> int:
    """Recompute connected groups across the partnership (a worker job; also run after bulk
    indexing). Reads the whole adjacency table, so never from a request."""
    count = _groups_refresh()
    audit_record(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="intel_groups",
        actor_username="" if acting_user else "intel_groups",
        details={"groups": count},
    )
    return count

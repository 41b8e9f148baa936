"""Recommendations: add one with its owner, move it through its states with updates, accept
its evidence as done (a second person), and flag the overdue ones."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.accounts.models import Agency, User
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import Invalid, NotPermitted
from sightline.core.outbox import outbox_enqueue
from sightline.core.references import next_reference
from sightline.core.states import guard
from sightline.reviews.choices import (
    OPEN_STATUSES,
    RECOMMENDATION_TRANSITIONS,
    RecommendationStatus,
    TextKind,
)
from sightline.reviews.models import Finding, Recommendation, RecommendationUpdate, Review
from sightline.reviews.rules import (
    may_decide_evidence,
    may_update_recommendation,
    review_is_open,
)
from sightline.reviews.services.language import language_flags_record

S = RecommendationStatus


def _audit(user: Any, action: Action, rec: Recommendation, **details: Any) -> None:
    audit_record(
        actor=user,
        action=action,
        object_type="recommendation",
        object_id=rec.pk,
        object_ref=rec.reference,
        details=details,
    )


@transaction.atomic
def recommendation_add(
    *,
    acting_user: Any,
    review: Review,
    text: str,
    owner_agency: Agency | None,
    owner_person: User | None,
    due_on: dt.date | None,
    required_evidence: str,
    finding: Finding | None = None,
) -> Recommendation:
    """Every recommendation has an owner agency and a person in it, a due date and the
    evidence that will show it done; without them it is refused (422) and nothing stored."""
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = "Write the recommendation."
    if owner_agency is None:
        errors["owner_agency"] = "Name the agency that owns this recommendation."
    if owner_person is None:
        errors["owner_person"] = "Name the person who owns this recommendation."
    elif owner_agency is not None and owner_person.agency_id != owner_agency.pk:
        errors["owner_person"] = "The owner must work in the owning agency."
    if due_on is None:
        errors["due_on"] = "Give the date it is due."
    if not required_evidence.strip():
        errors["required_evidence"] = "Say what evidence will show it is done."
    if finding is not None and finding.review_id != review.pk:
        errors["finding"] = "That finding belongs to another review."
    if not review_is_open(review):
        errors["review"] = "The review is closed."
    if errors:
        raise Invalid(errors)
    assert owner_agency is not None and owner_person is not None and due_on is not None
    rec = Recommendation.objects.create(
        reference=next_reference("REC", timezone.localdate().year),
        review=review,
        finding=finding,
        text=text.strip(),
        owner_agency=owner_agency,
        owner_person=owner_person,
        due_on=due_on,
        required_evidence=required_evidence.strip(),
        created_by=acting_user,
    )
    _audit(acting_user, Action.CREATE, rec, review=review.reference, owner=owner_agency.code)
    _flag(acting_user, TextKind.RECOMMENDATION, rec.pk, rec.reference,
          {"text": rec.text, "required_evidence": rec.required_evidence})  # fmt: skip
    return rec


def _flag(user: Any, kind: str, record_id: Any, ref: str, texts: dict[str, str]) -> None:
    """The language flags of a review's texts (the checker's list; no child's age in view)."""
    for field, text in texts.items():
        language_flags_record(acting_user=user, content_type=kind, record_id=record_id,
                              record_ref=ref, field=field, text=text, skip_blank=True)  # fmt: skip


@transaction.atomic
def recommendation_update(
    *,
    acting_user: Any,
    recommendation: Recommendation,
    status: str | None = None,
    note: str = "",
    evidence: str | None = None,
) -> Recommendation:
    """One update: a note, and perhaps evidence or a new status. Submitting evidence needs the
    evidence; accepting it as done (or not) needs a review lead who did not submit it."""
    rec = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if not may_update_recommendation(acting_user, rec):
        raise NotPermitted("Only the owner, their agency or a review lead can update this.")
    target = status or rec.status
    if target not in S.values:
        raise Invalid({"status": f"Choose one of: {', '.join(S.values)}."})
    if evidence is not None and evidence.strip():
        rec.evidence = evidence.strip()
    if target != rec.status:
        guard(RECOMMENDATION_TRANSITIONS, "recommendation", rec.status, target)
    elif not note.strip() and evidence is None:
        raise Invalid({"note": "Write an update, add evidence or change the status."})
    now = timezone.now()
    if target == S.EVIDENCE_SUBMITTED and target != rec.status:
        if not rec.evidence:
            raise Invalid({"evidence": "Add the evidence before submitting it."})
        rec.evidence_submitted_by = acting_user
        rec.evidence_submitted_at = now
    if target in (S.ACCEPTED, S.NOT_ACCEPTED) and target != rec.status:
        if not rec.evidence:
            raise Invalid({"evidence": "There is no evidence to accept."})
        if not may_decide_evidence(acting_user, rec):
            raise NotPermitted(
                "Evidence is accepted by a review lead other than the person who submitted it."
            )
        rec.decided_by = acting_user
        rec.decided_at = now
    update = RecommendationUpdate.objects.create(
        recommendation=rec,
        author=acting_user,
        note=note.strip()[:5000],
        status_from=rec.status,
        status_to=target,
    )
    previous = rec.status
    rec.status = target
    rec.save()
    _audit(acting_user, Action.CHANGE, rec, status_from=previous, status_to=target)
    _flag(acting_user, TextKind.RECOMMENDATION_UPDATE, update.pk, rec.reference,
          {"note": update.note})  # fmt: skip
    if evidence is not None and evidence.strip():
        _flag(acting_user, TextKind.RECOMMENDATION, rec.pk, rec.reference,
              {"evidence": rec.evidence})  # fmt: skip
    return rec


@transaction.atomic
def recommendations_flag_overdue(*, today: dt.date | None = None) -> int:
    """Flag every recommendation past its due date and not yet accepted, once: stamp it and
    tell its owner (outbox, reference only). Idempotent; returns how many were newly flagged."""
    day = today or timezone.localdate()
    due = list(
        Recommendation.objects.select_for_update()
        .filter(status__in=OPEN_STATUSES, due_on__lt=day, overdue_flagged_at__isnull=True)
        .select_related("owner_person", "review")
    )
    now = timezone.now()
    for rec in due:
        rec.overdue_flagged_at = now
        rec.save(update_fields=["overdue_flagged_at", "updated_at"])
        outbox_enqueue(
            kind="recommendation_overdue",
            dedupe_key=f"recommendation_overdue:{rec.pk}",
            subject=f"Review recommendation {rec.reference} is overdue",
            body=(
                f"Recommendation {rec.reference} from review {rec.review.reference} was due on "
                f"{rec.due_on:%d %B %Y}. Add an update or submit the evidence in Sightline."
            ),
            recipient=rec.owner_person,
        )
    if due:
        audit_record(
            actor=None,
            actor_username="system",
            action=Action.CHANGE,
            object_type="recommendation_overdue",
            details={"flagged": [r.reference for r in due]},
        )
    return len(due)

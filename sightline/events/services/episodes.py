"""A missing episode's later facts, its clock and its return interview."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import Conflict, Invalid
from sightline.core.transactions import in_callers_transaction
from sightline.events import rules
from sightline.events.choices import (
    INTERVIEW_TRANSITIONS,
    InterviewStatus,
)
from sightline.events.kinds import MissingFacts
from sightline.events.models import (
    Event,
    MissingEpisode,
    ReturnInterview,
)
from sightline.events.services.store import _facts_apply, _found_with_adults


@transaction.atomic
def episode_facts_update(
    *, acting_user: Any, event: Event, facts: MissingFacts
) -> tuple[MissingEpisode, bool]:
    """Later facts of a missing episode (the return, where and with whom the child was
    found). Returns the episode and whether this was its return."""
    episode = MissingEpisode.objects.select_for_update().select_related("event").get(event=event)
    if episode.returned_at is not None and facts.returned_at not in (None, episode.returned_at):
        raise Conflict("This episode's return is already recorded.")
    try:
        rules.episode_times_ok(episode.started_at, facts.returned_at)
    except ValueError as exc:
        raise Invalid(str(exc)) from exc
    returned = _facts_apply(episode, facts)
    changed = facts.model_dump(mode="json", exclude_defaults=True)
    event.fields = {**event.fields, **changed}
    event.save(update_fields=["fields", "updated_at"])
    episode.is_found_with_adults = _found_with_adults(event)
    episode.save()
    audit_record(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="missing_episode",
        object_id=event.pk,
        object_ref=event.reference,
        child_id=event.child_id,
        details={"fields": sorted(changed), "returned": returned},
    )
    return episode, returned


@in_callers_transaction
def episode_clock_set(*, episode: MissingEpisode, clock_id: uuid.UUID) -> None:
    episode.clock_id = clock_id
    episode.save(update_fields=["clock_id", "updated_at"])


@in_callers_transaction
def episodes_clock_set(*, clocks: Sequence[tuple[MissingEpisode, uuid.UUID]]) -> None:
    """`episode_clock_set` for many episodes (an import's chunk), in one UPDATE."""
    now = timezone.now()
    for episode, clock_id in clocks:
        episode.clock_id = clock_id
        episode.updated_at = now
    MissingEpisode.objects.bulk_update([e for e, _ in clocks], ["clock_id", "updated_at"])


@transaction.atomic
def return_interview_record(
    *,
    acting_user: Any,
    episode: MissingEpisode,
    status: str,
    at: dt.datetime,
    not_offered_reason: str = "",
    interviewer: str = "",
    is_independent: bool = True,
    where_stayed: str = "",
    with_whom: str = "",
    child_said: str = "",
    actions: str = "",
) -> ReturnInterview:
    """One step of the return interview: offered, accepted, declined, not offered (with a
    reason), an unsuccessful attempt (status "offered" again) or completed."""
    episode = MissingEpisode.objects.select_for_update().get(pk=episode.pk)
    if episode.returned_at is None:
        raise Conflict("The child has not returned yet: record the return first.")
    if at < episode.returned_at:
        raise Invalid("The interview step is before the child's return.")
    if at > timezone.now() + dt.timedelta(minutes=10):
        raise Invalid("The interview step is in the future.")
    if status == InterviewStatus.NOT_OFFERED and len(not_offered_reason.strip()) < 5:
        raise Invalid("Give the reason an interview was not offered.")
    interview = ReturnInterview.objects.filter(episode=episode).first()
    before = interview.status if interview else InterviewStatus.DUE
    again = status == before == InterviewStatus.OFFERED
    if not again and status not in INTERVIEW_TRANSITIONS.get(before, frozenset()):
        raise Conflict(f"A return interview that is {before} cannot become {status}.")
    if interview is None:
        interview = ReturnInterview(episode=episode, status=status, recorded_by=acting_user)
    interview.status = status
    if status == InterviewStatus.OFFERED:
        interview.offered_at = interview.offered_at or at
        interview.attempts = [*interview.attempts, at.isoformat()]
    if status == InterviewStatus.NOT_OFFERED:
        interview.not_offered_reason = not_offered_reason.strip()
    if status == InterviewStatus.COMPLETED:
        interview.offered_at = interview.offered_at or at
        interview.completed_at = at
        interview.interviewer = interviewer.strip()
        interview.is_independent = is_independent
        interview.where_stayed = where_stayed.strip()
        interview.with_whom = with_whom.strip()
        interview.child_said = child_said.strip()
        interview.actions = actions.strip()
    interview.save()
    episode.interview_status = status
    episode.save(update_fields=["interview_status", "updated_at"])
    audit_record(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="return_interview",
        object_id=episode.event_id,
        object_ref=str(episode.event_id)[:20],
        child_id=episode.child_id,
        reason=not_offered_reason.strip(),
        details={"from": before, "to": status},
    )
    return interview

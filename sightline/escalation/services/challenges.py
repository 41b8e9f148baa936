"""Professional challenge (practice.md §3.3): a referrer disagrees with the decision on their
referral. Stages 1 to 4, each with a timescale; a stage that passes its timescale escalates
itself (the sweep); a child at immediate risk goes straight to the partnership stage."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.escalation import rules
from sightline.escalation.choices import (
    CHALLENGE_STAGE_ROLES,
    FINAL_CHALLENGE_OUTCOMES,
    TOP_CHALLENGE_STAGE,
    ChallengeOutcome,
    ChallengeStage,
    ChallengeStatus,
    InboxKind,
    TimescaleKey,
)
from sightline.escalation.models import Challenge, ChallengeStageRecord
from sightline.escalation.services.common import (
    Conflict,
    EscalationError,
    NotPermitted,
    audit,
    front_door_agency,
    local,
    require_reason,
)
from sightline.escalation.services.notify import notify, people_in_role
from sightline.escalation.timescales import due_at, partnership_calendar, timescale
from sightline.referrals.models import Referral


def stage_due(stage: int, start: dt.datetime, *, immediate: bool) -> dt.datetime:
    key = TimescaleKey.CHALLENGE_IMMEDIATE if immediate else f"challenge_stage_{stage}"
    return due_at(start, timescale(key), partnership_calendar())


def _stage_responders(challenge: Challenge) -> list[Any]:
    role = CHALLENGE_STAGE_ROLES[challenge.stage]
    decision = getattr(challenge.referral, "decision", None)
    if challenge.stage == ChallengeStage.PRACTITIONERS and decision is not None:
        decider = decision.decided_by
        if decider.is_active:
            return [decider]
    agency = front_door_agency()
    team_id = decision.decided_by.team_id if decision is not None else None
    return people_in_role(role, agency_id=agency.pk if agency else None, team_id=team_id)


def _tell_stage(challenge: Challenge, *, at: dt.datetime, why: str) -> int:
    referral = challenge.referral
    return notify(
        users=_stage_responders(challenge),
        kind=InboxKind.CHALLENGE,
        subject=f"Challenge to the decision on {referral.reference}: "
        f"{ChallengeStage(challenge.stage).label}",
        body=(
            f"{why}\nThe referrer disagrees with the decision on {referral.reference}. "
            f"Please respond by {local(challenge.stage_due_at)}."
            + (
                "\nThe referrer says the child is at immediate risk."
                if challenge.immediate_risk
                else ""
            )
        ),
        dedupe_key=f"challenge:{challenge.pk}:stage{challenge.stage}",
        at=at,
        referral=referral,
        challenge=challenge,
    )


def _open_stage(challenge: Challenge, stage: int, start: dt.datetime) -> ChallengeStageRecord:
    challenge.stage = stage
    challenge.stage_due_at = stage_due(stage, start, immediate=challenge.immediate_risk)
    challenge.next_check_at = challenge.stage_due_at
    return ChallengeStageRecord.objects.create(
        challenge=challenge, stage=stage, started_at=start, due_at=challenge.stage_due_at
    )


def _close_stage(
    challenge: Challenge, *, at: dt.datetime, outcome: str, notes: str, by: Any
) -> None:
    ChallengeStageRecord.objects.filter(
        challenge=challenge, stage=challenge.stage, ended_at__isnull=True
    ).update(ended_at=at, outcome=outcome, notes=notes, responded_by=by)


@transaction.atomic
def challenge_raise(
    *, acting_user: Any, referral: Referral, reason: str, immediate_risk: bool = False
) -> Challenge:
    reason = require_reason(reason, what="reason for the challenge")
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not rules.is_referrer_of(acting_user, referral):
        raise NotPermitted("Only the person who made the referral can challenge its decision.")
    if not rules.can_raise_challenge(acting_user, referral):
        raise Conflict("There is no decision on this referral to challenge yet.")
    if Challenge.objects.filter(referral=referral, status=ChallengeStatus.OPEN).exists():
        raise Conflict("A challenge to this decision is already open.")
    now = timezone.now()
    first = TOP_CHALLENGE_STAGE if immediate_risk else ChallengeStage.PRACTITIONERS
    challenge = Challenge(
        referral=referral,
        raised_by=acting_user,
        raised_at=now,
        reason=reason,
        immediate_risk=immediate_risk,
        stage=first,
        stage_due_at=now,
    )
    challenge.stage_due_at = stage_due(first, now, immediate=immediate_risk)
    challenge.next_check_at = challenge.stage_due_at
    challenge.save()
    ChallengeStageRecord.objects.create(
        challenge=challenge, stage=first, started_at=now, due_at=challenge.stage_due_at
    )
    _tell_stage(challenge, at=now, why="A professional challenge has been raised.")
    audit(
        actor=acting_user,
        action=Action.CREATE,
        object_type="challenge",
        object_id=challenge.pk,
        referral=referral,
        reason=reason,
        details={
            "stage": first,
            "immediate_risk": immediate_risk,
            "due_at": challenge.stage_due_at.isoformat(),
        },
    )
    return challenge


def _locked(challenge: Challenge) -> Challenge:
    return (
        Challenge.objects.select_for_update(of=("self",))
        .select_related("referral__decision__decided_by", "raised_by")
        .get(pk=challenge.pk)
    )


@transaction.atomic
def challenge_respond(
    *, acting_user: Any, challenge: Challenge, outcome: str, notes: str
) -> Challenge:
    """The stage's answer: decision upheld, decision to be changed (both end the challenge;
    the referrer may still escalate an upheld decision) or escalated to the next stage."""
    notes = require_reason(notes, what="notes of the discussion")
    if outcome not in (*FINAL_CHALLENGE_OUTCOMES, ChallengeOutcome.ESCALATED):
        raise EscalationError("Outcome must be decision_upheld, decision_changed or escalated.")
    challenge = _locked(challenge)
    if challenge.status != ChallengeStatus.OPEN:
        raise Conflict("This challenge has already been resolved.")
    if not rules.can_answer_challenge_stage(acting_user, challenge.stage):
        raise NotPermitted(
            f"{ChallengeStage(challenge.stage).label} is answered by a more senior role."
        )
    now = timezone.now()
    stage_before = challenge.stage
    _close_stage(challenge, at=now, outcome=outcome, notes=notes, by=acting_user)
    if outcome == ChallengeOutcome.ESCALATED:
        if challenge.stage >= TOP_CHALLENGE_STAGE:
            raise Conflict("The challenge is already at the partnership stage.")
        _open_stage(challenge, challenge.stage + 1, now)
        challenge.save(update_fields=["stage", "stage_due_at", "next_check_at", "updated_at"])
        _tell_stage(challenge, at=now, why="The challenge was not resolved at the stage below.")
    else:
        rules.guard_challenge(challenge.status, ChallengeStatus.RESOLVED)
        challenge.status = ChallengeStatus.RESOLVED
        challenge.outcome = outcome
        challenge.resolved_at = now
        challenge.next_check_at = None
        challenge.save(
            update_fields=["status", "outcome", "resolved_at", "next_check_at", "updated_at"]
        )
        notify(
            users=[challenge.raised_by],
            kind=InboxKind.CHALLENGE,
            subject=f"Your challenge on {challenge.referral.reference}: "
            f"{ChallengeOutcome(outcome).label}",
            body=(
                f"Your challenge to the decision on {challenge.referral.reference} was answered "
                f"at {ChallengeStage(stage_before).label}: {ChallengeOutcome(outcome).label}."
                + (
                    "\nIf you still disagree you can escalate it to the next stage."
                    if outcome == ChallengeOutcome.DECISION_UPHELD
                    and stage_before < TOP_CHALLENGE_STAGE
                    else ""
                )
            ),
            dedupe_key=f"challenge:{challenge.pk}:answer{stage_before}",
            at=now,
            referral=challenge.referral,
            challenge=challenge,
        )
    audit(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="challenge",
        object_id=challenge.pk,
        referral=challenge.referral,
        reason=notes,
        details={"event": "responded", "stage": stage_before, "outcome": outcome},
    )
    return challenge


@transaction.atomic
def challenge_escalate(*, acting_user: Any, challenge: Challenge, reason: str) -> Challenge:
    """The referrer is not satisfied: the challenge moves to the next stage (also after an
    answer that upheld the decision below the top stage)."""
    reason = require_reason(reason)
    challenge = _locked(challenge)
    if challenge.raised_by_id != acting_user.pk:
        raise NotPermitted("Only the referrer who raised the challenge can escalate it.")
    reopen = (
        challenge.status == ChallengeStatus.RESOLVED
        and challenge.outcome == ChallengeOutcome.DECISION_UPHELD
    )
    if challenge.status != ChallengeStatus.OPEN and not reopen:
        raise Conflict("This challenge cannot be escalated.")
    if challenge.stage >= TOP_CHALLENGE_STAGE:
        raise Conflict("The challenge is already at the partnership stage.")
    if (
        reopen
        and Challenge.objects.filter(
            referral_id=challenge.referral_id, status=ChallengeStatus.OPEN
        ).exists()
    ):
        raise Conflict("Another challenge to this decision is already open.")
    now = timezone.now()
    if challenge.status == ChallengeStatus.OPEN:
        _close_stage(
            challenge, at=now, outcome=ChallengeOutcome.ESCALATED, notes=reason, by=acting_user
        )
    challenge.status = ChallengeStatus.OPEN
    challenge.outcome = ""
    challenge.resolved_at = None
    _open_stage(challenge, challenge.stage + 1, now)
    challenge.save()
    _tell_stage(challenge, at=now, why="The referrer has escalated the challenge.")
    audit(
        actor=acting_user,
        action=Action.CHANGE,
        object_type="challenge",
        object_id=challenge.pk,
        referral=challenge.referral,
        reason=reason,
        details={"event": "escalated_by_referrer", "stage": challenge.stage},
    )
    return challenge


def challenge_sweep_one(challenge: Challenge, *, at: dt.datetime) -> int:
    """A stage whose timescale has passed escalates itself, stage by stage, up to the top;
    the top stage's responders are reminded once. Runs inside the sweep's transaction."""
    stages = 0
    if challenge.status != ChallengeStatus.OPEN:
        challenge.next_check_at = None
    while challenge.next_check_at is not None and challenge.next_check_at <= at:
        passed = challenge.stage_due_at
        if challenge.stage >= TOP_CHALLENGE_STAGE:
            notify(
                users=_stage_responders(challenge),
                kind=InboxKind.CHALLENGE,
                subject=f"Overdue: challenge on {challenge.referral.reference} at the "
                "partnership stage",
                body=(
                    f"The challenge to the decision on {challenge.referral.reference} passed "
                    f"its timescale at the partnership stage ({local(passed)})."
                ),
                dedupe_key=f"challenge:{challenge.pk}:top-overdue",
                at=at,
                referral=challenge.referral,
                challenge=challenge,
            )
            challenge.next_check_at = None
            break
        _close_stage(
            challenge,
            at=passed,
            outcome=ChallengeOutcome.TIMESCALE_PASSED,
            notes="The stage's timescale passed without an answer.",
            by=None,
        )
        _open_stage(challenge, challenge.stage + 1, passed)
        _tell_stage(challenge, at=at, why="The stage below did not answer in time.")
        stages += 1
        audit(
            actor=None,
            action=Action.CHANGE,
            object_type="challenge",
            object_id=challenge.pk,
            referral=challenge.referral,
            details={"event": "stage_timescale_passed", "stage": challenge.stage},
        )
    challenge.save(update_fields=["stage", "stage_due_at", "next_check_at", "updated_at"])
    return stages

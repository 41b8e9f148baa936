"""Decision: the front door's outcome on a referral; a practitioner's proposal for a manager's
sign-off, and the manager's answer."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.accounts.models import Team
from sightline.accounts.roles import Role
from sightline.casework import rules as casework_rules
from sightline.casework.choices import CASEWORK_OUTCOMES
from sightline.casework.models import SignOff
from sightline.casework.services import (
    allocation_set,
    closure_override_record,
    sign_off_decision_link,
    sign_off_propose,
)
from sightline.casework.services import (
    sign_off_approve as sign_off_mark_approved,
)
from sightline.casework.services import (
    sign_off_return as sign_off_mark_returned,
)
from sightline.escalation.choices import InboxKind
from sightline.escalation.rules import manager_review_required
from sightline.escalation.services import clocks_assign, clocks_on_decision
from sightline.escalation.services.notify import notify, people_in_role
from sightline.referrals import rules as referral_rules
from sightline.referrals.choices import Outcome
from sightline.referrals.models import Decision, Referral
from sightline.referrals.services import DecisionBlocked, referral_decide
from sightline.reviews.choices import TextKind
from sightline.reviews.services import language_flags_record, missed_opportunities_check

SPECIALIST_TEAM_WORDS = ("CSE", "exploitation")


@transaction.atomic
def decision_record(
    *,
    acting_user: Any,
    referral: Referral,
    outcome: str,
    reason: str,
    override_rationale: str = "",
) -> Decision:
    """Check the disclosure rule (casework), ask the escalation app whether a re-referral
    review is still owed, record the decision under the referral's state rules (referrals),
    then meet the decision clock, start the clocks the outcome implies and send the referrer
    the decision notice (escalation), allocate the work (casework), keep the reason's
    language flags (reviews) and, for a head of service's override, alert the partnership's
    safeguarding lead."""
    _closure_check(referral, acting_user, outcome, override_rationale)
    override = casework_rules.is_override(referral, outcome, override_rationale)
    decision = referral_decide(
        acting_user=acting_user,
        referral=referral,
        outcome=outcome,
        reason=reason,
        rereferral_review_pending=manager_review_required(referral),
    )
    _after_decision(acting_user, referral, decision)
    if override:
        _override_alert(acting_user, referral, decision, override_rationale)
    return decision


def _closure_check(referral: Referral, user: Any, outcome: str, rationale: str) -> None:
    blocker = casework_rules.closure_blocker(referral, user, outcome, rationale)
    if blocker:
        raise DecisionBlocked(blocker)


def _after_decision(acting_user: Any, referral: Referral, decision: Decision) -> None:
    clocks_on_decision(referral=referral, decision=decision, acting_user=acting_user)
    _allocate_on_decision(acting_user, referral, decision)
    _flag(acting_user, referral, TextKind.DECISION_REASON, decision.pk, "reason", decision.reason)
    missed_opportunities_check(
        acting_user=acting_user,
        child_ids=referral.children.values_list("child_id", flat=True),
        trigger="decide",
    )


def _flag(user: Any, referral: Referral, kind: str, record_id: Any, field: str, text: str) -> None:
    """Keep a text's language flags (reviews), read with the youngest child's age."""
    ages = [a for a in referral.children.values_list("age_on_day", flat=True) if a is not None]
    language_flags_record(
        acting_user=user, content_type=kind, record_id=record_id,
        record_ref=referral.reference, field=field, text=text, child_age=min(ages, default=None),
    )  # fmt: skip


def specialist_team(agency_id: Any) -> Team | None:
    teams = Team.objects.filter(agency_id=agency_id).order_by("name")
    for team in teams:
        if any(word.lower() in team.name.lower() for word in SPECIALIST_TEAM_WORDS):
            return team
    return None


def _allocate_on_decision(acting_user: Any, referral: Referral, decision: Decision) -> None:
    """A decision that opens casework allocates each child: to the decider in their team, or
    (a referral to the specialist CSE team) to that team's allocation queue."""
    if decision.outcome not in CASEWORK_OUTCOMES:
        return
    decider = decision.decided_by
    worker: Any = decider
    team = decider.team
    if decision.outcome == Outcome.SPECIALIST_CSE_TEAM:
        worker = None
        team = specialist_team(decider.agency_id) or team
    if team is None:
        return
    for referral_child in referral.children.select_related("child"):
        allocation_set(
            acting_user=acting_user,
            child=referral_child.child,
            team=team,
            worker=worker,
            referral=referral,
            reason=f"Front-door decision: {decision.get_outcome_display()}.",
        )
    clocks_assign(referral=referral, team=team, worker=worker)
    if worker is None:
        notify(
            users=people_in_role(Role.TEAM_MANAGER, agency_id=team.agency_id, team_id=team.pk),
            kind=InboxKind.ALLOCATION,
            subject=f"{referral.reference} is in the {team.name} allocation queue",
            body=f"The front door referred {referral.reference} to {team.name}: allocate a worker.",
            dedupe_key=f"allocation-queue:{decision.pk}",
            at=timezone.now(),
            referral=referral,
        )


def _override_alert(
    acting_user: Any, referral: Referral, decision: Decision, rationale: str
) -> None:
    override = closure_override_record(
        acting_user=acting_user, referral=referral, decision=decision, rationale=rationale
    )
    # Kept under the decision's id, so the decision's API answer carries these flags too.
    _flag(
        acting_user, referral, TextKind.CLOSURE_OVERRIDE, decision.pk, "override_rationale",
        override.rationale,
    )  # fmt: skip
    notify(
        users=people_in_role(Role.SAFEGUARDING_LEAD),
        kind=InboxKind.CLOSURE_OVERRIDE,
        subject=f"A disclosure on {referral.reference} was closed without a strategy discussion",
        body=(
            f"A head of service closed {referral.reference} ({decision.get_outcome_display()}) "
            f"although the screening records {', '.join(override.indicators)} and no strategy "
            f"discussion has been recorded. Their rationale:\n{override.rationale}"
        ),
        dedupe_key=f"closure-override:{override.pk}",
        at=override.overridden_at,
        referral=referral,
    )


@transaction.atomic
def decision_propose(*, acting_user: Any, referral: Referral, outcome: str, reason: str) -> SignOff:
    """A practitioner's decision that needs a manager: kept as a proposal in the sign-off
    queue (casework), and the team's managers told (escalation inbox and e-mail)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    fresh = (
        Referral.objects.select_related("decision")
        .prefetch_related("children__screenings")
        .get(pk=referral.pk)
    )
    blocker = referral_rules.state_blocker(
        fresh, rereferral_review_pending=manager_review_required(fresh)
    )
    if blocker:
        raise DecisionBlocked(blocker)
    if not referral_rules.needs_manager_sign_off(fresh, outcome):
        raise DecisionBlocked("This decision does not need a manager's sign-off: record it.")
    _closure_check(fresh, acting_user, outcome, "")
    sign_off = sign_off_propose(
        acting_user=acting_user,
        referral=referral,
        outcome=outcome,
        reasoning=reason,
        risk_level=referral_rules.highest_level(fresh),
    )
    _flag(acting_user, referral, TextKind.PROPOSAL_REASONING, sign_off.pk, "reasoning", reason)
    notify(
        users=[
            u
            for u in people_in_role(
                Role.TEAM_MANAGER, agency_id=acting_user.agency_id, team_id=acting_user.team_id
            )
            if u.pk != acting_user.pk
        ],
        kind=InboxKind.SIGN_OFF,
        subject=f"Decision on {referral.reference} awaiting your sign-off",
        body=(
            f"{acting_user.username} proposes {sign_off.get_outcome_display()} on "
            f"{referral.reference} (screening {sign_off.risk_level or 'not screened'}). "
            "Approve it or return it with your reason from the sign-off queue."
        ),
        dedupe_key=f"sign-off:{sign_off.pk}",
        at=sign_off.proposed_at,
        referral=referral,
    )
    return sign_off


@transaction.atomic
def sign_off_approve(*, acting_user: Any, sign_off: SignOff) -> Decision:
    """The manager approves: the proposal becomes the decision through the decision's own
    steps (clocks, the referrer's notice, allocation), the proposer recorded as deciding and
    the manager as signing off."""
    sign_off = sign_off_mark_approved(acting_user=acting_user, sign_off=sign_off)
    referral = sign_off.referral
    _closure_check(referral, acting_user, sign_off.outcome, "")
    decision = referral_decide(
        acting_user=acting_user,
        referral=referral,
        outcome=sign_off.outcome,
        reason=sign_off.reasoning,
        rereferral_review_pending=manager_review_required(referral),
        proposed_by=sign_off.proposed_by,
    )
    sign_off_decision_link(acting_user=acting_user, sign_off=sign_off, decision=decision)
    _after_decision(acting_user, referral, decision)
    _tell_proposer(sign_off, "approved: it is now the decision")
    return decision


@transaction.atomic
def sign_off_return(*, acting_user: Any, sign_off: SignOff, reason: str) -> SignOff:
    """The manager returns the proposal with a reason the practitioner sees."""
    sign_off = sign_off_mark_returned(acting_user=acting_user, sign_off=sign_off, reason=reason)
    _flag(acting_user, sign_off.referral, TextKind.RETURN_REASON, sign_off.pk, "return_reason",
          sign_off.return_reason)  # fmt: skip
    _tell_proposer(sign_off, f"returned. The reason: {sign_off.return_reason}")
    return sign_off


def _tell_proposer(sign_off: SignOff, what: str) -> None:
    reference = sign_off.referral.reference
    notify(
        users=[sign_off.proposed_by],
        kind=InboxKind.SIGN_OFF,
        subject=(
            f"Your proposed decision on {reference} was {sign_off.get_status_display().lower()}"
        ),
        body=f"Your proposal ({sign_off.get_outcome_display()}) on {reference} was {what}",
        dedupe_key=f"sign-off-answer:{sign_off.pk}",
        at=sign_off.answered_at or timezone.now(),
        referral=sign_off.referral,
    )

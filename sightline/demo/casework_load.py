"""Loading the demo's casework history: for each child whose referral's decision opened
casework (an assessment, the specialist CSE team, a strategy discussion), the episode that
`casework_plan` made up, recorded through the casework workflows (so each step has its audit
row, meets and starts its statutory clocks and has its language checked), on historic dates.
A step dated after now is not written (the episode is still open); open episodes are
allocated to the demo practitioners or to the borough's own, and the demo team manager
authorises the completed assessments. A few open referrals get a practitioner's proposal of
no further action, so the sign-off queue holds work (one returned with the manager's reason).

Run after the clocks were started (demo_borough --with-history, after the partner events):
the assessment clocks are left running by the back-fill and met here by the assessments'
completion. A second run adds nothing (an episode with an allocation is left alone).

The load is one transaction, and rolls back whole if any step fails, so it runs each
workflow's body without the savepoint the workflow opens when nested, writes the audit rows
of a hundred referrals at a time (audit_batch) and reads the calendar and clock policies once
(timescales_held): the same rows, a third of the statements (ADR 0912). `batched=False`
records each step exactly as a page would, for the test that compares the two."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from itertools import islice
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from sightline.accounts.models import Team, User
from sightline.accounts.roles import Role
from sightline.audit.services import audit_batch
from sightline.casework.choices import CASEWORK_OUTCOMES
from sightline.casework.models import Allocation, Plan, SignOff
from sightline.core.transactions import without_savepoint
from sightline.demo.casework_plan import (
    CIN_PLAN_END,
    CLOSURE_NOTES,
    HEALTH_ABSENT,
    KINDS,
    NO_CONFERENCE,
    NOTES,
    SD_ACTIONS,
    SD_REASONS,
    Action,
    EpisodePlan,
    Planner,
)
from sightline.demo.users import demo_username
from sightline.escalation.timescales import partnership_calendar, timescales_held
from sightline.referrals import rules as referral_rules
from sightline.referrals.choices import Status
from sightline.referrals.models import Decision, Referral, ReferralChild
from sightline.referrals.services import DecisionBlocked
from sightline.reviews.services import language_batch
from sightline.workflows import (
    assessment_progress,
    assessment_start,
    case_note_record,
    child_allocate,
    conference_record,
    decision_propose,
    enquiry_outcome,
    enquiry_start,
    episode_closure_record,
    plan_close,
    plan_record,
    sign_off_return,
    strategy_discussion_record,
)
from sightline.workflows.decide import specialist_team

# The workflows the history is recorded through.
WORKFLOWS = (
    assessment_progress,
    assessment_start,
    case_note_record,
    child_allocate,
    conference_record,
    enquiry_outcome,
    enquiry_start,
    episode_closure_record,
    plan_close,
    plan_record,
    strategy_discussion_record,
)
# Referrals whose audit rows and language checks are written together (a few statements).
BATCH = 100

PROPOSALS = 3
PROPOSAL_REASON = (
    "Checks with the school and police found no new concerns since the last review and the "
    "support in place is meeting the child's needs; proposing no further action from the "
    "front door."
)
RETURN_REASON = (
    "Please complete the health check and speak with the child's school nurse before "
    "closing: the screening still records missing episodes this term."
)


@dataclass
class People:
    manager: User
    specialist_team: Team
    front_door_team: Team
    demo: dict[bool, User]  # specialist? -> the demo practitioner
    staff: dict[bool, User]  # specialist? -> the borough's practitioner


@dataclass
class CaseworkReport:
    episodes: int
    open: int
    steps: Counter[str]
    proposals: int
    skipped: int


def _people() -> People | None:
    manager, cse, fdp = (
        User.objects.filter(username=demo_username(role)).first()
        for role in (Role.TEAM_MANAGER, Role.CSE_SPECIALIST, Role.FRONT_DOOR_PRACTITIONER)
    )
    if manager is None or cse is None or fdp is None or manager.agency_id is None:
        return None
    staff = User.objects.filter(agency_id=manager.agency_id, is_active=True, team__isnull=False)
    staff = staff.exclude(username__startswith="demo-").order_by("username")
    staff_cse = staff.filter(role=Role.CSE_SPECIALIST).first() or cse
    staff_fdp = staff.filter(role=Role.FRONT_DOOR_PRACTITIONER).first() or fdp
    teams = Team.objects.filter(agency_id=manager.agency_id).order_by("name")
    front = getattr(staff_fdp, "team", None) or teams.filter(name__icontains="front").first()
    front = front or teams.first()
    special = specialist_team(manager.agency_id) or front
    if front is None or special is None:
        return None
    return People(manager, special, front, {True: cse, False: fdp},
                  {True: staff_cse, False: staff_fdp})  # fmt: skip


def _episodes() -> list[tuple[Any, Any, Decision, dt.datetime | None]]:
    """(child, referral, decision, the child's next casework referral's arrival), oldest
    first: every child of every referral whose current decision opened casework."""
    links = ReferralChild.objects.select_related("child").order_by("position")
    decisions = (
        Decision.objects.filter(outcome__in=CASEWORK_OUTCOMES, referral__isnull=False)
        .select_related("referral")
        .prefetch_related(Prefetch("referral__children", queryset=links))
        .order_by("referral__received_at", "referral__reference")
    )
    rows: list[tuple[Any, Any, Decision]] = []
    for decision in decisions:
        referral = decision.referral
        assert referral is not None  # filtered above
        for link in referral.children.all():
            if link.child is not None and link.child.superseded_by_id is None:
                rows.append((link.child, referral, decision))
    arrivals: dict[Any, list[dt.datetime]] = defaultdict(list)
    for child, referral, _ in rows:
        arrivals[child.pk].append(referral.received_at)
    out = []
    for child, referral, decision in rows:
        later = [at for at in arrivals[child.pk] if at > referral.received_at]
        out.append((child, referral, decision, min(later) if later else None))
    return out


class _Recorder:
    """Records one episode's plan through the workflows, step by step, stopping at now
    (`batched`: each workflow's body, in the load's one transaction without a savepoint)."""

    def __init__(
        self, people: People, now: dt.datetime, steps: Counter[str], batched: bool = True
    ) -> None:
        self.people, self.now, self.steps = people, now, steps
        self.w = SimpleNamespace(
            **{f.__name__: without_savepoint(f) if batched else f for f in WORKFLOWS}
        )

    def record(self, referral: Any, episodes: list[tuple[Any, EpisodePlan]]) -> None:
        """The episodes of a referral's children, their steps interleaved in time (siblings
        assessed together: the first completion meets the referral's assessment clock)."""
        merged = sorted(
            ((act, i) for i, (_child, plan) in enumerate(episodes) for act in plan.actions),
            key=lambda pair: (pair[0].at, KINDS.index(pair[0].kind), pair[1]),
        )
        states: list[dict[str, Any]] = [{} for _ in episodes]
        for act, i in merged:
            if act.at <= self.now:  # a step after now is still to come
                self.step(referral, *episodes[i], states[i], act)

    def step(  # noqa: PLR0912 (one branch per kind of step)
        self, referral: Any, child: Any, plan: EpisodePlan, state: dict[str, Any], act: Action
    ) -> None:
        p, w = self.people, self.w
        worker = (p.demo if plan.demo_worker else p.staff)[plan.specialist]
        team = p.specialist_team if plan.specialist else p.front_door_team
        common = {"acting_user": worker, "child": child, "referral": referral}
        f = act.facts
        if act.kind == "allocation":
            w.child_allocate(
                acting_user=p.manager, child=child, team=team, worker=worker,
                referral=referral, at=act.at, tell=plan.open,
                reason=f"Allocated after the front-door decision on {referral.reference}.",
            )  # fmt: skip
        elif act.kind == "strategy_discussion":
            outcome = f["outcome"]
            state["sd"] = w.strategy_discussion_record(
                **common, held_at=act.at, police_present=True, csc_present=True,
                health_present=f["health_present"], others_present="School safeguarding lead",
                absence_reason="" if f["health_present"] else HEALTH_ABSENT,
                outcome=outcome, outcome_reason=SD_REASONS[outcome], actions=SD_ACTIONS,
            )  # fmt: skip
        elif act.kind == "section_47":
            state["s47"] = w.enquiry_start(
                acting_user=worker, discussion=state["sd"], started_on=f["started_on"]
            )
        elif act.kind == "section_47_outcome":
            state["s47"] = w.enquiry_outcome(
                acting_user=worker, enquiry=state["s47"], outcome=f["outcome"],
                completed_on=f["completed_on"],
                no_conference_reason=NO_CONFERENCE
                if f["outcome"] == "substantiated_no_conference" else "",
            )  # fmt: skip
        elif act.kind in ("conference", "review_conference"):
            w.conference_record(
                **common, kind="initial" if act.kind == "conference" else "review",
                held_on=act.at.date(), enquiry=state.get("s47")
                if act.kind == "conference" else None,
                outcome=f["outcome"], plan_category=f["category"],
            )  # fmt: skip
        elif act.kind == "assessment":
            state["assessment"] = w.assessment_start(
                **common, started_on=f["started_on"], factors=f["factors"]
            )
        elif act.kind == "assessment_completed":
            state["assessment"] = w.assessment_progress(
                acting_user=worker, assessment=state["assessment"],
                completed_on=f["completed_on"], outcome=f["outcome"],
            )  # fmt: skip
        elif act.kind == "assessment_authorised":
            w.assessment_progress(
                acting_user=p.manager, assessment=state["assessment"],
                authorised_on=f["authorised_on"],
            )  # fmt: skip
        elif act.kind == "cin_plan":
            state["cin"] = w.plan_record(**common, kind="cin", started_on=f["started_on"])
        elif act.kind == "plan_ended":
            w.plan_close(acting_user=worker, plan=state["cin"], ended_on=f["ended_on"],
                       end_reason=CIN_PLAN_END)  # fmt: skip
        elif act.kind == "closure":
            if Plan.objects.filter(child=child, ended_on__isnull=True).exists():
                return  # another episode's plan is still open: this one stays open
            w.episode_closure_record(
                **common, closed_on=f["closed_on"], reason=f["reason"],
                notes=CLOSURE_NOTES[f["reason"]],
            )  # fmt: skip
        elif act.kind == "case_note":
            w.case_note_record(**common, kind=f["note"], body=NOTES[f["note"]], at=act.at)
        self.steps[act.kind] += 1


def _proposals(people: People, steps: Counter[str]) -> int:
    """No further action proposed on a few open referrals screened medium or high (those
    the disclosure rule lets close), by the demo front-door practitioner; when there are two
    or more, the first is returned by the demo team manager with the reason (the others stay
    pending, so the queue always holds one)."""
    fdp = people.demo[False]
    made = 0
    first = None
    open_refs = (
        Referral.objects.filter(status=Status.AWAITING_DECISION, sign_offs__isnull=True)
        .prefetch_related("children__screenings")
        .order_by("received_at", "reference")
    )
    for referral in open_refs:
        if made >= PROPOSALS:
            break
        if not referral_rules.needs_manager_sign_off(referral, "no_further_action"):
            continue
        try:
            with transaction.atomic():
                sign_off = decision_propose(
                    acting_user=fdp, referral=referral, outcome="no_further_action",
                    reason=PROPOSAL_REASON,
                )  # fmt: skip
        except DecisionBlocked:
            continue  # a disclosure: not closed before a strategy discussion
        made += 1
        steps["proposal"] += 1
        first = first or sign_off
    if first is not None and made >= 2:
        sign_off_return(acting_user=people.manager, sign_off=first, reason=RETURN_REASON)
        steps["proposal_returned"] += 1
    return made


@contextmanager
def _batch(batched: bool) -> Iterator[None]:
    """Audit rows and language checks of the steps inside written together at the end."""
    if not batched:
        yield
        return
    with audit_batch(), language_batch():
        yield


@transaction.atomic
def demo_casework_load(
    *, now: dt.datetime | None = None, batched: bool = True
) -> CaseworkReport | None:
    """Record the casework history of every episode not yet allocated; None when the demo
    users are missing (a borough loaded without them). `batched=False`: each step exactly
    as a page records it (its savepoint, its audit rows at once, the calendar read again)."""
    people = _people()
    if people is None:
        return None
    now = now or timezone.now()
    planner = Planner(partnership_calendar(), now)
    done = set(
        Allocation.objects.filter(referral__isnull=False).values_list("child_id", "referral_id")
    )
    steps: Counter[str] = Counter()
    recorder = _Recorder(people, now, steps, batched)
    episodes = still_open = skipped = 0
    by_referral: dict[Any, list[tuple[Any, EpisodePlan]]] = defaultdict(list)
    referrals = {}
    for child, referral, decision, later in _episodes():
        if (child.pk, referral.pk) in done:
            skipped += 1
            continue
        # seeded by the referral: its children (siblings) share one history
        plan = planner.plan(
            key=referral.reference, outcome=decision.outcome, received_at=referral.received_at,
            decided_at=decision.decided_at, later=later,
        )  # fmt: skip
        by_referral[referral.pk].append((child, plan))
        referrals[referral.pk] = referral
        episodes += 1
        still_open += plan.open
    pending = iter(by_referral.items())
    with timescales_held() if batched else nullcontext():
        while chunk := list(islice(pending, BATCH)):
            with _batch(batched):
                for referral_id, planned in chunk:
                    recorder.record(referrals[referral_id], planned)
    proposals = 0 if SignOff.objects.exists() else _proposals(people, steps)
    return CaseworkReport(episodes, still_open, steps, proposals, skipped)


def demo_casework_summary(report: CaseworkReport | None) -> str:
    if report is None:
        return "Casework history: skipped (no demo users)."
    counts = ", ".join(f"{report.steps[k]} {k}" for k in (*KINDS, "proposal") if report.steps[k])
    return (
        f"Casework history: {report.episodes} episodes ({report.open} still open, "
        f"{report.skipped} already recorded): {counts or 'no steps'}."
    )

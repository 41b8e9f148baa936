"""Reads of casework. Every selector takes the user and applies record scope: the children
and referrals the user may see (referrals.selectors), and the casework capabilities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone

from sightline.accounts.roles import Cap
from sightline.audit.choices import Action, ObjectType
from sightline.audit.services import audit_record
from sightline.casework.choices import CASEWORK_OUTCOMES, NoteKind, SignOffStatus
from sightline.casework.models import (
    Allocation,
    Assessment,
    CaseNote,
    ClosureOverride,
    Conference,
    EpisodeClosure,
    Plan,
    Section47Enquiry,
    SignOff,
    StrategyDiscussion,
)
from sightline.core.errors import NotFound
from sightline.escalation.choices import OPEN_CLOCK_STATUSES
from sightline.escalation.models import Clock
from sightline.people.models import Child
from sightline.referrals.choices import Status
from sightline.referrals.models import Referral
from sightline.referrals.selectors import child_scope, referral_scope
from sightline.screening.choices import LEVEL_RANK

M = TypeVar("M", bound=Model)


def _can(user: Any, cap: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_capability(cap))


# --- Sign-off ---------------------------------------------------------------------------------


def sign_off_list(*, user: Any, status: str | None = None) -> QuerySet[SignOff]:
    """Managers see the partnership's proposals in their scope; a practitioner sees their own."""
    if _can(user, Cap.REFERRAL_SIGN_OFF):
        rows = SignOff.objects.filter(referral__in=referral_scope(user=user))
    elif _can(user, Cap.REFERRAL_DECIDE):
        rows = SignOff.objects.filter(proposed_by=user)
    else:
        return SignOff.objects.none()
    if status:
        rows = rows.filter(status=status)
    return rows.select_related("referral", "proposed_by", "answered_by", "decision").order_by(
        "proposed_at"
    )


def sign_off_get(*, user: Any, sign_off_id: Any) -> SignOff | None:
    return sign_off_list(user=user).filter(pk=sign_off_id).first()


def sign_offs_of_referral(referral: Referral) -> list[SignOff]:
    """For the referral page (whose caller has checked scope)."""
    return list(
        SignOff.objects.filter(referral=referral)
        .select_related("proposed_by", "answered_by")
        .order_by("proposed_at")
    )


def pending_sign_off(referral: Referral) -> SignOff | None:
    return SignOff.objects.filter(referral=referral, status=SignOffStatus.PENDING).first()


def closure_override_list(*, user: Any) -> QuerySet[ClosureOverride]:
    if not _can(user, Cap.OVERRIDE_VIEW):
        return ClosureOverride.objects.none()
    return (
        ClosureOverride.objects.filter(referral__in=referral_scope(user=user))
        .select_related("referral", "overridden_by")
        .order_by("-overridden_at")
    )


# --- The child's episode and its steps -------------------------------------------------------


def casework_child_get(*, user: Any, child_id: Any) -> Child | None:
    if not _can(user, Cap.CASEWORK_VIEW):
        return None
    return child_scope(user=user, among=[child_id]).first()


def episode_referral(*, user: Any, child: Child, reference: str = "") -> Referral | None:
    """The referral the child's steps belong to: the one named, else the latest referral
    naming the child whose current decision opened casework, else the latest one still
    awaiting a decision (a strategy discussion may come before the decision)."""
    referrals = referral_scope(user=user).filter(children__child=child).distinct()
    if reference:
        return referrals.filter(reference=reference.strip().upper()).first()
    opened = referrals.filter(decision__outcome__in=CASEWORK_OUTCOMES).order_by("-received_at")
    found = opened.first()
    if found is None:
        found = (
            referrals.filter(
                status__in=[Status.AWAITING_SCREENING, Status.AWAITING_DECISION, Status.REOPENED]
            )
            .order_by("-received_at")
            .first()
        )
    return found


@dataclass
class Casework:
    discussions: list[StrategyDiscussion] = field(default_factory=list)
    enquiries: list[Section47Enquiry] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    conferences: list[Conference] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    closures: list[EpisodeClosure] = field(default_factory=list)
    notes: list[CaseNote] = field(default_factory=list)
    allocations: list[Allocation] = field(default_factory=list)
    notes_total: int = 0  # every note on record; `notes` holds the latest NOTES_SHOWN


NOTES_SHOWN = 200


def child_casework(*, user: Any, child: Child) -> Casework:
    """Everything recorded after the front door for a child the caller may see (the caller
    has fetched the child through casework_child_get)."""
    if not _can(user, Cap.CASEWORK_VIEW):
        return Casework()
    notes = list(
        CaseNote.objects.filter(child=child).select_related("author", "agency")[:NOTES_SHOWN]
    )
    total = len(notes)
    if total == NOTES_SHOWN:  # counted only when the page holds fewer than there are
        total = CaseNote.objects.filter(child=child).count()
    return Casework(
        discussions=list(StrategyDiscussion.objects.filter(child=child).select_related("referral")),
        enquiries=list(Section47Enquiry.objects.filter(child=child).select_related("referral")),
        assessments=list(Assessment.objects.filter(child=child).select_related("referral")),
        conferences=list(Conference.objects.filter(child=child).select_related("referral")),
        plans=list(Plan.objects.filter(child=child).select_related("referral")),
        closures=list(EpisodeClosure.objects.filter(child=child).select_related("referral")),
        notes=notes,
        notes_total=total,
        allocations=list(
            Allocation.objects.filter(child=child).select_related("team", "worker", "allocated_by")
        ),
    )


def case_note_marks(*, user: Any, child: Child) -> list[tuple[Any, str, str]]:
    """When, what kind and which agency, for every case note of the child (the chronology's
    entries; `child_casework` holds only the latest NOTES_SHOWN in full)."""
    if not _can(user, Cap.CASEWORK_VIEW):
        return []
    labels = dict(NoteKind.choices)
    rows = CaseNote.objects.filter(child=child).values_list("written_at", "kind", "agency__name")
    return [(at, labels.get(kind, kind), agency) for at, kind, agency in rows]


def step_get(*, user: Any, model: type[M], record_id: Any) -> M | None:
    """A step record, if its child is in the caller's scope (else None: answered as 404)."""
    if not _can(user, Cap.CASEWORK_VIEW):
        return None
    children = child_scope(user=user).values("pk")
    return model._default_manager.filter(pk=record_id, child_id__in=children).first()


def current_allocation(child: Child) -> Allocation | None:
    return (
        Allocation.objects.filter(child=child, ended_at__isnull=True)
        .select_related("team", "worker")
        .first()
    )


def owners_of_referrals(referral_ids: list[Any]) -> dict[Any, Allocation]:
    """The current allocation of each referral's children, by referral id (for lists that
    show who owns the work)."""
    rows = Allocation.objects.filter(
        ended_at__isnull=True, referral_id__in=referral_ids
    ).select_related("team", "worker")
    return {a.referral_id: a for a in rows}


# --- Caseloads -------------------------------------------------------------------------------


@dataclass
class Load:
    label: str
    open_children: int = 0
    high_risk: int = 0
    overdue_steps: int = 0


@dataclass
class Caseloads:
    workers: list[Load]
    teams: list[Load]
    unallocated: int


def caseloads(*, user: Any, now: dt.datetime | None = None) -> Caseloads:
    """Open children, those at high risk and overdue clocks, per worker and per team, over
    the allocations in the caller's agency."""
    if not _can(user, Cap.CASELOAD_VIEW):
        return Caseloads([], [], 0)
    now = now or timezone.now()
    open_rows = Allocation.objects.filter(ended_at__isnull=True, team__agency_id=user.agency_id)
    high = Q(referral__risk_rank__gte=LEVEL_RANK["high"])
    overdue_referrals = Clock.objects.filter(status__in=OPEN_CLOCK_STATUSES, due_at__lt=now).values(
        "referral_id"
    )
    counts = {
        "open_children": Count("child", distinct=True),
        "high_risk": Count("child", filter=high, distinct=True),
        "overdue_steps": Count("child", filter=Q(referral_id__in=overdue_referrals), distinct=True),
    }
    by_worker: Any = (
        open_rows.filter(worker__isnull=False)
        .values("worker__username")
        .annotate(**counts)
        .order_by("worker__username")
    )
    by_team: Any = open_rows.values("team__name").annotate(**counts).order_by("team__name")
    workers = [
        Load(r["worker__username"], r["open_children"], r["high_risk"], r["overdue_steps"])
        for r in by_worker
    ]
    teams = [
        Load(r["team__name"], r["open_children"], r["high_risk"], r["overdue_steps"])
        for r in by_team
    ]
    unallocated = open_rows.filter(worker__isnull=True).count()
    return Caseloads(workers, teams, unallocated)


# --- Audited reads: what a page or the API shows, its access row written here (in the
# caller's transaction or one of its own) so that no view shows it unrecorded. ---------------

NO_CHILD = "No child with that id that you can see."


def sign_off_list_read(*, user: Any, status: str | None, limit: int = 200) -> list[SignOff]:
    """The sign-off queue (at most `limit` rows), its listing recorded."""
    with transaction.atomic():
        rows = list(sign_off_list(user=user, status=status)[:limit])
        audit_record(
            actor=user, action=Action.LIST, object_type=ObjectType.SIGN_OFFS,
            details={"status": status, "count": len(rows)},
        )  # fmt: skip
    return rows


def caseloads_read(*, user: Any) -> Caseloads:
    """The caseloads, their listing recorded."""
    with transaction.atomic():
        loads = caseloads(user=user)
        audit_record(actor=user, action=Action.LIST, object_type=ObjectType.CASELOADS)
    return loads


def closure_override_list_read(*, user: Any, limit: int = 200) -> list[ClosureOverride]:
    """The head of service's closure overrides, their listing recorded."""
    with transaction.atomic():
        rows = list(closure_override_list(user=user)[:limit])
        audit_record(
            actor=user, action=Action.LIST, object_type=ObjectType.CLOSURE_OVERRIDES,
            details={"count": len(rows)},
        )  # fmt: skip
    return rows


def casework_child_read(*, user: Any, child_id: Any) -> Child:
    """The child whose casework is shown, its view recorded; NotFound when out of scope."""
    child = casework_child_get(user=user, child_id=child_id)
    if child is None:
        raise NotFound(NO_CHILD)
    with transaction.atomic():
        audit_record(
            actor=user, action=Action.VIEW, object_type=ObjectType.CHILD_CASEWORK,
            object_id=child.pk, object_ref=child.reference, child_id=child.pk,
        )  # fmt: skip
    return child

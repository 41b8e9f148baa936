"""Reads at the front door. Every selector takes the user and applies record scope."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import (
    Case,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Greatest
from django.utils import timezone

from sightline.accounts.roles import Cap, Role
from sightline.audit.choices import Action, ObjectType
from sightline.audit.services import audit_record
from sightline.core.errors import NotFound
from sightline.people.models import Child
from sightline.referrals.choices import Status, Urgency
from sightline.referrals.models import (
    BreakGlassGrant,
    ChildMatchCandidate,
    Referral,
    ReferralChild,
)
from sightline.screening.models import Screening


def _restricted_hidden(user: Any) -> QuerySet[ReferralChild, Any]:
    """Referral-child links of restricted children this user is not named on."""
    return (
        ReferralChild.objects.filter(child__is_restricted=True)
        .exclude(child__named_users__user=user)
        .values("referral_id")
    )


def _base_q(user: Any, via: str) -> Q | None:
    """The referrals a role sees before restriction and break-glass, as a condition on the
    referral reached by the path `via` (None: all of them)."""
    if user.has_capability(Cap.REFERRAL_QUEUE):
        return None
    if user.role in (Role.HEALTH_LEAD, Role.EDUCATION_LEAD) and user.agency_id:
        return Q(**{f"{via}source_agency_id": user.agency_id}) | Q(**{f"{via}referred_by": user})
    if user.has_capability(Cap.REFERRAL_VIEW):
        return Q(**{f"{via}referred_by": user})
    return Q(**{f"{via}pk__in": []})


def referral_visible_q(*, user: Any, via: str = "") -> Q:
    """`referral_scope` as a condition on the referral reached by the path `via` (for example
    "referral__" from a referral-child link), so that a read of a few rows can join to the
    referrals it needs instead of asking the database for every referral in scope (which it
    may plan as a scan of them all). The one statement of the rule: `referral_scope` is this
    condition on the referrals themselves."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(**{f"{via}pk__in": []})
    hidden = _restricted_hidden(user)
    granted = BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now()).values(
        "referral_id"
    )
    is_hidden = Q(**{f"{via}pk__in": hidden})
    # A referrer always keeps sight of the referral they made themselves.
    visible = ~(is_hidden & ~Q(**{f"{via}referred_by": user}))
    base = _base_q(user, via)
    if base is not None:
        visible = base & visible
    return visible | (Q(**{f"{via}pk__in": granted}) & ~is_hidden)


def referral_scope(*, user: Any) -> QuerySet[Referral]:
    """Referrals a user may see (docs/permissions.md):
    - front door, managers, safeguarding lead, CSE specialists: the partnership's referrals;
    - health and education leads: their own agency's referrals, and their own;
    - anyone else who may refer: the referrals they made;
    - anyone: a referral opened by break-glass, until the grant expires;
    - restricted children's referrals only for the users named on the child (a referrer
      always keeps sight of the referral they made themselves)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Referral.objects.none()
    return Referral.objects.filter(referral_visible_q(user=user))


def child_scope(*, user: Any, among: Iterable[Any] | None = None) -> QuerySet[Child]:
    """Children a user may see as records: those on referrals in the user's scope, for roles
    that may view children (a referrer sees the referral they made, not the child record).
    With `among` (child ids), only those, checked against their own referrals: the cost
    follows the children asked about, not the history (ADR 0217)."""
    if not getattr(user, "is_authenticated", False) or not user.has_capability(Cap.CHILD_VIEW):
        return Child.objects.none()
    if among is None:
        links = ReferralChild.objects.filter(referral_id__in=referral_scope(user=user).values("pk"))
        children = Child.objects.all()
    else:
        ids = list(among)
        links = ReferralChild.objects.filter(child_id__in=ids)
        if len(ids) == 1:
            links = links.filter(referral_visible_q(user=user, via="referral__"))
        else:
            # For several, their referral ids are read first and given as keys (ADR 0217:
            # joined, PostgreSQL scanned every referral, 150 against 8 ms at 100k).
            referral_ids = list(links.values_list("referral_id", flat=True))
            links = links.filter(
                referral_id__in=referral_scope(user=user).filter(pk__in=referral_ids).values("pk")
            )
        children = Child.objects.filter(pk__in=ids)
    children = children.filter(superseded_by__isnull=True, pk__in=links.values("child_id")).exclude(
        Q(is_restricted=True) & ~Q(named_users__user=user)
    )
    if can_see_assessment(user):
        return children
    # A role that sees a child only through referrals it (or its agency) made sees only a
    # child record its own agency supplied: never one first recorded from another agency's
    # referral (whose details, and whether it existed, are not the referrer's to learn).
    return children.annotate(first_agency=Subquery(_first_agency)).filter(
        first_agency=user.agency_id
    )


def child_names(*, user: Any, child_ids: Iterable[Any]) -> dict[Any, str]:
    """The names of those of `child_ids` the user may open (`child_scope`), in one statement:
    for pages that list children by reference and show names where the user may see them."""
    ids = set(child_ids)
    if not ids:
        return {}
    rows = child_scope(user=user, among=ids).values_list("pk", "given_name", "family_name")
    return {pk: f"{given} {family}".strip() for pk, given, family in rows}


def children_named(*, user: Any, referral_ids: Iterable[Any]) -> dict[Any, list[tuple[str, str]]]:
    """The children of each referral as (reference, name) for a list page (the queue, overdue
    work), in two statements: the name only for a child the user may open (`child_scope`), an
    empty name otherwise, so that a page shows names where the user may see them."""
    rows = list(
        ReferralChild.objects.filter(referral_id__in=set(referral_ids))
        .order_by("created_at")
        .values_list("referral_id", "child_id", "child__reference")
    )
    names = child_names(user=user, child_ids={child for _, child, _ in rows})
    out: dict[Any, list[tuple[str, str]]] = {}
    for referral, child, reference in rows:
        out.setdefault(referral, []).append((reference, names.get(child, "")))
    return out


# The agency whose referral first recorded the child (the one whose details the record holds).
_first_agency = (
    ReferralChild.objects.filter(child=OuterRef("pk"))
    .order_by("referral__received_at", "created_at")
    .values("referral__source_agency_id")[:1]
)


def child_supplied_by_own_agency(*, user: Any, child: Any) -> bool:
    """The child record was first recorded from a referral of the user's own agency."""
    first = (
        ReferralChild.objects.filter(child=child)
        .order_by("referral__received_at", "created_at")
        .values_list("referral__source_agency_id", flat=True)
        .first()
    )
    return bool(first is not None and first == getattr(user, "agency_id", None))


def children_supplied_by_own_agency(*, user: Any, child_ids: Iterable[Any]) -> set[Any]:
    """child_supplied_by_own_agency for several children in one read: the ids of those first
    recorded from a referral of the user's own agency."""
    ids = [c for c in dict.fromkeys(child_ids) if c is not None]
    agency_id = getattr(user, "agency_id", None)
    if not ids or agency_id is None:
        return set()
    first: dict[Any, Any] = {}
    for child_id, source_agency_id in (
        ReferralChild.objects.filter(child_id__in=ids)
        .order_by("child_id", "referral__received_at", "created_at")
        .values_list("child_id", "referral__source_agency_id")
    ):
        first.setdefault(child_id, source_agency_id)
    return {child_id for child_id, source in first.items() if source == agency_id}


def children_openable(*, user: Any, child_ids: Any) -> set[Any]:
    """Which of these child ids the user may open as records (an answer gives a child's id only
    where following it does not answer 404)."""
    ids = [c for c in child_ids if c is not None]
    if not ids:
        return set()
    return set(child_scope(user=user, among=ids).values_list("pk", flat=True))


def child_get(*, user: Any, child_id: Any) -> Child | None:
    return child_scope(user=user, among=[child_id]).first()


def child_referrals(*, user: Any, child: Child) -> QuerySet[Referral]:
    return (
        referral_scope(user=user)
        .filter(children__child=child)
        .select_related("source_agency", "decision")
        .order_by("-received_at")
        .distinct()
    )


def referral_queue(*, user: Any) -> QuerySet[Referral]:
    """Awaiting a decision: highest risk first (red, then amber, then green), then due soonest."""
    if not user.has_capability(Cap.REFERRAL_QUEUE):
        return Referral.objects.none()
    return (
        referral_scope(user=user)
        .filter(status__in=[Status.AWAITING_SCREENING, Status.AWAITING_DECISION, Status.REOPENED])
        .select_related("source_agency")
        .prefetch_related(
            Prefetch(
                "children",
                # The current screening's level, for the queue's Screening column.
                queryset=ReferralChild.objects.select_related("child").annotate(
                    current_level=Subquery(
                        Screening.objects.filter(
                            referral_child=OuterRef("pk"), is_current=True
                        ).values("level")[:1]
                    )
                ),
            )
        )
        .annotate(
            rag_order=Case(
                When(rag="red", then=Value(0)),
                When(rag="amber", then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            # The referrer's urgency weighs at least as much as the screening: immediate
            # ranks with a high screening, urgent with a medium one (risk_rank 3 and 2).
            urgency_rank=Case(
                When(urgency=Urgency.IMMEDIATE, then=Value(3)),
                When(urgency=Urgency.URGENT, then=Value(2)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            concern_rank=Greatest("risk_rank", "urgency_rank"),
        )
        .order_by("rag_order", "-concern_rank", "-risk_rank", "decision_due_at", "reference")
    )


def referral_list_mine(*, user: Any) -> QuerySet[Referral]:
    return (
        Referral.objects.filter(referred_by=user)
        .select_related("decision", "source_agency")
        .prefetch_related("children")
        .order_by("-received_at")
    )


def referral_get(*, user: Any, reference: str) -> Referral | None:
    return (
        referral_scope(user=user)
        .filter(reference=reference)
        .select_related(
            "source_agency",
            "referred_by",
            "decision",
            "decision__decided_by",
            "decision__signed_off_by",
        )
        .prefetch_related(
            Prefetch(
                "children",
                queryset=ReferralChild.objects.select_related("child").prefetch_related(
                    Prefetch("screenings", queryset=Screening.objects.prefetch_related("marks")),
                    Prefetch(
                        "candidates",
                        queryset=ChildMatchCandidate.objects.select_related("candidate"),
                    ),
                ),
            ),
            "persons_named",
            "places_named",
            "decisions__decided_by",
            "decisions__signed_off_by",
        )
        .first()
    )


def can_see_assessment(user: Any) -> bool:
    """Screening, matching and the hub's working are for the front door, not the referrer."""
    return bool(user.has_capability(Cap.REFERRAL_QUEUE))


def candidate_get(*, user: Any, candidate_id: Any) -> ChildMatchCandidate | None:
    if not user.has_capability(Cap.CHILD_MATCH):
        return None
    return (
        ChildMatchCandidate.objects.filter(
            pk=candidate_id, referral_child__referral__in=referral_scope(user=user)
        )
        .select_related("referral_child__referral", "referral_child__child", "candidate")
        .first()
    )


def referral_by_reference_unscoped(reference: str) -> Referral | None:
    """Only for break-glass, which exists to open a record outside the user's scope; the
    caller must record a reason and audit the access."""
    return Referral.objects.filter(reference=reference.strip().upper()).first()


# ---- Audited reads: each returns what a page or the API shows and writes its access row (in
# the caller's transaction, or one of its own), so that no view can show a record unrecorded.
# A record missing or out of scope raises NotFound, which the central handlers record as a
# refused access (access.denied) and answer 404.

NO_REFERRAL = "No referral with that reference that you can see."


def referral_read(
    *,
    user: Any,
    reference: str,
    purpose: str = ObjectType.REFERRAL,
    child_id: uuid.UUID | None = None,
) -> Referral:
    """The referral `referral_get` finds, its read recorded. `purpose` says what is shown:
    the referral itself (page and API), or the screening form of the child `child_id`
    (recorded against that referral-child link)."""
    # No reference holds a NUL (and PostgreSQL cannot compare one).
    referral = None if "\x00" in reference else referral_get(user=user, reference=reference)
    if referral is None:
        raise NotFound(NO_REFERRAL)
    record: dict[str, Any] = {"object_id": referral.pk}
    if purpose == ObjectType.SCREENING_FORM:
        link = next((rc for rc in referral.children.all() if rc.child_id == child_id), None)
        if link is None:
            raise NotFound(NO_REFERRAL)
        record = {"object_id": link.pk, "child_id": link.child_id}
    with transaction.atomic():
        audit_record(
            actor=user,
            action=Action.VIEW,
            object_type=purpose,
            object_ref=referral.reference,
            referral_id=referral.pk,
            **record,
        )
    return referral


PAGE_SIZE = 50


def _page_read(*, user: Any, rows: QuerySet[Referral], page: Any, object_type: str) -> Page[Any]:
    with transaction.atomic():
        found = Paginator(rows, PAGE_SIZE).get_page(page)
        audit_record(
            actor=user,
            action=Action.LIST,
            object_type=object_type,
            details={"page": found.number, "count": found.paginator.count},
        )
    return found


def referral_queue_read(*, user: Any, page: Any) -> Page[Any]:
    """One page of the front door's queue, its listing recorded."""
    return _page_read(
        user=user, rows=referral_queue(user=user), page=page, object_type=ObjectType.REFERRAL_QUEUE
    )


def referral_list_mine_read(*, user: Any, page: Any) -> Page[Any]:
    """One page of the referrer's own referrals, its listing recorded."""
    return _page_read(
        user=user,
        rows=referral_list_mine(user=user),
        page=page,
        object_type=ObjectType.MY_REFERRALS,
    )


def referrals_withheld(*, user: Any) -> QuerySet[Referral]:
    """For a user whose scope starts from the whole partnership (the referral queue), the
    referrals `referral_scope` takes away: restricted children's referrals the user is not
    named on, other than the user's own (a break-glass grant does not open them). A
    partnership-wide count is the whole count less these (the performance page's summary)."""
    if not user.has_capability(Cap.REFERRAL_QUEUE):
        raise ValueError("referrals_withheld is for users who see the whole queue")
    return Referral.objects.filter(pk__in=_restricted_hidden(user)).exclude(referred_by=user)

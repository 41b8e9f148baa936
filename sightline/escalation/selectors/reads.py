"""Audited reads of the escalation app's pages and API (ADR 0010): each returns what is shown
and writes its access row in the same call, inside `transaction.atomic()`. A record missing
or out of scope raises `NotFound`, which the central handlers answer as 404 and record as
`access.denied`, exactly as an `Http404` did."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import QuerySet

from sightline.accounts.models import Agency
from sightline.accounts.roles import Cap
from sightline.audit.choices import Action, ObjectType
from sightline.audit.services import audit_record
from sightline.core.errors import NotFound
from sightline.escalation.models import Challenge, Clock, Escalation
from sightline.escalation.selectors.performance import Performance, performance
from sightline.escalation.selectors.records import (
    challenge_get,
    challenge_list,
    escalation_get,
    escalation_list,
    inbox_list,
    referral_clocks,
    referral_for_challenge,
    referral_in_scope,
    rereferral_history,
)
from sightline.escalation.selectors.work import OverdueWork, overdue_work
from sightline.referrals.models import Referral
from sightline.referrals.selectors import children_named

PAGE_SIZE = 50
NO_REFERRAL = "No referral with that reference that you can see."
NO_ESCALATION = "No escalation with that id that you can see."
NO_CHALLENGE = "No challenge with that id that you can see."


@dataclass
class OverduePage:
    work: OverdueWork
    page: Page[Any]
    nearly: list[Clock]
    children: dict[Any, list[tuple[str, str]]]  # referral id -> (reference, name shown)


@dataclass
class ReferralClocks:
    referral: Referral
    clocks: list[Clock]


def _listed(user: Any, object_type: str, **details: Any) -> None:
    audit_record(actor=user, action=Action.LIST, object_type=object_type, details=details)


def _viewed(user: Any, object_type: str, obj: Any, referral: Referral) -> None:
    audit_record(
        actor=user,
        action=Action.VIEW,
        object_type=object_type,
        object_id=obj.pk,
        object_ref=referral.reference,
        referral_id=referral.pk,
    )


def _page(rows: QuerySet[Any], page: Any) -> Page[Any]:
    return Paginator(rows, PAGE_SIZE).get_page(page)


def _referral(*, user: Any, reference: str) -> Referral:
    # No reference holds a NUL (and PostgreSQL cannot compare one).
    found = None if "\x00" in reference else referral_in_scope(user=user, reference=reference)
    if found is None:
        raise NotFound(NO_REFERRAL)
    return found


def overdue_work_read(*, user: Any, page: Any) -> OverduePage:
    """One page of overdue clocks, and the nearly-due ones, the listing recorded."""
    with transaction.atomic():
        work = overdue_work(user=user)
        none = Clock.objects.none()
        overdue = _page(work.overdue if work.overdue is not None else none, page)
        nearly = list((work.nearly_due if work.nearly_due is not None else none)[:PAGE_SIZE])
        _listed(
            user,
            ObjectType.OVERDUE_WORK,
            page=overdue.number,
            overdue=overdue.paginator.count,
            nearly_due=len(nearly),
        )
        shown = [c.referral_id for c in (*overdue.object_list, *nearly)]
        children = children_named(user=user, referral_ids=shown)
    return OverduePage(work=work, page=overdue, nearly=nearly, children=children)


def inbox_page_read(*, user: Any, unread_only: bool, page: Any) -> Page[Any]:
    """One page of the user's own inbox, the listing recorded."""
    with transaction.atomic():
        found = _page(inbox_list(user=user, unread_only=unread_only), page)
        _listed(user, ObjectType.INBOX, page=found.number, count=found.paginator.count)
    return found


def escalation_page_read(*, user: Any, status: str, page: Any) -> Page[Any]:
    """One page of the escalations in scope (`status` open, resolved or all), recorded."""
    rows = escalation_list(user=user, status=None if status == "all" else status)
    with transaction.atomic():
        found = _page(rows, page)
        _listed(user, ObjectType.ESCALATIONS, status=status, count=found.paginator.count)
    return found


def escalation_slice_read(
    *, user: Any, status: str, offset: int, limit: int
) -> tuple[int, list[Escalation]]:
    """The API's slice of the escalations in scope and their count, the listing recorded."""
    rows = escalation_list(user=user, status=None if status == "all" else status)
    with transaction.atomic():
        count = rows.count()
        found = list(rows[offset : offset + limit])
        _listed(user, ObjectType.ESCALATIONS, status=status, count=count, offset=offset)
    return count, found


def escalation_read(*, user: Any, escalation_id: Any) -> Escalation:
    """One escalation in scope, its view recorded."""
    with transaction.atomic():
        escalation = escalation_get(user=user, escalation_id=escalation_id)
        if escalation is None:
            raise NotFound(NO_ESCALATION)
        _viewed(user, ObjectType.ESCALATION, escalation, escalation.referral)
    return escalation


def referral_clocks_read(*, user: Any, reference: str) -> ReferralClocks:
    """A referral's clocks, the view recorded. The referrer who may not view escalations
    sees the clocks of their own referral; anyone else with neither clocks to see nor the
    capability is told there is no such referral."""
    with transaction.atomic():
        referral = _referral(user=user, reference=reference)
        clocks = list(referral_clocks(user=user, referral=referral))
        if not clocks and not (
            user.has_capability(Cap.ESCALATION_VIEW) or referral.referred_by_id == user.pk
        ):
            raise NotFound(NO_REFERRAL)
        _viewed(user, ObjectType.REFERRAL_CLOCKS, referral, referral)
    return ReferralClocks(referral=referral, clocks=clocks)


def rereferral_history_read(*, user: Any, reference: str) -> tuple[Referral, list[Referral]]:
    """A referral and its earlier referrals for the same children, the view recorded."""
    with transaction.atomic():
        referral = _referral(user=user, reference=reference)
        history = rereferral_history(user=user, referral=referral)
        _viewed(user, ObjectType.REREFERRAL_HISTORY, referral, referral)
    return referral, history


def challenge_page_read(*, user: Any, page: Any) -> Page[Any]:
    """One page of the challenges the user may see, the listing recorded."""
    with transaction.atomic():
        found = _page(challenge_list(user=user), page)
        _listed(user, ObjectType.CHALLENGES, count=found.paginator.count)
    return found


def challenge_read(*, user: Any, challenge_id: Any) -> Challenge:
    """One challenge the user may see, its view recorded."""
    with transaction.atomic():
        challenge = challenge_get(user=user, challenge_id=challenge_id)
        if challenge is None:
            raise NotFound(NO_CHALLENGE)
        _viewed(user, ObjectType.CHALLENGE, challenge, challenge.referral)
    return challenge


def challenge_form_read(*, user: Any, reference: str) -> Referral:
    """The user's own referral shown with the form to challenge its decision, recorded."""
    with transaction.atomic():
        referral = (
            None if "\x00" in reference else referral_for_challenge(user=user, reference=reference)
        )
        if referral is None:
            raise NotFound(NO_REFERRAL)
        _viewed(user, ObjectType.CHALLENGE_FORM, referral, referral)
    return referral


def performance_read(*, user: Any, agency: Agency | None, asked: str) -> Performance:
    """The performance figures (of `agency`, else all), the listing recorded with the agency
    code `asked` for."""
    with transaction.atomic():
        result = performance(user=user, agency=agency)
        _listed(user, ObjectType.PERFORMANCE, agency=asked or "all")
    return result

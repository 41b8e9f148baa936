"""Return-interview clocks started together (`clocks_on_children_returned`, ADR 0920) against
the same returns one by one (`clocks_on_child_returned`): the same clock rows, due times and
states, and the same audit rows in the same order; an episode's clock already open is found,
not doubled."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from sightline.audit.models import AuditEvent
from sightline.escalation import services
from sightline.escalation.models import Clock, ClockPolicy
from sightline.escalation.tests.factories import received

pytestmark = pytest.mark.django_db

UTC = dt.UTC
# Friday 6 March 2026, 10:00 in London (GMT).
FRIDAY = dt.datetime(2026, 3, 6, 10, 0, tzinfo=UTC)


def _returns(first: Any, second: Any) -> list[services.ChildReturned]:
    """Two children's returns in file order: the second child back twice, the first
    episode of hers sent twice (a re-sent row), and one on a weekend night."""
    return [
        services.ChildReturned(first, FRIDAY, "EV-2026-0000001"),
        services.ChildReturned(second, FRIDAY + dt.timedelta(hours=1), "EV-2026-0000002"),
        services.ChildReturned(second, FRIDAY + dt.timedelta(hours=40), "EV-2026-0000003"),
        services.ChildReturned(second, FRIDAY + dt.timedelta(hours=1), "EV-2026-0000002"),
    ]


def _written(since: int) -> tuple[list[Any], list[Any]]:
    clocks = [
        (
            c.referral.reference,
            c.kind,
            c.detail,
            c.started_at,
            c.due_at,
            c.status,
            c.next_check_at,
            c.agency_id,
            c.team_id,
            c.assigned_to_id,
        )
        for c in Clock.objects.filter(kind="return_interview")
        .select_related("referral")
        .order_by("detail")
    ]
    audits = [
        (a.action, a.object_type, a.object_ref, a.referral_id, a.details, a.actor_id)
        for a in AuditEvent.objects.filter(seq__gt=since, object_type="clock").order_by("seq")
    ]
    return clocks, audits


def _started(how: str, user: Any, returns: list[services.ChildReturned]) -> Any:
    since = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    with transaction.atomic():
        # The first return's clock is open already (an episode sent before, then re-sent).
        services.clocks_on_child_returned(
            referral=returns[0].referral,
            returned_at=returns[0].returned_at,
            acting_user=user,
            episode=returns[0].episode,
        )
        if how == "one by one":
            ids = [
                services.clocks_on_child_returned(
                    referral=r.referral, returned_at=r.returned_at, acting_user=user,
                    episode=r.episode,
                ).pk
                for r in returns
            ]  # fmt: skip
        else:
            ids = [
                c.pk
                for c in services.clocks_on_children_returned(returns=returns, acting_user=user)
            ]
        # The same clock for the same episode, in the answer's place for each return.
        shape = [ids.index(i) for i in ids]
        written = _written(since)
        transaction.set_rollback(True)
    return shape, written


def test_returns_started_together_write_what_they_write_one_by_one(
    police_officer: Any, front_door: Any
) -> None:
    ClockPolicy.objects.create(key="return_interview", amount=48, unit="hours")  # not 72
    first = received(police_officer, at=FRIDAY - dt.timedelta(days=10))
    second = received(police_officer, at=FRIDAY - dt.timedelta(days=3))
    returns = _returns(first, second)
    single = _started("one by one", front_door, returns)
    together = _started("together", front_door, returns)
    assert together == single
    shape, (clocks, audits) = together
    assert shape == [0, 1, 2, 1]
    assert [c[2] for c in clocks] == ["EV-2026-0000001", "EV-2026-0000002", "EV-2026-0000003"]
    assert clocks[2][4] == FRIDAY + dt.timedelta(hours=40 + 48)  # the policy; nights count
    assert {c[5] for c in clocks} == {"running"}
    assert len(audits) == 5  # the clock opened before, then one for each return
    assert all(a[4]["event"] == "child_returned" for a in audits)


def test_no_returns_read_nothing(front_door: Any, django_assert_num_queries: Any) -> None:
    with transaction.atomic(), django_assert_num_queries(0):
        assert services.clocks_on_children_returned(returns=[], acting_user=front_door) == []

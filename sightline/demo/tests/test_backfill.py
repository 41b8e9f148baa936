"""The bulk clock back-fill (escalation.services.backfill.clocks_backfill) starts the same
clocks and stores the same re-referral marks as the path before it, which stored each mark
with `rereferral_refresh` referral by referral, on a small synthetic borough."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from sightline.audit.models import AuditEvent
from sightline.escalation.models import Clock, ReReferral
from sightline.escalation.services.backfill import clocks_backfill, clocks_backfill_one_by_one

pytestmark = pytest.mark.django_db


class _Undo(Exception):
    pass


def picture() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    clocks = sorted(
        Clock.objects.values_list(
            "referral_id",
            "kind",
            "started_at",
            "due_at",
            "status",
            "met_at",
            "next_check_at",
            "agency_id",
            "team_id",
            "assigned_to_id",
            "detail",
        ),
        key=str,
    )
    marks = sorted(
        ReReferral.objects.values_list(
            "referral_id", "is_rereferral", "prior_nfa", "referrals_in_window"
        ),
        key=str,
    )
    return clocks, marks


def test_bulk_backfill_matches_the_one_by_one_path() -> None:
    call_command("demo_borough", children=80, years=2, seed=5, stdout=io.StringIO())
    try:
        with transaction.atomic():
            before = clocks_backfill_one_by_one(acting_user=None, demo_history=True)
            expected = picture()
            raise _Undo
    except _Undo:
        pass
    assert not Clock.objects.exists()
    audits = AuditEvent.objects.count()
    after = clocks_backfill(acting_user=None, demo_history=True)
    clocks, marks = picture()
    assert after == before and after["clocks"] == len(clocks) > 0
    assert clocks == expected[0]
    assert marks == expected[1]
    # the comparison means something: repeat referrals and earlier NFAs are in the borough
    assert any(m[3] >= 2 for m in marks) and any(m[1] for m in marks)
    assert AuditEvent.objects.count() == audits + 1  # one audit row for the run

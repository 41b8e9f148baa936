"""Clocks for referrals that arrived before the clocks existed (or were bulk-loaded, like the
demo borough): one bulk pass, one audit row. The clocks are what the hooks would have
started; `demo_history` also completes older assessments on synthetic dates so the demo's
dashboard has something to show (never for real data).

The re-referral marks the hooks store are computed in memory too, from one read of every
referral's children, dates and outcomes, and written with bulk upserts: the same marks as
`rereferrals.rereferral_refresh` referral by referral (`clocks_backfill_one_by_one`, the
path before, which `escalation/tests/test_backfill.py` holds the two to), without its five
statements a referral."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from bisect import bisect_left, bisect_right
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.bulk import bulk_insert
from sightline.core.collection import few_collections
from sightline.escalation.choices import RAG_KEYS, ClockKind, ClockStatus, TimescaleKey
from sightline.escalation.models import Clock, ReReferral
from sightline.escalation.rules import REREFERRAL_WINDOW
from sightline.escalation.services.clocks import ASSESSMENT_OUTCOMES
from sightline.escalation.services.common import front_door_agency
from sightline.escalation.services.performance import performance_months_rebuild
from sightline.escalation.services.rereferrals import rereferral_refresh
from sightline.escalation.timescales import due_at, partnership_calendar, timescales
from sightline.referrals.choices import Outcome
from sightline.referrals.models import Referral, ReferralChild

CHUNK = 1000


def _clock(referral: Referral, kind: str, start: dt.datetime, due: dt.datetime, **kw: Any) -> Clock:
    return Clock(kind=kind, referral=referral, started_at=start, due_at=due, **kw)


def _finish(clock: Clock, at: dt.datetime | None, now: dt.datetime) -> Clock:
    if at is not None and at <= now:
        clock.status, clock.met_at, clock.next_check_at = ClockStatus.MET, at, None
    else:
        clock.next_check_at = clock.due_at
    return clock


@few_collections()  # hundreds of thousands of clocks built in memory (ADR 0910)
@transaction.atomic
def clocks_backfill(
    *, acting_user: Any, demo_history: bool = False, seed: int = 7
) -> dict[str, int]:
    """Clocks and re-referral marks for every referral without clocks, in bulk."""
    return _backfill(acting_user=acting_user, demo_history=demo_history, seed=seed, bulk=True)


@transaction.atomic
def clocks_backfill_one_by_one(
    *, acting_user: Any, demo_history: bool = False, seed: int = 7
) -> dict[str, int]:
    """The same, each re-referral mark stored by `rereferral_refresh` (the path before)."""
    return _backfill(acting_user=acting_user, demo_history=demo_history, seed=seed, bulk=False)


def _backfill(*, acting_user: Any, demo_history: bool, seed: int, bulk: bool) -> dict[str, int]:
    now = timezone.now()
    rng = random.Random(seed)  # noqa: S311 - synthetic demo dates, not security
    calendar = partnership_calendar()
    scales = timescales()
    agency = front_door_agency()
    made = 0
    referrals = 0
    todo = (
        Referral.objects.filter(clocks__isnull=True)
        .select_related("decision__decided_by")
        .order_by("received_at")
    )
    batch: list[Clock] = []
    marks = _Marks() if bulk else None
    for referral in todo.iterator(chunk_size=CHUNK):
        referrals += 1
        decision = getattr(referral, "decision", None)
        decided_at = decision.decided_at if decision is not None else None
        start = referral.received_at
        batch.append(
            _finish(
                _clock(
                    referral,
                    ClockKind.DECISION,
                    start,
                    due_at(start, scales[TimescaleKey.DECISION], calendar),
                    agency=agency,
                ),
                decided_at,
                now,
            )
        )
        rag_key = RAG_KEYS.get(referral.rag, TimescaleKey.RAG_GREEN)
        batch.append(
            _finish(
                _clock(
                    referral,
                    ClockKind.RAG,
                    start,
                    due_at(start, scales[rag_key], calendar),
                    agency=agency,
                    detail=referral.rag,
                ),
                decided_at,
                now,
            )
        )
        if decision is not None and decision.outcome in ASSESSMENT_OUTCOMES:
            decider = decision.decided_by
            due = due_at(start, scales[TimescaleKey.ASSESSMENT], calendar)
            completed = None
            if demo_history:
                # Synthetic: most assessments finish in 20-50 working days.
                candidate = calendar.add_working_days(start, rng.randint(20, 50))
                completed = candidate if candidate <= now else None
            batch.append(
                _finish(
                    _clock(
                        referral,
                        ClockKind.ASSESSMENT,
                        start,
                        due,
                        agency_id=decider.agency_id,
                        team_id=decider.team_id,
                        assigned_to=decider,
                    ),
                    completed,
                    now,
                )
            )
        if len(batch) >= CHUNK:
            made += len(bulk_insert(Clock, batch))
            batch = []
        if marks is None:
            rereferral_refresh(referral=referral)
        else:
            marks.add(referral)
    made += len(bulk_insert(Clock, batch))
    if marks is not None:
        marks.write(now)
    performance_months_rebuild()
    audit_record(
        actor=acting_user,
        action=Action.IMPORT,
        object_type="clock",
        actor_username="" if acting_user else "system:escalation-backfill",
        details={"referrals": referrals, "clocks": made, "demo_history": demo_history},
    )
    return {"referrals": referrals, "clocks": made}


class _Marks:
    """`rereferral_refresh` for many referrals: every referral's children, dates and outcomes
    read once; each mark computed in memory over the same window and written in bulk."""

    def __init__(self) -> None:
        self.children: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
        # child -> its referrals as (received_at, referral id, reference, outcome), by date
        self.history: dict[uuid.UUID, list[tuple[dt.datetime, uuid.UUID, str, str]]] = defaultdict(
            list
        )
        rows = ReferralChild.objects.values_list(
            "child_id",
            "referral_id",
            "referral__received_at",
            "referral__reference",
            "referral__decision__outcome",
        )
        for child_id, rid, received, reference, outcome in rows.iterator(chunk_size=5000):
            self.children[rid].add(child_id)
            self.history[child_id].append((received, rid, reference, outcome or ""))
        for referrals in self.history.values():
            referrals.sort(key=lambda r: r[0])
        self.times = {c: [r[0] for r in refs] for c, refs in self.history.items()}
        self.pending: list[ReReferral] = []

    def add(self, referral: Referral) -> None:
        received = referral.received_at
        low = received - REREFERRAL_WINDOW
        seen: set[uuid.UUID] = set()
        prior: dict[str, dt.datetime] = {}
        kids = self.children.get(referral.pk, set())
        for child_id in kids:
            times = self.times[child_id]
            for at, rid, reference, outcome in self.history[child_id][
                bisect_left(times, low) : bisect_right(times, received)
            ]:
                seen.add(rid)
                if at < received and rid != referral.pk and outcome == Outcome.NO_FURTHER_ACTION:
                    prior[reference] = at
        self.pending.append(
            ReReferral(
                referral=referral,
                is_rereferral=bool(prior),
                prior_nfa=[ref for ref, _at in sorted(prior.items(), key=lambda p: (p[1], p[0]))],
                referrals_in_window=len(seen) if kids else 1,
            )
        )

    def write(self, now: dt.datetime) -> None:
        for mark in self.pending:
            mark.computed_at = now
        ReReferral.objects.bulk_create(
            self.pending,
            batch_size=CHUNK,
            update_conflicts=True,
            unique_fields=["referral"],
            update_fields=[
                "is_rereferral", "prior_nfa", "referrals_in_window", "computed_at", "updated_at",
            ],
        )  # fmt: skip

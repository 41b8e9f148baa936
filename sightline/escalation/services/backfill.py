"""Clocks for referrals that arrived before the clocks existed (or were bulk-loaded, like the
demo borough): one bulk pass, one audit row. The clocks are what the hooks would have
started; `demo_history` also completes older assessments on synthetic dates so the demo's
dashboard has something to show (never for real data)."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.escalation.choices import RAG_KEYS, ClockKind, ClockStatus, TimescaleKey
from sightline.escalation.models import Clock
from sightline.escalation.services.clocks import ASSESSMENT_OUTCOMES
from sightline.escalation.services.common import front_door_agency
from sightline.escalation.services.rereferrals import rereferral_refresh
from sightline.escalation.timescales import due_at, partnership_calendar, timescales
from sightline.referrals.models import Referral

CHUNK = 1000


def _clock(referral: Referral, kind: str, start: dt.datetime, due: dt.datetime, **kw: Any) -> Clock:
    return Clock(kind=kind, referral=referral, started_at=start, due_at=due, **kw)


def _finish(clock: Clock, at: dt.datetime | None, now: dt.datetime) -> Clock:
    if at is not None and at <= now:
        clock.status, clock.met_at, clock.next_check_at = ClockStatus.MET, at, None
    else:
        clock.next_check_at = clock.due_at
    return clock


@transaction.atomic
def clocks_backfill(
    *, acting_user: Any, demo_history: bool = False, seed: int = 7
) -> dict[str, int]:
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
                        agency=decider.agency,
                        team=decider.team,
                        assigned_to=decider,
                    ),
                    completed,
                    now,
                )
            )
        if len(batch) >= CHUNK:
            made += len(Clock.objects.bulk_create(batch))
            batch = []
        rereferral_refresh(referral=referral)
    made += len(Clock.objects.bulk_create(batch))
    audit_record(
        actor=acting_user,
        action=Action.IMPORT,
        object_type="clock",
        actor_username="" if acting_user else "system:escalation-backfill",
        details={"referrals": referrals, "clocks": made, "demo_history": demo_history},
    )
    return {"referrals": referrals, "clocks": made}

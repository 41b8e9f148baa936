"""The partnership's clock policies, escalation ladders and closure days, set by a system
administrator. Each change is audited with its old and new values; the timescales module
reads the rows on the next clock it starts (running clocks keep the due time they have)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from sightline.accounts.models import Agency
from sightline.accounts.roles import Role
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import Conflict, Invalid, NotFound
from sightline.escalation.choices import (
    DEFAULT_LADDER,
    DEFAULT_TIMESCALES,
    Rung,
    TimescaleKey,
    Unit,
)
from sightline.escalation.models import ClockPolicy, ClosureDay, LadderRung

# Upper bounds that catch a slip of the keyboard (a timescale of 500 working days).
MAX_AMOUNT = {
    Unit.WORKING_DAYS: 60,
    Unit.END_OF_WORKING_DAY: 20,
    Unit.HOURS: 24 * 14,
    Unit.MONTHS: 24,
}
MAX_RUNG_HOURS = 24 * 14


class PolicyInvalid(Invalid):
    pass


def _audit(acting_user: Any, object_type: str, ref: str, old: Any, new: Any) -> None:
    audit_record(
        actor=acting_user,
        action=Action.CONFIG_CHANGED,
        object_type=object_type,
        object_ref=ref[:40],
        details={"old": old, "new": new},
    )


def clock_policy_set(*, acting_user: Any, key: str, amount: int, unit: str) -> ClockPolicy:
    if key not in TimescaleKey.values:
        raise PolicyInvalid(f"{key!r} is not a clock or challenge stage.")
    if unit not in Unit.values:
        raise PolicyInvalid(f"{unit!r} is not a unit of time.")
    if amount < 0 or amount > MAX_AMOUNT[Unit(unit)]:
        raise PolicyInvalid(
            f"A timescale in {Unit(unit).label.lower()} is between 0 and {MAX_AMOUNT[Unit(unit)]}."
        )
    if amount == 0 and unit != Unit.END_OF_WORKING_DAY:
        raise PolicyInvalid("Only 'by the end of the working day' may be 0 (the same day).")
    with transaction.atomic():
        row = ClockPolicy.objects.select_for_update().filter(key=key).first()
        default_amount, default_unit = DEFAULT_TIMESCALES[key]
        old = (
            {"amount": row.amount, "unit": row.unit}
            if row
            else {"amount": default_amount, "unit": str(default_unit), "default": True}
        )
        row = row or ClockPolicy(key=key)
        row.amount, row.unit = amount, unit
        row.save()
        _audit(acting_user, "clock_policy", key, old, {"amount": amount, "unit": unit})
    return row


def ladder_rung_set(
    *, acting_user: Any, agency: Agency, rung: int, role: str, hours: int
) -> LadderRung:
    if rung not in Rung.values:
        raise PolicyInvalid(f"{rung!r} is not a rung of the ladder.")
    if role not in Role.values:
        raise PolicyInvalid(f"{role!r} is not a role.")
    if hours < 1 or hours > MAX_RUNG_HOURS:
        raise PolicyInvalid(f"Hours on a rung are between 1 and {MAX_RUNG_HOURS}.")
    with transaction.atomic():
        row = LadderRung.objects.select_for_update().filter(agency=agency, rung=rung).first()
        default_role, default_hours = DEFAULT_LADDER[rung]
        old = (
            {"role": row.role, "hours": row.hours}
            if row
            else {"role": str(default_role), "hours": default_hours, "default": True}
        )
        row = row or LadderRung(agency=agency, rung=rung)
        row.role, row.hours = role, hours
        row.save()
        _audit(
            acting_user, "ladder_rung", f"{agency.code}:{rung}", old, {"role": role, "hours": hours}
        )
    return row


def closure_day_add(*, acting_user: Any, day: dt.date, description: str) -> ClosureDay:
    description = description.strip()
    if not description:
        raise PolicyInvalid("Say why the partnership is closed that day.")
    with transaction.atomic():
        if ClosureDay.objects.filter(day=day).exists():
            raise Conflict(f"{day:%d %B %Y} is already a closure day.")
        row = ClosureDay.objects.create(day=day, description=description[:200])
        _audit(
            acting_user,
            "closure_day",
            day.isoformat(),
            None,
            {"day": day, "description": row.description},
        )
    return row


def closure_day_remove(*, acting_user: Any, day: dt.date) -> None:
    with transaction.atomic():
        row = ClosureDay.objects.select_for_update().filter(day=day).first()
        if row is None:
            raise NotFound(f"{day:%d %B %Y} is not a closure day.")
        old = {"day": row.day, "description": row.description}
        row.delete()
        _audit(acting_user, "closure_day", day.isoformat(), old, None)

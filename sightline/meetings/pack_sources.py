"""Two of the pack's reads, beside `pack.py`: each item of intelligence about a person, place
or vehicle with its 3x5x2 grade, and each child's current plan from casework with the MACE
actions agreed for the child.

A child protection plan's next review is the review conference: the first within three
months of the initial conference, then at most six months apart (Working Together to
Safeguard Children 2023, chapter 4). A child-in-need plan has no statutory review date; the
child's next MACE review (12 weeks after this meeting) is shown for every child."""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

from sightline.casework.choices import ConferenceKind, PlanKind
from sightline.casework.models import Conference, Plan
from sightline.intel.models import Mention
from sightline.meetings.models import IntelGrading, MeetingAction
from sightline.meetings.rules import REVIEW_AFTER


def _add_months(on: dt.date, months: int) -> dt.date:
    month = on.month - 1 + months
    year, month = on.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(on.day, calendar.monthrange(year, month)[1]))


def intelligence(entity_ids: list[uuid.UUID], until: dt.datetime) -> dict[uuid.UUID, list[Any]]:
    """Each item (mention) about these entities up to `until`, newest first, with its grade
    (or none: shown as ungraded)."""
    grades = {g.mention_id: g for g in IntelGrading.objects.filter(entity_id__in=entity_ids)}
    out: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    rows = (
        Mention.objects.filter(entity_id__in=entity_ids, occurred_at__lte=until)
        .select_related("referral", "agency")
        .order_by("-occurred_at")
    )
    for m in rows:
        g = grades.get(m.pk)
        out[m.entity_id].append(
            {
                "ref": m.referral.reference if m.referral is not None else m.source_ref,
                "on": m.occurred_at.date(),
                "agency": m.agency.name,
                "grade": g.code if g else "",
                "labels": [
                    g.get_source_display(),
                    g.get_information_display(),
                    g.get_handling_display(),
                ]
                if g
                else [],
                "conditions": g.conditions if g else "",
            }
        )
    return out


def grade_summary(items: list[dict[str, Any]]) -> str:
    """The strongest grade held and how many items are graded ("1A P; 3 of 5 graded")."""
    graded = sorted(i["grade"] for i in items if i["grade"])
    if not items:
        return "no intelligence items"
    if not graded:
        return f"none of {len(items)} items graded"
    best = graded[0]
    return f"strongest {best[:2]} {best[2]}; {len(graded)} of {len(items)} items graded"


def _review_on(plan: Plan, conferences: list[Conference]) -> dt.date | None:
    if plan.kind != PlanKind.CHILD_PROTECTION:
        return None
    held = [c for c in conferences if c.held_on >= plan.started_on] or conferences
    if not held:
        return _add_months(plan.started_on, 3)
    last = held[-1]
    return _add_months(last.held_on, 3 if last.kind == ConferenceKind.INITIAL else 6)


def child_plans(
    child_ids: list[uuid.UUID], until: dt.datetime, held_on: dt.date
) -> dict[uuid.UUID, dict[str, Any]]:
    """Each child's plan open at `until` (the latest), its review date and the MACE actions
    agreed for the child (on items about the child), with the records they came from."""
    day = until.date()
    plans: dict[uuid.UUID, Plan] = {}
    for p in (
        Plan.objects.filter(child_id__in=child_ids, started_on__lte=day)
        .exclude(ended_on__lte=day)
        .select_related("referral")
        .order_by("started_on")
    ):
        plans[p.child_id] = p
    conferences: dict[uuid.UUID, list[Conference]] = defaultdict(list)
    for c in Conference.objects.filter(child_id__in=child_ids, held_on__lte=day).order_by(
        "held_on"
    ):
        conferences[c.child_id].append(c)
    actions: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for a in (
        MeetingAction.objects.filter(item__subject_id__in=child_ids, created_at__lte=until)
        .exclude(status="cancelled")
        .select_related("owner", "owner_agency", "item")
        .order_by("due_on")
    ):
        assert a.item is not None
        actions[a.item.subject_id].append(  # type: ignore[index]
            {
                "reference": a.reference,
                "description": a.description,
                "owner": f"{a.owner.display_name} ({a.owner_agency.name})",
                "due_on": a.due_on,
                "status": a.get_status_display(),
            }
        )
    out: dict[uuid.UUID, dict[str, Any]] = {}
    for child_id in child_ids:
        plan = plans.get(child_id)
        out[child_id] = {
            "plan": plan and {
                "kind": plan.get_kind_display(),
                "category": plan.get_category_display() if plan.category else "",
                "since": plan.started_on,
                "review_on": _review_on(plan, conferences.get(child_id, [])),
                "ref": plan.referral.reference,
            },
            "actions": actions.get(child_id, []),
            "mace_review_on": held_on + REVIEW_AFTER,
        }  # fmt: skip
    return out

"""The pack's content, read from the stored agenda for one reader: a cover, the action log, a
page per child, person of concern, vehicle and place, and themes with a chart and the
network's connected groups. Every figure carries a footnote naming the record it came from.

Children appear in the detail the reader's agency may see: a child's name only where the
child is in the reader's child scope, and a chronology entry in full only where its referral
is in the reader's referral scope ("event held by AGENCY" otherwise)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sightline.intel.models import Edge, Mention, NetworkGroup, Place, Vehicle
from sightline.intel.models import PersonOfConcern as Person
from sightline.meetings.agenda import alerts_at, allocated_workers
from sightline.meetings.choices import ACTIVE_DISRUPTION, Section, SubjectType
from sightline.meetings.models import Discussion, Disruption, Meeting, MeetingAction
from sightline.meetings.pack_sources import child_plans, grade_summary, intelligence
from sightline.meetings.svg import bar_chart
from sightline.meetings.tactics import tactic_get
from sightline.people.models import Child
from sightline.referrals.models import Referral
from sightline.referrals.selectors import child_scope, referral_scope
from sightline.screening.models import Screening

MARKING = "OFFICIAL-SENSITIVE"
CHRONOLOGY_DAYS = 90
SHARING_STATEMENT = (
    "This pack is shared between the agencies invited to this meeting for one purpose: to "
    "protect children from exploitation and to disrupt those who exploit them. It is not to "
    "be forwarded, copied or shared outside the meeting. The information is shared under the "
    "partnership's information-sharing agreement; partners hold it securely and destroy it "
    "when the minutes are approved."
)
LAWFUL_BASIS = (
    "Lawful basis: the duty to safeguard and promote the welfare of children (Children Act "
    "1989 ss.17 and 47; Children Act 2004 s.11; Working Together to Safeguard Children 2023); "
    "UK GDPR Article 6(1)(e) (public task) and, for special category data, Article 9(2)(g) with "
    "Data Protection Act 2018 Schedule 1 paragraph 18 (safeguarding of children); for police "
    "information, Data Protection Act 2018 Part 3 (law enforcement)."
)


class Notes:
    """Footnotes for one page: each distinct record reference gets a number."""

    def __init__(self) -> None:
        self.refs: list[str] = []

    def cite(self, *refs: str) -> list[int]:
        out = []
        for ref in refs:
            if not ref:
                continue
            if ref not in self.refs:
                self.refs.append(ref)
            out.append(self.refs.index(ref) + 1)
        return out


@dataclass
class Page:
    kind: str
    title: str
    is_new: bool = False
    body: dict[str, Any] = field(default_factory=dict)
    notes: Notes = field(default_factory=Notes)


def _age(born: dt.date | None, on: dt.date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _reasons(item: Any, notes: Notes) -> list[dict[str, Any]]:
    return [
        {"label": r["label"], "note": r.get("note", ""), "fn": notes.cite(*r.get("refs", []))}
        for r in item.reasons
    ]


def _actions_page(meeting: Meeting, until: dt.datetime) -> Page:
    page = Page("actions", "Action log")
    rows = (
        MeetingAction.objects.filter(meeting__held_on__lte=meeting.held_on, created_at__lte=until)
        .exclude(status="cancelled")
        .select_related("meeting", "owner", "owner_agency")
        .order_by("status", "due_on")
    )
    page.body["rows"] = [
        {
            "reference": a.reference,
            "description": a.description,
            "owner": f"{a.owner.display_name} ({a.owner_agency.name})",
            "due_on": a.due_on,
            "status": a.get_status_display(),
            "overdue": a.status == "open" and a.due_on < meeting.held_on,
            "fn": page.notes.cite(a.reference, a.meeting.reference),
        }
        for a in rows
    ]
    page.body["rows"].sort(key=lambda r: (not r["overdue"], r["due_on"]))
    return page


def _alerts_by_child(until: dt.datetime) -> dict[str, list[Any]]:
    since = until - dt.timedelta(days=CHRONOLOGY_DAYS)
    out: dict[str, list[Any]] = defaultdict(list)
    for a in alerts_at().filter(at__gt=since, at__lte=until):
        for c in a.child_ids:
            out[str(c)].append(a)
    return out


def _chronology(
    child: Child, user: Any, until: dt.datetime, notes: Notes, alerts: dict[str, list[Any]]
) -> list[dict[str, Any]]:
    since = until - dt.timedelta(days=CHRONOLOGY_DAYS)
    visible = set(
        referral_scope(user=user).filter(children__child=child).values_list("pk", flat=True)
    )
    entries: list[dict[str, Any]] = []
    referrals = Referral.objects.filter(
        children__child=child, received_at__gt=since, received_at__lte=until
    ).select_related("source_agency")
    for r in referrals.distinct():
        if r.pk in visible:
            cats = ", ".join(c.replace("_", " ") for c in r.concern_categories) or "concern"
            headline = f"Referral received ({cats})"
        else:
            headline = f"Event held by {r.source_agency.name}"
        entries.append({"on": r.received_at.date(), "agency": r.source_agency.name,
                        "headline": headline, "fn": notes.cite(r.reference)})  # fmt: skip
    for s in Screening.objects.filter(
        referral_child__child=child, screened_at__gt=since, screened_at__lte=until
    ).select_related("referral_child__referral"):
        ref = s.referral_child.referral.reference
        headline = (
            f"CSE screening: {s.get_level_display().lower()} risk"
            if s.referral_child.referral_id in visible
            else "Screening held by children's social care"
        )
        entries.append({"on": s.screened_at.date(), "agency": "Children's social care",
                        "headline": headline, "fn": notes.cite(ref)})  # fmt: skip
    for a in alerts.get(str(child.pk), []):
        entries.append({"on": a.at.date(), "agency": "Sightline",
                        "headline": f"Intelligence alert: {a.get_kind_display().lower()}",
                        "fn": notes.cite(a.reference)})  # fmt: skip
    for d in Discussion.objects.filter(child=child, held_on__gt=since.date()).select_related(
        "meeting"
    ):
        view = d.risk_view or "not recorded"
        entries.append({"on": d.held_on, "agency": "MACE",
                        "headline": f"Discussed at MACE (risk view: {view})",
                        "fn": notes.cite(d.meeting.reference)})  # fmt: skip
    return sorted(entries, key=lambda e: e["on"], reverse=True)


def _links(entity_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[tuple[str, uuid.UUID]]]:
    out: dict[uuid.UUID, list[tuple[str, uuid.UUID]]] = defaultdict(list)
    for a_id, b_type, b_id in Edge.objects.filter(a_id__in=entity_ids).values_list(
        "a_id", "b_type", "b_id"
    ):
        out[a_id].append((b_type, b_id))
    return out


def _entity_refs(pairs: list[tuple[str, uuid.UUID]]) -> dict[uuid.UUID, str]:
    by_type: dict[str, list[uuid.UUID]] = defaultdict(list)
    for t, i in pairs:
        by_type[t].append(i)
    models: dict[str, Any] = {"person": Person, "place": Place, "vehicle": Vehicle, "child": Child}
    refs: dict[uuid.UUID, str] = {}
    for t, ids in by_type.items():
        if t in models:
            refs.update(models[t].objects.filter(pk__in=ids).values_list("pk", "reference"))
    return refs


def _plan_body(found: dict[str, Any], shown: bool, notes: Notes) -> dict[str, Any]:
    plan = found["plan"]
    return {
        "plan": (plan and shown and {**plan, "fn": notes.cite(plan["ref"])}) or None,
        "plan_withheld": bool(plan) and not shown,
        "actions": [{**a, "fn": notes.cite(a["reference"])} for a in found["actions"]],
        "mace_review_on": found["mace_review_on"],
    }


def _child_pages(items: list[Any], user: Any, until: dt.datetime, held_on: dt.date) -> list[Page]:
    ids = [i.subject_id for i in items]
    plans = child_plans(ids, until, held_on)
    children = {c.pk: c for c in Child.objects.filter(pk__in=ids)}
    in_scope = set(child_scope(user=user, among=ids).values_list("pk", flat=True))
    links = _links(ids)
    refs = _entity_refs([p for v in links.values() for p in v])
    workers = allocated_workers(child_ids=ids)
    alerts = _alerts_by_child(until)
    pages = []
    for item in items:
        child = children.get(item.subject_id)
        if child is None:
            continue
        page = Page("child", f"Child {child.reference}", item.is_new)
        screenings = list(
            Screening.objects.filter(referral_child__child=child, screened_at__lte=until)
            .select_related("referral_child__referral")
            .order_by("screened_at")
        )
        latest = screenings[-1] if screenings else None
        page.body = {
            "reference": child.reference,
            "name": f"{child.given_name} {child.family_name}" if child.pk in in_scope else "",
            "age": _age(child.date_of_birth, until.date()),
            "reasons": _reasons(item, page.notes),
            "latest": latest and {
                "level": latest.get_level_display(), "score": latest.score,
                "on": latest.screened_at.date(),
                "fn": page.notes.cite(latest.referral_child.referral.reference),
            },
            "trend": [s.get_level_display() for s in screenings[-6:]],
            "chronology": _chronology(child, user, until, page.notes, alerts),
            "links": sorted(
                {(t, refs.get(i, "")) for t, i in links.get(child.pk, []) if refs.get(i)}
            ),
            "worker": workers.get(child.pk, ""),
        }  # fmt: skip
        page.body |= _plan_body(plans[child.pk], child.pk in in_scope, page.notes)
        pages.append(page)
    return pages


def _disruptions_for(target_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[dict[str, Any]]]:
    out: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
    for d in Disruption.objects.filter(target_id__in=target_ids).order_by("-proposed_on"):
        tactic = tactic_get(d.tactic)
        out[d.target_id].append(
            {
                "reference": d.reference,
                "tactic": tactic.name if tactic else d.tactic,
                "status": d.get_status_display(),
                "in_force": d.status in ACTIVE_DISRUPTION,
                "served_on": d.served_on,
                "expires_on": d.expires_on,
            }
        )
    return out


def _places_with(entity_ids: list[uuid.UUID]) -> dict[uuid.UUID, set[uuid.UUID]]:
    """Places named on the same referrals as each entity."""
    rows = Mention.objects.filter(entity_id__in=entity_ids).values_list("entity_id", "referral_id")
    referrals: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for e, r in rows:
        referrals[e].add(r)
    all_refs = {r for v in referrals.values() for r in v}
    place_rows = Mention.objects.filter(entity_type="place", referral_id__in=all_refs).values_list(
        "referral_id", "entity_id"
    )
    by_ref: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for r, p in place_rows:
        by_ref[r].add(p)
    return {e: {p for r in rs for p in by_ref[r]} for e, rs in referrals.items()}


def _entity_pages(items: list[Any], kind: str, until: dt.datetime) -> list[Page]:
    ids = [i.subject_id for i in items]
    model: Any = {"person": Person, "vehicle": Vehicle, "place": Place}[kind]
    entities = {e.pk: e for e in model.objects.filter(pk__in=ids)}
    links = _links(ids)
    places = _places_with(ids)
    refs = _entity_refs(
        [p for v in links.values() for p in v] + [("place", p) for v in places.values() for p in v]
    )
    disruptions = _disruptions_for(ids)
    intel = intelligence(ids, until)
    pages = []
    for item in items:
        entity = entities.get(item.subject_id)
        if entity is None:
            continue
        page = Page(kind, f"{'Person of concern' if kind == 'person' else kind.title()} "
                          f"{entity.reference}", item.is_new)  # fmt: skip
        items_seen = intel.get(entity.pk, [])
        seen = [(m["ref"], m["on"], m["agency"]) for m in items_seen]
        days90 = (until - dt.timedelta(days=90)).date()
        days365 = (until - dt.timedelta(days=365)).date()
        children = sorted(
            refs[i] for t, i in links.get(entity.pk, []) if t == "child" and i in refs
        )
        page.body = {
            "reference": entity.reference,
            "reasons": _reasons(item, page.notes),
            "children": children,
            "places": sorted(refs[p] for p in places.get(entity.pk, set()) if p in refs
                             and p != entity.pk),
            "disruptions": [
                {**d, "fn": page.notes.cite(d["reference"])} for d in disruptions.get(entity.pk, [])
            ],
            "concerns_90": len([m for m in seen if m[1] > days90]),
            "concerns_365": len([m for m in seen if m[1] > days365]),
            "concern_fn": page.notes.cite(*sorted({m[0] for m in seen})[:12]),
            "agencies": sorted({m[2] for m in seen}),
            "grade": grade_summary(items_seen),
            "intelligence": [{**m, "fn": page.notes.cite(m["ref"])} for m in items_seen[:15]],
            "intelligence_more": max(0, len(items_seen) - 15),
        }  # fmt: skip
        if kind == "person":
            page.body |= {
                "names": entity.names, "aliases": entity.nicknames, "phones": entity.phones,
                "plates": entity.plates, "birth_year": entity.estimated_birth_year,
            }  # fmt: skip
        elif kind == "place":
            page.body |= {"name": entity.name, "kind": entity.kind, "address": entity.address,
                          "postcode": entity.postcode}  # fmt: skip
        else:
            page.body |= {"registration": entity.registration, "make": entity.make,
                          "colour": entity.colour}  # fmt: skip
        pages.append(page)
    return pages


def _counted(item: Any) -> str:
    """One footnote naming the records a theme's figure counted (the first 30 of them)."""
    refs = [r for reason in item.reasons for r in reason.get("refs", [])]
    if not refs:
        return f"{item.title}: no records in the last 28 days"
    more = f" and {len(refs) - 30} more" if len(refs) > 30 else ""
    return f"{item.title}, last 28 days: {', '.join(refs[:30])}{more}"


def _themes_page(items: list[Any], child_ids: list[uuid.UUID]) -> Page:
    page = Page("themes", "Themes, trends and the network")
    rows = [
        {
            "title": i.title,
            "now": i.figures.get("last_28_days", 0),
            "then": i.figures.get("previous_28_days", 0),
            "change": i.figures.get("change", 0),
            "fn": page.notes.cite(_counted(i)),
        }
        for i in items
    ]
    page.body["rows"] = rows
    page.body["chart"] = bar_chart(
        [(r["title"], r["then"], r["now"]) for r in rows],
        series=("previous 28 days", "last 28 days"),
    )
    persons = set(
        Edge.objects.filter(a_id__in=child_ids, b_type="person").values_list("b_id", flat=True)
    )
    groups = []
    for g in NetworkGroup.objects.all()[:500]:
        members = {uuid.UUID(str(p)) for p in g.person_ids}
        if members & persons:
            groups.append(
                {
                    "id": str(g.pk)[:8],
                    "persons": g.persons,
                    "children": g.children,
                    "places": g.places,
                    "agencies": ", ".join(g.agencies),
                    "fn": page.notes.cite(f"group {str(g.pk)[:8]}"),
                }
            )
    page.body["groups"] = groups
    return page


def pack_pages(meeting: Meeting, items: list[Any], user: Any, until: dt.datetime) -> list[Page]:
    by: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for item in items:
        by[(item.section, item.subject_type)].append(item)
    child_items = by[(Section.VICTIMS, SubjectType.CHILD)]
    return [
        _actions_page(meeting, until),
        *_child_pages(child_items, user, until, meeting.held_on),
        *_entity_pages(by[(Section.OFFENDERS, SubjectType.PERSON)], "person", until),
        *_entity_pages(by[(Section.OFFENDERS, SubjectType.VEHICLE)], "vehicle", until),
        *_entity_pages(by[(Section.LOCATIONS, SubjectType.PLACE)], "place", until),
        _themes_page(by[(Section.THEMES, SubjectType.THEME)], [i.subject_id for i in child_items]),
    ]

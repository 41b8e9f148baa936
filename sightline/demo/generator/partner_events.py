"""Partner events for the synthetic borough: what the police, health, schools, youth justice
and housing record about its children (issue 13 §4), consistent with the planted networks.

- A network child goes missing two to five times inside the network's window (three or more
  within 90 days for most of them: "repeat missing"), is found in the network's flat, car or
  other place, often with one of its adults, who is named as found with the child; the police
  record a safe-and-well check on some returns and an incident of the child found with adults
  on others, and a few children are arrested (the victim treated as an offender). Girls
  attend sexual-health services; school attendance falls term by term, with part-time
  timetables and exclusions.
- An ordinary child has the odd absence, an ordinary emergency-department visit, rarely a
  short missing episode (found at a friend's or relative's), a concern-for-welfare call, a
  youth-justice or housing event.
- Each returned episode carries its return interview: held within the 72 hours mostly, some
  late, some declined or not offered (with a reason).

Drawn from a random source of its own (seeded from the borough's seed), so the rest of the
borough is the same with or without events. ``events_truth`` is the ground truth: each
network's event keys, the repeat-missing children, counts by kind and agency and events per
100 children. ``EventSpec.network_key`` is for the caller only: loaders must not store it.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sightline.demo.generator.helpers import age_on
from sightline.demo.generator.plans import Adult, ChildPlan, Network, Place
from sightline.demo.generator.vocab import LONDON


@dataclass(frozen=True)
class InterviewSpec:
    """The return interview's last step: completed (in time or late), declined or not
    offered; ``offered_at`` is when it was first offered, if it was."""

    status: str
    at: datetime
    offered_at: datetime | None = None
    reason: str = ""
    where_stayed: str = ""
    with_whom: str = ""
    child_said: str = ""


@dataclass(frozen=True)
class EventSpec:
    key: str
    agency_key: str
    kind: str
    child_key: str
    occurred_at: datetime
    fields: dict[str, Any]
    persons_named: tuple[dict[str, Any], ...] = ()
    places_named: tuple[dict[str, Any], ...] = ()
    vehicles: tuple[str, ...] = ()
    interview: InterviewSpec | None = None
    network_key: str | None = None  # for the caller only: loaders must not store it
    adult_key: str | None = None  # the network adult named, for the truth only (as network_key)

    def body(self) -> dict[str, Any]:
        """The event as `POST /api/v1/events` takes it (the child is added by the loader)."""
        return {
            "kind": self.kind,
            "source_id": self.key,
            "occurred_at": self.occurred_at.isoformat(),
            **self.fields,
            "persons_named": list(self.persons_named),
            "places_named": list(self.places_named),
            "vehicles": list(self.vehicles),
        }


_ORDINARY_ED = (
    "Fall from a bicycle, grazes to both arms.",
    "Sprained wrist playing football.",
    "Asthma attack at school, treated and discharged.",
    "Cut to the hand from a kitchen knife, glued.",
    "Head bump in the playground, observed and discharged.",
)
_FOUND_ORDINARY = ("a friend's house", "a grandparent's house", "the town centre", "a park")
_NOT_OFFERED = (
    "Child moved out of the borough the day after returning.",
    "Return worker off sick, no cover arranged.",
)
_ARREST_FOR = ("possession of cannabis", "shoplifting", "criminal damage", "assault")


class _Drawer:
    def __init__(self, seed: int, end: date) -> None:
        self.rng = random.Random(f"partner-events:{seed}")
        self.last = end - timedelta(days=1)  # nothing on the last day: it may be later today
        self.events: list[EventSpec] = []

    def at(self, day: date, hour_low: int, hour_high: int) -> datetime:
        hour = self.rng.randint(hour_low, hour_high)
        local = datetime(day.year, day.month, day.day, hour, self.rng.randint(0, 59), tzinfo=LONDON)
        return local.astimezone(UTC)

    def add(self, **kw: Any) -> EventSpec:
        spec = EventSpec(key=f"E{len(self.events) + 1:07d}", **kw)
        self.events.append(spec)
        return spec


def _adult_named(rng: random.Random, adult: Adult) -> dict[str, Any]:
    if rng.random() < 0.35:
        return {"nickname": adult.nickname, "role": "found_with", "approximate_age": adult.age}
    return {
        "name": f"{adult.given} {adult.family}",
        "nickname": adult.nickname if rng.random() < 0.3 else "",
        "approximate_age": adult.age,
        "role": "found_with",
        "phone": adult.phone if rng.random() < 0.3 else "",
    }


def _place_named(place: Place) -> dict[str, Any]:
    kind = place.kind if place.kind != "flat" else "home_address"
    return {"name": place.name, "kind": kind, "address": place.address, "postcode": place.postcode}


def _interview(rng: random.Random, returned: datetime, found: str, adult: str) -> InterviewSpec:
    draw = rng.random()
    if draw < 0.62:
        held = returned + timedelta(hours=rng.randint(6, 70))
    elif draw < 0.8:
        held = returned + timedelta(hours=rng.randint(80, 200))  # late
    elif draw < 0.91:
        offered = returned + timedelta(hours=rng.randint(8, 48))
        return InterviewSpec("declined", offered + timedelta(hours=1), offered_at=offered)
    else:
        return InterviewSpec(
            "not_offered", returned + timedelta(hours=rng.randint(20, 60)), reason=rng.choice(
                _NOT_OFFERED)
        )  # fmt: skip
    said = f"Said they stayed at {found}" + (
        f" with {adult}, who gave them vapes and a lift." if adult else "."
    )
    return InterviewSpec(
        "completed", held, offered_at=held - timedelta(hours=2), where_stayed=found,
        with_whom=adult, child_said=said,
    )  # fmt: skip


def _episode_days(rng: random.Random, first: date, last: date, n: int) -> list[date]:
    """``n`` start days from ``first``, 5 to 35 days apart (so three often fall in 90 days)."""
    days = [first]
    while len(days) < n:
        nxt = days[-1] + timedelta(days=rng.randint(5, 35))
        if nxt > last:
            break
        days.append(nxt)
    return days


def _network_missing(d: _Drawer, plan: ChildPlan, network: Network, first: date, last: date) -> int:
    rng = d.rng
    n = rng.choices([2, 3, 4, 5], weights=[25, 35, 25, 15])[0]
    days = _episode_days(rng, first, last, n)
    flat_or_place = network.places
    for day in days:
        started = d.at(day, 16, 23)
        returned = started + timedelta(hours=rng.randint(5, 44))
        found_at_place = rng.random() < 0.65 and flat_or_place
        adult = rng.choice(network.adults)
        in_car = adult.vehicle is not None and rng.random() < 0.3
        persons: tuple[dict[str, Any], ...] = ()
        places: tuple[dict[str, Any], ...] = ()
        vehicles: tuple[str, ...] = ()
        with_adult = rng.random() < 0.7
        if in_car:
            found = f"in a {adult.vehicle_desc} parked on a side street"
            vehicles = (adult.vehicle or "",)
            with_adult = True
        elif found_at_place:
            place = rng.choice(flat_or_place)
            found, places = place.address, (_place_named(place),)
        else:
            found = "the town centre"
        if with_adult:
            persons = (_adult_named(rng, adult),)
        adult_text = "an adult male" if with_adult and adult.sex == "male" else (
            "an adult" if with_adult else "")  # fmt: skip
        risk = rng.choices(["medium", "high", "low"], weights=[60, 30, 10])[0]
        fields = {
            "started_at": started.isoformat(),
            "reported_at": (started + timedelta(hours=rng.randint(1, 6))).isoformat(),
            "risk_grade": risk,
            "missing_from": "care" if plan.carer == "foster carer" else "home",
            "returned_at": returned.isoformat(),
            "found_where": found[:200],
            "found_by": "Police" if rng.random() < 0.6 else "Returned by themselves",
            "found_with": adult_text,
            "last_seen_place": "Near the takeaway on the high street",
            "summary": "Missing overnight; found " + ("with an adult" if with_adult else "alone"),
        }
        d.add(
            agency_key="police", kind="missing_episode", child_key=plan.key,
            occurred_at=started, fields=fields, persons_named=persons, places_named=places,
            vehicles=vehicles, network_key=network.key,
            adult_key=adult.key if persons else None,
            interview=_interview(rng, returned, found, adult_text),
        )  # fmt: skip
        if rng.random() < 0.4:
            d.add(
                agency_key="police", kind="safe_and_well", child_key=plan.key,
                occurred_at=returned + timedelta(hours=rng.randint(1, 10)),
                fields={"officer": "PC on the response team", "outcome": "Child home, tired.",
                        "episode_source_id": d.events[-1].key},
                network_key=network.key,
            )  # fmt: skip
        if with_adult and rng.random() < 0.3:
            d.add(
                agency_key="police", kind="police_incident", child_key=plan.key,
                occurred_at=returned - timedelta(minutes=30),
                fields={"incident_type": "found_with_adults",
                        "what_happened": f"Child found at {found[:120]} with {adult_text}."},
                persons_named=persons, vehicles=vehicles, network_key=network.key,
                adult_key=adult.key,
            )  # fmt: skip
    return len(days)


def _network_child(d: _Drawer, plan: ChildPlan, network: Network) -> bool:
    """The events of one network child; True when three episodes fell within 90 days."""
    rng = d.rng
    first = max(network.start, d.last - timedelta(days=3 * 365))
    last = min(network.end + timedelta(days=60), d.last)
    if first > last:
        return False
    start = first + timedelta(days=rng.randint(0, max(0, (last - first).days - 60)))
    n = _network_missing(d, plan, network, start, last)
    mine = [e for e in d.events if e.child_key == plan.key and e.kind == "missing_episode"]
    starts = sorted(e.occurred_at for e in mine)
    repeat = any(starts[i + 2] - starts[i] <= timedelta(days=90) for i in range(n - 2))
    if rng.random() < 0.12:
        d.add(
            agency_key="police", kind="police_incident", child_key=plan.key,
            occurred_at=d.at(min(start + timedelta(days=rng.randint(20, 90)), d.last), 12, 22),
            fields={"incident_type": "arrested", "offence": rng.choice(_ARREST_FOR),
                    "what_happened": "Child arrested in the town centre with older youths."},
            network_key=network.key,
        )  # fmt: skip
    day = min(start + timedelta(days=rng.randint(15, 80)), d.last)
    if plan.sex == "female" and age_on(plan.date_of_birth, day) >= 13 and rng.random() < 0.45:
        reason = rng.choice(["sti_test", "emergency_contraception", "pregnancy"])
        d.add(
            agency_key="health", kind="health_attendance", child_key=plan.key,
            occurred_at=d.at(day, 9, 17),
            fields={"attendance_type": "sexual_health", "reasons": [reason]},
            network_key=network.key,
        )  # fmt: skip
    percent = rng.uniform(88, 95)
    for term in range(3):
        day = min(start + timedelta(days=30 + 70 * term), d.last)
        percent -= rng.uniform(6, 15)
        d.add(
            agency_key="education", kind="education", child_key=plan.key,
            occurred_at=d.at(day, 9, 15),
            fields={"education_type": "absence", "attendance_percent": round(percent, 1),
                    "summary": f"Attendance {percent:.0f}% this term.",
                    "school": plan.school[:200]},
            network_key=network.key,
        )  # fmt: skip
    if rng.random() < 0.25:
        d.add(
            agency_key="education", kind="education", child_key=plan.key,
            occurred_at=d.at(min(start + timedelta(days=200), d.last), 9, 15),
            fields={"education_type": "part_time_timetable", "part_time_hours": 12.5},
            network_key=network.key,
        )  # fmt: skip
    return repeat


def _ordinary_missing(d: _Drawer, plan: ChildPlan, day: date) -> None:
    rng = d.rng
    started = d.at(day, 17, 22)
    returned = started + timedelta(hours=rng.randint(2, 14))
    found = rng.choice(_FOUND_ORDINARY)
    d.add(
        agency_key="police", kind="missing_episode", child_key=plan.key, occurred_at=started,
        fields={"started_at": started.isoformat(), "returned_at": returned.isoformat(),
                "risk_grade": rng.choice(["low", "no_apparent_risk", "medium"]),
                "missing_from": "care" if plan.carer == "foster carer" else "home",
                "found_where": found, "found_by": "Returned by themselves"},
        interview=_interview(rng, returned, found, ""),
    )  # fmt: skip


def _ordinary_child(d: _Drawer, plan: ChildPlan, first: date) -> None:
    rng = d.rng

    def day() -> date:
        return first + timedelta(days=rng.randint(0, (d.last - first).days))

    if rng.random() < 0.25:
        d.add(
            agency_key="education", kind="education", child_key=plan.key,
            occurred_at=d.at(day(), 9, 15),
            fields={"education_type": "absence",
                    "attendance_percent": round(rng.uniform(84, 95), 1)},
        )  # fmt: skip
    if rng.random() < 0.03:
        d.add(
            agency_key="education", kind="education", child_key=plan.key,
            occurred_at=d.at(day(), 9, 15),
            fields={"education_type": "exclusion", "exclusion_days": float(rng.randint(1, 3))},
        )  # fmt: skip
    if rng.random() < 0.10:
        d.add(
            agency_key="health", kind="health_attendance", child_key=plan.key,
            occurred_at=d.at(day(), 8, 22),
            fields={"attendance_type": "emergency_department",
                    "presenting_complaint": rng.choice(_ORDINARY_ED)},
        )  # fmt: skip
    if rng.random() < 0.04:
        _ordinary_missing(d, plan, day())
    if rng.random() < 0.02:
        d.add(
            agency_key="police", kind="police_incident", child_key=plan.key,
            occurred_at=d.at(day(), 10, 23),
            fields={"incident_type": "concern_for_welfare",
                    "what_happened": "Neighbour heard shouting; child safe and well."},
        )  # fmt: skip
    if rng.random() < 0.01:
        d.add(
            agency_key="youth-justice", kind="youth_justice", child_key=plan.key,
            occurred_at=d.at(day(), 9, 17),
            fields={"category": "out_of_court_disposal", "description": "Community resolution."},
        )  # fmt: skip
    if rng.random() < 0.01:
        d.add(
            agency_key="housing", kind="housing", child_key=plan.key,
            occurred_at=d.at(day(), 9, 17),
            fields={"category": "temporary_accommodation", "description": "Family rehoused."},
        )  # fmt: skip


def events_build(
    *, seed: int, start: date, end: date, children: list[ChildPlan], networks: list[Network]
) -> tuple[tuple[EventSpec, ...], dict[str, Any]]:
    """The borough's partner events (oldest first) and their ground truth."""
    d = _Drawer(seed, end)
    repeat: list[str] = []
    for plan in children:
        if plan.network is not None:
            if _network_child(d, plan, networks[plan.network]):
                repeat.append(plan.key)
        else:
            _ordinary_child(d, plan, max(start, d.last - timedelta(days=365)))
    kept = [e for e in d.events if start <= e.occurred_at.astimezone(LONDON).date() <= d.last]
    kept.sort(key=lambda e: (e.occurred_at, e.key))
    return tuple(kept), events_truth(kept, children, networks, repeat)


def events_truth(
    events: list[EventSpec],
    children: list[ChildPlan],
    networks: list[Network],
    repeat: list[str],
) -> dict[str, Any]:
    n = max(len(children), 1)
    network_children = {c.key for c in children if c.network is not None}
    ordinary = [e for e in events if e.network_key is None]
    interviews = Counter(
        ("late" if i.status == "completed" and _late(e) else i.status)
        for e in events
        if (i := e.interview) is not None
    )
    return {
        "total": len(events),
        "by_kind": dict(sorted(Counter(e.kind for e in events).items())),
        "by_agency": dict(sorted(Counter(e.agency_key for e in events).items())),
        "per_100_children": round(100 * len(events) / n, 1),
        "per_100_ordinary_children": round(
            100 * len(ordinary) / max(n - len(network_children), 1), 1
        ),
        "return_interviews": dict(sorted(interviews.items())),
        "repeat_missing_child_keys": sorted(repeat),
        "networks": {
            net.key: sorted(e.key for e in events if e.network_key == net.key) for net in networks
        },
        "found_with_network_adult_event_keys": sorted(
            e.key
            for e in events
            if e.network_key and e.kind == "missing_episode" and e.persons_named
        ),
        # Event key -> the network adult its person mention names (linking purity, issue 12).
        "adult_by_event": {e.key: e.adult_key for e in events if e.adult_key},
    }


def _late(e: EventSpec) -> bool:
    returned = datetime.fromisoformat(e.fields["returned_at"])
    return e.interview is not None and e.interview.at - returned > timedelta(hours=72)

"""Each child's history as the detectors see it, read in a fixed number of queries for any
number of children (one write reads one child; a retrospective run reads them in chunks).

Read-only, from the models of the apps below reviews (never their services): referrals and
decisions, screenings, escalation's statutory steps, clocks and challenges, casework's strategy
discussions, initial conferences and episode closures, partner events, intel's mentions, the
language checker's flags, MACE proposals and discussions, and review recommendations.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from sightline.escalation.models import Challenge, Clock, StatutoryStep
from sightline.events.detectors import Picture
from sightline.events.models import Event, MissingEpisode
from sightline.events.pictures import pictures_for
from sightline.intel.models import Mention
from sightline.people.models import Child
from sightline.referrals.models import ReferralChild
from sightline.reviews.detectors.history_casework import (
    casework_steps,
    language_flags,
    reviews_read,
)
from sightline.screening.models import Screening

CHUNK = 1000
# The parts of a history beyond the referrals (always read); a caller that runs only some
# detectors reads only the parts they declare (Detector.needs), so a live check at intake
# does not read events, mentions, clocks and MACE minutes its detectors never look at.
PARTS = frozenset(
    {"screenings", "escalation", "casework", "events", "namings"}
    | {"peers", "flags", "reviews", "picture", "persons"}
)
# The parts a caller may make another part wait on (`gated`): each fills the History field of
# its name, so that an empty one is seen before the parts it gates are read.
GATES = frozenset({"screenings", "events", "namings", "peers", "flags"})
NETWORK_TYPES = ("person", "vehicle", "phone", "handle")


@dataclass(frozen=True)
class Ref:
    id: uuid.UUID
    reference: str
    agency: str
    agency_kind: str
    received_at: dt.datetime
    categories: frozenset[str]
    persons: int  # adults named on it; read with the "persons" part, else 0
    outcome: str = ""
    decided_at: dt.datetime | None = None
    decision_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Screen:
    reference: str  # the referral's
    agency: str
    level: str
    screened_at: dt.datetime
    review_on: dt.date | None


@dataclass(frozen=True)
class Step:
    kind: str
    reference: str
    agency: str
    happened_at: dt.datetime
    outcome: str


@dataclass(frozen=True)
class ClockFact:
    kind: str
    reference: str
    agency: str
    started_at: dt.datetime
    due_at: dt.datetime
    met_at: dt.datetime | None
    status: str


@dataclass(frozen=True)
class EventFact:
    id: uuid.UUID
    reference: str
    kind: str
    code: str
    agency: str
    at: dt.datetime
    fields: dict[str, Any] = field(hash=False, compare=False)


@dataclass(frozen=True)
class Naming:
    """A person, vehicle, phone, handle or place named about a child, in one source."""

    entity_type: str
    entity_id: uuid.UUID
    child_id: uuid.UUID
    child_ref: str
    source_ref: str
    agency: str
    at: dt.datetime


@dataclass
class History:
    child_id: uuid.UUID
    child_ref: str
    date_of_birth: dt.date | None
    referrals: list[Ref] = field(default_factory=list)
    screenings: list[Screen] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    clocks: list[ClockFact] = field(default_factory=list)
    challenges: list[tuple[str, dt.datetime]] = field(default_factory=list)
    events: list[EventFact] = field(default_factory=list)
    episodes: list[dict[str, Any]] = field(default_factory=list)
    namings: list[Naming] = field(default_factory=list)  # this child's
    shared: list[Naming] = field(default_factory=list)  # other children's, same entities
    peers: list[tuple[uuid.UUID, str, str, dt.datetime]] = field(default_factory=list)
    peer_screened: dict[uuid.UUID, list[dt.datetime]] = field(default_factory=dict)
    flags: list[tuple[str, str, str, dt.datetime]] = field(default_factory=list)
    recommendations: list[dict[str, Any]] = field(default_factory=list)
    mace_on: list[dt.date] = field(default_factory=list)
    # casework's closures of the child's episode: (referral reference, closed on, agency)
    closures: list[tuple[str, dt.date, str]] = field(default_factory=list)
    picture: Picture | None = None

    def age_on(self, day: dt.date) -> int | None:
        dob = self.date_of_birth
        if dob is None:
            return None
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    def ref(self, reference: str) -> Ref | None:
        return next((r for r in self.referrals if r.reference == reference), None)


def histories_for(
    child_ids: Iterable[uuid.UUID],
    parts: Iterable[str] | None = None,
    gated: dict[str, str] | None = None,
) -> dict[uuid.UUID, History]:
    """Each child's history; with `parts` (a subset of PARTS) only those parts besides the
    referrals are read and the rest are left empty. `gated` maps a part to one of GATES that
    it waits on: the gate is read first and the part only for the children whose gate is not
    empty (a live check whose only rule reading the screenings never hits without a flag)."""
    ids = list(dict.fromkeys(child_ids))
    wanted = PARTS if parts is None else frozenset(parts)
    waits = dict(gated or {})
    unknown = (wanted | set(waits)) - PARTS
    if unknown:
        raise ValueError(f"unknown history parts {sorted(unknown)}")
    if not set(waits.values()) <= GATES & wanted:
        raise ValueError(f"a gate must be one of {sorted(GATES)} and read: {waits}")
    out: dict[uuid.UUID, History] = {}
    for start in range(0, len(ids), CHUNK):
        out.update(_chunk(ids[start : start + CHUNK], wanted, waits))
    return out


def _chunk(
    ids: list[uuid.UUID], parts: frozenset[str], gated: dict[str, str]
) -> dict[uuid.UUID, History]:
    hist, ref_of = _referrals(ids, counted="persons" in parts)
    readers: dict[str, Any] = {
        "screenings": _screenings, "escalation": _escalation,
        "casework": lambda h, _r: casework_steps(h, Step), "events": lambda h, _r: _events(h),
        "namings": _namings, "peers": _peers, "flags": lambda h, _r: language_flags(h),
        "reviews": lambda h, _r: reviews_read(h), "picture": lambda h, _r: _pictures(h),
    }  # fmt: skip
    gates = [p for p in readers if p in set(gated.values())]
    for part in [*gates, *(p for p in readers if p not in gates)]:
        if part not in parts:
            continue
        gate = gated.get(part)
        some = hist if gate is None else {c: h for c, h in hist.items() if getattr(h, gate)}
        if some:
            readers[part](some, ref_of if some is hist else _only(ref_of, some))
    return hist


def _only(
    ref_of: dict[uuid.UUID, list[uuid.UUID]], hist: dict[uuid.UUID, History]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    kept = {rid: [c for c in cids if c in hist] for rid, cids in ref_of.items()}
    return {rid: cids for rid, cids in kept.items() if cids}


def _pictures(hist: dict[uuid.UUID, History]) -> None:
    for cid, picture in pictures_for(hist).items():
        hist[cid].picture = picture


def _referrals(
    ids: list[uuid.UUID], *, counted: bool
) -> tuple[dict[uuid.UUID, History], dict[uuid.UUID, list[uuid.UUID]]]:
    """The children's histories with their referrals, and each referral's children among
    these (so a referral's facts reach each of them). The child's own fields come with its
    referrals; only a child on none is read on its own. With `counted`, each referral's
    number of persons named (else 0)."""
    ref_of: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    rows = ReferralChild.objects.filter(child_id__in=ids).values_list(
        "child_id",
        "child__reference",
        "child__date_of_birth",
        "referral_id",
        "referral__reference",
        "referral__source_agency__code",
        "referral__source_agency__kind",
        "referral__received_at",
        "referral__concern_categories",
        "referral__decision__outcome",
        "referral__decision__decided_at",
        "referral__decision__id",
    )
    counts: dict[uuid.UUID, int] = defaultdict(int)
    if counted:
        for rid, _pid in (
            ReferralChild.objects.filter(child_id__in=ids)
            .filter(referral__persons_named__isnull=False)
            .values_list("referral_id", "referral__persons_named__id")
            .distinct()
        ):
            counts[rid] += 1
    hist: dict[uuid.UUID, History] = {}
    for cid, cref, dob, rid, ref, agency, kind, at, cats, outcome, decided, did in rows:
        h = hist.get(cid) or hist.setdefault(cid, History(cid, cref, dob))
        ref_of[rid].append(cid)
        h.referrals.append(
            Ref(rid, ref, agency, kind, at, frozenset(cats or ()), counts[rid], outcome or "",
                decided, did)
        )  # fmt: skip
    alone = [c for c in ids if c not in hist]
    if alone:
        for cid, cref, dob in Child.objects.filter(pk__in=alone).values_list(
            "pk", "reference", "date_of_birth"
        ):
            hist[cid] = History(cid, cref, dob)
    for h in hist.values():
        h.referrals.sort(key=lambda r: r.received_at)
    return hist, ref_of


def _screenings(hist: dict[uuid.UUID, History], ref_of: dict[uuid.UUID, Any]) -> None:
    rows = Screening.objects.filter(referral_child__child_id__in=list(hist)).values_list(
        "referral_child__child_id",
        "referral_child__referral__reference",
        "screened_by__agency__code",
        "level",
        "screened_at",
        "review_on",
    )
    for cid, ref, agency, level, at, review_on in rows:
        hist[cid].screenings.append(Screen(ref, agency or "", level, at, review_on))
    for h in hist.values():
        h.screenings.sort(key=lambda s: s.screened_at)


def _escalation(hist: dict[uuid.UUID, History], ref_of: dict[uuid.UUID, list[uuid.UUID]]) -> None:
    rids = list(ref_of)
    for rid, ref, kind, at, outcome, agency in StatutoryStep.objects.filter(
        referral_id__in=rids
    ).values_list(
        "referral_id", "referral__reference", "kind", "happened_at", "outcome",
        "recorded_by__agency__code",
    ):  # fmt: skip
        for cid in ref_of[rid]:
            hist[cid].steps.append(Step(kind, ref, agency or "", at, outcome))
    for row in Clock.objects.filter(referral_id__in=rids).values_list(
        "referral_id", "kind", "referral__reference", "agency__code", "started_at", "due_at",
        "met_at", "status",
    ):  # fmt: skip
        rid, kind, ref, agency, started, due, met, status = row
        for cid in ref_of[rid]:
            hist[cid].clocks.append(ClockFact(kind, ref, agency or "", started, due, met, status))
    for rid, ref, at in Challenge.objects.filter(referral_id__in=rids).values_list(
        "referral_id", "referral__reference", "raised_at"
    ):
        for cid in ref_of[rid]:
            hist[cid].challenges.append((ref, at))


def _events(hist: dict[uuid.UUID, History]) -> None:
    for eid, ref, kind, code, agency, at, fields, cid in Event.objects.filter(
        child_id__in=list(hist)
    ).values_list("id", "reference", "kind", "code", "agency__code", "occurred_at", "fields",
                  "child_id"):  # fmt: skip
        hist[cid].events.append(EventFact(eid, ref, kind, code, agency, at, fields or {}))
    for row in MissingEpisode.objects.filter(child_id__in=list(hist)).values(
        "child_id", "event__reference", "event__agency__code", "started_at", "returned_at",
        "missing_from", "is_found_with_adults", "interview_due_at", "interview_status",
    ):  # fmt: skip
        hist[row["child_id"]].episodes.append(dict(row))
    for h in hist.values():
        h.events.sort(key=lambda e: e.at)
        h.episodes.sort(key=lambda e: e["started_at"])


def _mention_children(
    rows: list[dict[str, Any]], ref_children: dict[uuid.UUID, list[tuple[uuid.UUID, str]]]
) -> Iterable[tuple[dict[str, Any], uuid.UUID, str]]:
    refs = dict(Child.objects.filter(
        pk__in={uuid.UUID(str(c)) for r in rows for c in r["child_ids"] or ()}
    ).values_list("pk", "reference"))  # fmt: skip
    for row in rows:
        if row["referral_id"] is not None:
            for cid, cref in ref_children.get(row["referral_id"], ()):
                yield row, cid, cref
        for c in row["child_ids"] or ():
            cid = uuid.UUID(str(c))
            if cid in refs:
                yield row, cid, refs[cid]


def _namings(hist: dict[uuid.UUID, History], ref_of: dict[uuid.UUID, list[uuid.UUID]]) -> None:
    event_ids = [e.id for h in hist.values() for e in h.events]
    fields = (
        "entity_type", "entity_id", "referral_id", "child_ids", "source_ref",
        "referral__reference", "agency__code", "created_at", "referral__received_at",
    )  # fmt: skip
    own = list(
        Mention.objects.filter(Q(referral_id__in=list(ref_of)) | Q(source_id__in=event_ids)).values(
            *fields
        )
    )
    entity_ids = {r["entity_id"] for r in own}
    others = list(Mention.objects.filter(entity_id__in=entity_ids).values(*fields))
    rids = {r["referral_id"] for r in others if r["referral_id"] is not None}
    ref_children: dict[uuid.UUID, list[tuple[uuid.UUID, str]]] = defaultdict(list)
    for rid, cid, cref in ReferralChild.objects.filter(referral_id__in=rids).values_list(
        "referral_id", "child_id", "child__reference"
    ):
        ref_children[rid].append((cid, cref))
    by_entity: dict[uuid.UUID, list[Naming]] = defaultdict(list)
    seen: set[tuple[uuid.UUID, uuid.UUID, str]] = set()
    for row, cid, cref in _mention_children(others, ref_children):
        key = (row["entity_id"], cid, row["referral__reference"] or row["source_ref"])
        if key in seen:
            continue
        seen.add(key)
        at = row["referral__received_at"] or row["created_at"]
        by_entity[row["entity_id"]].append(
            Naming(row["entity_type"], row["entity_id"], cid, cref, key[2], row["agency__code"], at)
        )
    for h in hist.values():
        mine = {
            n.entity_id
            for namings in by_entity.values()
            for n in namings
            if n.child_id == h.child_id
        }
        for eid in mine:
            for n in by_entity[eid]:
                (h.namings if n.child_id == h.child_id else h.shared).append(n)


def _peers(hist: dict[uuid.UUID, History], ref_of: dict[uuid.UUID, list[uuid.UUID]]) -> None:
    rows = ReferralChild.objects.filter(referral_id__in=list(ref_of)).values_list(
        "referral_id", "child_id", "child__reference", "referral__reference",
        "referral__received_at",
    )  # fmt: skip
    peer_ids: set[uuid.UUID] = set()
    for rid, pid, pref, ref, at in rows:
        for cid in ref_of[rid]:
            if pid != cid:
                hist[cid].peers.append((pid, pref, ref, at))
                peer_ids.add(pid)
    screened: dict[uuid.UUID, list[dt.datetime]] = defaultdict(list)
    for pid, at in Screening.objects.filter(referral_child__child_id__in=peer_ids).values_list(
        "referral_child__child_id", "screened_at"
    ):
        screened[pid].append(at)
    for h in hist.values():
        h.peer_screened = {p[0]: screened.get(p[0], []) for p in h.peers}

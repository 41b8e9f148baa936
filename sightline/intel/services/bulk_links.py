"""The bulk indexer's picture, the part that joins things up: each referral's (or partner
event's) adjacency, kept as running tallies (`near`: what a node's sources name beside it, ADR
0907) for person matching's shared-context evidence, and the links the alert rules read
(`links_of`: an entity's mentions in order, with the ambiguous fits that reach it)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sightline.intel.choices import EntityType, LinkStatus
from sightline.intel.concerns import CONCERN_KEY
from sightline.intel.models import Mention
from sightline.intel.resolution import firm_link, second_order
from sightline.intel.rules import Link

Node = tuple[str, uuid.UUID]


class LinksMixin:
    """`MemoryStore`'s adjacency and the rules' reads (the attributes are the store's)."""

    check: bool
    order: dict[uuid.UUID, tuple[dt.datetime, int]]
    by_entity: dict[uuid.UUID, list[Mention]]
    by_referral: dict[uuid.UUID, list[Mention]]
    parts: dict[uuid.UUID, list[Mention]]
    snapshot: dict[uuid.UUID, frozenset[Node]]
    node_referrals: dict[uuid.UUID, set[uuid.UUID]]
    child_sources: dict[uuid.UUID, set[uuid.UUID]]
    near: dict[uuid.UUID, dict[uuid.UUID, dict[str, int]]]
    kids: dict[uuid.UUID, list[tuple[str, str, str]]]
    referral_info: dict[uuid.UUID, tuple[str, frozenset[str]]]
    agency_code: dict[uuid.UUID, str]
    ambiguous: dict[uuid.UUID, list[Mention]]
    edges_dirty: set[uuid.UUID]
    persons: dict[uuid.UUID, Any]
    places: dict[uuid.UUID, Any]
    vehicles: dict[uuid.UUID, Any]
    phone_ids: dict[uuid.UUID, Any]

    # ---- adjacency --------------------------------------------------------------------------
    def register_size(self) -> int:
        """Persons of concern on record, for the bar a link must clear (ADR 0216): the bulk
        indexer holds every one, retired ones too (near enough, and counted without a pass);
        intake's store, holding a referral's few, counts them in the database."""
        return len(self.persons)

    def _context_shared(
        self, person_ids: set[uuid.UUID], context: frozenset[uuid.UUID]
    ) -> dict[uuid.UUID, frozenset[str]]:
        """What each candidate's referrals share with this referral's context: "child" if
        one of their children is in it, and the type of each other entity in it. Read from
        the running `near` tally, so a lookup costs the context's size, not the candidate's
        history (which a network's adult, named hundreds of times, made quadratic)."""
        if not context:
            return {}
        found: dict[uuid.UUID, frozenset[str]] = {}
        for pid in person_ids:
            near = self.near.get(pid)
            if not near:
                continue
            kinds: set[str] = set()
            for node in context:
                if node != pid and node in near:
                    kinds.update(near[node])
            if kinds:
                found[pid] = frozenset(kinds)
        if self.check:
            assert found == self._context_shared_full(person_ids, context), "context"
        return found

    def _context_shared_full(
        self, person_ids: set[uuid.UUID], context: frozenset[uuid.UUID]
    ) -> dict[uuid.UUID, frozenset[str]]:
        """`_context_shared` by reading every referral of every candidate (the check)."""
        found: dict[uuid.UUID, frozenset[str]] = {}
        for pid in person_ids:
            kinds: set[str] = set()
            for rid in self.node_referrals.get(pid, ()):
                if any(uuid.UUID(c) in context for c, _r, _h in self.kids.get(rid, ())):
                    kinds.add("child")
                kinds.update(t for t, eid in self.snapshot[rid] if eid != pid and eid in context)
            if kinds:
                found[pid] = frozenset(kinds)
        return found

    def _associates(
        self, person_ids: set[uuid.UUID], context: frozenset[uuid.UUID]
    ) -> set[uuid.UUID]:
        """`associates.associates_shared` read from the picture: the candidates named, on a
        record where both are firm links, with a person of concern B who is named, firmly, on
        an earlier record with a child in `context` (second-order context, ADR 0214)."""
        if not person_ids or not context or not second_order():
            return set()
        via: set[uuid.UUID] = set()  # persons of concern named firmly with a child here
        for child in context:
            for rid in self.child_sources.get(child, ()):
                via.update(
                    eid
                    for etype, eid in self.snapshot.get(rid, ())
                    if etype == EntityType.PERSON and self._firm_on(rid, eid)
                )
        found: set[uuid.UUID] = set()
        for pid in person_ids:
            mine = self.node_referrals.get(pid)
            if not mine or not via:
                continue
            for other in via - {pid}:
                theirs = self.node_referrals.get(other, set())
                small, large = (mine, theirs) if len(mine) <= len(theirs) else (theirs, mine)
                if any(
                    rid in large and self._firm_on(rid, pid) and self._firm_on(rid, other)
                    for rid in small
                ):
                    found.add(pid)
                    break
        return found

    def _firm_on(self, rid: uuid.UUID, person_id: uuid.UUID) -> bool:
        """A firm mention of the person on record `rid` (`resolution.firm_link`)."""
        return any(
            m.entity_id == person_id
            and m.entity_type == EntityType.PERSON
            and firm_link(m.link_status, m.score)
            for m in self.by_referral.get(rid, ())
        )

    def edges_rebuild(self, referral_ids: list[uuid.UUID]) -> None:
        for rid in referral_ids:
            self._snapshot(rid)
            self.edges_dirty.add(rid)

    def _snapshot(self, rid: uuid.UUID) -> None:
        before = self.snapshot.get(rid, frozenset())
        for _t, eid in before:
            self.node_referrals[eid].discard(rid)
        self._near(rid, before, -1)
        nodes = frozenset((m.entity_type, m.entity_id) for m in self.by_referral.get(rid, ()))
        self.snapshot[rid] = nodes
        for _t, eid in nodes:
            self.node_referrals[eid].add(rid)
        for c, _r, _h in self.kids.get(rid, ()):
            self.child_sources[uuid.UUID(c)].add(rid)
        self._near(rid, nodes, 1)

    def _near(self, rid: uuid.UUID, nodes: frozenset[Node], step: int) -> None:
        """Count (step 1) or uncount (-1) what referral `rid` names beside each of its nodes."""
        if not nodes:
            return
        kids = {uuid.UUID(c) for c, _r, _h in self.kids.get(rid, ())}
        for eid in {eid for _t, eid in nodes}:
            near = self.near[eid]
            shared = [(cid, "child") for cid in kids]
            shared += [(oid, t) for t, oid in nodes if oid != eid]
            for other, kind in shared:
                kinds = near.setdefault(other, {})
                kinds[kind] = kinds.get(kind, 0) + step
                if not kinds[kind]:
                    del kinds[kind]
                    if not kinds:
                        del near[other]

    # ---- what the alert rules read ----------------------------------------------------------

    def mentions_of(self, entity_id: uuid.UUID) -> list[Mention]:
        return sorted(self.by_entity.get(entity_id, ()), key=lambda m: self.order[m.pk])

    def links_of(self, entity_id: uuid.UUID) -> list[Link]:
        # A fit since moved onto the entity (a merge) is one of its mentions, read once and
        # with its own status, as `rules.entity_links` reads it.
        fits = [f for f in self.ambiguous.get(entity_id, ()) if f.entity_id != entity_id]
        fit_ids = {f.pk for f in fits}  # by key: a list's `in` compares models in Python
        listed = sorted([*self.mentions_of(entity_id), *fits], key=lambda m: self.order[m.pk])
        return [self.link(m, fit=m.pk in fit_ids) for m in listed]

    def link(self, m: Mention, *, fit: bool) -> Link:
        """A mention as the rules read it (`fit`: an ambiguous mention that fits the entity,
        a probable link to it)."""
        source = m.source_key  # a partner event's mention has no referral
        info = self.referral_info.get(source)
        if info is None:  # built only when wanted: this runs for every link, every time
            info = (m.source_ref, frozenset(m.details.get("categories") or ()))
        reference, categories = info
        return Link(
            mention_id=m.pk,
            referral_id=source,
            referral_ref=reference,
            agency=self.agency_code[m.agency_id],
            occurred_at=m.occurred_at,
            status=LinkStatus.PROBABLE if fit else m.link_status,
            score=m.score,
            reasons=tuple(m.reasons),
            said=m.said,
            categories=categories,
            children=tuple(self.kids.get(source, ())),
            contributions=tuple((m.explanation or {}).get("contributions", ())),
            concern=bool((m.details or {}).get(CONCERN_KEY)),
        )

    def vehicles_of(self, person_id: uuid.UUID) -> set[uuid.UUID]:
        return {v.entity_id for m in self.by_entity.get(person_id, ()) for v in self.parts[m.pk]}

    def reference_of(self, entity_type: str, entity_id: uuid.UUID) -> str:
        for table in (self.persons, self.places, self.vehicles, self.phone_ids):
            found = table.get(entity_id)
            if found is not None:
                return str(found.reference)
        return ""

"""A synthetic borough from start to finish, and its ground truth written to a file."""

from __future__ import annotations

import json
from datetime import UTC, date
from pathlib import Path

from sightline.demo.generator.children import births_assign, children_build
from sightline.demo.generator.drafts import drafts_build
from sightline.demo.generator.mentions import OrdinaryAdults
from sightline.demo.generator.networks import networks_build
from sightline.demo.generator.organisations import organisations_build
from sightline.demo.generator.partner_events import events_build
from sightline.demo.generator.plans import ChildPlan
from sightline.demo.generator.referrals import ReferralWriter
from sightline.demo.generator.specs import Borough, ChildSpec
from sightline.demo.generator.truth import TruthRecorder, truth_build
from sightline.demo.generator.vocab import BOROUGH_NAME
from sightline.demo.generator.world import World


def _child_specs(world: World, children: list[ChildPlan]) -> tuple[ChildSpec, ...]:
    specs: list[ChildSpec] = []
    for p in children:
        nhs = world.ids.nhs_number() if world.rng.random() < 0.95 else None
        specs.append(
            ChildSpec(
                key=p.key,
                given_name=p.given,
                family_name=p.family,
                date_of_birth=p.date_of_birth,
                sex=p.sex,
                address=p.address,
                postcode=p.postcode,
                school=p.school,
                nhs_number=nhs,
                has_learning_disability=p.learning_disability,
            )
        )
    return tuple(specs)


def _borough_make(
    *, children: int, years: int, seed: int, end: date, networks: int, persona: bool
) -> Borough:
    """Each step draws from the one random source in turn; their order is part of the output."""
    world = World.new(seed=seed, end=end, years=years)
    world.geo.build()
    orgs = organisations_build(world, n_children=children)
    plans, units = children_build(world, n_children=children)
    planted = networks_build(world, plans, units, n_networks=networks, persona=persona)
    drafts = drafts_build(world, plans, units, planted)
    births_assign(world, plans, drafts)
    recorder = TruthRecorder()
    writer = ReferralWriter(
        world,
        plans,
        planted,
        orgs,
        recorder,
        OrdinaryAdults(world, [a for n in planted for a in n.adults]),
        persona,
    )
    ordered = sorted(drafts, key=lambda d: (d.local.astimezone(UTC), d.order))
    referrals = tuple(writer.compose(d, f"R{i + 1:07d}") for i, d in enumerate(ordered))
    child_specs = _child_specs(world, plans)
    truth = truth_build(
        seed=seed,
        calendar=world.calendar,
        networks=planted,
        children=plans,
        staff=len(orgs.staff),
        referrals=referrals,
        recorder=recorder,
    )
    truth["adult_details"] = "persona" if persona else "independent"
    # Partner events draw from a random source of their own: the rest is the same without them.
    events, truth["events"] = events_build(
        seed=seed, start=world.calendar.start, end=end, children=plans, networks=planted
    )
    return Borough(
        seed=seed,
        name=BOROUGH_NAME,
        agencies=orgs.agencies,
        staff=tuple(orgs.staff),
        children=child_specs,
        referrals=referrals,
        truth=truth,
        teams=tuple(orgs.teams),
        events=events,
    )


def generate_borough(
    *,
    children: int,
    years: int,
    seed: int,
    end: date = date(2026, 10, 31),
    networks: int | None = None,
    persona: bool = True,
) -> Borough:
    """A synthetic borough: the same arguments always give an equal ``Borough``.

    ``networks`` defaults to ``max(1, children // 150)`` (0 when there are fewer than 3
    children); each network needs 3 children of its own, so ``ValueError`` is raised when
    ``networks`` asks for more than the children allow.

    ``persona`` (the default): each network adult presents himself consistently, so every
    mention of him after the first shares a detail with an earlier one (``persona``, ADR
    0212). ``persona=False`` draws each mention's details independently, as before ADR 0212;
    the same seed then gives the same borough as before it.
    """
    if children < 0:
        raise ValueError("children must not be negative")
    if years < 1:
        raise ValueError("years must be at least 1")
    if networks is None:
        networks = max(1, children // 150) if children >= 3 else 0
    if networks < 0:
        raise ValueError("networks must not be negative")
    return _borough_make(
        children=children, years=years, seed=seed, end=end, networks=networks, persona=persona
    )


def write_truth(borough: Borough, path: Path) -> None:
    """Write the ground truth as JSON (sorted keys, indent 1). Never load it into the database."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(borough.truth, sort_keys=True, indent=1) + "\n", encoding="utf-8")

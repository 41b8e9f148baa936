"""A referral's narrative as it is written: the template context for a child, and the
sentences, concern categories and named people and places gathered along the way."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sightline.demo.generator.helpers import age_on, ordinal, when, year_group
from sightline.demo.generator.plans import ChildPlan
from sightline.demo.generator.specs import PersonNamed, PlaceNamed
from sightline.demo.generator.templates import PRONOUNS
from sightline.demo.generator.vocab import (
    BOROUGH_NAME,
    CONCERN_CATEGORIES,
    GP_PRACTICES,
    SCHOOLS,
)

_FOUND_AT: tuple[str, ...] = (
    "at a friend's house",
    "at a bus stop",
    "in the town centre",
    "at a relative's address",
)


def narrative_context(rng: random.Random, plan: ChildPlan, day: date, team: str) -> dict[str, Any]:
    """The values the templates' placeholders take for ``plan`` referred on ``day``."""
    p = PRONOUNS[plan.sex]
    named_team = team in GP_PRACTICES or team in SCHOOLS
    return {
        "name": plan.given,
        "subj": p.subj,
        "Subj": p.subj.capitalize(),
        "obj": p.obj,
        "poss": p.poss,
        "Poss": p.poss.capitalize(),
        "refl": p.refl,
        "is": p.is_,
        "was": p.was,
        "has": p.has,
        "s": p.s,
        "es": p.es,
        "age": age_on(plan.date_of_birth, day),
        "year": year_group(plan.date_of_birth, day),
        "school": plan.school,
        "carer": plan.carer,
        "locality": plan.locality,
        "team": team,
        "the_team": team if named_team else f"the {team}",
        "The_team": team if named_team else f"The {team}",
        "gp": plan.gp,
        "when": when(day - timedelta(days=rng.randint(0, 3))),
        "n": rng.randint(2, 6),
        "pct": rng.randint(55, 88),
        "ordinal": ordinal(rng.randint(2, 7)),
        "oplace": rng.choice(_FOUND_AT),
        "BOROUGH": BOROUGH_NAME,
    }


@dataclass
class Narrative:
    key: str
    ctx: dict[str, Any]
    sentences: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    persons: list[PersonNamed] = field(default_factory=list)
    places: list[PlaceNamed] = field(default_factory=list)

    def say(self, template: str, cats: Sequence[str] = (), **extra: Any) -> None:
        self.sentences.append(template.format_map({**self.ctx, **extra}))
        self.categories.extend(cats)

    def next_person_key(self) -> str:
        return f"{self.key}-P{len(self.persons) + 1}"

    def next_place_key(self) -> str:
        return f"{self.key}-L{len(self.places) + 1}"

    @property
    def text(self) -> str:
        return " ".join(self.sentences)

    def concern_categories(self) -> tuple[str, ...]:
        """The categories evidenced, in the vocabulary's order (emotional wellbeing if none)."""
        if not self.categories:
            self.categories.append("emotional_wellbeing")
        return tuple(c for c in CONCERN_CATEGORIES if c in set(self.categories))

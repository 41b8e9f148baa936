"""Referrals composed from their drafts: the referrer, the narrative and what it names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date

from sightline.demo.generator.cse_templates import (
    CSE_ASSESSMENT,
    CSE_GENERIC,
    CSE_PERSON,
    CSE_PLACE,
)
from sightline.demo.generator.helpers import age_on, weighted
from sightline.demo.generator.mentions import (
    OrdinaryAdults,
    network_mention,
    person_details,
    person_text,
)
from sightline.demo.generator.narrative import Narrative, narrative_context
from sightline.demo.generator.organisations import Organisations
from sightline.demo.generator.persona import details, presented, repaired
from sightline.demo.generator.plans import ChildPlan, Draft, Network, Place
from sightline.demo.generator.specs import PersonNamed, PlaceNamed, ReferralSpec, StaffSpec, Urgency
from sightline.demo.generator.templates import (
    AGENCY_THEMES,
    CLOSINGS,
    GP_OPENINGS,
    OPENINGS,
    POSITIVE,
    SIBLING_TEMPLATES,
    THEMES,
)
from sightline.demo.generator.truth import TruthRecorder
from sightline.demo.generator.vocab import (
    CHANNEL_WEIGHTS,
    DEFAULT_CHANNELS,
    GP_PRACTICES,
    NETWORK_URGENCY,
    ORDINARY_URGENCY,
)
from sightline.demo.generator.world import World
from sightline.demo.generator.writing import ORDINARY_NAME_STYLES, written_name, written_phone

_ORDINARY_PLACE_SENTENCES: tuple[str, ...] = (
    "{name} has been spending evenings at {place} until late.",
    "{name} was seen at {place} during school hours {when}.",
    "Young people are said to gather at {place} in the evenings.",
)


@dataclass(frozen=True)
class _Awareness:
    urgency: Urgency
    child_aware: bool
    family_aware: bool


@dataclass
class ReferralWriter:
    world: World
    children: list[ChildPlan]
    networks: list[Network]
    orgs: Organisations
    truth: TruthRecorder
    ordinary_adults: OrdinaryAdults
    # each adult presents himself consistently (ADR 0212); False: details drawn independently
    persona: bool = True
    # network number -> children already given a forced identifier for its principal adult
    forced: dict[int, set[int]] = field(default_factory=dict)
    # adult key -> the persona details his mentions so far have carried
    carried: dict[str, set[str]] = field(default_factory=dict)

    def compose(self, draft: Draft, key: str) -> ReferralSpec:
        rng = self.world.rng
        plans = [self.children[c] for c in draft.children]
        day = draft.local.date()
        referrer = self._referrer(draft, plans[0])
        story = Narrative(key, narrative_context(rng, plans[0], day, referrer.team))
        network_no = draft.network
        awareness = self._awareness(network_no is not None)
        self._opening(story, draft, plans, referrer, day)
        if network_no is not None:
            self._network_sentences(story, draft, plans[0], network_no)
        else:
            self._ordinary_sentences(story, draft, plans, day)
        self._closing(story, awareness, network_no is not None)
        categories = story.concern_categories()
        channel = weighted(rng, CHANNEL_WEIGHTS.get(draft.agency, DEFAULT_CHANNELS))
        return ReferralSpec(
            key=key,
            received_at=draft.local.astimezone(UTC),
            agency_key=draft.agency,
            referrer_username=referrer.username,
            channel=channel,
            child_keys=tuple(p.key for p in plans),
            narrative=story.text,
            concern_categories=categories,
            persons_named=tuple(story.persons),
            places_named=tuple(story.places),
            child_aware=awareness.child_aware,
            family_aware=awareness.family_aware,
            urgency=awareness.urgency,
            network_key=self.networks[network_no].key if network_no is not None else None,
        )

    def _referrer(self, draft: Draft, plan: ChildPlan) -> StaffSpec:
        """Someone from the child's school or GP practice where there is one, else the agency."""
        rng, orgs = self.world.rng, self.orgs
        if draft.agency == "education":
            staff_pool = orgs.referrers_by_team.get(plan.school) or orgs.referrers["education"]
        elif draft.agency == "health":
            gp_staff = orgs.referrers_by_team.get(plan.gp, [])
            others = [s for s in orgs.referrers["health"] if s.team not in GP_PRACTICES]
            staff_pool = gp_staff if gp_staff and rng.random() < 0.35 else others
        else:
            staff_pool = orgs.referrers[draft.agency]
        return rng.choice(staff_pool)

    def _awareness(self, in_network: bool) -> _Awareness:
        rng = self.world.rng
        if in_network:
            urgency = weighted(rng, NETWORK_URGENCY)
            return _Awareness(urgency, rng.random() < 0.6, rng.random() < 0.65)
        urgency = weighted(rng, ORDINARY_URGENCY)
        return _Awareness(urgency, rng.random() < 0.8, rng.random() < 0.85)

    def _opening(
        self,
        story: Narrative,
        draft: Draft,
        plans: list[ChildPlan],
        referrer: StaffSpec,
        day: date,
    ) -> None:
        rng = self.world.rng
        if len(plans) == 2:
            other = plans[1]
            story.say(
                "This referral concerns {name} ({age}) and {poss} sibling {other} ({other_age}), "
                "who live with their {carer} in {locality}.",
                other=other.given,
                other_age=age_on(other.date_of_birth, day),
            )
            for text, cats in rng.sample(SIBLING_TEMPLATES, k=rng.randint(1, 2)):
                story.say(text, cats)
        elif referrer.team in GP_PRACTICES:
            story.say(rng.choice(GP_OPENINGS))
        else:
            story.say(rng.choice(OPENINGS[draft.agency]))

    # ---- a network referral ------------------------------------------------------------------

    def _network_sentences(
        self, story: Narrative, draft: Draft, plan: ChildPlan, network_no: int
    ) -> None:
        rng = self.world.rng
        network = self.networks[network_no]
        forced = self.forced.setdefault(network_no, set())
        templates = [t for t in CSE_PERSON if not t[2] or draft.agency in t[2]]
        rng.shuffle(templates)
        for i, a in enumerate(draft.adults):
            adult = network.adults[a]
            force = a == 0 and len(forced) < 2 and plan.index not in forced
            if force:
                forced.add(plan.index)
            mention = network_mention(rng, story.next_person_key(), adult, force)
            if self.persona:
                earlier = self.carried.setdefault(adult.key, set())
                mention = presented(self.world.persona_rng, adult, mention)
                mention = repaired(self.world.persona_rng, adult, mention, earlier)
                earlier.update(details(adult, mention))
            story.persons.append(mention)
            self.truth.adult_mentions.setdefault(adult.key, []).append(mention.mention_key)
            text, cats, _ = templates[i % len(templates)]
            story.say(
                text,
                cats,
                person=person_text(adult, mention),
                partner="boyfriend" if adult.sex == "male" else "girlfriend",
            )
            story.sentences.extend(person_details(rng, adult, mention, story.ctx))
        for p in draft.places:
            self._network_place(story, network.places[p])
        if rng.random() < 0.5:
            text, cats = rng.choice(CSE_GENERIC)
            story.say(text, cats)
        if rng.random() < 0.7:
            story.say(rng.choice(CSE_ASSESSMENT), ("sexual_exploitation",))

    def _network_place(self, story: Narrative, place: Place) -> None:
        rng = self.world.rng
        mention_key = story.next_place_key()
        story.places.append(
            PlaceNamed(
                mention_key,
                place.name,
                place.kind,
                place.address if rng.random() < 0.75 else "",
                place.postcode if rng.random() < 0.6 else "",
            )
        )
        self.truth.place_mentions.setdefault(place.key, []).append(mention_key)
        story.say(
            rng.choice(CSE_PLACE[place.kind]),
            ("sexual_exploitation",),
            place=place.name,
            street=place.street,
        )

    # ---- an ordinary referral ----------------------------------------------------------------

    def _ordinary_sentences(
        self, story: Narrative, draft: Draft, plans: list[ChildPlan], day: date
    ) -> None:
        rng = self.world.rng
        if len(plans) == 1:
            self._themes(story, draft, plans[0], day)
        if rng.random() < 0.18:
            self._ordinary_person(story, plans[0])
        if rng.random() < 0.12:
            self._ordinary_place(story, plans[0])

    def _themes(self, story: Narrative, draft: Draft, plan: ChildPlan, day: date) -> None:
        """One to three of the referring agency's usual themes, a sentence or two of each."""
        rng = self.world.rng
        themes = AGENCY_THEMES[draft.agency]
        chosen: list[str] = []
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            theme = weighted(rng, themes)
            if theme not in chosen:
                chosen.append(theme)
        for theme in chosen:
            for text, cats in rng.sample(THEMES[theme], k=min(2, rng.randint(1, 2))):
                story.say(text, cats)
        if age_on(plan.date_of_birth, day) >= 11 and rng.random() < 0.06:
            text, cats = rng.choice(CSE_GENERIC)
            story.say(text, cats)

    def _ordinary_person(self, story: Narrative, plan: ChildPlan) -> None:
        rng = self.world.rng
        adult = self.ordinary_adults.for_child(plan)
        name, style = written_name(rng, adult.given, adult.family, adult.sex, ORDINARY_NAME_STYLES)
        styles = [f"name:{style}", *(f"ordinary:{t}" for t in adult.traits)]
        phone = ""
        if adult.phone:
            phone, phone_style = written_phone(rng, adult.phone)
            styles.append(f"phone:{phone_style}")
        mention = PersonNamed(
            story.next_person_key(),
            name,
            "",
            adult.age,
            "",
            phone,
            "",
            adult.address,
            tuple(styles),
        )
        story.persons.append(mention)
        self.truth.ordinary_persons.append(mention.mention_key)
        adult_key = f"u{plan.unit}/{adult.role}"
        self.truth.ordinary_adults.setdefault(adult_key, []).append(mention.mention_key)
        story.say(adult.sentence, pname=name, paddr=adult.address)

    def _ordinary_place(self, story: Narrative, plan: ChildPlan) -> None:
        rng = self.world.rng
        mention_key = story.next_place_key()
        self.truth.ordinary_places.append(mention_key)
        if rng.random() < 0.2:
            story.places.append(
                PlaceNamed(mention_key, f"{plan.school} gates", "school_gate", "", "")
            )
            story.say(
                "{name} has been seen waiting at the gates of {school} after the end of the "
                "school day."
            )
            return
        place = rng.choice(self.world.geo.ordinary_places)
        story.places.append(
            PlaceNamed(mention_key, place.name, place.kind, place.address, place.postcode)
        )
        story.say(rng.choice(_ORDINARY_PLACE_SENTENCES), place=place.name)

    # ---- every referral ----------------------------------------------------------------------

    def _closing(self, story: Narrative, awareness: _Awareness, in_network: bool) -> None:
        rng = self.world.rng
        if rng.random() < (0.15 if in_network else 0.3):
            story.say(rng.choice(POSITIVE))
        if awareness.child_aware:
            story.say("{name} is aware of this referral.")
        elif in_network:
            story.say(
                "{name} has not been told about this referral yet, as it may increase the risk "
                "to {obj}."
            )
        else:
            story.say("{name} has not yet been told about this referral.")
        if not awareness.family_aware:
            story.say(
                "The family have not been informed because doing so may place {name} at "
                "greater risk."
                if in_network
                else "The family have not yet been told about this referral."
            )
        story.say(rng.choice(CLOSINGS[awareness.urgency]))

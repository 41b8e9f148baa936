"""The made-up history of one child's casework episode (a referral whose decision opened
casework), planned in memory before anything is recorded: what happens, on which day, in the
order of Working Together 2023 (allocation, strategy discussion, section 47 enquiry, the
assessment and its authorisation, conferences, plans, closure, case notes between them).

Deterministic: one RNG seeded from the referral's and the child's references, so the same
borough gives the same history. Most steps are in time, some late, a few missing (the
assessment never completed: its clock stays overdue); an episode whose steps run past today
is still open. Every text is synthetic and in the appropriate-language guide's words (it
names what adults did, never the child's "choices"). `casework_load` records the plan
through the casework workflows."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from sightline.core.calendar import LONDON, WorkingCalendar
from sightline.referrals.choices import Outcome

# Step kinds, in the order they are reported.
KINDS = (
    "allocation", "strategy_discussion", "section_47", "section_47_outcome", "assessment",
    "assessment_completed", "assessment_authorised", "conference", "review_conference",
    "cin_plan", "plan_ended", "closure", "case_note",
)  # fmt: skip

SD_REASONS = {
    "section_47": (
        "Reasonable cause to suspect the child is suffering significant harm: information "
        "shared indicates adults are sexually exploiting the child. Section 47 enquiry agreed."
    ),
    "cin_assessment": (
        "The information shared does not meet the threshold for a section 47 enquiry; the "
        "exploitation concerns and the child's needs will be assessed under section 17."
    ),
    "police_investigation": (
        "Police to lead a single-agency investigation into the adults named; children's social "
        "care continues support under section 17."
    ),
    "no_further_action": (
        "Checks with the school and health show the concern is being met by the support in "
        "place; partners will share any new information at once."
    ),
}
SD_ACTIONS = (
    "Police to complete intelligence checks on the adults named and share a disruption plan. "
    "School to share attendance and any missing episodes. Health to offer a review with the "
    "school nurse. Safety plan to be agreed with the child and carer."
)
HEALTH_ABSENT = (
    "The health representative was unavailable at short notice; the school nurse sent the "
    "health information in writing before the discussion."
)
NO_CONFERENCE = (
    "Concerns substantiated; the carers are working with the plan and the harm is being "
    "addressed through a child-in-need plan and the police disruption plan against the adults."
)
CIN_PLAN_END = (
    "Plan goals met: the child is attending school, has had no missing episodes for three "
    "months, and the adults of concern have had no contact."
)
CLOSURE_NOTES = {
    "RC7": (
        "Plan goals met and reviewed with the child and carer. The school and the youth "
        "worker remain in contact and will refer again if concerns return."
    ),
    "RC8": "Assessment completed: no further action from children's social care.",
    "RC9": "Assessment completed: family support offered through early help.",
}
NOTES = {
    "visit": (
        "Home visit: saw the child alone. They talked about school and home; no new concerns "
        "raised. The carer knows the safety plan and who to call."
    ),
    "contact": (
        "Telephone call with the carer: the child was home at the agreed times this week. "
        "Next visit agreed."
    ),
    "agency_check": (
        "Agency checks: police hold no new intelligence about the adults named; the school "
        "reports full attendance this half-term."
    ),
    "supervision": (
        "Supervision: chronology and plan reviewed. Actions: chase the health review; take the "
        "child to the MACE panel if missing episodes recur."
    ),
    "direct_work": (
        "Direct work on online safety and safe relationships. Adults have been contacting the "
        "child online; the child named two trusted adults and agreed to share any new contact."
    ),
}
SPECIALIST = (Outcome.SPECIALIST_CSE_TEAM, Outcome.STRATEGY_DISCUSSION)


@dataclass
class Action:
    at: dt.datetime  # when it happened (steps dated by day happen at 09:00 local time)
    kind: str
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass
class EpisodePlan:
    actions: list[Action]
    specialist: bool  # the child exploitation team's work (else the front door's)
    open: bool  # something is still to come after today
    demo_worker: bool  # an open episode owned by a demo user


class Planner:
    def __init__(self, calendar: WorkingCalendar, now: dt.datetime) -> None:
        self.calendar, self.now = calendar, now

    def wd(self, day: dt.date, days: int) -> dt.date:
        """The working day `days` working days after `day`."""
        start = dt.datetime.combine(day, dt.time(9), tzinfo=LONDON)
        return self.calendar.add_working_days(start, days).astimezone(LONDON).date()

    @staticmethod
    def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)

    def plan(  # noqa: PLR0912, PLR0915 (one branch per statutory route, in order)
        self, *, key: str, outcome: str, received_at: dt.datetime, decided_at: dt.datetime,
        later: dt.datetime | None,
    ) -> EpisodePlan:  # fmt: skip
        """The episode of one child on one referral. `later`: when the child's next
        casework referral arrived (this episode then ends with its assessment)."""
        rng = random.Random(f"casework:{key}")  # synthetic demo history, not security
        acts: list[Action] = []

        def add(at: dt.datetime, kind: str, **facts: Any) -> None:
            acts.append(Action(at, kind, facts))

        received = received_at.astimezone(LONDON).date()
        day0 = decided_at.astimezone(LONDON).date()
        specialist = outcome in SPECIALIST
        add(decided_at + dt.timedelta(hours=1), "allocation")
        short = later is not None  # re-referred: this episode ends at its assessment
        sd_chance: dict[str, float] = {
            Outcome.STRATEGY_DISCUSSION: 1.0,
            Outcome.SPECIALIST_CSE_TEAM: 0.4,
        }
        sd_outcome = ""
        held = day0
        if not short and rng.random() < sd_chance.get(outcome, 0.1):
            late = rng.random() < 0.15
            lag = rng.randint(2, 4) if late else rng.choice((0, 0, 1))
            held_at = max(
                self.at(self.wd(day0, lag), rng.randint(10, 15)),
                decided_at + dt.timedelta(hours=2),
            )
            held = held_at.astimezone(LONDON).date()
            sd_outcome = rng.choices(
                ("section_47", "cin_assessment", "police_investigation", "no_further_action"),
                (50, 35, 5, 10),
            )[0]
            add(held_at, "strategy_discussion", outcome=sd_outcome,
                health_present=rng.random() > 0.2)  # fmt: skip
        start = held if sd_outcome else self.wd(day0, rng.choice((0, 1, 1, 2, 3)))
        start = max(start, received)
        factors = ["11A"] if specialist or rng.random() < 0.6 else ["17A"]
        factors += [f for f, p in (("10A", 0.5), ("24A", 0.2), ("4A", 0.25), ("2A", 0.15))
                    if rng.random() < p]  # fmt: skip
        cp_plan = False
        icpc_on: dt.date | None = None
        if sd_outcome == "section_47":
            add(held_at + dt.timedelta(minutes=1), "section_47", started_on=held)
            s47_out = rng.choices(
                ("substantiated_conference", "substantiated_no_conference", "not_substantiated"),
                (55, 20, 25),
            )[0]
            s47_done = self.wd(held, rng.randint(5, 12))
            add(self.at(s47_done, 15), "section_47_outcome", outcome=s47_out, completed_on=s47_done)
            if s47_out == "substantiated_conference":
                late = rng.random() < 0.2
                icpc_on = self.wd(held, rng.randint(16, 22) if late else rng.randint(10, 15))
                icpc_on = max(icpc_on, self.wd(s47_done, 1))
                cp_plan = rng.random() < 0.75
                category = rng.choices(("SAB", "MUL", "EMO"), (70, 20, 10))[0]
                add(self.at(icpc_on, 11), "conference", outcome="cp_plan" if cp_plan else
                    "no_plan", category=category if cp_plan else "")  # fmt: skip
        add(self.at(start, 9), "assessment", started_on=start, factors=factors)
        fate = rng.random()
        completed: dt.date | None
        if fate < 0.08 and not short:
            completed = None  # never completed: the assessment clock stays overdue
        else:
            within = rng.randint(46, 65) if fate < 0.2 else rng.randint(20, 45)
            completed = max(self.wd(received, within), start)
        if short and later is not None:
            completed = max(min(completed or start, later.astimezone(LONDON).date()), start)
        closing = ""
        if completed is not None:
            if cp_plan:
                a_out = "cin_plan"
            elif short or sd_outcome == "no_further_action":
                a_out = rng.choice(("early_help", "no_further_action"))
            else:
                a_out = rng.choices(("cin_plan", "early_help", "no_further_action"), (55, 25, 20))[
                    0
                ]
            add(self.at(completed, 14), "assessment_completed", completed_on=completed,
                outcome=a_out)  # fmt: skip
            authorised = self.wd(completed, rng.randint(1, 5))
            if rng.random() < 0.95:
                add(self.at(authorised, 9, 30), "assessment_authorised", authorised_on=authorised)
            end = max(authorised, completed)
            if cp_plan and icpc_on is not None:
                end = self._cp_route(rng, add, icpc_on, category)
                cin_start = end if rng.random() < 0.5 else None
                closing = "RC7"
            elif a_out == "cin_plan":
                cin_start = self.wd(completed, rng.randint(0, 5))
                closing = "RC7"
            else:
                cin_start = None
                closing = "RC9" if a_out == "early_help" else "RC8"
            if cin_start is not None:
                add(self.at(cin_start, 13), "cin_plan", started_on=cin_start)
                end = self.wd(cin_start, rng.randint(60, 170))
                add(self.at(end, 12), "plan_ended", ended_on=end)
            closed = self.wd(end, rng.randint(1, 10))
            if short and later is not None:  # closed by the time the child is referred again
                closed = max(end, min(closed, later.astimezone(LONDON).date()))
            add(self.at(closed, 16), "closure", closed_on=closed, reason=closing)
        last = max(a.at for a in acts)
        is_open = completed is None or last > self.now
        first = acts[0].at
        span = max(((self.now if is_open else last) - first).total_seconds(), 3600)
        # a note or two on a closed episode's record, more on the open ones (read today)
        for _ in range(rng.randint(2, 4) if is_open else rng.randint(0, 2)):
            when = first + dt.timedelta(seconds=rng.uniform(0.05, 0.95) * span)
            when = max(first, self.at(when.astimezone(LONDON).date(), rng.randint(9, 16),
                                      rng.randint(0, 59)))  # fmt: skip
            add(when, "case_note", note=rng.choice(tuple(NOTES)))
        acts.sort(key=lambda a: (a.at, KINDS.index(a.kind)))
        return EpisodePlan(acts, specialist, is_open, is_open and rng.random() < 0.5)

    def _cp_route(self, rng: random.Random, add: Any, icpc_on: dt.date, category: str) -> dt.date:
        """Review conferences of a child protection plan: the first about 3 months after the
        initial, the next about 6 months later; the plan ends at one of them."""
        review = self.wd(icpc_on, rng.randint(55, 63) if rng.random() < 0.85 else
                         rng.randint(66, 75))  # fmt: skip
        ends = rng.random() < 0.4
        add(self.at(review, 11), "review_conference",
            outcome="cp_plan_ends" if ends else "cp_plan_continues", category=category)  # fmt: skip
        if ends:
            return review
        second = self.wd(review, rng.randint(120, 128))
        add(self.at(second, 11), "review_conference", outcome="cp_plan_ends", category=category)
        return second

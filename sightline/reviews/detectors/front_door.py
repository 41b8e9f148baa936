"""Front-door patterns: what happened to referrals, disclosures and screenings (P1, P2, P3,
P12, P17, P20, P21)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sightline.core.calendar import default_calendar
from sightline.reviews.detectors.base import (
    CLOSED,
    EXPLOITATION,
    RAISED_LEVELS,
    SEXUAL,
    Detector,
    Evidence,
    Hit,
    day,
)
from sightline.reviews.detectors.history import History, Ref, Screen


def _ref(r: Ref) -> Evidence:
    return Evidence("referral", r.reference, r.agency, day(r.received_at))


def _decision(r: Ref) -> Evidence:
    assert r.decided_at is not None
    return Evidence("decision", r.reference, "csc", day(r.decided_at))


def _local(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()


def rereferral_after_nfa(h: History, p: dict[str, Any]) -> list[Hit]:
    """P1: a referral closed with no further action (or advice only), then another referral
    for the same child within the window, one of them about exploitation."""
    hits = []
    span = dt.timedelta(days=int(p["months"]) * 30.5)
    for closed in h.referrals:
        if closed.outcome not in CLOSED or closed.decided_at is None:
            continue
        for again in h.referrals:
            if not closed.decided_at < again.received_at <= closed.decided_at + span:
                continue
            if p["exploitation_only"] and not (closed.categories | again.categories) & EXPLOITATION:
                continue
            hits.append(Hit(
                "P1", h.child_id, h.child_ref, _local(again.received_at),
                f"{h.child_ref} re-referred ({again.reference}) within {p['months']} months of "
                f"{closed.reference} closed as {closed.outcome.replace('_', ' ')}",
                (_ref(closed), _decision(closed), _ref(again)),
            ))  # fmt: skip
            break
    return hits


def _strategy_by(h: History, since: dt.datetime, until: dt.datetime) -> bool:
    """A strategy discussion held, or decided on, for the child between two moments."""
    held = any(s.kind == "strategy_discussion" and since <= s.happened_at <= until for s in h.steps)
    decided = any(
        r.outcome == "strategy_discussion"
        and r.decided_at is not None
        and since <= r.decided_at <= until
        for r in h.referrals
    )
    return held or decided


def disclosures(h: History) -> list[Ref]:
    """Referrals about sexual abuse or exploitation that name an adult."""
    return [r for r in h.referrals if r.categories & SEXUAL and r.persons > 0]


def disclosure_no_strategy(h: History, p: dict[str, Any]) -> list[Hit]:
    """P2: a disclosure naming an adult with no strategy discussion (held or decided) within
    N working days."""
    calendar = default_calendar()
    hits = []
    for r in disclosures(h):
        deadline = calendar.add_working_days(r.received_at, int(p["working_days"]))
        if _strategy_by(h, r.received_at, deadline):
            continue
        hits.append(Hit(
            "P2", h.child_id, h.child_ref, _local(deadline),
            f"{h.child_ref}: a disclosure naming an adult ({r.reference}) had no strategy "
            f"discussion within {p['working_days']} working day(s)",
            (_ref(r),),
        ))  # fmt: skip
    return hits


def disclosure_closed(h: History, p: dict[str, Any]) -> list[Hit]:
    """P3: a disclosure closed (no further action or advice) before any strategy discussion
    considered it."""
    hits = []
    for r in disclosures(h):
        if r.outcome not in CLOSED or r.decided_at is None:
            continue
        if _strategy_by(h, r.received_at, r.decided_at):
            continue
        hits.append(Hit(
            "P3", h.child_id, h.child_ref, _local(r.decided_at),
            f"{h.child_ref}: the disclosure on {r.reference} was closed as "
            f"{r.outcome.replace('_', ' ')} before any strategy discussion",
            (_ref(r), _decision(r)),
        ))  # fmt: skip
    return hits


def _level_on(h: History, reference: str) -> str:
    levels = [s.level for s in h.screenings if s.reference == reference]
    return levels[-1] if levels else ""


def disagreed_no_escalation(h: History, p: dict[str, Any]) -> list[Hit]:
    """P12: closed (no further action or advice) while the referral's screening was medium or
    high, and no professional challenge raised within N working days."""
    calendar = default_calendar()
    hits = []
    for r in h.referrals:
        if r.outcome not in CLOSED or r.decided_at is None:
            continue
        level = _level_on(h, r.reference)
        if level not in RAISED_LEVELS:
            continue
        deadline = calendar.add_working_days(r.decided_at, int(p["working_days"]))
        if any(ref == r.reference and at <= deadline for ref, at in h.challenges):
            continue
        hits.append(Hit(
            "P12", h.child_id, h.child_ref, _local(deadline),
            f"{h.child_ref}: {r.reference} screened {level} was closed and no challenge was "
            f"raised within {p['working_days']} working days",
            (_ref(r), _decision(r)),
        ))  # fmt: skip
    return hits


def _review_due(s: Screen, p: dict[str, Any]) -> dt.date:
    return s.review_on or (day(s.screened_at) + dt.timedelta(days=int(p["review_days"])))


def _closures(h: History) -> list[tuple[str, dt.datetime, Evidence]]:
    """Every closing of the child's case: a referral decided no further action or advice only
    (the front door), and a closure of the child's episode (casework)."""
    out = [
        (r.reference, r.decided_at, _decision(r))
        for r in h.referrals
        if r.outcome in CLOSED and r.decided_at is not None
    ]
    for ref, on, agency in h.closures:
        at = timezone.make_aware(dt.datetime.combine(on, dt.time(23, 59)))
        out.append((ref, at, Evidence("episode_closure", ref, agency, on)))
    return sorted(out, key=lambda c: c[1])


def closed_while_screened(h: History, p: dict[str, Any]) -> list[Hit]:
    """P17, as the practice reference reads it: the child's case closed (a referral decided no
    further action or advice only, or the child's episode closed in casework) while the
    child's latest CSE screening was medium or high, or while that screening was overdue for
    its review (3 months by default) and not redone: a closure on a risk nobody reassessed.
    The stale case counts when the closure is of the screened referral itself or of the
    child's casework episode; a later, unrelated referral closed long after an old screening
    is not "closed while screened". An unreviewed screening on a case still open is not P17
    (nothing has been closed on it yet)."""
    hits = []
    for ref, at, closing in _closures(h):
        before = [s for s in h.screenings if s.screened_at <= at]
        if not before or before[-1].level not in RAISED_LEVELS:
            continue
        s, due = before[-1], _review_due(before[-1], p)
        screen = Evidence("screening", s.reference, s.agency, day(s.screened_at))
        if _local(at) <= due:
            what = f"while the CSE screening was {s.level}"
        elif closing.type == "episode_closure" or s.reference == ref:
            what = f"on a {s.level} CSE screening not reviewed since {due.isoformat()}"
        else:
            continue
        hits.append(Hit(
            "P17", h.child_id, h.child_ref, _local(at), f"{h.child_ref}: {ref} closed {what}",
            (closing, screen),
        ))  # fmt: skip
    return hits


def age_out(h: History, p: dict[str, Any]) -> list[Hit]:
    """P20: a 16- or 17-year-old referred about exploitation and never screened for CSE
    within N days."""
    hits = []
    for r in h.referrals:
        age = h.age_on(day(r.received_at))
        if age is None or not int(p["min_age"]) <= age <= 17 or not r.categories & EXPLOITATION:
            continue
        by = r.received_at + dt.timedelta(days=int(p["days"]))
        if any(s.screened_at <= by for s in h.screenings):
            continue
        if by > timezone.now():
            continue
        hits.append(Hit(
            "P20", h.child_id, h.child_ref, _local(by),
            f"{h.child_ref}, aged {age}, referred about exploitation ({r.reference}) and not "
            f"screened within {p['days']} days",
            (_ref(r),),
        ))  # fmt: skip
        break
    return hits


UNMET = frozenset({"neglect", "domestic_abuse", "emotional_wellbeing"})
LOW_RESPONSE = frozenset({"no_further_action", "information_and_advice", "early_help"})


def prior_unmet_need(h: History, p: dict[str, Any]) -> list[Hit]:
    """P21: N or more referrals about neglect, domestic abuse or parental/child mental health
    over at least Y years, none answered above early help, before an exploitation referral."""
    for r in h.referrals:
        if not r.categories & EXPLOITATION:
            continue
        prior = [q for q in h.referrals if q.received_at < r.received_at and q.categories & UNMET]
        if len(prior) < int(p["referrals"]):
            continue
        if (r.received_at - prior[0].received_at).days < int(p["years"]) * 365:
            continue
        if any(q.outcome and q.outcome not in LOW_RESPONSE for q in prior):
            continue
        return [Hit(
            "P21", h.child_id, h.child_ref, _local(r.received_at),
            f"{h.child_ref}: {len(prior)} referrals about unmet need since "
            f"{day(prior[0].received_at).isoformat()}, none answered above early help, before "
            f"the exploitation referral {r.reference}",
            (*(_ref(q) for q in prior), _ref(r)),
        )]  # fmt: skip
    return []


CASEWORK = (
    "Casework is read for strategy discussions, initial conferences and episode closures; "
    "not yet for section 47 enquiries, assessments, plans or the allocated worker."
)

DETECTORS = [
    Detector(
        "P1", "Closed, then re-referred",
        "A referral closed with no further action or advice only, then another referral for "
        "the same child within the window, one of the two about exploitation.",
        "Review the earlier closure with the new information; consider a CSE screening and a "
        "strategy discussion.",
        "The referrer's kind beyond its agency (sexual-health or youth service); decisions "
        "outside Sightline. " + CASEWORK,
        {"months": 12, "exploitation_only": True}, rereferral_after_nfa,
        live_on=frozenset({"intake"}), group="front door", needs=frozenset(),
    ),
    Detector(
        "P2", "Disclosure naming an adult, no strategy discussion",
        "A referral about sexual abuse or exploitation that names an adult, with no strategy "
        "discussion held or decided on within N working days (same working day by default).",
        "Hold a strategy discussion now (police, social care, health); record the adult as a "
        "person of concern.",
        "A police crime record; a disclosure made in a narrative that names no adult in the "
        "persons named; strategy discussions held outside Sightline. " + CASEWORK,
        {"working_days": 1}, disclosure_no_strategy,
        live_on=frozenset({"sweep"}), group="front door",
    ),
    Detector(
        "P3", "Disclosure closed before a strategy discussion",
        "A disclosure naming an adult closed with no further action or advice only before any "
        "strategy discussion considered it (the 2008 failure).",
        "Reopen: a manager reviews the closure and a strategy discussion considers the "
        "disclosure.",
        "Withdrawal of a disclosure (not recorded as such); closure of later casework. "
        + CASEWORK,
        {}, disclosure_closed, live_on=frozenset({"decide"}), group="front door",
    ),
    Detector(
        "P12", "Closed while screened medium or high, no challenge",
        "A referral closed while its CSE screening was medium or high, and no professional "
        "challenge raised within N working days of the decision.",
        "Ask the referrer whether they agree; raise a challenge under the escalation protocol "
        "if not.",
        "The referrer's own view (only the front door's screening is recorded); challenges "
        "raised by phone or outside Sightline.",
        {"working_days": 5}, disagreed_no_escalation,
        live_on=frozenset({"sweep"}), group="front door",
    ),
    Detector(
        "P17", "Closed while screened medium or high, or on a screening not reviewed",
        "The child's case closed (a referral decided no further action or advice only, or the "
        "child's episode closed in casework) while the latest CSE screening was medium or "
        "high, or was past its review date (3 months by default) and not redone.",
        "Re-screen the child; a manager confirms the closure or reopens it.",
        "Screenings reviewed on paper; plans ended without an episode closure; an unreviewed "
        "screening on a case still open (not a closure; the review itself is not a clock "
        "here). " + CASEWORK,
        {"review_days": 92}, closed_while_screened,
        live_on=frozenset({"decide", "sweep"}), group="front door",
    ),
    Detector(
        "P20", "16 or 17, referred about exploitation, never screened",
        "A young person aged 16 or 17 referred about exploitation with no CSE screening within "
        "N days.",
        "Screen now: a 16- or 17-year-old is a child and cannot consent to exploitation.",
        "Screenings done on paper or by another partnership; casework's assessments. "
        + CASEWORK,
        {"min_age": 16, "days": 14}, age_out,
        live_on=frozenset({"sweep"}), group="front door",
    ),
    Detector(
        "P21", "Years of unmet need before exploitation",
        "N or more referrals about neglect, domestic abuse or mental health over at least Y "
        "years, none answered above early help, before a referral about exploitation.",
        "Convene a multi-agency discussion of the whole history and agree one coordinated plan.",
        "Plans (early help, child in need, child protection) and substance misuse recorded "
        "outside referrals. " + CASEWORK,
        {"referrals": 3, "years": 2}, prior_unmet_need,
        live_on=frozenset({"intake"}), group="front door", needs=frozenset(),
    ),
]  # fmt: skip

"""Practice patterns over the reviews app's own records (P9, P22): the language checker's
flags and review recommendations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sightline.reviews.detectors.base import (
    EXPLOITATION,
    Detector,
    Evidence,
    Hit,
    day,
)
from sightline.reviews.detectors.history import History


def _local(at: dt.datetime) -> dt.date:
    return timezone.localtime(at).date() if timezone.is_aware(at) else at.date()


def victim_blaming(h: History, p: dict[str, Any]) -> list[Hit]:
    """P9: a victim-blaming phrase flagged in a record about a child with exploitation
    indicators (an exploitation referral, or a screening above none, by then)."""
    by_record: dict[str, list[tuple[str, str, dt.datetime]]] = {}
    for ref, phrase, agency, at in sorted(h.flags, key=lambda f: f[3]):
        open_ = any(
            r.categories & EXPLOITATION and r.received_at <= at for r in h.referrals
        ) or any(s.level in p["levels"] and s.screened_at <= at for s in h.screenings)
        if open_:
            by_record.setdefault(ref, []).append((phrase, agency, at))
    return [
        Hit(
            "P9", h.child_id, h.child_ref, _local(flags[0][2]),
            f"{h.child_ref}: victim-blaming language on {ref} ("
            + ", ".join(sorted({f[0] for f in flags}))[:120] + ")",
            (Evidence("language_flag", ref, flags[0][1], day(flags[0][2])),),
        )
        for ref, flags in by_record.items()
    ]  # fmt: skip


DONE = frozenset({"accepted"})


def recommendation_overdue(h: History, p: dict[str, Any]) -> list[Hit]:
    """P22: a recommendation of a review this child is in, past its due date and not accepted
    as done (or with no owner)."""
    today = timezone.localdate()
    hits = []
    for r in h.recommendations:
        if r["status"] in DONE or r["due_on"] >= today:
            continue
        hits.append(Hit(
            "P22", h.child_id, h.child_ref, r["due_on"] + dt.timedelta(days=1),
            f"Recommendation {r['reference']} of {r['review__reference']} is past its due date "
            f"({r['due_on'].isoformat()})" + ("" if r["owner_person_id"] else "; no named owner"),
            (Evidence("recommendation", r["reference"], r["owner_agency__code"] or "",
                      r["due_on"]),),
        ))  # fmt: skip
    return hits


DETECTORS = [
    Detector(
        "P9", "Victim-blaming language",
        "A phrase the language checker flags ('consensual', 'lifestyle choice', 'boyfriend' for "
        "an abuser, 'promiscuous') in a referral, decision, proposal, case note, strategy "
        "discussion outcome or return interview about a child with exploitation indicators.",
        "The author's manager discusses the wording with them; correct the record.",
        "MACE minutes and partner events' own free text (not checked yet); the other casework "
        "steps' free text (enquiry, assessment, plan and closure notes).",
        {"levels": ["low", "medium", "high"]}, victim_blaming,
        live_on=frozenset({"intake", "decide"}), group="practice",
        needs=frozenset({"screenings", "flags"}), gate="flags",
    ),
    Detector(
        "P22", "Review recommendation overdue",
        "A recommendation of a case review past its due date and not accepted as done, or with "
        "no named owner.",
        "The owner agency submits evidence or agrees a new date with the partnership.",
        "Recommendations of reviews held outside Sightline. The reviews app flags overdue "
        "recommendations itself (hourly), so listed here, not raised again.",
        {}, recommendation_overdue, raised_by="reviews (recommendation tracker)",
        group="practice",
    ),
]  # fmt: skip

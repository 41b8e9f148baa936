"""Screening: a CSE screening recorded for one child on a referral."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sightline.escalation.choices import ClockKind
from sightline.escalation.selectors import clock_due_at
from sightline.escalation.services import clocks_on_screening
from sightline.intel.services import concern_on_screening
from sightline.referrals.models import Referral, ReferralChild
from sightline.referrals.services import (
    referral_due_times_set,
    referral_lock_for_screening,
    referral_risk_refresh,
)
from sightline.reviews.choices import TextKind
from sightline.reviews.services import (
    TextToCheck,
    language_flags_record_many,
    missed_opportunities_check,
)
from sightline.screening.models import Screening
from sightline.screening.selectors import catalogue_current
from sightline.screening.services import screening_record


@transaction.atomic
def referral_screen(
    *,
    acting_user: Any,
    referral: Referral,
    referral_child: ReferralChild,
    marks: list[dict[str, str]],
    raised_level: str | None = None,
    raised_reason: str = "",
) -> Screening:
    """Lock the referral (it must still await a decision), score and store the screening
    (screening), raise the referral's risk and RAG rating (referrals), re-time, meet and start
    the clocks the level implies (escalation) and copy the RAG clock's due time back. The
    reason for raising the level and each indicator's note keep their language flags
    (reviews)."""
    referral = referral_lock_for_screening(referral=referral)
    screening = screening_record(
        acting_user=acting_user,
        referral_child=referral_child,
        catalogue_row=catalogue_current(),
        marks=marks,
        age_years=referral_child.age_on_day,
        has_learning_disability=referral_child.child.has_learning_disability,
        raised_level=raised_level,
        raised_reason=raised_reason,
    )
    _flag_screening(acting_user, screening, referral_child)
    rag_raised = referral_risk_refresh(referral=referral)
    clocks_on_screening(referral=referral, screening=screening, acting_user=acting_user)
    if rag_raised:
        referral_due_times_set(
            referral=referral,
            decision_due_at=referral.decision_due_at,
            rag_due_at=clock_due_at(referral=referral, kind=ClockKind.RAG) or referral.rag_due_at,
        )
    missed_opportunities_check(
        acting_user=acting_user, child_ids=[referral_child.child_id], trigger="screen"
    )
    # a medium or high screening makes the referral an exploitation concern (issue 12 §3a)
    concern_on_screening(acting_user=acting_user, referral=referral, level=screening.level)
    return screening


def mark_field(code: str) -> str:
    """The flagged field of an indicator's note, kept under the screening's id."""
    return f"note_{code}"


def _flag_screening(acting_user: Any, screening: Screening, referral_child: ReferralChild) -> None:
    """One check per text written (the raised level's reason, each indicator note given), in
    one INSERT however many notes there are."""
    ref, age = referral_child.referral.reference, referral_child.age_on_day
    texts = [
        TextToCheck(TextKind.SCREENING, screening.pk, ref, mark_field(code), note, age)
        for code, note in screening.marks.exclude(note="").values_list("code", "note")
    ]
    texts.append(
        TextToCheck(TextKind.SCREENING, screening.pk, ref, "raised_reason",
                    screening.raised_reason, age)
    )  # fmt: skip
    language_flags_record_many(acting_user=acting_user, texts=texts)

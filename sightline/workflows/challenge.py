"""A professional challenge's stage answered."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sightline.escalation.models import Challenge
from sightline.escalation.services import challenge_respond


@transaction.atomic
def challenge_answer(
    *, acting_user: Any, challenge: Challenge, outcome: str, notes: str
) -> Challenge:
    """Record the stage's answer (escalation). Every consequence of the answer for the
    referral goes here, in the same transaction, as it is built."""
    return challenge_respond(
        acting_user=acting_user, challenge=challenge, outcome=outcome, notes=notes
    )

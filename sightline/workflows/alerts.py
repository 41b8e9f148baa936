"""An alert acknowledged or closed with a reason (a partner-event detector's, or an
intelligence rule's): the status step of its app, and the language flags of the reason the
practitioner wrote, in one transaction. A flag never blocks the step."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sightline.events.models import EventAlert
from sightline.events.services import event_alert_status_set
from sightline.reviews.choices import TextKind
from sightline.workflows.language import child_age, flag_fields


@transaction.atomic
def event_alert_status_record(
    *, acting_user: Any, alert: EventAlert, status: str, reason: str = ""
) -> EventAlert:
    """A detector's alert reviewed, actioned or dismissed; the reason checked (a reason
    left empty keeps no check)."""
    alert = event_alert_status_set(
        acting_user=acting_user, alert=alert, status=status, reason=reason
    )
    flag_fields(acting_user, kind=TextKind.ALERT_STATUS, record=alert, ref=alert.reference,
                fields=("status_reason",), age=child_age(alert.child))  # fmt: skip
    return alert

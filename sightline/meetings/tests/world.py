"""A MACE meeting seeded through the services, for the site-wide permission and audit tests:
planned with two co-chairs and the given invitees, its agenda built and pack issued, one
action owned by `action_owner`, and a served disruption action against `person_id`."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone

from sightline.meetings import services


def build_meeting(
    *,
    chairs: list[Any],
    invited: list[Any],
    action_owner: Any,
    disruption_owner: Any,
    person_id: uuid.UUID,
    child_id: uuid.UUID,
) -> dict[str, Any]:
    held_on = timezone.localdate() + dt.timedelta(days=7)
    meeting = services.meeting_create(
        acting_user=chairs[0],
        held_on=held_on,
        chairs=chairs,
        invited_agencies=[c.agency for c in chairs] + [u.agency for u in invited],
        invited_people=invited,
        cutoff_at=timezone.now() + dt.timedelta(minutes=5),
    )
    items = services.agenda_build(acting_user=chairs[0], meeting=meeting)
    services.pack_generate(acting_user=chairs[0], meeting=meeting)
    action = services.action_create(
        acting_user=chairs[0],
        meeting=meeting,
        description="Share the return interview with the police.",
        owner_agency=action_owner.agency,
        owner=action_owner,
        due_on=held_on + dt.timedelta(days=14),
    )
    disruption = services.disruption_create(
        acting_user=disruption_owner,
        target_type="person",
        target_id=person_id,
        tactic="cawn",
        children=[child_id],
        owner_agency=disruption_owner.agency,
        owner=disruption_owner,
        dates=services.DisruptionDates(served_on=timezone.localdate()),
        meeting=meeting,
    )
    return {
        "meeting": meeting.pk,
        "item": items[0].pk,
        "action": action.pk,
        "disruption": disruption.pk,
    }

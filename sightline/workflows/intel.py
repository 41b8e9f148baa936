"""Intelligence steps that keep a practitioner's text: an alert reviewed, actioned or
dismissed with a reason; a mention's link to a person, place or vehicle confirmed or
rejected with a reason; mentions split out of a person of concern with the reason. Each is
the intel service and the language flags of its text in one transaction; a flag never
blocks the step."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction

from sightline.intel.models import Alert, LinkDecision, Mention, PersonChange, PersonOfConcern
from sightline.intel.services import alert_status_set, mention_confirm, mention_reject
from sightline.intel.services.persons import person_split
from sightline.people.models import Child
from sightline.reviews.choices import TextKind
from sightline.workflows.language import child_age, flag_fields


def _youngest_age(child_ids: list[Any]) -> int | None:
    """The youngest of an alert's children's age today (the checker's context rules)."""
    ages = [child_age(c) for c in Child.objects.filter(pk__in=child_ids).only("date_of_birth")]
    return min((a for a in ages if a is not None), default=None)


@transaction.atomic
def intel_alert_status_record(
    *, acting_user: Any, alert: Alert, status: str, reason: str = ""
) -> Alert:
    """An intelligence alert reviewed, actioned or dismissed; its reason checked (a reason
    left empty keeps no check)."""
    alert = alert_status_set(acting_user=acting_user, alert=alert, status=status, reason=reason)
    flag_fields(acting_user, kind=TextKind.ALERT_STATUS, record=alert, ref=alert.reference,
                fields=("status_reason",), age=_youngest_age(alert.child_ids))  # fmt: skip
    return alert


@transaction.atomic
def mention_link_decide(
    *, acting_user: Any, mention: Mention, entity_id: uuid.UUID, verdict: str, reason: str = ""
) -> LinkDecision:
    """A practitioner confirms (`verdict` "confirm") or rejects a mention's match with an
    entity; the reason given is checked."""
    step = mention_confirm if verdict == "confirm" else mention_reject
    decision = step(acting_user=acting_user, mention=mention, entity_id=entity_id, reason=reason)
    ref = mention.referral.reference if mention.referral else mention.source_ref
    flag_fields(acting_user, kind=TextKind.INTEL_LINK, record=decision, ref=ref[:30],
                fields=("reason",))  # fmt: skip
    return decision


@transaction.atomic
def person_split_record(
    *, acting_user: Any, person: PersonOfConcern, mention_ids: list[uuid.UUID], reason: str
) -> tuple[PersonOfConcern, PersonChange, list[Alert]]:
    """Mentions split out of a person of concern into a new person; the reason checked."""
    new, change, alerts = person_split(
        acting_user=acting_user, person=person, mention_ids=mention_ids, reason=reason
    )
    flag_fields(acting_user, kind=TextKind.INTEL_LINK, record=change, ref=person.reference,
                fields=("reason",))  # fmt: skip
    return new, change, alerts

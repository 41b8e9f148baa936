"""The disruption register's alerts, with time moved forward, and the tactic catalogue."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from sightline.core.errors import Invalid
from sightline.core.models import OutboxMessage
from sightline.intel.models import Edge
from sightline.meetings import services
from sightline.meetings.choices import DisruptionStatus
from sightline.meetings.models import Disruption, MeetingAction, RegisterAlert
from sightline.meetings.tactics import tactics

pytestmark = pytest.mark.django_db


def test_every_tactic_names_its_basis_and_allowed_targets() -> None:
    found = tactics()
    assert len(found) == 14
    assert found["hotel_notice"].targets == ("place", "business")
    assert found["cawn"].targets == ("person",)
    assert all(t.basis and t.targets for t in found.values())


def _cawn(chairs: Any, alerted: Any, served: dt.date, expires: dt.date) -> Disruption:
    return services.disruption_create(
        acting_user=chairs[0], target_type="person", target_id=alerted["person"], tactic="cawn",
        children=[alerted["child_id"]], owner_agency=chairs[0].agency, owner=chairs[0],
        dates=services.DisruptionDates(served_on=served, expires_on=expires),
    )  # fmt: skip


def test_expiry_within_14_days_alerts_once_then_expires(chairs: Any, alerted: Any) -> None:
    today = timezone.localdate()
    d = _cawn(chairs, alerted, today, today + dt.timedelta(days=30))
    now = timezone.now()
    assert services.register_sweep(at=now)["expiry_alerts"] == 0
    later = now + dt.timedelta(days=20)  # ten days before expiry
    assert services.register_sweep(at=later)["expiry_alerts"] == 1
    assert services.register_sweep(at=later)["expiry_alerts"] == 0  # once
    assert RegisterAlert.objects.get(kind="expiry_soon").disruption == d
    services.register_sweep(at=now + dt.timedelta(days=31))
    d.refresh_from_db()
    assert d.status == DisruptionStatus.EXPIRED


def test_breach_is_logged_alerts_and_tells_the_owner(chairs: Any, alerted: Any) -> None:
    today = timezone.localdate()
    d = _cawn(chairs, alerted, today - dt.timedelta(days=5), today + dt.timedelta(days=60))
    with pytest.raises(Invalid):
        services.breach_record(
            acting_user=chairs[0], disruption=d, occurred_on=today - dt.timedelta(days=9),
            what="Before it was served.",
        )  # fmt: skip
    services.breach_record(acting_user=chairs[0], disruption=d, occurred_on=today, what="Seen.")
    d.refresh_from_db()
    assert d.status == DisruptionStatus.BREACHED
    assert RegisterAlert.objects.filter(kind="breach", disruption=d).count() == 1
    assert OutboxMessage.objects.filter(kind="mace_breach", recipient=chairs[0]).exists()


def test_person_linked_to_three_children_without_disruption_alerts_after_30_days(
    alerted: Any,
) -> None:
    person = alerted["person"]
    for _ in range(3 - Edge.objects.filter(a_id=person, b_type="child").count()):
        Edge.objects.create(a_type="person", a_id=person, b_type="child", b_id=uuid.uuid4())
    now = timezone.now()
    assert services.register_sweep(at=now)["no_disruption_alerts"] == 0
    later = services.register_sweep(at=now + dt.timedelta(days=31))
    assert later["no_disruption_alerts"] == 1
    assert RegisterAlert.objects.get(kind="no_disruption").person_id == person


def test_action_overdue_is_escalated_and_flagged_at_the_next_meeting(
    meeting: Any, chairs: Any, health: Any, agencies: Any
) -> None:
    action = services.action_create(
        acting_user=chairs[0], meeting=meeting, description="Visit", owner_agency=health.agency,
        owner=health, due_on=meeting.held_on + dt.timedelta(days=7),
    )  # fmt: skip
    assert services.actions_sweep(at=timezone.now()) == {"overdue": 0, "escalated": 0}
    late = timezone.now() + dt.timedelta(days=16)
    assert services.actions_sweep(at=late) == {"overdue": 1, "escalated": 0}
    assert services.actions_sweep(at=late + dt.timedelta(days=7))["escalated"] == 1
    assert OutboxMessage.objects.filter(kind="mace_action_escalated").count() == 2  # two chairs
    following = services.meeting_create(
        acting_user=chairs[0], held_on=meeting.held_on + dt.timedelta(days=28),
        chairs=list(chairs), invited_agencies=[agencies["health"]],
        cutoff_at=timezone.now() + dt.timedelta(minutes=5),
    )  # fmt: skip
    items = services.agenda_build(acting_user=chairs[0], meeting=following)
    assert items[0].subject_ref == action.reference
    assert items[0].reasons[0]["why"] == "overdue_action"
    assert RegisterAlert.objects.filter(kind="action_overdue", action=action).count() == 1
    assert MeetingAction.objects.get(pk=action.pk).overdue_since is not None


def test_tactic_whose_target_type_it_does_not_allow_is_refused(chairs: Any, alerted: Any) -> None:
    with pytest.raises(Invalid, match="cannot be used against a person"):
        services.disruption_create(
            acting_user=chairs[0], target_type="person", target_id=alerted["person"],
            tactic="hotel_notice", owner_agency=chairs[0].agency, owner=chairs[0],
            dates=services.DisruptionDates(),
        )  # fmt: skip
    assert not Disruption.objects.exists()


def test_register_alerts_fire_when_sweep_replays_time_forward(
    meeting: Any, chairs: Any, health: Any, alerted: Any
) -> None:
    """`manage.py sweep --at` runs the MACE sweeps after the escalation sweep (ADR 0503)."""

    def sweep_at(days: int) -> dict[str, Any]:
        out = io.StringIO()
        at = timezone.localtime(timezone.now() + dt.timedelta(days=days))
        call_command("sweep", at=at.replace(tzinfo=None).isoformat(), no_mail=True, stdout=out)
        return dict(json.loads(out.getvalue())["meetings"])

    person = alerted["person"]
    for _ in range(3 - Edge.objects.filter(a_id=person, b_type="child").count()):
        Edge.objects.create(a_type="person", a_id=person, b_type="child", b_id=uuid.uuid4())
    action = services.action_create(
        acting_user=chairs[0], meeting=meeting, description="Visit", owner_agency=health.agency,
        owner=health, due_on=meeting.held_on + dt.timedelta(days=7),
    )  # fmt: skip
    first = sweep_at(0)
    assert first["register"]["no_disruption_alerts"] == 0 and first["actions"]["overdue"] == 0
    month = sweep_at(31)  # 30 days since the first link, the action a fortnight late
    assert month["register"]["no_disruption_alerts"] == 1
    assert month["actions"] == {"overdue": 1, "escalated": 1}
    assert RegisterAlert.objects.get(kind="no_disruption").person_id == person
    today = timezone.localdate()
    d = _cawn(chairs, alerted, today, today + dt.timedelta(days=45))
    soon = sweep_at(35)  # ten days before the notice expires
    assert soon["register"]["expiry_alerts"] == 1
    assert RegisterAlert.objects.get(kind="expiry_soon").disruption == d
    assert sweep_at(46)["register"]["expired"] == 1
    d.refresh_from_db()
    assert d.status == DisruptionStatus.EXPIRED
    again = sweep_at(46)  # a replay at the same time does nothing twice
    assert not any(again["register"].values()) and again["actions"]["overdue"] == 0
    assert MeetingAction.objects.get(pk=action.pk).escalated_at is not None
    assert OutboxMessage.objects.filter(kind="mace_action_escalated").count() == 2

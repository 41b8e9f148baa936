"""The meetings app's audited reads (ADR 0010): each returns what is shown and writes its one
access row; a record missing or out of the user's scope raises NotFound and records nothing
(the central handlers record the refusal)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import timezone

from sightline.audit.choices import Action
from sightline.audit.models import AuditEvent
from sightline.core.errors import NotFound
from sightline.meetings import selectors, services

pytestmark = pytest.mark.django_db


def _rows(object_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type=object_type).order_by("seq"))


def _action(meeting: Any, chair: Any, owner: Any) -> Any:
    return services.action_create(
        acting_user=chair, meeting=meeting, description="Share the return interview notes.",
        owner_agency=owner.agency, owner=owner, due_on=timezone.localdate() + dt.timedelta(days=14),
    )  # fmt: skip


def test_meeting_read_records_the_view_and_the_form_it_was_for(
    meeting: Any, chairs: Any, health: Any
) -> None:
    before = len(_rows("mace_meeting"))
    assert selectors.meeting_read(user=health, meeting_id=meeting.pk) == meeting
    assert selectors.meeting_read(user=chairs[0], meeting_id=meeting.pk, form="attendance")
    rows = _rows("mace_meeting")[before:]
    assert [(r.action, r.actor_id, r.object_ref, r.details) for r in rows] == [
        (Action.VIEW, health.pk, meeting.reference, {}),
        (Action.VIEW, chairs[0].pk, meeting.reference, {"form": "attendance"}),
    ]


@pytest.mark.parametrize("wrong", ["outsider", "missing", "malformed"])
def test_a_meeting_out_of_scope_reads_as_missing_and_records_nothing(
    meeting: Any, outsider: Any, wrong: str
) -> None:
    meeting_id = {"outsider": meeting.pk, "missing": uuid.uuid4(), "malformed": "x"}[wrong]
    before = AuditEvent.objects.count()
    reads = (selectors.meeting_read, selectors.meeting_page_read, selectors.agenda_read)
    for read in reads:
        with pytest.raises(NotFound, match="No meeting with that id"):
            read(user=outsider, meeting_id=meeting_id)
    assert AuditEvent.objects.count() == before


def test_meeting_page_and_agenda_reads_record_the_children_shown(
    meeting: Any, alerted: Any, chairs: Any, health: Any
) -> None:
    services.agenda_build(acting_user=chairs[0], meeting=meeting)
    page = selectors.meeting_page_read(user=health, meeting_id=meeting.pk)
    agenda = selectors.agenda_read(user=health, meeting_id=meeting.pk)
    assert page.items and "child_refs" not in agenda
    [viewed] = _rows("mace_meeting")[-1:]
    [agenda_row] = _rows("mace_agenda")[-1:]
    shown = sorted(i.subject_ref for i in page.items if i.subject_type == "child")
    assert viewed.details == {"children": shown} and viewed.actor_id == health.pk
    assert agenda_row.action == Action.VIEW and agenda_row.details == {"children": shown}


def test_action_read_for_its_owner_and_not_for_a_stranger(
    meeting: Any, chairs: Any, health: Any, outsider: Any
) -> None:
    action = _action(meeting, chairs[0], health)
    assert selectors.action_read(user=health, action_id=action.pk) == action
    row = _rows("mace_action")[-1]
    assert (row.action, row.object_ref, row.actor_id) == (Action.VIEW, action.reference, health.pk)
    before = AuditEvent.objects.count()
    with pytest.raises(NotFound, match="No action with that id"):
        selectors.action_read(user=outsider, action_id=action.pk)
    assert AuditEvent.objects.count() == before


def test_listings_record_how_many_rows_were_shown(
    meeting: Any, alerted: Any, chairs: Any, health: Any
) -> None:
    _action(meeting, chairs[0], health)
    assert [m.pk for m in selectors.meeting_list_read(user=health)] == [meeting.pk]
    assert len(selectors.actions_of_read(user=health)) == 1
    services.disruption_create(
        acting_user=chairs[0], target_type="person", target_id=alerted["person"], tactic="cawn",
        children=[alerted["child_id"]], owner_agency=chairs[0].agency, owner=chairs[0],
        dates=services.DisruptionDates(served_on=timezone.localdate()),
    )  # fmt: skip
    rows, _alerts = selectors.register_read(user=chairs[0])
    assert len(rows) == 1
    assert _rows("mace_meeting")[-1].details == {"count": 1}
    assert _rows("mace_action")[-1].details == {"count": 1}
    assert _rows("mace_disruptions")[-1].details == {"count": 1}
    selectors.measures_read(user=chairs[0], today=timezone.localdate())
    assert _rows("mace_measures")[-1].action == Action.LIST


def test_disruption_reads_apply_the_register_scope(alerted: Any, chairs: Any, health: Any) -> None:
    d = services.disruption_create(
        acting_user=chairs[0], target_type="person", target_id=alerted["person"], tactic="cawn",
        children=[alerted["child_id"]], owner_agency=chairs[0].agency, owner=chairs[0],
        dates=services.DisruptionDates(served_on=timezone.localdate()),
    )  # fmt: skip
    shown = selectors.disruption_read(user=chairs[0], disruption_id=d.pk)
    assert shown.disruption == d and _rows("mace_disruption")[-1].details == {
        "children": shown.children
    }
    against = selectors.person_disruptions_read(user=chairs[0], person_id=alerted["person"])
    assert [x.pk for x in against] == [d.pk]
    assert _rows("mace_disruptions")[-1].object_id == str(alerted["person"])
    before = AuditEvent.objects.count()
    with pytest.raises(NotFound, match="No disruption action"):
        selectors.disruption_read(user=health, disruption_id=d.pk)
    with pytest.raises(NotFound, match="No person of concern"):
        selectors.person_disruptions_read(user=health, person_id=alerted["person"])
    with pytest.raises(NotFound, match="No person of concern"):
        selectors.person_disruptions_read(user=chairs[0], person_id=uuid.uuid4())
    assert AuditEvent.objects.count() == before

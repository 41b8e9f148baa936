from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sightline.audit.models import AuditEvent
from sightline.core.errors import Conflict, Invalid, NotFound, NotPermitted
from sightline.meetings import services
from sightline.meetings.choices import MeetingStatus, Section
from sightline.meetings.models import Discussion, Meeting, MeetingAction, MinutesVersion, Pack

pytestmark = pytest.mark.django_db


def _sections(items: list[Any]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for i in items:
        out.setdefault(i.section, set()).add(i.subject_ref)
    return out


def test_meeting_in_the_past_is_refused_and_nothing_is_stored(chairs: Any, agencies: Any) -> None:
    with pytest.raises(Invalid) as err:
        services.meeting_create(
            acting_user=chairs[0],
            held_on=timezone.localdate() - dt.timedelta(days=1),
            chairs=list(chairs),
            invited_agencies=[agencies["health"]],
        )
    assert "held_on" in err.value.detail
    assert not Meeting.objects.exists()


def test_meeting_needs_police_and_local_authority_chairs(chairs: Any, agencies: Any) -> None:
    with pytest.raises(Invalid) as err:
        services.meeting_create(
            acting_user=chairs[0],
            held_on=timezone.localdate() + dt.timedelta(days=3),
            chairs=[chairs[0]],
            invited_agencies=[agencies["health"]],
        )
    assert "chairs" in err.value.detail


def test_agenda_lists_the_alerted_children_adult_and_themes(
    meeting: Any, alerted: Any, chairs: Any
) -> None:
    items = services.agenda_build(acting_user=chairs[0], meeting=meeting)
    found = _sections(items)
    from sightline.intel.models import Alert

    alert = Alert.objects.get(pk=alerted["alert"])
    from sightline.people.models import Child

    refs = set(Child.objects.filter(pk__in=alert.child_ids).values_list("reference", flat=True))
    assert refs <= found[Section.VICTIMS]
    assert alert.entity_ref in found[Section.OFFENDERS]
    assert {"THEME-CONCERNS", "THEME-ALERTS"} <= found[Section.THEMES]
    child_item = next(i for i in items if i.section == Section.VICTIMS)
    assert child_item.is_new
    assert any(alert.reference in r["refs"] for r in child_item.reasons)
    assert AuditEvent.objects.filter(object_type="mace_agenda").exists()


def test_chair_removes_and_adds_items_with_reasons_and_rebuild_keeps_them(
    meeting: Any, alerted: Any, chairs: Any, health: Any
) -> None:
    items = services.agenda_build(acting_user=chairs[0], meeting=meeting)
    victim = next(i for i in items if i.section == Section.VICTIMS)
    with pytest.raises(NotPermitted):
        services.agenda_item_remove(acting_user=health, meeting=meeting, item=victim, reason="x")
    with pytest.raises(Invalid):
        services.agenda_item_remove(acting_user=chairs[1], meeting=meeting, item=victim, reason="")
    services.agenda_item_remove(
        acting_user=chairs[1], meeting=meeting, item=victim, reason="Discussed at strategy."
    )
    rebuilt = services.agenda_build(acting_user=chairs[0], meeting=meeting)
    assert victim.subject_ref not in {i.subject_ref for i in rebuilt}
    row = AuditEvent.objects.filter(object_type="mace_agenda", reason="Discussed at strategy.")
    assert row.get().child_id == victim.subject_id


def test_action_needs_owner_and_due_date_on_or_after_the_meeting(
    meeting: Any, chairs: Any, health: Any
) -> None:
    bad = [
        {"owner_agency": None, "owner": None, "due_on": meeting.held_on},
        {"owner_agency": health.agency, "owner": health,
         "due_on": meeting.held_on - dt.timedelta(days=1)},
    ]  # fmt: skip
    for kw in bad:
        with pytest.raises(Invalid):
            services.action_create(acting_user=chairs[0], meeting=meeting, description="Do", **kw)
    assert not MeetingAction.objects.exists()


def _held_meeting(meeting: Any, chairs: Any, agencies: Any) -> Any:
    services.attendance_record(
        acting_user=chairs[0],
        meeting=meeting,
        entries=[(agencies[k], None, "present") for k in ("police", "csc", "health", "education")],
    )
    return services.meeting_hold(acting_user=chairs[0], meeting=meeting)


def test_meeting_is_held_only_when_quorate(meeting: Any, chairs: Any, agencies: Any) -> None:
    services.attendance_record(
        acting_user=chairs[0],
        meeting=meeting,
        entries=[(agencies["police"], None, "present"), (agencies["health"], None, "apologies")],
    )
    with pytest.raises(Conflict, match="not quorate"):
        services.meeting_hold(acting_user=chairs[0], meeting=meeting)
    held = _held_meeting(meeting, chairs, agencies)
    assert held.status == MeetingStatus.HELD and held.is_quorate


def test_minutes_approved_are_fixed_and_later_changes_are_new_versions(
    meeting: Any, alerted: Any, chairs: Any, agencies: Any, health: Any
) -> None:
    items = services.agenda_build(acting_user=chairs[0], meeting=meeting)
    pack = services.pack_generate(acting_user=chairs[0], meeting=meeting)
    child = next(i for i in items if i.section == Section.VICTIMS)
    _held_meeting(meeting, chairs, agencies)
    services.discussion_record(
        acting_user=chairs[1], meeting=meeting, item=child, summary="Risk rising.",
        risk_view="high", decisions="Strategy discussion today.",
    )  # fmt: skip
    services.action_create(
        acting_user=chairs[0], meeting=meeting, item=child, description="Return home visit",
        owner_agency=health.agency, owner=health, due_on=meeting.held_on + dt.timedelta(days=14),
    )  # fmt: skip
    v1 = services.minutes_approve(acting_user=chairs[1], meeting=meeting)
    assert Pack.objects.get(pk=pack.pk).withdrawn_at is not None
    with pytest.raises(Conflict):
        services.discussion_record(acting_user=chairs[1], meeting=meeting, item=child, summary="x")
    v2 = services.minutes_amend(
        acting_user=chairs[1], meeting=meeting, item=child, summary="Risk rising; NRM made.",
        risk_view="high", reason="The NRM referral was left out.",
    )  # fmt: skip
    assert (v1.version, v2.version) == (1, 2)
    assert MinutesVersion.objects.get(pk=v1.pk).content["items"][0]["summary"] == "Risk rising."
    discussion = Discussion.objects.get(item=child)
    assert discussion.held_on == meeting.held_on and "NRM" in discussion.summary
    with pytest.raises(Conflict):
        services.pack_download(acting_user=health, meeting=meeting)


def test_pack_refused_to_someone_not_invited_stores_nothing_and_is_audited(
    meeting: Any, alerted: Any, chairs: Any, outsider: Any
) -> None:
    with pytest.raises(NotFound):
        services.pack_generate(acting_user=outsider, meeting=meeting)
    assert not Pack.objects.exists()
    row = AuditEvent.objects.get(action="access.refused")
    assert row.actor_username == outsider.username and row.object_type == "mace_pack"

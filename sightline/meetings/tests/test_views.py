from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from sightline.accounts.tests.clients import signed_in
from sightline.audit.choices import Action
from sightline.audit.models import AuditEvent
from sightline.meetings import services
from sightline.meetings.models import MeetingAction

pytestmark = pytest.mark.django_db


def test_pages_show_the_meeting_pack_and_register_to_members_only(
    meeting: Any, alerted: Any, chairs: Any, health: Any, outsider: Any
) -> None:
    services.agenda_build(acting_user=chairs[0], meeting=meeting)
    chair = signed_in(chairs[0])
    issued = chair.post(reverse("meetings:pack_issue", args=[meeting.pk]))
    assert issued.status_code == 302
    member = signed_in(health)
    for name in ("meetings:detail", "meetings:pack"):
        page = member.get(reverse(name, args=[meeting.pk]))
        assert page.status_code == 200, name
        assert "OFFICIAL-SENSITIVE" in page.content.decode() or name == "meetings:detail"
    pdf = member.get(reverse("meetings:pack_pdf", args=[meeting.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert member.get(reverse("meetings:list")).status_code == 200
    stranger = signed_in(outsider)
    before = AuditEvent.objects.filter(action="access.refused").count()
    assert stranger.get(reverse("meetings:pack_pdf", args=[meeting.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="access.refused").count() == before + 1
    for name in ("meetings:register", "meetings:measures"):
        assert chair.get(reverse(name)).status_code == 200
        assert member.get(reverse(name)).status_code == 404


def test_chair_removes_an_item_with_a_reason_from_the_page(
    meeting: Any, alerted: Any, chairs: Any
) -> None:
    items = services.agenda_build(acting_user=chairs[0], meeting=meeting)
    chair = signed_in(chairs[0])
    url = reverse("meetings:item_remove", args=[meeting.pk, items[0].pk])
    assert chair.post(url, {"reason": ""}).status_code == 422
    assert chair.post(url, {"reason": "Already held by the strategy meeting."}).status_code == 302
    items[0].refresh_from_db()
    assert items[0].removed_reason == "Already held by the strategy meeting."


def test_chair_records_attendance_discussion_and_actions_on_the_pages(
    meeting: Any, alerted: Any, chairs: Any, health: Any, outsider: Any
) -> None:
    items = services.agenda_build(acting_user=chairs[0], meeting=meeting)
    chair = signed_in(chairs[0])
    # attendance: a missing answer is shown on the form (422) and nothing is stored
    url = reverse("meetings:attendance", args=[meeting.pk])
    form = chair.get(url)
    assert form.status_code == 200 and "Record attendance" in form.content.decode()
    names = list(form.context["form"].fields)
    assert chair.post(url, {}).status_code == 422
    assert not meeting.attendance.exists()
    saved = chair.post(url, dict.fromkeys(names, "present"))
    assert saved.status_code == 302 and meeting.attendance.count() == len(names)
    assert AuditEvent.objects.filter(object_type="mace_meeting", action=Action.CHANGE,
                                     object_id=str(meeting.pk)).exists()  # fmt: skip
    # a discussion with nothing said: the service's message on the form
    url = reverse("meetings:discussion", args=[meeting.pk, items[0].pk])
    empty = chair.post(url, {"summary": "", "risk_view": "", "decisions": ""})
    assert empty.status_code == 422 and "Record what was discussed" in empty.content.decode()
    said = chair.post(url, {"summary": "Seen twice at the station.", "risk_view": "high"})
    assert said.status_code == 302
    items[0].refresh_from_db()
    assert items[0].discussion.risk_view == "high"
    # an action with no owner, or due before the meeting: 422 with the message, nothing stored
    url = reverse("meetings:action_new", args=[meeting.pk])
    body = {"description": "Visit the family", "owner": "", "due_on": "2020-01-01"}
    refused = chair.post(url, body)
    assert refused.status_code == 422 and "Every action needs an owner" in refused.content.decode()
    early = chair.post(url, {**body, "owner": str(health.pk)})
    assert early.status_code == 422 and "cannot be before the meeting" in early.content.decode()
    assert not MeetingAction.objects.exists()
    due = (meeting.held_on + dt.timedelta(days=14)).isoformat()
    agreed = chair.post(url, {**body, "owner": str(health.pk), "due_on": due,
                              "item": str(items[0].pk)})  # fmt: skip
    assert agreed.status_code == 302
    action = MeetingAction.objects.get()
    assert action.owner == health and action.owner_agency == health.agency
    assert AuditEvent.objects.filter(object_type="mace_action", action=Action.CREATE).count() == 1
    # the owner tracks it to done; someone not invited and not the owner gets 404
    owner = signed_in(health)
    page = reverse("meetings:action", args=[action.pk])
    assert signed_in(outsider).get(page).status_code == 404
    assert owner.get(page).status_code == 200
    done = owner.post(page, {"status": "done", "update": "Visited; school told."})
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.status == "done" and action.completed_on and action.update
    assert AuditEvent.objects.filter(object_type="mace_action", action=Action.CHANGE,
                                     actor_username=health.username).exists()  # fmt: skip
    # a member who is not a chair cannot record attendance
    assert owner.get(reverse("meetings:attendance", args=[meeting.pk])).status_code in (403, 404)


def test_team_manager_sees_the_teams_mace_actions_and_nobody_elses(
    meeting: Any, chairs: Any, health: Any, manager: Any, agencies: Any
) -> None:
    from sightline.accounts.models import Team
    from sightline.accounts.roles import Role
    from sightline.accounts.tests.factories import UserFactory

    team = Team.objects.create(agency=agencies["csc"], name="Specialist CSE team")
    worker = UserFactory(username="cse-worker", agency=agencies["csc"], role=Role.CSE_SPECIALIST,
                         team=team)  # fmt: skip
    manager.team = team
    manager.save()
    due = meeting.held_on + dt.timedelta(days=14)
    theirs, other = (
        services.action_create(acting_user=chairs[0], meeting=meeting, description="Visit",
                               owner_agency=u.agency, owner=u, due_on=due)
        for u in (worker, health)
    )  # fmt: skip
    page = signed_in(manager).get(reverse("meetings:actions"))
    assert page.status_code == 200
    text = page.content.decode()
    assert theirs.reference in text and other.reference not in text
    own = signed_in(health).get(reverse("meetings:actions")).content.decode()
    assert other.reference in own and theirs.reference not in own
    assert AuditEvent.objects.filter(object_type="mace_action", action=Action.LIST).count() == 2

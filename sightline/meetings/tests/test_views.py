from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sightline.accounts.tests.clients import signed_in
from sightline.audit.models import AuditEvent
from sightline.meetings import services

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

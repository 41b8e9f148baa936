"""MACE's reasons and accounts are language-checked too (issue 15 §1, ADR 0714): why an item
was taken off the agenda, why approved minutes were changed, what happened in a breach of a
notice, why a child is proposed. Blaming wording is flagged and stored with the record (and
answered as `language_flags` by the API); plain wording stores none; neither blocks the save."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from sightline.accounts.tests.clients import signed_in, token_client
from sightline.meetings import services
from sightline.meetings.choices import Section
from sightline.meetings.models import AgendaItem, Breach, ChildProposal, MinutesVersion
from sightline.people.models import Child
from sightline.reviews.choices import TextKind
from sightline.reviews.models import LanguageCheck, LanguageFlag
from sightline.workflows import mace_child_propose

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def stored(kind: str) -> list[tuple[str, str]]:
    return sorted(LanguageFlag.objects.filter(content_type=kind).values_list("field", "phrase"))


def phrases(answer: Any) -> list[str]:
    return [f["phrase"] for f in answer.json()["language_flags"]]


def test_an_item_taken_off_the_agenda_keeps_the_flags_of_its_reason(
    meeting: Any, alerted: Any, chairs: Any
) -> None:
    items = services.agenda_build(acting_user=chairs[0], meeting=meeting)
    chair = token_client(chairs[0])
    url = f"{API}/meetings/{meeting.pk}/agenda/items/{{}}/remove"
    plain = _post(chair, url.format(items[0].pk), {"reason": "Held by the strategy meeting."})
    assert plain.status_code == 200, plain.content
    assert plain.json()["language_flags"] == [] and "sections" in plain.json()
    assert LanguageCheck.objects.filter(content_type=TextKind.MACE_AGENDA).count() == 1
    blamed = _post(chair, url.format(items[1].pk),
                   {"reason": "She is streetwise and no longer at risk."})  # fmt: skip
    assert blamed.status_code == 200, blamed.content
    assert phrases(blamed) == ["streetwise"]
    assert blamed.json()["language_flags"][0]["field"] == "removed_reason"
    assert stored(TextKind.MACE_AGENDA) == [("removed_reason", "streetwise")]
    assert AgendaItem.objects.get(pk=items[1].pk).removed_at is not None  # saved, not blocked
    refused = _post(chair, url.format(items[2].pk), {"reason": " "})
    assert refused.status_code == 422
    assert LanguageCheck.objects.filter(content_type=TextKind.MACE_AGENDA).count() == 2


def test_the_meeting_page_checks_the_removal_reason_and_tells_the_chair(
    meeting: Any, alerted: Any, chairs: Any
) -> None:
    items = services.agenda_build(acting_user=chairs[0], meeting=meeting)
    chair = signed_in(chairs[0])
    page = chair.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f'hx-include="#reason-{items[0].pk}"' in page
    assert f'id="language-flags-reason-{items[0].pk}"' in page
    url = reverse("meetings:item_remove", args=[meeting.pk, items[0].pk])
    done = chair.post(url, {"reason": "She is putting herself at risk; police lead."}, follow=True)
    html = done.content.decode()
    assert done.status_code == 200 and "Check your wording" in html
    assert "“putting herself at risk”" in html
    assert stored(TextKind.MACE_AGENDA) == [("removed_reason", "putting herself at risk")]


def test_the_meeting_page_lists_items_taken_off_with_their_reason_and_flags(
    meeting: Any, alerted: Any, chairs: Any
) -> None:
    items = services.agenda_build(acting_user=chairs[0], meeting=meeting)
    chair = signed_in(chairs[0])
    detail = reverse("meetings:detail", args=[meeting.pk])
    assert "Taken off the agenda" not in chair.get(detail).content.decode()
    for item, why in ((items[0], "Held by the strategy meeting."),
                      (items[1], "She is streetwise and no longer at risk.")):  # fmt: skip
        chair.post(reverse("meetings:item_remove", args=[meeting.pk, item.pk]), {"reason": why})
    html = chair.get(detail).content.decode()
    removed = html.split("Taken off the agenda", 1)[1].split("Actions agreed", 1)[0]
    assert items[0].subject_ref in removed and items[1].subject_ref in removed
    assert "Held by the strategy meeting." in removed and chairs[0].display_name in removed
    assert removed.count('data-language-flags="1"') == 1 and "“streetwise”" in removed
    live = html.split("Taken off the agenda", 1)[0]
    assert f"items/{items[0].pk}/remove/" not in live  # no longer offered on the agenda


def _approved(meeting: Any, chairs: Any, agencies: Any) -> list[AgendaItem]:
    """The meeting's agenda built, the meeting held by a quorum and its minutes approved."""
    items = services.agenda_build(acting_user=chairs[0], meeting=meeting)
    services.attendance_record(
        acting_user=chairs[0], meeting=meeting,
        entries=[(agencies[k], None, "present") for k in ("police", "csc", "health", "education")],
    )  # fmt: skip
    services.meeting_hold(acting_user=chairs[0], meeting=meeting)
    services.minutes_approve(acting_user=chairs[1], meeting=meeting)
    return list(items)


def test_a_chair_changes_approved_minutes_on_the_page_with_a_reason(
    meeting: Any, alerted: Any, chairs: Any, agencies: Any
) -> None:
    items = _approved(meeting, chairs, agencies)
    chair = signed_in(chairs[1])
    detail = reverse("meetings:detail", args=[meeting.pk])
    page = chair.get(detail).content.decode()
    assert "Change the minutes" in page and "Version 1, approved by" in page
    url = reverse("meetings:discussion", args=[meeting.pk, items[0].pk])
    form = chair.get(url).content.decode()
    assert "Why the approved minutes are changed" in form and 'hx-include="#id_reason"' in form
    refused = chair.post(url, {"summary": "Risk rising; NRM referral made."})
    assert refused.status_code == 422 and "Say why the approved minutes are changed." in (
        refused.content.decode()
    )
    assert MinutesVersion.objects.filter(meeting=meeting).count() == 1  # nothing stored
    done = chair.post(url, {"summary": "Risk rising; NRM referral made.", "risk_view": "high",
                            "reason": "The chair wrote that she was making her own choices."},
                      follow=True)  # fmt: skip
    html = done.content.decode()
    assert done.status_code == 200 and "version 2" in html and "Check your wording" in html
    assert MinutesVersion.objects.filter(meeting=meeting).count() == 2
    assert "Version 2, approved by" in html and "Changed because: The chair wrote" in html
    assert "“making her own choices”" in html.split("Approved minutes", 1)[1]


def test_a_breach_answers_and_shows_the_flags_of_what_happened(alerted: Any, chairs: Any) -> None:
    today = timezone.localdate()
    d = services.disruption_create(
        acting_user=chairs[0], target_type="person", target_id=alerted["person"], tactic="cawn",
        children=[alerted["child_id"]], owner_agency=chairs[0].agency, owner=chairs[0],
        dates=services.DisruptionDates(served_on=today - dt.timedelta(days=3)),
    )  # fmt: skip
    chair = token_client(chairs[0])
    url = f"{API}/disruptions/{d.pk}/breaches"
    plain = _post(chair, url, {"occurred_on": today.isoformat(),
                               "what": "Seen outside the school gate at 15:30."})  # fmt: skip
    assert plain.status_code == 201, plain.content
    assert plain.json()["language_flags"] == [] and plain.json()["status"] == "breached"
    what = "Seen with her in his car; he says she consented."
    blamed = _post(chair, url, {"occurred_on": today.isoformat(), "what": what})
    assert blamed.status_code == 201, blamed.content
    assert phrases(blamed) == ["consented"]
    assert stored(TextKind.MACE_BREACH) == [("what", "consented")]
    assert Breach.objects.count() == 2
    page = signed_in(chairs[0]).get(reverse("meetings:disruption", args=[d.pk]))
    assert page.content.decode().count('data-language-flags="1"') == 1


def test_amended_minutes_answer_the_flags_of_the_reason(
    meeting: Any, alerted: Any, chairs: Any, agencies: Any
) -> None:
    items = _approved(meeting, chairs, agencies)
    child = next(i for i in items if i.section == Section.VICTIMS)
    url = f"{API}/meetings/{meeting.pk}/items/{child.pk}/discussion"
    amended = _post(token_client(chairs[1]), url, {
        "summary": "Risk rising; NRM referral made.", "risk_view": "high",
        "reason": "The chair had written that she was making her own choices.",
    })  # fmt: skip
    assert amended.status_code == 200, amended.content
    assert amended.json()["minutes_version"] == 2
    assert [(f["field"], f["phrase"]) for f in amended.json()["language_flags"]] == [
        ("reason", "making her own choices")
    ]
    version = MinutesVersion.objects.get(meeting=meeting, version=2)
    assert LanguageFlag.objects.get(content_type=TextKind.MACE_MINUTES).record_id == version.pk
    plain = _post(token_client(chairs[1]), url, {
        "summary": "Risk rising; NRM referral made.", "reason": "The risk view was left out.",
    })  # fmt: skip
    assert plain.status_code == 200 and plain.json()["language_flags"] == []


def test_a_child_proposed_keeps_the_flags_of_the_reason(alerted: Any, manager: Any) -> None:
    child = Child.objects.get(pk=alerted["child_id"])
    plain = mace_child_propose(acting_user=manager, child=child, reason="Missing three times.")
    assert not LanguageFlag.objects.filter(record_id=plain.pk).exists()
    assert LanguageCheck.objects.filter(content_type=TextKind.MACE_PROPOSAL).count() == 1
    blamed = mace_child_propose(
        acting_user=manager, child=child, reason="She is making her own choices with older men."
    )
    assert ChildProposal.objects.count() == 2
    assert stored(TextKind.MACE_PROPOSAL) == [("reason", "making her own choices")]
    assert LanguageFlag.objects.get(content_type=TextKind.MACE_PROPOSAL).record_id == blamed.pk

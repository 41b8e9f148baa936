"""MACE's free text is language-checked (issue 15 §1): an item's discussion, an action and
its updates, a disruption's terms and outcome. The API answers `language_flags` (empty for
plain wording), the flags are stored, and the record pages check as the chair types and show
the stored flags beside the saved text."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from sightline.accounts.tests.clients import signed_in, token_client
from sightline.meetings import services
from sightline.meetings.models import MeetingAction
from sightline.reviews.choices import TextKind
from sightline.reviews.models import LanguageCheck, LanguageFlag

pytestmark = pytest.mark.django_db

API = "/api/v1"
PARTIAL = 'hx-post="/language/check/"'


def _send(client: Any, method: str, url: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(url, body, content_type="application/json")


def stored(kind: str) -> list[tuple[str, str]]:
    return sorted(LanguageFlag.objects.filter(content_type=kind).values_list("field", "phrase"))


def phrases(answer: Any) -> list[str]:
    return [f["phrase"] for f in answer.json()["language_flags"]]


def test_discussion_actions_and_disruptions_answer_their_flags(
    meeting: Any, alerted: Any, chairs: Any, health: Any
) -> None:
    items = services.agenda_build(acting_user=chairs[0], meeting=meeting)
    chair = token_client(chairs[0])
    said = _send(chair, "post", f"{API}/meetings/{meeting.pk}/items/{items[0].pk}/discussion", {
        "summary": "Police say she is putting herself at risk at the station.",
        "risk_view": "high", "decisions": "Refer to the exploitation team.",
    })  # fmt: skip
    assert said.status_code == 200, said.content
    assert phrases(said) == ["putting herself at risk"]
    assert stored(TextKind.MACE_DISCUSSION) == [("summary", "putting herself at risk")]
    due = (meeting.held_on + dt.timedelta(days=14)).isoformat()
    agreed = _send(chair, "post", f"{API}/meetings/{meeting.pk}/actions", {
        "description": "Visit the family with the school nurse.", "owner": health.username,
        "owner_agency": health.agency.code, "due_on": due,
    })  # fmt: skip
    assert agreed.status_code == 201, agreed.content
    assert agreed.json()["language_flags"] == []
    updated = _send(token_client(health), "patch", f"{API}/actions/{agreed.json()['id']}",
                    {"update": "Visited; mum will keep an eye on her."})  # fmt: skip
    assert updated.status_code == 200, updated.content
    assert phrases(updated) == ["mum will keep an eye on"]
    assert stored(TextKind.MACE_ACTION) == [("update", "mum will keep an eye on")]
    today = timezone.localdate()
    made = _send(chair, "post", f"{API}/disruptions", {
        "target": {"type": "person", "id": str(alerted["person"])}, "tactic": "cawn",
        "owner_agency": "police-agency", "owner": chairs[0].username,
        "children": [str(alerted["child_id"])], "served_on": today.isoformat(),
        "expires_on": (today + dt.timedelta(days=180)).isoformat(),
        "terms": "Not to contact or be with any child named in the notice.",
    })  # fmt: skip
    assert made.status_code == 201, made.content
    assert made.json()["language_flags"] == []  # plain wording
    assert LanguageCheck.objects.filter(content_type=TextKind.MACE_DISRUPTION).count() == 1
    outcome = _send(chair, "patch", f"{API}/disruptions/{made.json()['id']}",
                    {"outcome": "He says she consented; notice served anyway."})  # fmt: skip
    assert outcome.status_code == 200, outcome.content
    assert phrases(outcome) == ["consented"]
    assert stored(TextKind.MACE_DISRUPTION) == [("outcome", "consented")]
    page = signed_in(chairs[0]).get(reverse("meetings:disruption", args=[made.json()["id"]]))
    assert 'data-language-flags="1"' in page.content.decode()


def test_the_record_pages_check_as_you_type_and_show_the_stored_flags(
    meeting: Any, alerted: Any, chairs: Any, health: Any
) -> None:
    items = services.agenda_build(acting_user=chairs[0], meeting=meeting)
    chair = signed_in(chairs[0])
    url = reverse("meetings:discussion", args=[meeting.pk, items[0].pk])
    form = chair.get(url).content.decode()
    assert form.count(PARTIAL) == 2  # the summary and the decisions
    assert 'hx-include="#id_summary"' in form and 'hx-include="#id_decisions"' in form
    saved = chair.post(url, {"summary": "Seen at the station twice; she is streetwise.",
                             "risk_view": "high"}, follow=True)  # fmt: skip
    html = saved.content.decode()
    assert saved.status_code == 200 and "Check your wording" in html and "“streetwise”" in html
    assert 'data-language-flags="1"' in html  # the meeting page shows the stored flag
    due = (meeting.held_on + dt.timedelta(days=14)).isoformat()
    new = reverse("meetings:action_new", args=[meeting.pk])
    assert 'hx-include="#id_description"' in chair.get(new).content.decode()
    chair.post(new, {"description": "Tell the child prostitute's school.", "owner": str(health.pk),
                     "due_on": due})  # fmt: skip
    action = MeetingAction.objects.get()
    page = signed_in(health).get(reverse("meetings:action", args=[action.pk])).content.decode()
    assert 'hx-include="#id_update"' in page and "“child prostitute”" in page
    assert stored(TextKind.MACE_ACTION) == [("description", "child prostitute")]

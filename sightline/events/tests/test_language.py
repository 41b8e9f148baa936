"""A partner event's practitioner text is language-checked (issue 15 §1, ADR 0714): the
summary an officer or nurse wrote, who a missing child was found with (on arrival and told
later), and the reason an alert was acknowledged or closed. The flags are kept with the
text in the write's transaction, the API answer carries them, the page shows them, and a
flag never blocks the save. The bulk import checks in one insert however many rows."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sightline.accounts.tests.clients import signed_in, token_client
from sightline.events.kinds import event_parse
from sightline.events.models import Event, EventAlert, MissingEpisode
from sightline.events.tests.helpers import CHILD, ago, missing
from sightline.reviews.choices import TextKind
from sightline.reviews.models import LanguageCheck, LanguageFlag
from sightline.reviews.services import TextToCheck, language_flags_record_many
from sightline.workflows import event_receive

pytestmark = pytest.mark.django_db

URL = "/api/v1/events"
BLAMING = "Officers say she is making her own choices."
NEUTRAL = "Found by officers at a flat and brought home."


def _post(client: Any, body: dict[str, Any]) -> Any:
    return client.post(URL, body, content_type="application/json")


def _flags(record_id: Any, field: str) -> list[str]:
    return list(
        LanguageFlag.objects.filter(record_id=record_id, field=field).values_list(
            "phrase", flat=True
        )
    )


def test_an_events_summary_and_found_with_are_checked_and_the_answer_carries_the_flags(
    officer: Any,
) -> None:
    body = missing(
        "LANG-1", started=dt.timedelta(hours=9), returned=dt.timedelta(hours=1),
        summary=BLAMING, found_with="An older man she calls her boyfriend",
    )  # fmt: skip
    response = _post(token_client(officer), body)
    assert response.status_code == 201, response.content  # stored: a flag never blocks
    event = Event.objects.get(source_id="LANG-1")
    episode = MissingEpisode.objects.get(event=event)
    assert _flags(event.pk, "summary") == ["making her own choices"]
    assert _flags(episode.pk, "found_with") == ["boyfriend"]
    check = LanguageCheck.objects.get(record_id=event.pk)
    assert (check.content_type, check.author_id) == (TextKind.PARTNER_EVENT, officer.pk)
    answered = {(f["field"], f["phrase"]) for f in response.json()["language_flags"]}
    assert answered == {("summary", "making her own choices"), ("found_with", "boyfriend")}


def test_a_police_incidents_what_happened_is_checked_and_a_disclosure_is_not(
    officer: Any,
) -> None:
    """The kind's own free text in `fields` is practitioner wording too (the officer's
    account of what happened); the API answer and the stored flags name its field."""
    client = token_client(officer)
    body = {
        "kind": "police_incident", "source_id": "LANG-PI", "occurred_at": ago(hours=3),
        "child": CHILD, "incident_type": "found_with_adults", "summary": NEUTRAL,
        "what_happened": "Found in a car with her boyfriend, aged 34.",
    }  # fmt: skip
    response = _post(client, body)
    assert response.status_code == 201, response.content
    event = Event.objects.get(source_id="LANG-PI")
    assert _flags(event.pk, "what_happened") == ["boyfriend"]
    assert _flags(event.pk, "summary") == []
    answered = {(f["field"], f["phrase"]) for f in response.json()["language_flags"]}
    assert answered == {("what_happened", "boyfriend")}
    check = {
        "kind": "safe_and_well_check", "source_id": "LANG-SW", "occurred_at": ago(hours=2),
        "child": CHILD, "disclosures": "She said her boyfriend drove her there.",
    }  # fmt: skip
    said = _post(client, check)
    assert said.status_code == 201, said.content
    checked = Event.objects.get(source_id="LANG-SW")
    assert not LanguageCheck.objects.filter(record_id=checked.pk, field="disclosures").exists()


def test_neutral_text_is_checked_with_no_flag_and_a_blank_one_is_not_checked(
    officer: Any,
) -> None:
    response = _post(
        token_client(officer), missing("LANG-2", started=dt.timedelta(hours=5), summary=NEUTRAL)
    )
    assert response.status_code == 201 and response.json()["language_flags"] == []
    event = Event.objects.get(source_id="LANG-2")
    assert LanguageCheck.objects.filter(record_id=event.pk, field="summary").count() == 1
    assert not LanguageFlag.objects.filter(record_id=event.pk).exists()
    episode = MissingEpisode.objects.get(event=event)
    assert not LanguageCheck.objects.filter(record_id=episode.pk).exists()  # no found_with


def test_who_a_child_was_found_with_told_later_is_checked_again(officer: Any) -> None:
    client = token_client(officer)
    created = _post(client, missing("LANG-3", started=dt.timedelta(hours=30))).json()
    url = f"{URL}/{created['id']}"
    later = client.patch(
        url, {"returned_at": (dt.datetime.now(tz=dt.UTC) - dt.timedelta(hours=2)).isoformat(),
              "found_with": "Her boyfriend, a man in his thirties"},
        content_type="application/json",
    )  # fmt: skip
    assert later.status_code == 200, later.content
    episode = MissingEpisode.objects.get(event_id=created["id"])
    assert _flags(episode.pk, "found_with") == ["boyfriend"]
    assert [f["phrase"] for f in later.json()["language_flags"]] == ["boyfriend"]
    again = client.patch(url, {"found_with": "Two adult males"}, content_type="application/json")
    assert again.status_code == 200
    assert _flags(episode.pk, "found_with") == []  # the earlier check replaced, not added to
    assert LanguageCheck.objects.filter(record_id=episode.pk).count() == 1


@pytest.fixture
def alert(officer: Any) -> EventAlert:
    """A repeat-missing alert (the third episode in 90 days)."""
    for n, days in enumerate((20, 10, 2)):
        body = missing(f"LA-{n}", started=dt.timedelta(days=days))
        event_receive(acting_user=officer, agency=officer.agency, data=event_parse(body))
    return EventAlert.objects.get(detector="repeat_missing")


def test_an_alerts_reason_is_checked_through_the_api_and_the_page_shows_the_flags(
    alert: EventAlert, front_door: Any
) -> None:
    client = token_client(front_door)
    path = f"/api/v1/events/alerts/{alert.pk}/status"
    reviewed = client.post(
        path, {"status": "reviewed", "reason": "Seen; plan in place."},
        content_type="application/json",
    )  # fmt: skip
    assert reviewed.status_code == 200 and reviewed.json()["language_flags"] == []
    dismissed = client.post(
        path, {"status": "dismissed", "reason": "She is making her own choices."},
        content_type="application/json",
    )  # fmt: skip
    assert dismissed.status_code == 200, dismissed.content
    alert.refresh_from_db()
    assert alert.status == "dismissed"
    assert _flags(alert.pk, "status_reason") == ["making her own choices"]
    assert [f["phrase"] for f in dismissed.json()["language_flags"]] == ["making her own choices"]
    assert LanguageCheck.objects.get(record_id=alert.pk).content_type == TextKind.ALERT_STATUS
    page = signed_in(front_door).get(f"/events/children/{alert.child_id}/").content.decode()
    assert "data-language-flags=" in page and "making her own choices" in page


def test_the_alert_form_checks_the_reason_as_it_is_typed(
    alert: EventAlert, front_door: Any
) -> None:
    page = signed_in(front_door).get(f"/events/children/{alert.child_id}/").content.decode()
    assert f'id="language-flags-reason-{alert.pk}"' in page
    assert f'from:#reason-{alert.pk}"' in page


def test_the_bulk_writer_keeps_every_check_in_one_insert(officer: Any) -> None:
    def texts(n: int) -> list[TextToCheck]:
        return [
            TextToCheck(TextKind.PARTNER_EVENT, uuid.uuid4(), f"EV-{i}", "summary",
                        BLAMING if i % 2 else NEUTRAL, 14)
            for i in range(n)
        ]  # fmt: skip

    counts = []
    for n in (2, 40):
        with CaptureQueriesContext(connection) as queries:
            language_flags_record_many(acting_user=officer, texts=texts(n))
        counts.append(sum(q["sql"].startswith("INSERT") for q in queries.captured_queries))
    assert counts == [2, 2]  # one for the checks, one for the flags
    assert LanguageCheck.objects.count() == 42
    assert LanguageFlag.objects.count() == 21

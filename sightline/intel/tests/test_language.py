"""A practitioner's text in intelligence is language-checked (issue 15 §1, ADR 0714): the
reason an alert was reviewed, actioned or dismissed, the reason a match was confirmed or
rejected, and why mentions were split out of a person of concern. The flags are kept in the
step's transaction, the API answer carries them, the pages check as the user types and show
what was kept, and a flag never blocks the step."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sightline.accounts.tests.clients import signed_in, token_client
from sightline.intel.choices import EntityType
from sightline.intel.models import Alert, LinkDecision, Mention, PersonChange
from sightline.intel.tests.conftest import Refer
from sightline.reviews.choices import TextKind
from sightline.reviews.models import LanguageCheck, LanguageFlag

pytestmark = pytest.mark.django_db

CARL = {"name": "Carl Venn", "nickname": "Big C", "approximate_age": 35, "phone": "07700 900456"}
BLAMING = "She is making her own choices with him."


def _post(client: Any, path: str, body: Any) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


def _flags(record_id: Any, field: str) -> list[str]:
    rows = LanguageFlag.objects.filter(record_id=record_id, field=field)
    return list(rows.values_list("phrase", flat=True))


@pytest.fixture
def alert(police_officer: Any, teacher: Any, refer: Refer) -> Alert:
    refer(police_officer, persons=[CARL])
    refer(teacher, child=("Jade", "Marsh"), persons=[CARL])
    return Alert.objects.get(kind="person_multiple_children", trigger="children2")


def test_an_alerts_reason_is_checked_on_the_api_and_shown_on_the_page(
    front_door: Any, alert: Alert
) -> None:
    client = token_client(front_door)
    path = f"/api/v1/alerts/{alert.pk}/status"
    reviewed = _post(client, path, {"status": "reviewed", "reason": "Seen; shared with police."})
    assert reviewed.status_code == 200, reviewed.content
    assert reviewed.json()["language_flags"] == []
    assert LanguageCheck.objects.filter(record_id=alert.pk).count() == 1
    dismissed = _post(client, path, {"status": "dismissed", "reason": BLAMING})
    assert dismissed.status_code == 200, dismissed.content  # never blocked
    alert.refresh_from_db()
    assert (alert.status, alert.status_reason) == ("dismissed", BLAMING)
    assert _flags(alert.pk, "status_reason") == ["making her own choices"]
    assert [f["phrase"] for f in dismissed.json()["language_flags"]] == ["making her own choices"]
    check = LanguageCheck.objects.get(record_id=alert.pk)  # the earlier check replaced
    assert check.content_type == TextKind.ALERT_STATUS
    page = signed_in(front_door).get(f"/intel/alerts/{alert.pk}/").content.decode()
    assert "data-language-flags=" in page and "making her own choices" in page


def test_the_alert_page_checks_the_reason_as_it_is_typed_and_saves_with_a_flag(
    front_door: Any, alert: Alert
) -> None:
    client = signed_in(front_door)
    page = client.get(f"/intel/alerts/{alert.pk}/").content.decode()
    assert 'id="language-flags-reason"' in page and 'from:#alert-reason"' in page
    done = client.post(
        f"/intel/alerts/{alert.pk}/status/", {"status": "actioned", "reason": BLAMING}
    )
    assert done.status_code == 302
    assert _flags(alert.pk, "status_reason") == ["making her own choices"]


def test_a_link_decisions_reason_is_checked_and_the_answer_carries_it(
    front_door: Any, alert: Alert
) -> None:
    # the second child's mention, matched to the person the first one made
    mention = Mention.objects.filter(entity_id=alert.entity_id).exclude(link_status="origin")[0]
    client = token_client(front_door)
    body = {"entity_id": str(alert.entity_id), "reason": "Same phone; she calls him her boyfriend"}
    confirmed = _post(client, f"/api/v1/mentions/{mention.pk}/confirm", body)
    assert confirmed.status_code == 200, confirmed.content
    decision = LinkDecision.objects.get(pk=confirmed.json()["decision_id"])
    assert _flags(decision.pk, "reason") == ["boyfriend"]
    assert [f["phrase"] for f in confirmed.json()["language_flags"]] == ["boyfriend"]
    assert LanguageCheck.objects.get(record_id=decision.pk).content_type == TextKind.INTEL_LINK
    rejected = _post(
        client,
        f"/api/v1/mentions/{mention.pk}/reject",
        {"entity_id": str(alert.entity_id), "reason": "Different dates of birth."},
    )
    assert rejected.status_code == 200, rejected.content
    assert rejected.json()["language_flags"] == []
    other = LinkDecision.objects.get(pk=rejected.json()["decision_id"])
    assert LanguageCheck.objects.filter(record_id=other.pk).count() == 1


def test_a_splits_reason_is_checked_on_the_api_and_the_page(
    police_officer: Any, teacher: Any, front_door: Any, refer: Refer
) -> None:
    refer(police_officer, persons=[CARL])
    refer(teacher, child=("Jade", "Marsh"), persons=[CARL])
    third = refer(police_officer, child=("Mia", "Stone"), persons=[CARL])
    last = next(m for m in third.mentions if m.entity_type == EntityType.PERSON)
    person_id = last.entity_id
    page = signed_in(front_door).get(f"/intel/persons/{person_id}/split/").content.decode()
    assert 'from:#reason"' in page  # checked as it is typed
    done = _post(
        token_client(front_door),
        f"/api/v1/persons/{person_id}/split",
        {"mention_ids": [str(last.pk)], "reason": f"Two men. {BLAMING}"},
    )
    assert done.status_code == 201, done.content
    change = PersonChange.objects.get(pk=done.json()["change_id"])
    assert _flags(change.pk, "reason") == ["making her own choices"]
    assert [f["phrase"] for f in done.json()["language_flags"]] == ["making her own choices"]
    shown = signed_in(front_door).get(f"/intel/persons/{change.into_person}/").content.decode()
    assert "making her own choices" in shown and "data-language-flags=" in shown


def test_a_split_from_the_page_with_neutral_words_keeps_a_check_and_no_flag(
    police_officer: Any, teacher: Any, front_door: Any, refer: Refer
) -> None:
    refer(police_officer, persons=[CARL])
    refer(teacher, child=("Jade", "Marsh"), persons=[CARL])
    third = refer(police_officer, child=("Mia", "Stone"), persons=[CARL])
    last = next(m for m in third.mentions if m.entity_type == EntityType.PERSON)
    done = signed_in(front_door).post(
        f"/intel/persons/{last.entity_id}/split/",
        {"mention": [str(last.pk)], "reason": "Two men with the same nickname."},
    )
    assert done.status_code == 302
    change = PersonChange.objects.get()
    assert LanguageCheck.objects.filter(record_id=change.pk, field="reason").count() == 1
    assert not LanguageFlag.objects.filter(record_id=change.pk).exists()

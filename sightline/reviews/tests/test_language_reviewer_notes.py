"""A reviewer's significance note and a practitioner's note acknowledging a missed-opportunity
alert are checked like every practitioner's text (issue 15 §1, ADR 0714): the flags are kept
with the note in the same transaction, shown back on the page and in the API's answer, and
never block the save."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sightline.accounts.roles import Role
from sightline.accounts.tests.clients import signed_in, token_client
from sightline.accounts.tests.factories import AgencyFactory, UserFactory
from sightline.referrals.tests.factories import submit
from sightline.reviews.choices import TextKind
from sightline.reviews.models import ChronologyNote, LanguageCheck, LanguageFlag, MissedOpportunity
from sightline.reviews.tests.factories import lead, review_with_history
from sightline.workflows import decision_record, referral_screen

pytestmark = pytest.mark.django_db

BLAMING = "Seen as a turning point: she is making her own choices, so the case was closed."
NEUTRAL = "Closed with no strategy discussion although an adult was named."


def _flags(kind: str, record_id: Any) -> list[tuple[str, str]]:
    rows = LanguageFlag.objects.filter(content_type=kind, record_id=record_id)
    return list(rows.values_list("field", "code"))


def test_a_significance_note_keeps_its_flags_and_the_workspace_shows_them(
    agencies: dict[str, Any], police_officer: Any, manager: Any
) -> None:
    sg = lead(agencies)
    review = review_with_history(referrer=police_officer, decider=manager, lead_user=sg)["review"]
    client = signed_in(sg)
    key = client.get(f"/reviews/{review.pk}/").context["entries"][0].key
    saved = client.post(
        f"/reviews/{review.pk}/significance/", {"entry_key": key, "significance": BLAMING},
        follow=True,
    )  # fmt: skip
    note = ChronologyNote.objects.get(review=review, entry_key=key)
    assert note.significance == BLAMING  # saved, not blocked
    assert [f for f, _ in _flags(TextKind.REVIEW_SIGNIFICANCE, note.pk)] == ["significance"]
    html = saved.content.decode()
    assert "Check your wording" in html and "data-language-flags=" in html
    assert 'id="language-flags-sig-1"' in html  # the as-you-type check beside the box
    client.post(f"/reviews/{review.pk}/significance/", {"entry_key": key, "significance": NEUTRAL})
    assert _flags(TextKind.REVIEW_SIGNIFICANCE, note.pk) == []
    assert LanguageCheck.objects.filter(record_id=note.pk, flag_count=0).count() == 1
    client.post(f"/reviews/{review.pk}/significance/", {"entry_key": key, "significance": ""})
    assert not LanguageCheck.objects.filter(record_id=note.pk).exists()  # empty: none checked


@pytest.fixture
def alert() -> dict[str, Any]:
    csc = AgencyFactory(kind="csc", code="csc")
    school = AgencyFactory(kind="education", code="school")
    teacher = UserFactory(username="mo-teacher", agency=school, role=Role.REFERRER)
    worker = UserFactory(username="mo-worker", agency=csc, role=Role.FRONT_DOOR_PRACTITIONER)
    result = submit(teacher)
    referral_screen(acting_user=worker, referral=result.referral,
                    referral_child=result.children[0].referral_child, marks=[])  # fmt: skip
    decision_record(acting_user=worker, referral=result.referral,
                    outcome="no_further_action", reason="Advice given to the school.")  # fmt: skip
    return {"mo": MissedOpportunity.objects.get(pattern="P3"), "worker": worker}


def test_an_acknowledgement_through_the_api_answers_with_its_flags(alert: dict[str, Any]) -> None:
    mo = alert["mo"]
    answer = token_client(alert["worker"]).post(
        f"/api/v1/missed-opportunities/{mo.pk}/acknowledge", {"note": BLAMING},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 200 and answer.json()["status"] == "acknowledged"
    flagged = answer.json()["language_flags"]
    assert [f["field"] for f in flagged] == ["acknowledged_note"]
    assert "own choices" in flagged[0]["phrase"]
    assert _flags(TextKind.MISSED_OPPORTUNITY_NOTE, mo.pk) == [
        ("acknowledged_note", LanguageFlag.objects.get(record_id=mo.pk).code)
    ]


def test_an_acknowledgement_on_the_page_is_checked_and_a_neutral_note_stores_no_flag(
    alert: dict[str, Any],
) -> None:
    mo = alert["mo"]
    client = signed_in(alert["worker"])
    page = client.get(reverse("reviews:missed_opportunity", args=[mo.pk]))
    assert page.status_code == 200 and 'id="language-flags-note"' in page.content.decode()
    done = client.post(
        reverse("reviews:missed_opportunity_acknowledge", args=[mo.pk]),
        {"note": NEUTRAL},
        follow=True,
    )
    assert done.status_code == 200
    mo.refresh_from_db()
    assert mo.status == "acknowledged" and mo.acknowledged_note == NEUTRAL
    assert _flags(TextKind.MISSED_OPPORTUNITY_NOTE, mo.pk) == []
    assert LanguageCheck.objects.filter(record_id=mo.pk, flag_count=0).count() == 1

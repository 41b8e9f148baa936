"""The screening's and the escalation ladder's practitioner texts, language-checked (issue 15
§1, ADR 0714): the reason for raising a screening's level and each indicator's note, how a
person named on a referral is described, a manager's reason for acknowledging or resolving an
escalation, and a manager's review of a repeat referral. Flags are stored in the write's
transaction, never block it, and the API's answer carries them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sightline.accounts.tests.clients import signed_in, token_client
from sightline.escalation import services as escalation_services
from sightline.escalation.models import Escalation, ReReferralReview
from sightline.escalation.tests.factories import decided, received
from sightline.referrals.inputs import PersonInput
from sightline.referrals.models import Referral
from sightline.referrals.tests.factories import submit
from sightline.reviews.choices import TextKind
from sightline.reviews.models import LanguageCheck, LanguageFlag
from sightline.screening.models import Screening

pytestmark = pytest.mark.django_db

FLAGGED = "She is making her own choices and is streetwise."
CLEAN = "She was exploited by an adult; her mother is now protecting her."
LONG_AGO = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


def phrases(rows: Any) -> set[str]:
    return {p.lower() for p in rows.values_list("phrase", flat=True)}


@pytest.mark.parametrize(("text", "expected"), [(FLAGGED, True), (CLEAN, False)])
def test_a_screenings_raised_reason_and_notes_carry_their_flags(
    police_officer: Any, front_door: Any, text: str, expected: bool
) -> None:
    referral = submit(police_officer).referral
    page = signed_in(front_door).get(
        reverse("referrals:screen", args=[referral.reference, referral.children.get().child_id])
    )
    assert "delay:500ms from:#raised_reason" in page.content.decode()
    assert "delay:500ms from:#note_A1" in page.content.decode()
    answer = post(
        token_client(front_door),
        f"/api/v1/referrals/{referral.reference}/screening",
        {
            # a vulnerability (context only): the computed level stays below high
            "indicators": [{"code": "H1", "status": "present", "basis": "evidence", "note": text}],
            "raised_level": "high",
            "raised_reason": text,
        },
    )
    assert answer.status_code == 200, answer.content  # a flag never blocks the save
    screening = Screening.objects.get()
    assert screening.raised_reason == text
    rows = LanguageFlag.objects.filter(content_type=TextKind.SCREENING, record_id=screening.pk)
    checks = LanguageCheck.objects.filter(content_type=TextKind.SCREENING, record_id=screening.pk)
    assert screening.level == "high" and screening.computed_level != "high"
    assert set(checks.values_list("field", flat=True)) == {"raised_reason", "note_H1"}
    ours = answer.json()["language_flags"]
    if expected:
        assert {"raised_reason", "note_H1"} == {f["field"] for f in ours}
        assert {"making her own choices", "streetwise"} <= phrases(rows)
        assert sorted(f["phrase"] for f in ours) == sorted(rows.values_list("phrase", flat=True))
    else:
        assert ours == [] and not rows.exists()


def test_the_referral_page_shows_a_screenings_stored_flags(
    police_officer: Any, front_door: Any
) -> None:
    referral = submit(police_officer).referral
    child_id = referral.children.get().child_id
    saved = signed_in(front_door).post(
        reverse("referrals:screen", args=[referral.reference, child_id]),
        {"status_A1": "present", "basis_A1": "evidence", "note_A1": FLAGGED},
        follow=True,
    )
    body = saved.content.decode()
    assert "Check your wording" in body and "streetwise" in body
    assert 'data-language-flags="2"' in body  # the stored flags beside the marks


@pytest.mark.parametrize(
    ("description", "expected"),
    [("Her boyfriend, he picks her up from school.", True), ("Drives a silver car.", False)],
)
def test_a_named_persons_description_carries_its_flags(
    police_officer: Any, description: str, expected: bool
) -> None:
    body = {
        "narrative": "Seen getting into a car with an older man after school, twice this month.",
        "children": [
            {
                "given_name": "Tia",
                "family_name": "Quenby",
                "date_of_birth": "2012-02-03",
                "sex": "female",
                "postcode": "NB3 1AA",
            }
        ],
        "persons_named": [
            {"name": "", "nickname": "Big C", "approximate_age": 27, "description": description},
            {"name": "", "nickname": "Deano"},
        ],
        "urgency": "urgent",
    }
    answer = post(token_client(police_officer), "/api/v1/referrals", body)
    assert answer.status_code == 201, answer.content
    referral = Referral.objects.get(reference=answer.json()["reference"])
    described, undescribed = referral.persons_named.order_by("nickname")
    rows = LanguageFlag.objects.filter(content_type=TextKind.PERSON_NAMED)
    ours = [f for f in answer.json()["language_flags"] if f["field"].startswith("persons_named")]
    # The person with no description is not a record checked.
    assert list(
        LanguageCheck.objects.filter(content_type=TextKind.PERSON_NAMED).values_list(
            "record_id", flat=True
        )
    ) == [described.pk]
    if expected:
        assert "boyfriend" in phrases(rows.filter(record_id=described.pk))
        assert {f["field"] for f in ours} == {"persons_named[0].description"}
    else:
        assert ours == [] and not rows.exists()
    assert undescribed.description == ""


def test_all_named_persons_are_checked_in_one_insert(police_officer: Any) -> None:
    people = [
        PersonInput(nickname=f"P{i}", approximate_age=30, description=f"Her boyfriend number {i}.")
        for i in range(4)
    ]
    with CaptureQueriesContext(connection) as captured:
        result = submit(police_officer, persons_named=people)
    inserts = [
        q["sql"] for q in captured.captured_queries if 'INTO "reviews_languagecheck"' in q["sql"]
    ]
    assert len(inserts) == 2  # the narrative's check and one for all four descriptions
    assert LanguageCheck.objects.filter(content_type=TextKind.PERSON_NAMED).count() == 4
    assert [len(flags) for flags in result.person_flags] == [1, 1, 1, 1]


@pytest.fixture
def escalation(police_officer: Any) -> Escalation:
    referral = received(police_officer, at=LONG_AGO)
    escalation_services.sweep(at=LONG_AGO + dt.timedelta(days=3))
    found = Escalation.objects.filter(referral=referral).first()
    assert found is not None
    return found


@pytest.mark.parametrize(("text", "expected"), [(FLAGGED, True), (CLEAN, False)])
def test_resolving_an_escalation_keeps_the_reasons_flags(
    escalation: Escalation, manager: Any, text: str, expected: bool
) -> None:
    answer = post(
        token_client(manager), f"/api/v1/escalations/{escalation.pk}/resolve", {"reason": text}
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "resolved"
    field = f"resolved_rung_{escalation.rung}"
    rows = LanguageFlag.objects.filter(
        content_type=TextKind.ESCALATION_NOTE, record_id=escalation.pk, field=field
    )
    assert LanguageCheck.objects.filter(record_id=escalation.pk, field=field).exists()
    ours = answer.json()["language_flags"]
    if expected:
        assert {"making her own choices", "streetwise"} <= phrases(rows)
        assert {f["field"] for f in ours} == {field}
    else:
        assert ours == [] and not rows.exists()


def test_acknowledging_on_the_page_keeps_and_shows_the_flags(
    escalation: Escalation, front_door: Any
) -> None:
    client = signed_in(front_door)
    detail = reverse("escalation:detail", args=[escalation.pk])
    assert "delay:500ms from:#id_reason" in client.get(detail).content.decode()
    act = reverse("escalation:act", args=[escalation.pk, "acknowledge"])
    shown = client.post(act, {"reason": FLAGGED}, follow=True)
    assert shown.status_code == 200
    body = shown.content.decode()
    assert "Check your wording" in body
    assert 'data-language-flags="2"' in body  # beside the acknowledgement in the history
    assert LanguageFlag.objects.filter(
        content_type=TextKind.ESCALATION_NOTE, record_id=escalation.pk,
        field=f"acknowledged_rung_{escalation.rung}",
    ).count() == 2  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), [(FLAGGED, True), (CLEAN, False)])
def test_a_repeat_referral_review_keeps_the_reasons_flags(
    police_officer: Any, front_door: Any, manager: Any, text: str, expected: bool
) -> None:
    start = dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC)
    for days in (0, 20):
        decided(received(police_officer, at=start + dt.timedelta(days=days)), front_door)
    third = received(police_officer, at=start + dt.timedelta(days=40))
    url = reverse("escalation:review", args=[third.reference])
    client = signed_in(manager)
    assert "delay:500ms from:#id_reason" in client.get(url).content.decode()
    assert client.post(url, {"reason": text}).status_code == 302
    review = ReReferralReview.objects.get(referral=third)
    rows = LanguageFlag.objects.filter(
        content_type=TextKind.REREFERRAL_REVIEW, record_id=review.pk, field="reason"
    )
    assert LanguageCheck.objects.filter(record_id=review.pk, field="reason").exists()
    assert rows.exists() is expected

"""The front door's web pages end to end (referrals.views): status, redirect, what is shown
to whom, the rows written and the security headers."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.test import Client

from sightline.audit.models import AuditEvent
from sightline.people.models import Child
from sightline.referrals.models import Decision, Referral, ReferralChild
from sightline.referrals.services import referral_decide, referral_screen
from sightline.referrals.tests.factories import submit
from sightline.screening.models import Screening

pytestmark = pytest.mark.django_db

HIGH = [
    {"code": "B1", "status": "present", "basis": "evidence"},
    {"code": "C2", "status": "present", "basis": "evidence"},
]


def signed_in(user: Any) -> Client:
    """A client with a signed-in session. The session limit middleware ends any session
    without `signed_in_at` (set by the sign-in view), so force_login alone is not enough."""
    client = Client()
    client.force_login(user)
    session = client.session
    session["signed_in_at"] = time.time()
    session.save()
    return client


def assert_secure_headers(response: Any) -> None:
    assert response["Cache-Control"] == "no-store"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "'unsafe-inline'" not in csp


def management(prefix: str, total: int = 1, maximum: int = 20) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "1",
        f"{prefix}-MAX_NUM_FORMS": str(maximum),
    }


def referral_form(**overrides: str) -> dict[str, str]:
    data = {
        **management("child"),
        **management("person", maximum=50),
        **management("place", maximum=50),
        "child-0-given_name": "Keira",
        "child-0-family_name": "Ashdown",
        "child-0-date_of_birth_0": "3",
        "child-0-date_of_birth_1": "9",
        "child-0-date_of_birth_2": "2011",
        "child-0-sex": "female",
        "child-0-postcode": "NB2 5LT",
        "person-0-name": "Gary Tobin",
        "person-0-vehicle_registration": "nb21 abc",
        "place-0-kind": "other",
        "narrative": "Seen being collected from school by an adult man in a grey van twice.",
        "concern_categories": "sexual_exploitation",
        "urgency": "urgent",
        "child_aware": "no",
        "family_aware": "unknown",
        "submit": "1",
    }
    data.update(overrides)
    return data


def decided_referral(police_officer: Any, front_door: Any, manager: Any) -> Referral:
    referral = submit(police_officer).referral
    referral_screen(
        acting_user=front_door,
        referral=referral,
        referral_child=referral.children.get(),
        marks=HIGH,
    )
    referral_decide(
        acting_user=manager,
        referral=referral,
        outcome="strategy_discussion",
        reason="Two high indicators; police to attend the strategy meeting.",
    )
    return referral


def test_queue_is_shown_to_the_front_door(police_officer: Any, front_door: Any) -> None:
    referral = submit(police_officer).referral
    response = signed_in(front_door).get("/referrals/")
    assert response.status_code == 200
    assert referral.reference in response.content.decode()
    assert_secure_headers(response)


def test_queue_is_not_found_for_a_referrer(police_officer: Any) -> None:
    response = signed_in(police_officer).get("/referrals/")
    assert response.status_code == 404
    assert_secure_headers(response)


def test_queue_sends_anonymous_visitors_to_sign_in(db: Any) -> None:
    response = Client().get("/referrals/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


def test_referral_form_is_shown(teacher: Any) -> None:
    response = signed_in(teacher).get("/referrals/new/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Make a referral" in body
    assert 'name="child-0-given_name"' in body
    assert_secure_headers(response)


def test_sending_the_form_creates_a_referral_and_shows_it(teacher: Any) -> None:
    response = signed_in(teacher).post("/referrals/new/", referral_form())
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/referrals/{referral.reference}/"
    assert referral.referred_by == teacher
    assert referral.urgency == "urgent"
    assert referral.child_aware is False
    assert referral.family_aware is None
    link = ReferralChild.objects.get(referral=referral)
    assert (link.given_name, link.date_of_birth) == ("Keira", dt.date(2011, 9, 3))
    assert referral.persons_named.get().vehicle_registration == "NB21 ABC"
    assert not referral.places_named.exists(), "an untouched place form is not a place"
    assert_secure_headers(response)


def test_add_another_child_grows_the_form_without_saving(teacher: Any) -> None:
    data = referral_form(add_child="1")
    del data["submit"]
    response = signed_in(teacher).post("/referrals/new/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="child-1-given_name"' in body
    assert 'value="Keira"' in body, "what was typed is kept"
    assert Referral.objects.count() == 0
    assert Child.objects.count() == 0


def test_form_without_a_narrative_shows_the_error_summary_and_stores_nothing(
    teacher: Any,
) -> None:
    before = AuditEvent.objects.count()
    response = signed_in(teacher).post("/referrals/new/", referral_form(narrative=""))
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Describe the concern: what has happened." in body
    assert Referral.objects.count() == 0
    assert Child.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_form_refused_by_the_shared_validation_answers_422(teacher: Any) -> None:
    response = signed_in(teacher).post(
        "/referrals/new/", referral_form(**{"child-0-postcode": "ZZZ"})
    )
    assert response.status_code == 422
    assert "govuk-error-summary" in response.content.decode()
    assert "Enter a real postcode" in response.content.decode()
    assert Referral.objects.count() == 0


def test_out_of_scope_referral_is_not_found(police_officer: Any, teacher: Any) -> None:
    referral = submit(police_officer).referral
    response = signed_in(teacher).get(f"/referrals/{referral.reference}/")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="record.view", referral_id=referral.pk).exists()


def test_referrer_sees_the_decision_but_not_the_screening(
    police_officer: Any, front_door: Any, manager: Any
) -> None:
    referral = decided_referral(police_officer, front_door, manager)
    response = signed_in(police_officer).get(f"/referrals/{referral.reference}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Strategy discussion" in body
    assert "police to attend the strategy meeting" in body
    assert "CSE screening" not in body
    assert "score" not in body
    assert "High" not in body


def test_front_door_sees_the_screening_on_the_detail_page(
    police_officer: Any, front_door: Any, manager: Any
) -> None:
    referral = decided_referral(police_officer, front_door, manager)
    body = signed_in(front_door).get(f"/referrals/{referral.reference}/").content.decode()
    assert "CSE screening" in body
    assert "High" in body


def test_each_view_of_a_referral_writes_one_view_audit_row(
    police_officer: Any, front_door: Any
) -> None:
    referral = submit(police_officer).referral
    client = signed_in(front_door)
    for expected in (1, 2):
        response = client.get(f"/referrals/{referral.reference}/")
        assert response.status_code == 200
        assert_secure_headers(response)
        views = AuditEvent.objects.filter(action="record.view", referral_id=referral.pk)
        assert views.count() == expected
        assert views.last().actor == front_door  # type: ignore[union-attr]


def test_screening_page_records_a_screening_and_returns_to_the_referral(
    police_officer: Any, front_door: Any
) -> None:
    referral = submit(police_officer).referral
    child_id = referral.children.get().child_id
    url = f"/referrals/{referral.reference}/children/{child_id}/screening/"
    client = signed_in(front_door)
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="status_B1"' in page.content.decode()
    response = client.post(
        url,
        {
            "status_B1": "present",
            "basis_B1": "evidence",
            "status_C2": "present",
            "basis_C2": "evidence",
            "note_C2": "Seen by a teacher",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/referrals/{referral.reference}/"
    screening = Screening.objects.get(referral_child__referral=referral)
    assert screening.level == "high"
    assert set(screening.marks.values_list("code", flat=True)) == {"B1", "C2"}
    assert AuditEvent.objects.filter(action="referral.screen", referral_id=referral.pk).count() == 1


def test_screening_page_is_not_found_for_a_referrer(police_officer: Any) -> None:
    referral = submit(police_officer).referral
    child_id = referral.children.get().child_id
    url = f"/referrals/{referral.reference}/children/{child_id}/screening/"
    assert signed_in(police_officer).post(url, {"status_B1": "present"}).status_code == 404
    assert not Screening.objects.exists()


def test_closing_a_high_risk_referral_as_a_practitioner_answers_409_with_the_reason(
    police_officer: Any, front_door: Any
) -> None:
    referral = submit(police_officer).referral
    referral_screen(
        acting_user=front_door,
        referral=referral,
        referral_child=referral.children.get(),
        marks=HIGH,
    )
    response = signed_in(front_door).post(
        f"/referrals/{referral.reference}/decision/",
        {"outcome": "no_further_action", "reason": "Family engaging with school"},
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "The decision was not recorded" in body
    assert "needs a team manager&#x27;s sign-off" in body
    assert not Decision.objects.exists()
    assert_secure_headers(response)


def test_manager_records_the_decision_and_returns_to_the_referral(
    police_officer: Any, front_door: Any, manager: Any
) -> None:
    referral = submit(police_officer).referral
    referral_screen(
        acting_user=front_door,
        referral=referral,
        referral_child=referral.children.get(),
        marks=HIGH,
    )
    response = signed_in(manager).post(
        f"/referrals/{referral.reference}/decision/",
        {"outcome": "no_further_action", "reason": "Known to the team; plan in place."},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/referrals/{referral.reference}/"
    assert Decision.objects.get(referral=referral).signed_off_by == manager


def test_decision_form_without_a_reason_answers_422(police_officer: Any, front_door: Any) -> None:
    referral = submit(police_officer).referral
    response = signed_in(front_door).post(
        f"/referrals/{referral.reference}/decision/", {"outcome": "early_help", "reason": ""}
    )
    assert response.status_code == 422
    assert "Give the reason for the decision." in response.content.decode()
    assert not Decision.objects.exists()


def test_referrer_cannot_post_a_decision(police_officer: Any) -> None:
    referral = submit(police_officer).referral
    response = signed_in(police_officer).post(
        f"/referrals/{referral.reference}/decision/",
        {"outcome": "no_further_action", "reason": "x"},
    )
    assert response.status_code == 404
    assert not Decision.objects.exists()


@pytest.mark.parametrize("path", ["/referrals/", "/referrals/new/", "/referrals/mine/"])
def test_every_page_is_sent_no_store_with_a_strict_content_security_policy(
    manager: Any, path: str
) -> None:
    response = signed_in(manager).get(path)
    assert response.status_code == 200
    assert_secure_headers(response)

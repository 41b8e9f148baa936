"""The free-text fields ADR 0714 left unchecked (issue 15 §1), now checked: a head of
service's closure override rationale, and the referrer's reason for escalating a challenge to
the next stage. The flags are stored in the write's transaction, the JSON answer (where the
write has an API) carries them, and the page checks the box as it is typed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from sightline.accounts.roles import Role
from sightline.accounts.tests.clients import signed_in, token_client
from sightline.accounts.tests.factories import UserFactory
from sightline.casework.models import ClosureOverride
from sightline.escalation.models import Challenge
from sightline.referrals.models import Referral
from sightline.referrals.tests.factories import submit
from sightline.reviews.choices import TextKind
from sightline.reviews.models import LanguageCheck, LanguageFlag
from sightline.workflows import referral_screen

pytestmark = pytest.mark.django_db

DISCLOSURE = "She told her tutor that a man and his friends made her have sex with them."
HIGH = [
    {"code": "B1", "status": "present", "basis": "evidence"},
    {"code": "C2", "status": "present", "basis": "evidence"},
]
A1 = [{"code": "A1", "status": "present", "basis": "evidence"}]
PADDING = " The family have been seen twice and the school will keep watch each day." * 3
FLAGGED = "She is making her own choices and is streetwise." + PADDING
CLEAN = "She was exploited by an adult; her mother is now protecting her." + PADDING


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


def disclosure(teacher: Any, worker: Any, marks: list[dict[str, str]] = A1) -> Referral:
    referral = submit(teacher, narrative=DISCLOSURE).referral
    referral_screen(
        acting_user=worker, referral=referral, referral_child=referral.children.get(), marks=marks
    )
    return Referral.objects.get(pk=referral.pk)


@pytest.fixture
def head(agencies: dict[str, Any]) -> Any:
    return UserFactory(username="head-of-svc", agency=agencies["csc"], role=Role.HEAD_OF_SERVICE)


@pytest.mark.parametrize(("rationale", "expected"), [(FLAGGED, True), (CLEAN, False)])
def test_a_closure_override_rationale_carries_its_flags(
    teacher: Any, front_door: Any, head: Any, rationale: str, expected: bool
) -> None:
    referral = disclosure(teacher, front_door)
    page = signed_in(head).get(f"/referrals/{referral.reference}/")
    assert "delay:500ms from:#override_rationale" in page.content.decode()
    answer = post(
        token_client(head),
        f"/api/v1/referrals/{referral.reference}/decision",
        {"outcome": "early_help", "reason": "Synthetic.", "override_rationale": rationale},
    )
    assert answer.status_code == 200, answer.content
    override = ClosureOverride.objects.get()
    ours = [f for f in answer.json()["language_flags"] if f["field"] == "override_rationale"]
    rows = LanguageFlag.objects.filter(
        content_type=TextKind.CLOSURE_OVERRIDE, record_id=override.decision_id
    )
    if expected:
        assert {f["phrase"].lower() for f in ours} >= {"making her own choices", "streetwise"}
        assert sorted(f["phrase"] for f in ours) == sorted(rows.values_list("phrase", flat=True))
    else:
        assert ours == [] and not rows.exists()


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("Her boyfriend (27) still collects her; she is streetwise, they say.", True),
        ("An adult of 27 still collects her from school; nothing has changed.", False),
    ],
)
def test_the_referrers_escalation_of_a_challenge_carries_its_flags(
    teacher: Any, front_door: Any, manager: Any, reason: str, expected: bool
) -> None:
    referral = disclosure(teacher, front_door, HIGH)
    decided = post(
        token_client(manager), f"/api/v1/referrals/{referral.reference}/decision",
        {"outcome": "no_further_action", "reason": "Police are investigating."},
    )  # fmt: skip
    assert decided.status_code == 200, decided.content
    raised = post(
        token_client(teacher), f"/api/v1/referrals/{referral.reference}/challenge",
        {"reason": "An adult collects her from school."},
    )  # fmt: skip
    assert raised.status_code == 201, raised.content
    challenge = Challenge.objects.get()
    page = signed_in(teacher).get(f"/escalation/challenges/{challenge.pk}/").content.decode()
    assert "delay:500ms from:#id_reason" in page
    answer = signed_in(teacher).post(
        f"/escalation/challenges/{challenge.pk}/escalate/", {"reason": reason}, follow=True
    )
    html = answer.content.decode()
    assert answer.status_code == 200 and Challenge.objects.get().stage == 2
    rows = LanguageFlag.objects.filter(content_type=TextKind.CHALLENGE_ESCALATION)
    checks = LanguageCheck.objects.filter(content_type=TextKind.CHALLENGE_ESCALATION)
    assert list(checks.values_list("field", flat=True)) == ["escalation_stage_2"]
    if expected:
        assert sorted(rows.values_list("phrase", flat=True)) == ["boyfriend", "streetwise"]
        assert "Check your wording" in html and "“boyfriend”" in html
    else:
        assert not rows.exists() and "Check your wording" not in html

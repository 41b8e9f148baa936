"""The language flags of every write that carries free text: kept with the text, returned as
`language_flags` in the write's JSON answer, told to the author on the page the save leads to,
and shown to the manager at sign-off. A flag never blocks the save."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sightline.accounts.tests.clients import signed_in, token_client
from sightline.casework.models import CaseNote, SignOff
from sightline.events.kinds import event_parse
from sightline.events.models import MissingEpisode
from sightline.events.tests.helpers import missing
from sightline.referrals.models import Decision, Referral
from sightline.referrals.tests.factories import submit
from sightline.reviews.detectors import DETECTORS, histories_for
from sightline.reviews.models import LanguageFlag
from sightline.workflows import event_receive, referral_screen, return_interview_step

pytestmark = pytest.mark.django_db

WORDING = "Family will supervise. She is making her own choices."
PHRASES = ["Family will supervise", "making her own choices"]
ELLIE = {"given_name": "Ellie", "family_name": "Marston", "date_of_birth": "2011-05-14",
         "postcode": "NB4 7QX", "sex": "female"}  # fmt: skip
HIGH = [
    {"code": "B1", "status": "present", "basis": "evidence"},
    {"code": "C2", "status": "present", "basis": "evidence"},
]


def post(client: Client, path: str, body: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


def screened(teacher: Any, worker: Any) -> Referral:
    referral = submit(
        teacher, narrative="Seen with older men at a takeaway late at night."
    ).referral
    referral_screen(
        acting_user=worker, referral=referral, referral_child=referral.children.get(), marks=HIGH
    )
    return Referral.objects.get(pk=referral.pk)


def phrases(answer: dict[str, Any]) -> list[str]:
    return [f["phrase"] for f in answer["language_flags"]]


def test_a_proposal_answers_its_flags_and_the_manager_sees_them_at_sign_off(
    teacher: Any, front_door: Any, manager: Any
) -> None:
    referral = screened(teacher, front_door)
    path = f"/api/v1/referrals/{referral.reference}/decision"
    proposed = post(token_client(front_door), path,
                    {"outcome": "no_further_action", "reason": WORDING})  # fmt: skip
    assert proposed.status_code == 201, proposed.content
    body = proposed.json()
    assert phrases(body) == PHRASES
    flag = body["language_flags"][0]
    assert flag["field"] == "reasoning" and flag["why"] and flag["alternatives"]
    assert WORDING[flag["start"] : flag["end"]] == "Family will supervise"
    sign_off = SignOff.objects.get()
    assert LanguageFlag.objects.filter(record_id=sign_off.pk).count() == 2

    queue = token_client(manager).get("/api/v1/sign-offs?status=pending").json()
    assert phrases(queue["items"][0]) == PHRASES
    page = signed_in(manager).get("/casework/sign-offs/").content.decode()
    assert "“Family will supervise”" in page and "“making her own choices”" in page
    # the manager's reason for returning it is checked as it is typed
    assert f'hx-include="#reason-{sign_off.pk}"' in page
    assert 'data-language-flags="2"' in page

    approved = post(token_client(manager), f"/api/v1/sign-offs/{sign_off.pk}/approve", {})
    assert approved.status_code == 200, approved.content
    assert phrases(approved.json()) == PHRASES
    decision = Decision.objects.get(referral=referral)
    assert LanguageFlag.objects.filter(record_id=decision.pk, field="reason").count() == 2


def test_a_proposal_with_plain_wording_answers_no_flags(
    teacher: Any, front_door: Any, manager: Any
) -> None:
    referral = screened(teacher, front_door)
    proposed = post(
        token_client(front_door), f"/api/v1/referrals/{referral.reference}/decision",
        {"outcome": "no_further_action", "reason": "Police are investigating the adults."},
    )  # fmt: skip
    assert proposed.status_code == 201 and proposed.json()["language_flags"] == []
    page = signed_in(manager).get("/casework/sign-offs/").content.decode()
    assert "data-language-flags" not in page


def test_a_return_reason_and_a_decision_answer_their_flags(
    teacher: Any, front_door: Any, manager: Any
) -> None:
    referral = screened(teacher, front_door)
    post(token_client(front_door), f"/api/v1/referrals/{referral.reference}/decision",
         {"outcome": "no_further_action", "reason": "Synthetic.", "propose": True})  # fmt: skip
    sign_off = SignOff.objects.get()
    returned = post(token_client(manager), f"/api/v1/sign-offs/{sign_off.pk}/return",
                    {"reason": "She is streetwise, but hold a strategy discussion."})  # fmt: skip
    assert returned.status_code == 200
    assert [(f["phrase"], f["field"]) for f in returned.json()["language_flags"]] == [
        ("streetwise", "return_reason")
    ]
    detail = signed_in(front_door).get(f"/referrals/{referral.reference}/").content.decode()
    assert "“streetwise”" in detail  # the practitioner sees why, with the flag on its wording
    decided = post(
        token_client(manager), f"/api/v1/referrals/{referral.reference}/decision",
        {"outcome": "assessment", "reason": "Her boyfriend (27) collects her."},
    )  # fmt: skip
    assert decided.status_code == 200, decided.content
    assert phrases(decided.json()) == ["boyfriend"]


def test_referral_intake_answers_the_narrative_flags(teacher: Any) -> None:
    body = {
        "narrative": "She is making her own choices with her boyfriend (27).",
        "concern_categories": ["sexual_exploitation"],
        "children": [{"given_name": "Test", "family_name": "Child", "date_of_birth": "2012-03-04"}],
    }
    answer = post(token_client(teacher), "/api/v1/referrals", body)
    assert answer.status_code == 201, answer.content
    assert sorted(phrases(answer.json())) == ["boyfriend", "making her own choices"]


def test_a_case_note_and_a_strategy_discussion_answer_their_flags(
    teacher: Any, front_door: Any
) -> None:
    referral = screened(teacher, front_door)
    child_id = referral.children.get().child_id
    client = token_client(front_door)
    note = post(client, f"/api/v1/children/{child_id}/notes",
                {"kind": "visit", "text": "Visited. Mum will keep an eye on her."})  # fmt: skip
    assert note.status_code == 201, note.content
    assert phrases(note.json()) == ["Mum will keep an eye on"]
    assert CaseNote.objects.get().text.startswith("Visited.")  # saved, not blocked
    # P9 reads the note's flag too (the child is screened high).
    history = histories_for([child_id])[child_id]
    assert [h.pattern for h in DETECTORS["P9"].run(history)] == ["P9"]
    held = post(client, f"/api/v1/children/{child_id}/strategy-discussions", {
        "held_at": timezone.now().isoformat(), "police_present": True, "csc_present": True,
        "health_present": True,
    })  # fmt: skip
    assert held.status_code == 201, held.content
    assert held.json()["language_flags"] == []
    patched = post(client, f"/api/v1/strategy-discussions/{held.json()['id']}",
                   {"outcome": "no_further_action", "outcome_reason": "It was consensual."},
                   method="patch")  # fmt: skip
    assert patched.status_code == 200, patched.content
    assert phrases(patched.json()) == ["consensual"]


def test_the_page_a_save_leads_to_names_the_flagged_phrases(teacher: Any, front_door: Any) -> None:
    referral = screened(teacher, front_door)
    child_id = referral.children.get().child_id
    client = signed_in(front_door)
    answer = client.post(
        f"/casework/children/{child_id}/note/",
        {"kind": "visit", "text": "She keeps going missing; family will supervise."},
        follow=True,
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "Check your wording" in html and "“family will supervise”" in html
    plain = client.post(
        f"/casework/children/{child_id}/note/",
        {"kind": "visit", "text": "Visited at home; she was well."},
        follow=True,
    )
    assert "Check your wording" not in plain.content.decode()


def test_return_interview_notes_are_checked_but_not_the_childs_words(
    police_officer: Any, front_door: Any
) -> None:
    body = missing("M-L1", started=dt.timedelta(hours=30), returned=dt.timedelta(hours=20),
                   child=ELLIE)  # fmt: skip
    result = event_receive(
        acting_user=police_officer, agency=police_officer.agency, data=event_parse(body)
    )
    episode = MissingEpisode.objects.get(event=result.event)
    interview = return_interview_step(
        acting_user=front_door, episode=episode, status="completed", at=timezone.now(),
        interviewer="RHI worker", child_said="I was making my own choices, he's my boyfriend.",
        with_whom="Her boyfriend (24).", actions="Mum will keep an eye on her.",
    )  # fmt: skip
    stored = LanguageFlag.objects.filter(record_id=interview.pk).order_by("field")
    assert [(f.field, f.phrase) for f in stored] == [
        ("actions", "Mum will keep an eye on"),
        ("with_whom", "boyfriend"),
    ]

"""Every free-text field a practitioner writes is language-checked (issue 15 §1): the write's
JSON answer carries `language_flags` (empty for plain wording), the flags are stored with the
text, the page shows the as-you-type check next to the textarea and the stored flags beside a
saved text. One test per family: challenge, casework steps, case reviews."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sightline.accounts.models import Team
from sightline.accounts.tests.clients import signed_in, token_client
from sightline.casework.models import Allocation, EpisodeClosure, StrategyDiscussion
from sightline.escalation.models import Challenge
from sightline.referrals.models import Referral
from sightline.referrals.tests.factories import submit
from sightline.reviews.choices import TextKind
from sightline.reviews.models import LanguageCheck, LanguageFlag
from sightline.reviews.tests.factories import lead, review_with_history
from sightline.workflows import referral_screen

pytestmark = pytest.mark.django_db

HIGH = [
    {"code": "B1", "status": "present", "basis": "evidence"},
    {"code": "C2", "status": "present", "basis": "evidence"},
]
PARTIAL = 'hx-post="/language/check/"'


def post(client: Client, path: str, body: dict[str, Any], method: str = "post") -> Any:
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


def phrases(answer: Any) -> list[str]:
    return [f["phrase"] for f in answer.json()["language_flags"]]


def stored(kind: str) -> list[tuple[str, str]]:
    return sorted(LanguageFlag.objects.filter(content_type=kind).values_list("field", "phrase"))


def screened(teacher: Any, worker: Any) -> Referral:
    referral = submit(
        teacher, narrative="Seen with older men at a takeaway late at night."
    ).referral
    referral_screen(
        acting_user=worker, referral=referral, referral_child=referral.children.get(), marks=HIGH
    )
    return Referral.objects.get(pk=referral.pk)


def test_a_challenge_and_its_answer_carry_their_flags(
    teacher: Any, front_door: Any, manager: Any
) -> None:
    referral = screened(teacher, front_door)
    decided = post(
        token_client(manager), f"/api/v1/referrals/{referral.reference}/decision",
        {"outcome": "no_further_action", "reason": "Police are investigating."},
    )  # fmt: skip
    assert decided.status_code == 200, decided.content
    page = signed_in(teacher).get(f"/escalation/referrals/{referral.reference}/challenge/")
    assert page.status_code == 200 and PARTIAL in page.content.decode()
    raised = post(
        token_client(teacher), f"/api/v1/referrals/{referral.reference}/challenge",
        {"reason": "She is not making her own choices; he is 27 and grooms her."},
    )  # fmt: skip
    assert raised.status_code == 201, raised.content
    assert phrases(raised) == ["making her own choices"]
    challenge = Challenge.objects.get()
    answered = post(
        token_client(manager), f"/api/v1/challenges/{challenge.pk}/respond",
        {"stage_outcome": "upheld", "reason": "Agreed the police lead; NFA stands."},
    )  # fmt: skip
    assert answered.status_code == 200, answered.content
    assert answered.json()["language_flags"] == []
    assert stored(TextKind.CHALLENGE_REASON) == [("reason", "making her own choices")]
    assert LanguageCheck.objects.filter(content_type=TextKind.CHALLENGE_ANSWER).count() == 1
    detail = signed_in(manager).get(f"/escalation/challenges/{challenge.pk}/").content.decode()
    assert 'data-language-flags="1"' in detail and "“making her own choices”" in detail


def test_a_challenge_raised_on_the_page_tells_its_flags(
    teacher: Any, front_door: Any, manager: Any
) -> None:
    referral = screened(teacher, front_door)
    post(token_client(manager), f"/api/v1/referrals/{referral.reference}/decision",
         {"outcome": "no_further_action", "reason": "Police are investigating."})  # fmt: skip
    answer = signed_in(teacher).post(
        f"/escalation/referrals/{referral.reference}/challenge/",
        {"reason": "Her boyfriend (27) collects her from school."}, follow=True,
    )  # fmt: skip
    html = answer.content.decode()
    assert answer.status_code == 200 and "Check your wording" in html and "“boyfriend”" in html
    assert stored(TextKind.CHALLENGE_REASON) == [("reason", "boyfriend")]


def test_the_statutory_steps_carry_their_flags(teacher: Any, front_door: Any) -> None:
    referral = screened(teacher, front_door)
    child_id = referral.children.get().child_id
    client = token_client(front_door)
    held = post(client, f"/api/v1/children/{child_id}/strategy-discussions", {
        "held_at": timezone.now().isoformat(), "police_present": True, "csc_present": True,
        "health_present": False, "absence_reason": "Health could not attend.",
        "outcome": "section_47", "outcome_reason": "Risk of sexual exploitation.",
        "actions": "Mum will keep an eye on her until the enquiry.",
    })  # fmt: skip
    assert held.status_code == 201, held.content
    assert phrases(held) == ["Mum will keep an eye on"]
    enquiry = post(client, f"/api/v1/children/{child_id}/section-47-enquiries",
                   {"strategy_discussion": held.json()["id"],
                    "started_on": str(timezone.localdate())})  # fmt: skip
    assert enquiry.status_code == 201, enquiry.content
    done = post(client, f"/api/v1/section-47-enquiries/{enquiry.json()['id']}", {
        "outcome": "substantiated_no_conference", "completed_on": str(timezone.localdate()),
        "no_conference_reason": "She is streetwise and knows how to keep safe.",
    }, method="patch")  # fmt: skip
    assert done.status_code == 200, done.content
    assert phrases(done) == ["streetwise"]
    closed = post(client, f"/api/v1/children/{child_id}/closures", {
        "closed_on": str(timezone.localdate()), "reason": "RC8",
        "notes": "Support offered through the school; plain wording.",
    })  # fmt: skip
    assert closed.status_code == 201, closed.content
    assert closed.json()["language_flags"] == []
    assert stored(TextKind.STRATEGY_NOTES) == [("actions", "Mum will keep an eye on")]
    assert stored(TextKind.ENQUIRY_OUTCOME) == [("no_conference_reason", "streetwise")]
    # an empty optional field is not a record checked; a written one is, even when plain
    closure = EpisodeClosure.objects.get()
    assert LanguageCheck.objects.filter(record_id=closure.pk).count() == 1
    discussion = StrategyDiscussion.objects.get()
    assert set(
        LanguageCheck.objects.filter(record_id=discussion.pk).values_list("field", flat=True)
    ) == {"absence_reason", "actions", "outcome_reason"}


def test_the_casework_page_checks_as_you_type_and_shows_stored_flags(
    teacher: Any, front_door: Any, manager: Any
) -> None:
    referral = screened(teacher, front_door)
    child_id = referral.children.get().child_id
    client = signed_in(front_door)
    client.post(f"/casework/children/{child_id}/note/",
                {"kind": "visit", "text": "Family will supervise."})  # fmt: skip
    page = client.get(f"/casework/children/{child_id}/").content.decode()
    for field_id in ("absence_reason", "actions", "note_text", "closure_notes"):
        assert f'hx-include="#{field_id}"' in page, field_id
    assert 'data-language-flags="1"' in page and "“Family will supervise”" in page
    boss = signed_in(manager)
    assert (
        'hx-include="#alloc_reason"' in boss.get(f"/casework/children/{child_id}/").content.decode()
    )
    allocated = boss.post(
        f"/casework/children/{child_id}/allocate/",
        {"team": str(Team.objects.create(agency=manager.agency, name="Exploitation").pk),
         "worker": front_door.username,
         "reason": "Reallocated: she is promiscuous."},
        follow=True,
    )  # fmt: skip
    html = allocated.content.decode()
    assert "Check your wording" in html and html.count('data-language-flags="1"') == 2
    allocation = Allocation.objects.filter(child_id=child_id).latest("allocated_at")
    assert stored(TextKind.ALLOCATION_REASON) == [("reason", "promiscuous")]
    assert LanguageFlag.objects.filter(record_id=allocation.pk).count() == 1


def test_review_findings_recommendations_and_updates_carry_their_flags(
    agencies: dict[str, Any], police_officer: Any, manager: Any
) -> None:
    sg = lead(agencies)
    world = review_with_history(referrer=police_officer, decider=manager, lead_user=sg)
    review = world["review"]
    client = token_client(sg)
    made = post(client, f"/api/v1/reviews/{review.pk}/recommendations", {
        "text": "Stop calling exploited girls child prostitutes in referrals.",
        "owner_agency": manager.agency.code, "owner_username": manager.username,
        "due_on": str(timezone.localdate() + dt.timedelta(days=60)),
        "required_evidence": "An audit of 50 referrals.",
    })  # fmt: skip
    assert made.status_code == 201, made.content
    assert phrases(made) == ["child prostitutes"]
    updated = post(token_client(manager), f"/api/v1/recommendations/{made.json()['id']}",
                   {"note": "Training booked for March."}, method="patch")  # fmt: skip
    assert updated.status_code == 200, updated.content
    assert updated.json()["language_flags"] == []
    listed = client.get("/api/v1/recommendations").json()
    assert listed["results"][0]["language_flags"] == []  # lists do not read flags
    assert stored(TextKind.RECOMMENDATION) == [("text", "child prostitutes")]
    assert LanguageCheck.objects.filter(content_type=TextKind.RECOMMENDATION_UPDATE).count() == 1
    pages = signed_in(sg)
    answer = pages.post(f"/reviews/{review.pk}/findings/",
                        {"text": "The decision said she consented."}, follow=True)  # fmt: skip
    html = answer.content.decode()
    assert answer.status_code == 200 and "Check your wording" in html
    assert stored(TextKind.REVIEW_FINDING) == [("text", "consented")]
    assert 'hx-include="#finding_text"' in html and 'hx-include="#recommendation_text"' in html
    assert html.count("data-language-flags") == 2  # the finding and the recommendation


def test_a_pages_list_of_flagged_texts_reads_their_flags_in_one_query(
    teacher: Any, front_door: Any
) -> None:
    """The casework page shows every note's stored flags; one note or eight, the page
    reads them in the same number of queries (`records_flags`, not one query a row)."""
    referral = screened(teacher, front_door)
    child_id = referral.children.get().child_id
    client = signed_in(front_door)
    path = f"/casework/children/{child_id}/"

    def note_and_count() -> tuple[int, str]:
        client.post(f"{path}note/", {"kind": "visit", "text": "Family will supervise."})
        with CaptureQueriesContext(connection) as queries:
            page = client.get(path).content.decode()
        return len(queries), page

    one, _ = note_and_count()
    for _ in range(6):
        client.post(f"{path}note/", {"kind": "visit", "text": "Family will supervise."})
    eight, page = note_and_count()
    assert page.count('data-language-flags="1"') == 8
    assert eight == one

"""A practitioner proposes a child for the next MACE meeting from the child's page or the API
(nothing could create a proposal, though the agenda reads them): the proposal shows on the
child's page and reaches the next meeting's agenda with the reason; a blank reason is an
error on the page (422) and stores nothing; a child outside the user's scope is 404, and a
role that sees the child but does not propose gets 403 from the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sightline.accounts.tests.clients import signed_in, token_client
from sightline.meetings.models import ChildProposal
from sightline.meetings.services import agenda_build
from sightline.people.models import Child

pytestmark = pytest.mark.django_db


def test_a_proposal_from_the_childs_page_reaches_the_agenda(
    alerted: dict[str, Any], manager: Any, meeting: Any, chairs: tuple[Any, Any]
) -> None:
    child = Child.objects.get(pk=alerted["child_id"])
    client = signed_in(manager)
    page = client.get(f"/children/{child.pk}/").content.decode()
    assert "Not proposed for the next meeting." in page and 'name="reason"' in page
    sent = client.post(
        f"/children/{child.pk}/mace-proposal/", {"reason": "Missing three times this month."}
    )
    assert sent.status_code == 302 and sent["Location"] == f"/children/{child.pk}/"
    proposal = ChildProposal.objects.get()
    assert proposal.child == child and proposal.proposed_by == manager
    page = client.get(f"/children/{child.pk}/").content.decode()
    assert "Missing three times this month." in page
    items = agenda_build(
        acting_user=chairs[0], meeting=meeting, at=timezone.now() + dt.timedelta(minutes=1)
    )
    mine = [i for i in items if i.subject_ref == child.reference]
    assert mine and any(
        "Missing three times this month." in (r.get("note") or "") for r in mine[0].reasons
    )


def test_a_blank_reason_is_an_error_on_the_page(alerted: dict[str, Any], manager: Any) -> None:
    child = Child.objects.get(pk=alerted["child_id"])
    sent = signed_in(manager).post(f"/children/{child.pk}/mace-proposal/", {"reason": "  "})
    assert sent.status_code == 422
    body = sent.content.decode()
    assert "govuk-error-summary" in body and "Say why the meeting should discuss" in body
    assert not ChildProposal.objects.exists()


def test_the_api_answers_the_flags_and_refuses_who_may_not(
    alerted: dict[str, Any], manager: Any, police_officer: Any
) -> None:
    child = Child.objects.get(pk=alerted["child_id"])
    path = f"/api/v1/children/{child.pk}/mace-proposals"
    made = token_client(manager).post(
        path, {"reason": "She is making her own choices."}, content_type="application/json"
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["child_reference"] == child.reference
    assert [f["phrase"] for f in body["language_flags"]] == ["making her own choices"]
    blank = token_client(manager).post(path, {"reason": " "}, content_type="application/json")
    assert blank.status_code == 422
    # the referring officer sees the child it referred but does not propose
    refused = token_client(police_officer).post(
        path, {"reason": "Worried."}, content_type="application/json"
    )
    assert refused.status_code in (403, 404)
    assert ChildProposal.objects.count() == 1

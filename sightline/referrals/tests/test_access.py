"""Break-glass through the API, and "who has seen this child's record" for information
governance: the grant opens one referral for a while, with a reason, alerts the front door's
managers and is audited; the access log lists every look and exports as CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from sightline.audit.models import AuditEvent
from sightline.core.models import OutboxMessage
from sightline.referrals.models import BreakGlassGrant, Referral
from sightline.referrals.tests.test_api import PAYLOAD, api, post
from sightline.referrals.tests.test_views import signed_in

pytestmark = pytest.mark.django_db

REASON = "Strategy meeting tomorrow: need the referral history for this child."


def refer(user: Any) -> str:
    response = post(api(user), "/api/v1/referrals", PAYLOAD)
    assert response.status_code == 201, response.content
    return str(response.json()["reference"])


def test_break_glass_opens_one_referral_alerts_managers_and_is_audited(
    police_officer: Any, school_lead: Any, manager: Any
) -> None:
    ref = refer(police_officer)
    lead = api(school_lead)
    assert lead.get(f"/api/v1/referrals/{ref}").status_code == 404
    response = post(lead, "/api/v1/break-glass", {"reference": ref, "reason": REASON})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"] == ref
    grant = BreakGlassGrant.objects.get(pk=body["grant_id"])
    assert grant.user == school_lead
    assert lead.get(f"/api/v1/referrals/{ref}").status_code == 200
    other = refer(police_officer)
    assert lead.get(f"/api/v1/referrals/{other}").status_code == 404
    alert = OutboxMessage.objects.get(kind="break_glass_alert", recipient=manager)
    assert ref in alert.subject
    row = AuditEvent.objects.get(action="access.break_glass")
    assert row.reason == REASON
    assert row.actor_username == school_lead.username


@pytest.mark.parametrize("reason", ["", "too short"])
def test_break_glass_without_a_real_reason_is_422_and_grants_nothing(
    police_officer: Any, school_lead: Any, reason: str
) -> None:
    ref = refer(police_officer)
    response = post(api(school_lead), "/api/v1/break-glass", {"reference": ref, "reason": reason})
    assert response.status_code == 422
    assert BreakGlassGrant.objects.count() == 0


def test_break_glass_is_refused_to_roles_without_it_and_for_unknown_references(
    police_officer: Any, teacher: Any, school_lead: Any
) -> None:
    ref = refer(police_officer)
    refused = post(api(teacher), "/api/v1/break-glass", {"reference": ref, "reason": REASON})
    assert refused.status_code == 403
    unknown = post(
        api(school_lead), "/api/v1/break-glass", {"reference": "SL-2026-999999", "reason": REASON}
    )
    assert unknown.status_code == 404
    assert BreakGlassGrant.objects.count() == 0


def test_access_log_lists_who_looked_and_only_ig_sees_it(
    police_officer: Any, front_door: Any, auditor: Any
) -> None:
    ref = refer(police_officer)
    child_id = Referral.objects.get(reference=ref).children.get().child_id
    assert api(front_door).get(f"/api/v1/referrals/{ref}").status_code == 200
    log = api(auditor).get(f"/api/v1/children/{child_id}/access-log")
    assert log.status_code == 200, log.content
    body = log.json()
    viewers = {(e["actor_username"], e["action"]) for e in body["events"]}
    assert (front_door.username, "record.view") in viewers
    assert body["count"] == len(body["events"])
    for user in (front_door, police_officer):
        assert api(user).get(f"/api/v1/children/{child_id}/access-log").status_code == 404
    assert Client().get(f"/api/v1/children/{child_id}/access-log").status_code == 401


def test_access_log_exports_csv_for_a_subject_access_request(
    police_officer: Any, front_door: Any, auditor: Any
) -> None:
    ref = refer(police_officer)
    child_id = Referral.objects.get(reference=ref).children.get().child_id
    api(front_door).get(f"/api/v1/referrals/{ref}")
    page = signed_in(auditor)
    response = page.get(f"/audit/children/{child_id}/export.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert any(front_door.username in " ".join(r.values()) for r in rows)
    assert AuditEvent.objects.filter(action="record.export", actor_username=auditor.username)


def test_a_refused_decision_shows_the_referral_again_and_records_that_view(
    police_officer: Any, front_door: Any
) -> None:
    ref = refer(police_officer)
    referral = Referral.objects.get(reference=ref)
    page = signed_in(front_door)
    before = AuditEvent.objects.filter(action="record.view", referral_id=referral.pk).count()
    response = page.post(
        f"/referrals/{ref}/decision/", {"outcome": "early_help", "reason": "Support at school"}
    )
    assert response.status_code == 409  # the child has not been screened
    assert b"screening is needed" in response.content
    after = AuditEvent.objects.filter(action="record.view", referral_id=referral.pk).count()
    assert after == before + 1

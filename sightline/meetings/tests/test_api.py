from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from sightline.accounts.tests.clients import token_client
from sightline.audit.models import AuditEvent
from sightline.intel.models import Alert, Mention
from sightline.meetings.models import Disruption, Meeting, MeetingAction, Pack
from sightline.referrals.models import Referral

pytestmark = pytest.mark.django_db
API = "/api/v1"


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def _patch(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.patch(url, body, content_type="application/json")


def _new_meeting(client: Any, chairs: Any, health: Any, held_on: dt.date) -> Any:
    return _post(
        client,
        f"{API}/meetings",
        {
            "held_on": held_on.isoformat(),
            "chairs": [c.username for c in chairs],
            "invited_agencies": ["police-agency", "csc-agency", "health-agency"],
            "invited_people": [health.username],
        },
    )


def test_meeting_agenda_pack_and_action_through_the_api(
    chairs: Any, health: Any, outsider: Any, alerted: Any
) -> None:
    chair = token_client(chairs[0])
    past = _new_meeting(chair, chairs, health, timezone.localdate() - dt.timedelta(days=2))
    assert past.status_code == 422 and not Meeting.objects.exists()
    made = _new_meeting(chair, chairs, health, timezone.localdate() + dt.timedelta(days=7))
    assert made.status_code == 201, made.content
    mid = made.json()["id"]
    Meeting.objects.filter(pk=mid).update(cutoff_at=timezone.now() + dt.timedelta(minutes=5))
    agenda = chair.get(f"{API}/meetings/{mid}/agenda").json()
    assert set(agenda["sections"]) == {"actions", "victims", "offenders", "locations", "themes"}
    victims = agenda["sections"]["victims"]
    alert = Alert.objects.get(pk=alerted["alert"])
    assert victims and all(v["reasons"] and v["reasons"][0]["refs"] for v in victims)
    assert any(alert.reference in r["refs"] for v in victims for r in v["reasons"])
    # someone not invited: 404, nothing stored, the refusal audited
    refused = token_client(outsider).post(f"{API}/meetings/{mid}/pack")
    assert refused.status_code == 404 and not Pack.objects.exists()
    assert AuditEvent.objects.filter(action="access.refused", actor_username=outsider.username)
    pack = chair.post(f"{API}/meetings/{mid}/pack")
    assert pack.status_code == 201, pack.content
    assert Pack.objects.filter(pk=pack.json()["id"]).exists()
    pdf = token_client(health).get(f"{API}/meetings/{mid}/pack.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    downloads = AuditEvent.objects.filter(object_type="mace_pack", actor_username=health.username)
    assert downloads.count() == 1
    # an action with no owner, or due before the meeting: 422 and nothing stored
    for body in (
        {"description": "Visit", "due_on": timezone.localdate().isoformat()},
        {"description": "Visit", "owner_agency": "health-agency", "owner": health.username,
         "due_on": timezone.localdate().isoformat()},
    ):  # fmt: skip
        assert _post(chair, f"{API}/meetings/{mid}/actions", body).status_code == 422
    assert not MeetingAction.objects.exists()
    due = (timezone.localdate() + dt.timedelta(days=21)).isoformat()
    body = {"description": "Visit", "owner_agency": "health-agency", "owner": health.username,
            "due_on": due}  # fmt: skip
    action = _post(chair, f"{API}/meetings/{mid}/actions", body)
    assert action.status_code == 201, action.content
    done = _patch(token_client(health), f"{API}/actions/{action.json()['id']}", {"status": "done"})
    assert done.status_code == 200 and done.json()["completed_on"]


def test_pack_pdf_has_the_sections_and_footnoted_references(
    chairs: Any, health: Any, alerted: Any
) -> None:
    chair = token_client(chairs[0])
    mid = _new_meeting(chair, chairs, health, timezone.localdate() + dt.timedelta(days=7)).json()[
        "id"
    ]
    Meeting.objects.filter(pk=mid).update(cutoff_at=timezone.now() + dt.timedelta(minutes=5))
    pdf = token_client(health).get(f"{API}/meetings/{mid}/pack.pdf")
    assert pdf.status_code == 409  # not issued yet: a chair issues it
    assert chair.post(f"{API}/meetings/{mid}/pack").status_code == 201
    pdf = token_client(health).get(f"{API}/meetings/{mid}/pack.pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for heading in ("OFFICIAL-SENSITIVE", "DO NOT FORWARD", "Information-sharing statement",
                    "Lawful basis", "Action log", "Child ", "Person of concern", "Themes",
                    "Sources", health.get_full_name()):  # fmt: skip
        assert heading in text, heading
    alert = Alert.objects.get(pk=alerted["alert"])
    assert alert.reference in text and alerted["ref"] in text
    # the referral reference is footnoted: it follows a "Sources" heading
    assert text.index("Sources") < text.rindex(alerted["ref"])


def test_disruption_register_refuses_bad_input_and_logs_breaches(chairs: Any, alerted: Any) -> None:
    client = token_client(chairs[0])
    tactics = client.get(f"{API}/disruption/tactics").json()
    hotel = next(t for t in tactics if t["code"] == "hotel_notice")
    assert hotel["targets"] == ["place", "business"]
    person = alerted["person"]
    base = {"target": {"type": "person", "id": str(person)}, "owner_agency": "police-agency",
            "owner": chairs[0].username}  # fmt: skip
    on_person = _post(client, f"{API}/disruptions", {**base, "tactic": "hotel_notice"})
    assert on_person.status_code == 422 and "tactic" in on_person.json()["detail"]
    today = timezone.localdate()
    backwards = _post(client, f"{API}/disruptions", {
        **base, "tactic": "cawn", "served_on": today.isoformat(),
        "expires_on": (today - dt.timedelta(days=1)).isoformat()})  # fmt: skip
    assert backwards.status_code == 422
    assert not Disruption.objects.exists()
    made = _post(client, f"{API}/disruptions", {
        **base, "tactic": "cawn", "children": [str(alerted["child_id"])],
        "served_on": today.isoformat(),
        "expires_on": (today + dt.timedelta(days=180)).isoformat()})  # fmt: skip
    assert made.status_code == 201, made.content
    did = made.json()["id"]
    assert made.json()["status"] == "served"
    in_force = _patch(client, f"{API}/disruptions/{did}", {"status": "in_force"})
    assert in_force.json()["status"] == "in_force"
    breach = _post(
        client,
        f"{API}/disruptions/{did}/breaches",
        {"occurred_on": today.isoformat(), "what": "Seen with the child at the park."},
    )
    assert breach.status_code == 201 and breach.json()["status"] == "breached"
    listed = client.get(f"{API}/persons/{person}/disruptions").json()
    assert [d["reference"] for d in listed] == [made.json()["reference"]]
    assert Mention.objects.filter(entity_id=person).exists()


def test_pack_carries_the_intelligence_grading_and_the_childs_plan(
    chairs: Any, health: Any, alerted: Any
) -> None:
    from sightline.casework.models import Plan
    from sightline.meetings.models import IntelGrading

    chair = token_client(chairs[0])
    url = f"{API}/mentions/{alerted['mention']}/grade"
    # handling code C with no conditions, a grade off the scale: 422, nothing stored
    for body in ({"source": "2", "information": "B", "handling": "C"},
                 {"source": "4", "information": "B", "handling": "P"}):  # fmt: skip
        assert _post(chair, url, body).status_code == 422
    assert not IntelGrading.objects.exists()
    # someone who does not grade intelligence: 403; an item the chair cannot see: 404
    assert _post(token_client(health), url, {"source": "1", "information": "A",
                                            "handling": "P"}).status_code == 403  # fmt: skip
    missing = f"{API}/mentions/{alerted['child_id']}/grade"
    assert (
        _post(chair, missing, {"source": "1", "information": "A", "handling": "P"}).status_code
        == 404
    )
    graded = _post(chair, url, {"source": "2", "information": "B", "handling": "C",
                               "conditions": "Not to be shared with the family."})  # fmt: skip
    assert graded.status_code == 200 and graded.json()["code"] == "2BC", graded.content
    assert AuditEvent.objects.filter(object_type="intel_mention", object_id=alerted["mention"])
    child_id = alerted["child_id"]
    referral = Referral.objects.get(pk=alerted["referral_id"])
    Plan.objects.create(child_id=child_id, referral=referral, recorded_by=chairs[1],
                        agency=chairs[1].agency, kind="cp", category="SAB",
                        started_on=timezone.localdate() - dt.timedelta(days=10))  # fmt: skip
    mid = _new_meeting(chair, chairs, health, timezone.localdate() + dt.timedelta(days=7)).json()[
        "id"
    ]
    Meeting.objects.filter(pk=mid).update(cutoff_at=timezone.now() + dt.timedelta(minutes=5))
    assert chair.post(f"{API}/meetings/{mid}/pack").status_code == 201

    def pack_text(client: Any) -> str:
        pdf = client.get(f"{API}/meetings/{mid}/pack.pdf")
        pages = PdfReader(io.BytesIO(pdf.content)).pages
        return " ".join(" ".join(p.extract_text().split()) for p in pages)

    # the local authority chair sees the child's record: the plan in full
    text = pack_text(token_client(chairs[1]))
    for expected in ("Intelligence grade (3x5x2)", "strongest 2B C", "2BC",
                     "Not to be shared with the family", "Child protection plan (Sexual abuse)",
                     "next review conference due by", "Next MACE review"):  # fmt: skip
        assert expected in text, expected
    # the police chair does not: the plan is said to be held by children's social care
    police = pack_text(chair)
    assert "Child protection plan" not in police and "2BC" in police
    assert "Plan Held by children's social care" in police

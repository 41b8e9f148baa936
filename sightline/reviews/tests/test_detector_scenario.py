"""The issue's scenario: two girls name the same adult through two agencies, one girl goes
missing three times, and a disclosure is closed before any strategy discussion. The detectors
raise the right patterns live (each by the app that owns it), and the retrospective run lists
them with the date each could first have been seen."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from sightline.accounts.roles import Role
from sightline.accounts.tests.factories import AgencyFactory, UserFactory
from sightline.core.models import OutboxMessage
from sightline.events.kinds import event_parse
from sightline.events.models import EventAlert
from sightline.events.tests.helpers import missing
from sightline.intel.models import Alert
from sightline.referrals.inputs import ChildInput, PersonInput
from sightline.referrals.models import Referral
from sightline.referrals.tests.factories import submit
from sightline.reviews.models import MissedOpportunity
from sightline.reviews.services import detector_run_request, missed_opportunities_sweep
from sightline.workflows import decision_record, event_receive, referral_screen

pytestmark = pytest.mark.django_db

AMBER = {"given_name": "Amberly", "family_name": "Tressock", "date_of_birth": "2011-03-09",
         "sex": "female", "postcode": "NB2 4QT"}  # fmt: skip
BRYONY = ChildInput(
    given_name="Bryonelle", family_name="Vantry", date_of_birth=dt.date(2010, 11, 2),
    sex="female", postcode="NB5 1XD",
)  # fmt: skip
ADULT = PersonInput(name="Corvin Dastley", nickname="Cor", phone="07700 900456")


def _child(d: dict[str, Any]) -> ChildInput:
    return ChildInput(
        given_name=d["given_name"], family_name=d["family_name"],
        date_of_birth=dt.date.fromisoformat(d["date_of_birth"]), sex=d["sex"],
        postcode=d["postcode"],
    )  # fmt: skip


@pytest.fixture
def people() -> dict[str, Any]:
    school = AgencyFactory(kind="education", code="school")
    health = AgencyFactory(kind="health", code="health")
    police = AgencyFactory(kind="police", code="police")
    csc = AgencyFactory(kind="csc", code="csc")
    return {
        "teacher": UserFactory(username="sc-teacher", agency=school, role=Role.REFERRER),
        "nurse": UserFactory(username="sc-nurse", agency=health, role=Role.REFERRER),
        "officer": UserFactory(username="sc-police", agency=police, role=Role.POLICE_ANALYST),
        "worker": UserFactory(username="sc-worker", agency=csc, role=Role.FRONT_DOOR_PRACTITIONER),
        "manager": UserFactory(username="sc-manager", agency=csc, role=Role.TEAM_MANAGER),
        "reviewer": UserFactory(username="sc-reviewer", agency=csc, role=Role.REVIEWER),
    }


def test_scenario_live_and_retrospective(people: dict[str, Any]) -> None:
    today = timezone.localdate()
    first = submit(people["teacher"], children=[_child(AMBER)], persons_named=[ADULT],
                   places_named=[])  # fmt: skip
    second = submit(people["nurse"], children=[BRYONY], persons_named=[ADULT], places_named=[],
                    concern_categories=["sexual_exploitation"])  # fmt: skip
    amber = first.children[0].referral_child.child
    bryony = second.children[0].referral_child.child
    # P4, live: intel's person alert names both girls (raised by intel, not again here).
    person_alerts = Alert.objects.filter(kind="person_multiple_children")
    assert {str(amber.pk), str(bryony.pk)} <= {c for a in person_alerts for c in a.child_ids}
    # P6, live: the third missing episode in 90 days (raised by the events app).
    for i, days in enumerate((40, 20, 3)):
        body = missing(f"SC-M{i}", started=dt.timedelta(days=days),
                       returned=dt.timedelta(days=days - 1), child=AMBER)  # fmt: skip
        event_receive(acting_user=people["officer"], agency=people["officer"].agency,
                      data=event_parse(body))  # fmt: skip
    assert EventAlert.objects.filter(child=amber, detector="repeat_missing").exists()
    # P3, live: Bryony's disclosure closed before any strategy discussion.
    referral_screen(acting_user=people["worker"], referral=second.referral,
                    referral_child=second.children[0].referral_child, marks=[])  # fmt: skip
    decision_record(
        acting_user=people["worker"], referral=second.referral, outcome="no_further_action",
        reason="Information shared with school.",
    )  # fmt: skip
    raised = MissedOpportunity.objects.get(child=bryony, pattern="P3")
    assert raised.first_visible_on == today
    assert {e["reference"] for e in raised.evidence} == {second.referral.reference}
    assert OutboxMessage.objects.filter(kind="missed_opportunity").exists()
    # Idempotent: the same write again raises nothing new.
    assert MissedOpportunity.objects.filter(pattern="P3").count() == 1

    # The disclosures were made ten days ago (history): P2 becomes visible a working day later.
    Referral.objects.filter(pk__in=[first.referral.pk, second.referral.pk]).update(
        received_at=timezone.now() - dt.timedelta(days=10)
    )
    run = detector_run_request(
        acting_user=people["reviewer"], start=today - dt.timedelta(days=60), end=today,
        child_ids=[amber.pk, bryony.pk],
    )  # fmt: skip
    assert run.status == "done"
    listed = {(h["pattern"], h["child"]) for h in run.hits}
    assert ("P3", bryony.reference) in listed
    assert ("P4", amber.reference) in listed and ("P4", bryony.reference) in listed
    assert ("P6", amber.reference) in listed
    assert ("P2", amber.reference) in listed and ("P2", bryony.reference) in listed
    p6 = [h for h in run.hits if h["pattern"] == "P6" and h["child"] == amber.reference]
    third = next(h for h in p6 if "3 missing episodes" in h["summary"])
    assert third["first_visible_on"] == (today - dt.timedelta(days=3)).isoformat()
    assert len(third["evidence"]) == 3 and third["agencies"] == ["police"]
    # The first episode's return interview was never done: also P6, seen 72 hours after.
    assert any("no return interview" in h["summary"] for h in p6)
    p2 = next(h for h in run.hits if h["pattern"] == "P2" and h["child"] == bryony.reference)
    assert dt.date.fromisoformat(p2["first_visible_on"]) < today
    p4 = next(h for h in run.hits if h["pattern"] == "P4" and h["child"] == bryony.reference)
    assert set(p4["agencies"]) == {"school", "health"}
    # As of a date before the third episode, P6 could not have been seen.
    # P2, live from the sweep (time-based): each girl's disclosure had no strategy discussion.
    missed_opportunities_sweep()
    assert set(MissedOpportunity.objects.filter(pattern="P2").values_list("child", flat=True)) == {
        amber.pk, bryony.pk,
    }  # fmt: skip
    missed_opportunities_sweep()  # idempotent
    assert MissedOpportunity.objects.filter(pattern="P2").count() == 2
    # The command line lists the same hits.
    out = io.StringIO()
    call_command("detect", "--from", (today - dt.timedelta(days=60)).isoformat(),
                 "--to", today.isoformat(), "--child", amber.reference, "--json", stdout=out,
                 stderr=io.StringIO())  # fmt: skip
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {"P2", "P4", "P6"} <= {h["pattern"] for h in lines}
    early = detector_run_request(
        acting_user=people["reviewer"], start=today - dt.timedelta(days=60),
        end=today - dt.timedelta(days=5), child_ids=[amber.pk],
    )  # fmt: skip
    assert not [h for h in early.hits if "3 missing episodes" in h["summary"]]
    assert [h for h in early.hits if "no return interview" in h["summary"]]

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sightline.accounts.tests.clients import signed_in, token_client
from sightline.audit.choices import Action
from sightline.audit.models import AuditEvent
from sightline.escalation import services as escalation
from sightline.referrals.inputs import ChildInput
from sightline.referrals.models import Referral
from sightline.referrals.tests.factories import submit
from sightline.reporting.child_record import ChildRecord
from sightline.reporting.choices import ChronologyKind
from sightline.reporting.chronology import chronology
from sightline.reporting.exports import safe_cell
from sightline.workflows import decision_record, referral_screen

pytestmark = pytest.mark.django_db

BORN = dt.date(2012, 5, 14)


def _child(given: str = "Ellie", family: str = "Marston") -> ChildInput:
    return ChildInput(
        given_name=given, family_name=family, date_of_birth=BORN, sex="female", postcode="NB4 7QX"
    )


def _refer(user: Any, days_ago: int = 0, **kw: Any) -> Any:
    received = timezone.now() - dt.timedelta(days=days_ago)
    result = submit(user, children=[_child()], received_at=received, **kw)
    escalation.clocks_on_referral_received(referral=result.referral, acting_user=user)
    return result


def _screen(result: Any, front_door: Any) -> None:
    referral_screen(
        acting_user=front_door,
        referral=Referral.objects.get(pk=result.referral.pk),
        referral_child=result.children[0].referral_child,
        marks=[{"code": "B1", "status": "present", "basis": "evidence", "note": ""}],
    )


def _screen_and_decide(result: Any, front_door: Any, manager: Any) -> None:
    _screen(result, front_door)
    referral = Referral.objects.get(pk=result.referral.pk)
    decision_record(
        acting_user=manager,
        referral=Referral.objects.get(pk=referral.pk),
        outcome="early_help",
        reason="=HYPERLINK(synthetic) reason for early help.",
    )


@pytest.fixture
def child_with_history(police_officer: Any, teacher: Any, front_door: Any, manager: Any) -> Any:
    """Two referrals 200 days apart (a gap), one screened and decided, one named adult."""
    first = _refer(police_officer, days_ago=200)
    _screen_and_decide(first, front_door, manager)
    _refer(teacher, days_ago=0, persons_named=[])
    return first.children[0].referral_child.child


def test_chronology_merges_every_source_in_date_order(
    child_with_history: Any, manager: Any
) -> None:
    entries = chronology(ChildRecord(user=manager, child=child_with_history))
    kinds = [e.kind for e in entries]
    assert kinds.count(ChronologyKind.REFERRAL) == 2
    for kind in (ChronologyKind.SCREENING, ChronologyKind.DECISION, ChronologyKind.GAP):
        assert kind in kinds
    assert [e.at for e in entries] == sorted(e.at for e in entries)
    referral = next(e for e in entries if e.kind == ChronologyKind.REFERRAL)
    day = timezone.localtime(referral.at).date()
    age = day.year - BORN.year - ((day.month, day.day) < (BORN.month, BORN.day))
    assert referral.source_ref.startswith("SL-") and referral.agency and referral.age == age
    gap = next(e for e in entries if e.kind == ChronologyKind.GAP)
    assert "No agency contact recorded for" in gap.summary


def test_referral_outside_scope_shows_only_who_holds_it(
    child_with_history: Any, school_lead: Any
) -> None:
    """The education lead sees the school's referral; the police's is "held by" only."""
    entries = chronology(ChildRecord(user=school_lead, child=child_with_history))
    held = [e for e in entries if e.kind == ChronologyKind.REFERRAL_ELSEWHERE]
    assert len(held) == 1 and held[0].source_ref == "" and "held by" in held[0].summary
    assert not [e for e in entries if e.kind == ChronologyKind.SCREENING]  # front door's working


def test_hub_page_shows_every_section(child_with_history: Any, manager: Any) -> None:
    body = signed_in(manager).get(f"/children/{child_with_history.pk}/").content.decode()
    for text in (
        "Ellie Marston", "CSE risk and its trend", "Referrals and decisions",
        "Allocation and statutory steps", "Strategy discussions", "Not allocated",
        "Alerts that involve this child",
        "Persons, places and vehicles linked", "Dean Farrow", "See the network",
        'id="chronology"', "chronology.csv", "chronology.pdf", "Early help",
    ):  # fmt: skip
        assert text in body, text


def test_hub_api_answers_the_same_read(child_with_history: Any, manager: Any) -> None:
    body = token_client(manager).get(f"/api/v1/children/{child_with_history.pk}").json()
    assert body["reference"] == child_with_history.reference
    assert body["current_risk_level"] in ("low", "medium", "high")
    assert len(body["referrals"]) == 2 and len(body["risk_trend"]) == 1
    assert {link["type"] for link in body["linked"]} >= {"person", "vehicle", "place"}
    assert any(c["kind"] == "decision" for c in body["clocks"])


def test_chronology_exports_are_audited_and_safe(child_with_history: Any, manager: Any) -> None:
    client = signed_in(manager)
    before = AuditEvent.objects.count()
    response = client.get(f"/children/{child_with_history.pk}/chronology.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["date", "time", "age"]
    decision = next(r for r in rows if r[4] == "Decision")
    assert decision[6].startswith("'=HYPERLINK")  # formula injection escaped
    pdf = client.get(f"/children/{child_with_history.pk}/chronology.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    api = token_client(manager)
    as_json = api.get(f"/api/v1/children/{child_with_history.pk}/chronology").json()
    assert as_json["count"] == len(rows) - 1
    assert api.get(
        f"/api/v1/children/{child_with_history.pk}/chronology", {"format": "csv"}
    ).content.startswith(b"date,time,age")
    exports = AuditEvent.objects.filter(seq__gt=before, action=Action.EXPORT)
    assert [e.details["format"] for e in exports.order_by("seq")] == ["csv", "pdf", "json", "csv"]
    assert {e.child_id for e in exports} == {child_with_history.pk}
    assert {e.object_type for e in exports} == {"chronology"}


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_prefixed(value: str) -> None:
    assert safe_cell(value) == "'" + value
    assert safe_cell("plain") == "plain"


def test_out_of_scope_child_is_404_everywhere_and_records_only_the_refusal(
    child_with_history: Any, agencies: dict[str, Any]
) -> None:
    from sightline.accounts.tests.factories import UserFactory

    outsider = UserFactory(username="other-lead", agency=agencies["health"], role="health_lead")
    page, api = signed_in(outsider), token_client(outsider)
    before_seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    pk = child_with_history.pk
    for url in (f"/children/{pk}/", f"/children/{pk}/chronology.csv",
                f"/children/{pk}/chronology.pdf"):  # fmt: skip
        assert page.get(url).status_code == 404, url
    for url in (f"/api/v1/children/{pk}", f"/api/v1/children/{pk}/chronology",
                f"/api/v1/children/{pk}/chronology?format=pdf"):  # fmt: skip
        assert api.get(url).status_code == 404, url
    # Nothing was read; each refused attempt is recorded as one (issue 10: enumeration shows).
    new = AuditEvent.objects.filter(seq__gt=before_seq)
    assert [e.action for e in new] == [Action.ACCESS_DENIED] * 6


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_hub_and_chronology_cost_the_same_queries_for_1_and_50_referrals(
    police_officer: Any, front_door: Any, manager: Any
) -> None:
    def child_with(n: int, family: str) -> Any:
        results = [
            submit(police_officer, children=[_child(family=family)], received_at=(
                timezone.now() - dt.timedelta(days=3 * i)))
            for i in range(n)
        ]  # fmt: skip
        for r in results:
            escalation.clocks_on_referral_received(referral=r.referral, acting_user=police_officer)
            _screen(r, front_door)
        # A third referral in 12 months waits for a manager's review: decide the oldest.
        decision_record(
            acting_user=manager,
            referral=Referral.objects.get(pk=results[-1].referral.pk),
            outcome="early_help",
            reason="Synthetic reason for early help.",
        )
        escalation.challenge_raise(
            acting_user=police_officer,
            referral=Referral.objects.get(pk=results[-1].referral.pk),
            reason="Synthetic: we think the risk is higher.",
        )
        return results[0].children[0].referral_child.child

    one, fifty = child_with(1, "Onerefqx"), child_with(50, "Fiftyqx")
    assert Referral.objects.filter(children__child=fifty).count() == 50
    page, api = signed_in(manager), token_client(manager)
    api.get(f"/api/v1/children/{one.pk}")  # first use of the token records it once
    for url in ("/children/{}/", "/children/{}/chronology.csv"):
        assert _queries(page, url.format(one.pk)) == _queries(page, url.format(fifty.pk)), url
    for url in ("/api/v1/children/{}", "/api/v1/children/{}/chronology"):
        assert _queries(api, url.format(one.pk)) == _queries(api, url.format(fifty.pk)), url


def _allocated_and_discussed(child: Any, manager: Any, worker: Any, agencies: Any) -> Any:
    """The child allocated to `worker` in a CSE team and a strategy discussion held on its
    first referral (outcome: section 47); answers that referral."""
    from sightline.accounts.models import Team
    from sightline.casework.services.allocation import allocation_set
    from sightline.referrals.models import Referral
    from sightline.workflows import strategy_discussion_record

    team = Team.objects.create(agency=agencies["csc"], name="Exploitation (CSE) team")
    worker.team = team
    worker.save()
    referral = Referral.objects.filter(children__child=child).earliest("received_at")
    allocation_set(acting_user=manager, child=child, team=team, worker=worker)
    strategy_discussion_record(
        acting_user=worker, child=child, referral=referral,
        held_at=timezone.now() - dt.timedelta(days=3), police_present=True, csc_present=True,
        health_present=True, outcome="section_47", outcome_reason="Synthetic reasons.",
    )  # fmt: skip
    return referral


def test_hub_shows_the_casework_and_links_to_it(
    child_with_history: Any, manager: Any, front_door: Any, agencies: dict[str, Any]
) -> None:
    """The hub's casework section (was an "interim view" listing clocks only): the current
    allocation, each statutory step, the number of case notes, and the casework page."""
    _allocated_and_discussed(child_with_history, manager, front_door, agencies)
    body = signed_in(front_door).get(f"/children/{child_with_history.pk}/").content.decode()
    section = body[body.index("Allocation and statutory steps") : body.index("Statutory clocks")]
    assert "Exploitation (CSE) team" in section and "Not allocated" not in section
    assert ": Section 47 enquiry" in section  # the discussion and its outcome
    assert f"/casework/children/{child_with_history.pk}/" in section
    assert "and record a step" in section


def test_hub_api_answers_the_casework_and_proposals(
    child_with_history: Any,
    manager: Any,
    front_door: Any,
    agencies: dict[str, Any],
) -> None:
    from sightline.workflows import mace_child_propose

    referral = _allocated_and_discussed(child_with_history, manager, front_door, agencies)
    mace_child_propose(acting_user=manager, child=child_with_history, reason="Missing again.")
    body = token_client(front_door).get(f"/api/v1/children/{child_with_history.pk}").json()
    assert body["allocation"]["worker"] == front_door.username
    assert body["allocation"]["team"] == "Exploitation (CSE) team"
    kinds = [(s["kind"], s["outcome"], s["referral"]) for s in body["casework"]]
    assert ("strategy_discussion", "Section 47 enquiry", referral.reference) in kinds
    assert body["casework_url"] == f"/casework/children/{child_with_history.pk}/"
    assert [p["reason"] for p in body["mace_proposals"]] == ["Missing again."]


def test_notes_beyond_the_page_are_counted_and_on_the_chronology(
    child_with_history: Any, front_door: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The casework page shows the latest notes only; the hub and the API count every note,
    and every note is an entry of the chronology (was: the count and the chronology stopped
    at the page's 200)."""
    from sightline.casework import selectors as casework_selectors
    from sightline.casework.services.allocation import note_add

    monkeypatch.setattr(casework_selectors, "NOTES_SHOWN", 3)
    for i in range(5):
        note_add(acting_user=front_door, child=child_with_history, kind="contact",
                 body=f"Synthetic contact note {i}.")  # fmt: skip
    child_id = child_with_history.pk
    hub = signed_in(front_door).get(f"/children/{child_id}/").content.decode()
    assert 'Case notes</dt><dd class="govuk-summary-list__value">5;' in hub
    assert token_client(front_door).get(f"/api/v1/children/{child_id}").json()["case_notes"] == 5
    record = ChildRecord(user=front_door, child=child_with_history)
    notes = [e for e in chronology(record) if e.kind == ChronologyKind.CASE_NOTE]
    assert len(notes) == 5 and len(record.casework.notes) == 3
    page = signed_in(front_door).get(f"/casework/children/{child_id}/").content.decode()
    assert "The latest 3 of 5 notes" in page

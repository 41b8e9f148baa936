"""The front door's web pages end to end (referrals.views): status, redirect, what is shown
to whom, the rows written and the security headers."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from sightline.accounts.tests.clients import signed_in
from sightline.audit.models import AuditEvent
from sightline.people.models import Child
from sightline.referrals.inputs import ChildInput
from sightline.referrals.models import Decision, Referral, ReferralChild
from sightline.referrals.tests.factories import submit
from sightline.screening.models import Screening
from sightline.workflows import decision_record, referral_screen

pytestmark = pytest.mark.django_db

HIGH = [
    {"code": "B1", "status": "present", "basis": "evidence"},
    {"code": "C2", "status": "present", "basis": "evidence"},
]
MEDIUM = [{"code": "B1", "status": "present", "basis": "evidence", "note": "Missing twice"}]


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
    decision_record(
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


def blank_child(n: int) -> dict[str, str]:
    """What a browser sends for a child row left untouched."""
    fields = ["given_name", "family_name", "address", "postcode", "school", "nhs_number"]
    fields += ["approximate_age", "date_of_birth_0", "date_of_birth_1", "date_of_birth_2"]
    return {**{f"child-{n}-{f}": "" for f in fields}, f"child-{n}-sex": "unknown"}


def summary_links(body: str) -> list[tuple[str, str]]:
    """(anchor, message) for each linked line of the error summary."""
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', body, re.S)
    assert match, "no error summary"
    return [
        (anchor, html.unescape(text))
        for anchor, text in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', match[0])
    ]


def page_title(body: str) -> str:
    match = re.search(r"<title>(.*?)</title>", body, re.S)
    assert match
    return html.unescape(match[1]).strip()


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


# --------------------------------------------------------------------------------------------
# The referral form: adding and removing rows, blank rows, the error summary
# --------------------------------------------------------------------------------------------


def test_add_another_child_keeps_what_was_typed_and_shows_no_errors(teacher: Any) -> None:
    # A form that would fail on sending (no narrative, a bad postcode) shows no error when a
    # row is added: errors wait for "Send referral".
    data = referral_form(narrative="", add_child="1", **{"child-0-postcode": "ZZZ"})
    del data["submit"]
    response = signed_in(teacher).post("/referrals/new/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" not in body
    assert "govuk-error-message" not in body
    assert "govuk-form-group--error" not in body
    assert "govuk-input--error" not in body
    assert not page_title(body).startswith("Error")
    assert 'value="Keira"' in body and 'value="ZZZ"' in body
    assert 'name="child-TOTAL_FORMS" value="2"' in body
    # The new child is blank, with the defaults of a new form (sex "Not known").
    new_row = body[body.index('id="child-row-1"') :]
    assert re.search(r'<option value="unknown" selected>', new_row.split("</select>")[0])
    assert 'name="child-1-given_name"' in new_row
    assert 'value="' not in new_row.split('name="child-1-given_name"')[1].split(">")[0]
    assert 'name="remove_child" value="1"' in body, "an extra row can be removed"
    assert 'name="remove_child" value="0"' not in body, "the first child cannot"
    assert Referral.objects.count() == 0
    assert Child.objects.count() == 0


@pytest.mark.parametrize("button", ["add_person", "add_place"])
def test_add_another_person_or_place_adds_a_blank_row_without_errors(
    teacher: Any, button: str
) -> None:
    data = referral_form(narrative="", **{button: "1"})
    del data["submit"]
    response = signed_in(teacher).post("/referrals/new/", data)
    assert response.status_code == 200
    body = response.content.decode()
    prefix = button.removeprefix("add_")
    assert f'name="{prefix}-TOTAL_FORMS" value="2"' in body
    assert f'name="{prefix}-1-name"' in body
    assert f'name="remove_{prefix}" value="1"' in body
    assert "govuk-error-summary" not in body
    assert "govuk-error-message" not in body


def test_blank_extra_rows_are_ignored_when_the_referral_is_sent(teacher: Any) -> None:
    data = referral_form(
        **management("child", total=3),
        **management("person", total=2, maximum=50),
        **management("place", total=2, maximum=50),
        **blank_child(1),
        **{"person-1-name": "", "person-1-phone": "  ", "place-1-kind": "other"},
    )
    # The third child row sent nothing at all (not even its select).
    response = signed_in(teacher).post("/referrals/new/", data)
    assert response.status_code == 302, summary_links(response.content.decode())
    referral = Referral.objects.get()
    assert [c.given_name for c in referral.children.all()] == ["Keira"]
    assert referral.persons_named.count() == 1
    assert not referral.places_named.exists()
    assert Child.objects.count() == 1


def test_removing_a_child_drops_that_row_and_renumbers_the_rest(teacher: Any) -> None:
    data = referral_form(
        **management("child", total=3),
        **{"child-1-given_name": "Ruby", "child-2-given_name": "Sam", "remove_child": "1"},
    )
    del data["submit"]
    response = signed_in(teacher).post("/referrals/new/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="child-TOTAL_FORMS" value="2"' in body
    assert re.search(r'name="child-1-given_name" value="Sam"', body)
    assert "Ruby" not in body
    assert 'name="child-2-given_name"' not in body
    assert "govuk-error-summary" not in body
    assert Referral.objects.count() == 0


def test_the_first_child_cannot_be_removed(teacher: Any) -> None:
    data = referral_form(remove_child="0")
    del data["submit"]
    body = signed_in(teacher).post("/referrals/new/", data).content.decode()
    assert 'name="child-TOTAL_FORMS" value="1"' in body
    assert 'value="Keira"' in body


def test_invalid_form_answers_422_and_the_summary_lists_every_error_with_its_anchor(
    teacher: Any,
) -> None:
    data = referral_form(
        narrative="",
        **management("child", total=2),
        **{
            "child-0-given_name": "",
            "child-0-family_name": "",
            "child-0-postcode": "ZZZ",
            "child-0-approximate_age": "about ten",
            "child-0-date_of_birth_0": "31",
            "child-0-date_of_birth_1": "2",
            "child-1-nhs_number": "123",
            "person-0-approximate_age": "200",
        },
    )
    response = signed_in(teacher).post("/referrals/new/", data)
    assert response.status_code == 422
    body = response.content.decode()
    assert page_title(body).startswith("Error: ")
    links = summary_links(body)
    anchors = [anchor for anchor, _ in links]
    # Field errors from parsing and from the shared validation, together, in page order.
    assert anchors == [
        "id_child-0-given_name",
        "id_child-0-date_of_birth_0",
        "id_child-0-approximate_age",
        "id_child-0-postcode",
        "id_child-1-given_name",
        "id_child-1-nhs_number",
        "id_narrative",
        "id_person-0-approximate_age",
    ], links
    messages = dict(links)
    assert messages["id_child-0-postcode"].startswith("Child 1: Enter a real postcode")
    assert messages["id_child-1-nhs_number"] == "Child 2: An NHS number is 10 digits."
    assert messages["id_narrative"] == "Describe the concern: what has happened."
    # Every anchor is an element on the page, and each field shows its own error.
    for anchor in anchors:
        assert f'id="{anchor}"' in body, anchor
    assert body.count("govuk-error-message") >= len(anchors)
    assert Referral.objects.count() == 0


def test_errors_from_the_service_land_on_the_field_of_the_right_child(teacher: Any) -> None:
    # Child 2 is left blank (ignored), so the service's children[1] is the third row.
    data = referral_form(
        **management("child", total=3),
        **blank_child(1),
        **{"child-2-given_name": "Ruby", "child-2-postcode": "ZZZ"},
    )
    response = signed_in(teacher).post("/referrals/new/", data)
    assert response.status_code == 422
    body = response.content.decode()
    assert summary_links(body) == [
        ("id_child-2-postcode", "Child 3: Enter a real postcode, like NB4 7QX, or leave it blank.")
    ]
    group = re.search(r'<div id="div_id_child-2-postcode" class="([^"]+)"', body)
    assert group and "govuk-form-group--error" in group[1]
    first = re.search(r'<div id="div_id_child-0-postcode" class="([^"]+)"', body)
    assert first and "govuk-form-group--error" not in first[1]
    after = body.split('id="div_id_child-2-postcode"')[1].split("</div>")[0]
    assert "Enter a real postcode" in after


def test_a_tampered_row_count_is_a_422_not_a_server_error(teacher: Any) -> None:
    client = signed_in(teacher)
    for extra in ({"submit": "1"}, {"add_child": "1"}):
        data = {**referral_form(**{"child-TOTAL_FORMS": "lots"}), **extra}
        response = client.post("/referrals/new/", data)
        assert response.status_code == 422
        assert "govuk-error-summary" in response.content.decode()
    assert Referral.objects.count() == 0


def test_referral_form_inputs_have_govuk_widths(teacher: Any) -> None:
    data = referral_form(add_person="1")
    del data["submit"]
    body = signed_in(teacher).post("/referrals/new/", data).content.decode()

    def classes(name: str) -> str:
        match = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
        assert match, name
        found = re.search(r'class="([^"]+)"', match[0])
        assert found
        return found[1]

    assert "govuk-input--width-3" in classes("child-0-approximate_age")
    assert "govuk-input--width-3" in classes("person-0-approximate_age")
    assert "govuk-input--width-10" in classes("child-0-postcode")
    assert "govuk-input--width-10" in classes("child-0-nhs_number")
    assert "govuk-input--width-10" in classes("place-0-postcode")
    assert "govuk-input--width-20" in classes("person-1-phone")
    assert "govuk-input " in classes("child-0-approximate_age") + " "
    assert 'class="govuk-date-input" id="id_child-0-date_of_birth"' in body


# --------------------------------------------------------------------------------------------
# Screening, the detail page and the queue
# --------------------------------------------------------------------------------------------


def screen_url(referral: Referral) -> str:
    return f"/referrals/{referral.reference}/children/{referral.children.get().child_id}/screening/"


def raise_options(body: str) -> list[str]:
    select = re.search(r'<select[^>]*id="raised_level".*?</select>', body, re.S)
    assert select
    return re.findall(r'<option value="([^"]*)"', select[0])


def test_raise_the_level_offers_only_levels_at_or_above_the_computed_one(
    police_officer: Any, front_door: Any
) -> None:
    referral = submit(police_officer).referral
    client = signed_in(front_door)
    assert raise_options(client.get(screen_url(referral)).content.decode()) == [
        "",
        "none",
        "low",
        "medium",
        "high",
    ]
    referral_screen(
        acting_user=front_door,
        referral=referral,
        referral_child=referral.children.get(),
        marks=MEDIUM,
    )
    body = client.get(screen_url(referral)).content.decode()
    assert raise_options(body) == ["", "medium", "high"]
    # What was sent counts on a page sent back with an error: two present high indicators.
    response = client.post(
        screen_url(referral),
        {"status_B1": "present", "status_C2": "present", "status_A1": "maybe"},
    )
    assert response.status_code == 422
    assert raise_options(response.content.decode()) == ["", "high"]


def test_screening_page_groups_each_indicators_radios_in_a_fieldset(
    police_officer: Any, front_door: Any
) -> None:
    referral = submit(police_officer).referral
    body = signed_in(front_door).get(screen_url(referral)).content.decode()
    assert 'class="govuk-table sl-indicator-table"' in body
    cell = body.split('id="indicator_B1"')[1].split("</td>")[0]
    assert '<fieldset class="govuk-fieldset">' in cell
    assert re.search(r"<legend[^>]*>Is B1, [^<]+, present\?</legend>", cell)
    assert 'name="status_B1"' in cell


def test_detail_shows_the_marked_indicators_and_a_coloured_level(
    police_officer: Any, front_door: Any
) -> None:
    referral = submit(police_officer).referral
    referral_screen(
        acting_user=front_door,
        referral=referral,
        referral_child=referral.children.get(),
        marks=MEDIUM,
    )
    body = signed_in(front_door).get(f"/referrals/{referral.reference}/").content.decode()
    assert re.search(r'class="govuk-tag sl-level govuk-tag--orange">Medium<', body)
    table = body.split("Indicators marked in the current screening")[1].split("</table>")[0]
    row = re.sub(r"<[^>]+>", " ", table.split("<tbody")[1])
    assert re.search(r"B1\s+The child goes missing.*Present\s+Evidence\s+Missing twice", row, re.S)


def test_queue_shows_each_childs_screening(police_officer: Any, front_door: Any) -> None:
    today = timezone.localdate()
    young = ChildInput("Maisie", "Marston", dt.date(today.year - 7, 2, 3), sex="female")
    waiting = submit(police_officer).referral
    screened = submit(police_officer, children=[ChildInput("Tia", "Norland", dt.date(2011, 1, 5))])
    referral_screen(
        acting_user=front_door,
        referral=screened.referral,
        referral_child=screened.referral.children.get(),
        marks=HIGH,
    )
    not_needed = submit(police_officer, children=[young]).referral
    body = signed_in(front_door).get("/referrals/").content.decode()
    assert '<th scope="col" class="govuk-table__header">Screening</th>' in body

    def row(reference: str) -> str:
        return body.split(f">{reference}</a>")[1].split("</tr>")[0]

    assert "Awaiting" in row(waiting.reference)
    assert re.search(r"govuk-tag--red\">High<", row(screened.referral.reference))
    assert "Not needed" in row(not_needed.reference)


# --------------------------------------------------------------------------------------------
# Decisions: error titles and the manager's sign-off
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("marks", [MEDIUM, HIGH], ids=["medium", "high"])
def test_no_further_action_on_medium_or_high_needs_a_manager_who_is_recorded_signing_off(
    police_officer: Any, front_door: Any, manager: Any, marks: list[dict[str, str]]
) -> None:
    referral = submit(police_officer).referral
    referral_screen(
        acting_user=front_door,
        referral=referral,
        referral_child=referral.children.get(),
        marks=marks,
    )
    url = f"/referrals/{referral.reference}/decision/"
    form = {"outcome": "no_further_action", "reason": "Known to the team; plan in place."}
    refused = signed_in(front_door).post(url, form)
    assert refused.status_code == 409
    assert page_title(refused.content.decode()).startswith("Error: ")
    assert not Decision.objects.exists()
    response = signed_in(manager).post(url, form)
    assert response.status_code == 302
    decision = Decision.objects.get(referral=referral)
    assert decision.signed_off_by == manager
    assert decision.decided_by == manager
    assert decision.risk_level_at_decision == ("medium" if marks is MEDIUM else "high")


def test_a_decision_refused_for_a_missing_reason_has_an_error_title(
    police_officer: Any, front_door: Any
) -> None:
    referral = submit(police_officer).referral
    response = signed_in(front_door).post(
        f"/referrals/{referral.reference}/decision/", {"outcome": "early_help", "reason": ""}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert page_title(body).startswith("Error: ")
    assert summary_links(body) == [("id_reason", "Give the reason for the decision.")]
    ok = signed_in(front_door).get(f"/referrals/{referral.reference}/")
    assert not page_title(ok.content.decode()).startswith("Error")

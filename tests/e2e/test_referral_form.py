"""A referrer (a teacher) makes a referral in the browser."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from sightline.referrals.models import Referral

pytestmark = pytest.mark.e2e

NARRATIVE = (
    "Ellie told her form tutor that a man she calls Deano picks her up from the school gate in "
    "a silver car. She has gone missing overnight twice this month and has a new phone."
)


def _fill_child(page: Any, n: int, given: str, family: str, born: dt.date, sex: str) -> None:
    page.fill(f"#id_child-{n}-given_name", given)
    page.fill(f"#id_child-{n}-family_name", family)
    page.fill(f"#id_child-{n}-date_of_birth_0", str(born.day))
    page.fill(f"#id_child-{n}-date_of_birth_1", str(born.month))
    page.fill(f"#id_child-{n}-date_of_birth_2", str(born.year))
    page.select_option(f"#id_child-{n}-sex", sex)


def test_teacher_refers_two_children_with_a_person_and_a_place(browsing: Any, teacher: Any) -> None:
    tab = browsing.tab("teacher")
    page = tab.page
    assert tab.path() == "/referrals/mine/"
    assert "You have not made any referrals yet." in page.locator("main").inner_text()

    with page.expect_navigation():
        page.get_by_role("navigation", name="Menu").get_by_role(
            "link", name="Make a referral"
        ).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Make a referral"
    assert page.locator("legend", has_text="Child 2").count() == 0

    today = timezone.localdate()
    _fill_child(page, 0, "Ellie", "Marston", dt.date(today.year - 14, 5, 14), "female")
    page.fill("#id_child-0-postcode", "NB4 7QX")
    tab.submit(page.get_by_role("button", name="Add another child"))

    # The page came back with a second, empty child and kept what was typed for the first.
    assert page.locator("legend", has_text="Child 2").count() == 1
    assert page.input_value("#id_child-0-given_name") == "Ellie"
    assert page.input_value("#id_child-0-date_of_birth_2") == str(today.year - 14)
    assert page.input_value("#id_child-1-given_name") == ""
    _fill_child(page, 1, "Maisie", "Marston", dt.date(today.year - 8, 2, 3), "female")

    page.fill("#id_narrative", NARRATIVE)
    page.get_by_label("Sexual exploitation", exact=True).check()
    page.get_by_label("Missing from home, care or education", exact=True).check()
    page.get_by_label("Urgent: within the day", exact=True).check()
    page.fill("#id_person-0-name", "Dean Farrow")
    page.fill("#id_person-0-nickname", "Deano")
    page.fill("#id_person-0-vehicle_registration", "nb19")
    page.fill("#id_place-0-name", "Golden Grill")
    page.select_option("#id_place-0-kind", "takeaway")
    page.fill("#id_place-0-postcode", "NB4 2AB")
    tab.submit(page.get_by_role("button", name="Send referral"))

    referral = Referral.objects.get()
    assert tab.path() == f"/referrals/{referral.reference}/"
    assert page.get_by_role("heading", level=1).inner_text() == referral.reference
    assert f"Referral {referral.reference} received." in page.locator("main").inner_text()
    assert "Ellie Marston, Maisie Marston" in page.locator("main").inner_text()

    children = list(referral.children.order_by("position"))
    assert [(c.given_name, c.screening_required) for c in children] == [
        ("Ellie", True),
        ("Maisie", False),
    ]
    assert referral.urgency == "urgent"
    assert referral.rag == "amber"
    assert sorted(referral.concern_categories) == ["missing", "sexual_exploitation"]
    person = referral.persons_named.get()
    assert (person.name, person.nickname, person.vehicle_registration) == (
        "Dean Farrow",
        "Deano",
        "NB19",
    )
    place = referral.places_named.get()
    assert (place.name, place.kind, place.postcode) == ("Golden Grill", "takeaway", "NB4 2AB")

    # It is on the referrer's own list, waiting for a decision.
    tab.open("/referrals/mine/")
    row = page.locator("tbody tr", has_text=referral.reference)
    assert "Not yet decided" in row.inner_text()
    browsing.assert_clean()


def test_empty_narrative_shows_the_error_summary_and_stores_nothing(
    browsing: Any, teacher: Any
) -> None:
    tab = browsing.tab("teacher")
    page = tab.page
    tab.open("/referrals/new/")
    _fill_child(
        page, 0, "Ellie", "Marston", dt.date(timezone.localdate().year - 14, 5, 14), "female"
    )
    tab.submit(page.get_by_role("button", name="Send referral"), status=422)

    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert summary.get_by_role("heading").inner_text() == "There is a problem"
    link = summary.get_by_role("link", name="Describe the concern: what has happened.")
    assert link.get_attribute("href") == "#id_narrative"
    assert page.title().startswith("Error: ")
    # GOV.UK Frontend (started by app.mjs under the CSP) moves focus to the summary.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    # What was typed is kept; nothing was stored.
    assert page.input_value("#id_child-0-given_name") == "Ellie"
    assert Referral.objects.count() == 0
    # Following the link puts the person in the narrative box.
    link.click()
    assert page.evaluate("document.activeElement.id") == "id_narrative"
    browsing.assert_clean()


def _errors_shown(page: Any) -> int:
    return page.locator(".govuk-error-summary, .govuk-error-message, .govuk-input--error").count()


def test_adding_and_removing_children_keeps_what_was_typed_and_shows_no_errors(
    browsing: Any, teacher: Any
) -> None:
    tab = browsing.tab("teacher")
    page = tab.page
    tab.open("/referrals/new/")
    today = timezone.localdate()
    _fill_child(page, 0, "Ellie", "Marston", dt.date(today.year - 14, 5, 14), "female")
    # The first child has no Remove button: a referral names at least one child.
    assert page.get_by_role("button", name="Remove child 1").count() == 0

    # Add a second child: nothing is validated yet (the narrative is still empty).
    tab.submit(page.get_by_role("button", name="Add another child"))
    assert _errors_shown(page) == 0
    assert not page.title().startswith("Error")
    assert page.locator("legend", has_text="Child 2").count() == 1
    assert page.input_value("#id_child-0-given_name") == "Ellie"
    assert page.input_value("#id_child-1-given_name") == ""
    assert page.input_value("#id_child-1-sex") == "unknown"
    _fill_child(page, 1, "Maisie", "Marston", dt.date(today.year - 8, 2, 3), "female")

    # A third, then remove the second: the third moves up and keeps what was typed.
    tab.submit(page.get_by_role("button", name="Add another child"))
    _fill_child(page, 2, "Sam", "Norland", dt.date(today.year - 12, 7, 1), "male")
    tab.submit(page.get_by_role("button", name="Remove child 2"))
    assert _errors_shown(page) == 0
    assert page.locator("legend", has_text="Child 3").count() == 0
    assert page.input_value("#id_child-0-given_name") == "Ellie"
    assert page.input_value("#id_child-1-given_name") == "Sam"
    assert page.input_value("#id_child-1-sex") == "male"

    # Add a fourth row and leave it blank: it is ignored when the referral is sent.
    tab.submit(page.get_by_role("button", name="Add another child"))
    assert page.locator("legend", has_text="Child 3").count() == 1
    page.fill("#id_narrative", NARRATIVE)
    tab.submit(page.get_by_role("button", name="Send referral"))

    referral = Referral.objects.get()
    assert tab.path() == f"/referrals/{referral.reference}/"
    names = [c.given_name for c in referral.children.order_by("position")]
    assert names == ["Ellie", "Sam"]
    browsing.assert_clean()


def test_errors_only_appear_on_sending_and_link_to_each_field(browsing: Any, teacher: Any) -> None:
    tab = browsing.tab("teacher")
    page = tab.page
    tab.open("/referrals/new/")
    tab.submit(page.get_by_role("button", name="Add another child"))
    page.fill("#id_child-1-postcode", "ZZZ")
    # Enter in a field sends the referral (not "Remove child 2", the first visible button).
    with page.expect_navigation() as navigation:
        page.press("#id_child-1-postcode", "Enter")
    assert navigation.value is not None and navigation.value.status == 422
    tab._expect_status_error(navigation.value)

    summary = page.locator(".govuk-error-summary")
    links = summary.get_by_role("link")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    # The untouched first child is left out like any blank row; the second is checked.
    assert hrefs == [
        "#id_child-1-given_name",
        "#id_child-1-postcode",
        "#id_narrative",
    ]
    assert page.title().startswith("Error: ")
    # Each error is also shown at its field, in the right child.
    child_2 = page.locator("#child-row-1")
    assert "Enter a real postcode" in child_2.locator("#div_id_child-1-postcode").inner_text()
    assert page.locator("#child-row-0 #div_id_child-0-postcode .govuk-error-message").count() == 0
    summary.get_by_role("link", name=re.compile("Child 2: Enter a real postcode")).click()
    assert page.evaluate("document.activeElement.id") == "id_child-1-postcode"
    assert Referral.objects.count() == 0
    browsing.assert_clean()

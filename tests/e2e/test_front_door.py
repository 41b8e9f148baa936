"""The front door in the browser: the queue, screening, the decision and the referrer told."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from sightline.referrals.inputs import ChildInput
from sightline.referrals.models import Decision, Referral
from sightline.referrals.tests.factories import submit
from sightline.screening.models import Screening

pytestmark = pytest.mark.e2e

# Suggests, among others, B1 (goes missing) and C2 (cars driven by unknown adults): both
# high-weight, so marking the two present gives a High screening.
NARRATIVE = (
    "Year 9 pupil seen getting into a silver car driven by an older man after school on three "
    "occasions. She went missing overnight twice last month and has a new phone she will not "
    "explain. Her younger sister was with her once."
)


def test_queue_lists_referrals_red_first(
    browsing: Any, front_door: Any, police_officer: Any
) -> None:
    green = submit(police_officer, urgency="routine").referral
    red = submit(police_officer, urgency="immediate").referral
    amber = submit(police_officer, urgency="urgent").referral

    tab = browsing.tab("fd-worker")
    page = tab.page
    assert tab.path() == "/referrals/"
    assert page.get_by_role("heading", level=1).inner_text() == "Front door queue"
    assert "3 waiting." in page.locator("main").inner_text()

    rows = page.locator("table.govuk-table tbody tr")
    assert rows.count() == 3
    seen = [
        (
            row.locator("td").nth(1).inner_text().strip(),
            row.locator(".sl-rag").inner_text().strip(),
            row.locator(".sl-rag").get_attribute("class"),
        )
        for row in rows.all()
    ]
    assert [(ref, tag) for ref, tag, _ in seen] == [
        (red.reference, "Red"),
        (amber.reference, "Amber"),
        (green.reference, "Green"),
    ]
    assert [cls.split()[-1] for _, _, cls in seen] == [
        "sl-rag--red",
        "sl-rag--amber",
        "sl-rag--green",
    ]
    # The red tag is drawn in red (static/css/sightline.css), not in the default tag colour.
    colour = rows.first.locator(".sl-rag").evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour == "rgb(244, 205, 198)"

    tab.submit(page.get_by_role("link", name=red.reference))
    assert tab.path() == f"/referrals/{red.reference}/"
    heading = page.get_by_role("heading", level=1).inner_text()
    assert red.reference in heading
    assert "Red" in heading
    browsing.assert_clean()


def test_screening_sign_off_decision_and_feedback(
    browsing: Any, front_door: Any, manager: Any, teacher: Any
) -> None:
    today = timezone.localdate()
    referral = submit(
        teacher,
        narrative=NARRATIVE,
        urgency="routine",
        children=[
            ChildInput("Ellie", "Marston", dt.date(today.year - 14, 5, 14), sex="female"),
            ChildInput("Maisie", "Marston", dt.date(today.year - 8, 2, 3), sex="female"),
        ],
    ).referral
    assert referral.rag == "green"
    detail = f"/referrals/{referral.reference}/"

    # The practitioner opens it from the queue.
    practitioner = browsing.tab("fd-worker")
    page = practitioner.page
    practitioner.submit(page.get_by_role("link", name=referral.reference))
    assert practitioner.path() == detail
    ellie = page.locator(".govuk-summary-card", has_text="Ellie Marston")
    maisie = page.locator(".govuk-summary-card", has_text="Maisie Marston")
    assert "Needed before a decision" in ellie.inner_text()
    assert "Not required (under 10)" in maisie.inner_text()
    assert page.get_by_text("Screen every child aged 10 or over for CSE before deciding.").count()

    # The screening page highlights what the narrative suggests; nothing is ticked.
    practitioner.submit(ellie.get_by_role("link", name="Screen for CSE"))
    assert page.get_by_role("heading", level=1).inner_text() == "CSE screening"
    assert "wording suggests" in page.locator(".govuk-inset-text").inner_text()
    highlighted = page.locator("tr.sl-suggestion")
    b1 = highlighted.filter(has_text="B1")
    c2 = highlighted.filter(has_text="C2")
    assert "Suggested by “went missing”" in b1.inner_text()
    assert "Suggested by “getting into a silver car”" in c2.inner_text()
    assert page.locator("tr:not(.sl-suggestion)", has_text="A1").count() == 1
    assert page.locator("input[type=radio][value=present]:checked").count() == 0

    for code in ("B1", "C2"):
        page.check(f"#status_{code}_present")
        page.select_option(f"#basis_{code}", "evidence")
    page.fill("#note_B1", "Two missing episodes reported by the school.")
    practitioner.submit(page.get_by_role("button", name="Save screening"))
    assert practitioner.path() == detail
    assert "Screening recorded: High" in page.locator(".govuk-notification-banner").inner_text()
    assert "High" in ellie.locator(".govuk-tag").first.inner_text()
    assert "Red" in page.get_by_role("heading", level=1).inner_text()
    screening = Screening.objects.get(is_current=True)
    assert screening.level == "high"
    assert sorted(m.code for m in screening.marks.all()) == ["B1", "C2"]

    # Closing a high-risk referral with no further action needs a team manager.
    page.get_by_label("No further action", exact=True).check()
    page.get_by_label("Reason for the decision").fill("The school is managing it.")
    practitioner.submit(page.get_by_role("button", name="Record decision"), status=409)
    summary = page.locator(".govuk-error-summary")
    assert "The decision was not recorded" in summary.inner_text()
    assert "needs a team manager's sign-off" in summary.inner_text()
    assert not Decision.objects.exists()

    # A team manager records it.
    team_manager = browsing.tab("team-manager")
    page = team_manager.page
    team_manager.open(detail)
    page.get_by_label("No further action", exact=True).check()
    page.get_by_label("Reason for the decision").fill(
        "Signed off: the school's safeguarding plan covers the risks; review in four weeks."
    )
    team_manager.submit(page.get_by_role("button", name="Record decision"))
    assert team_manager.path() == detail
    main = page.locator("main").inner_text()
    assert "Decision recorded. The referrer can now see it." in main
    assert "(signed off by a team manager)" in main
    decision = Decision.objects.get()
    assert decision.outcome == "no_further_action"
    assert decision.signed_off_by_id == manager.pk
    assert Referral.objects.get().status == "decided"

    # The referrer sees the decision and the reason.
    referrer = browsing.tab("teacher")
    page = referrer.page
    assert referrer.path() == "/referrals/mine/"
    row = page.locator("tbody tr", has_text=referral.reference)
    assert "No further action" in row.inner_text()
    assert "Decided" in row.inner_text()
    referrer.submit(row.get_by_role("link", name=referral.reference))
    assert referrer.path() == detail
    decision_list = page.locator("dl.govuk-summary-list").last
    assert "No further action" in decision_list.inner_text()
    assert "the school's safeguarding plan covers the risks" in decision_list.inner_text()
    browsing.assert_clean()

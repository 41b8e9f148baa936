"""Reviews pages end to end: the as-you-type fragment, the wiring on the referral pages, the
language figures, the review workspace and exports, and the recommendation tracker."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone

from sightline.accounts.tests.clients import signed_in
from sightline.audit.models import AuditEvent
from sightline.reviews import services
from sightline.reviews.language import MAX_CHARS
from sightline.reviews.tests.factories import lead, review_with_history, reviewer

pytestmark = pytest.mark.django_db


def test_the_check_fragment_lists_each_phrase_with_alternatives(teacher: Any) -> None:
    response = signed_in(teacher).post(
        "/language/check/",
        {"field": "narrative", "narrative": "She is promiscuous and streetwise."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "“promiscuous”" in html and "“streetwise”" in html
    assert "sexually exploited" in html  # an alternative
    assert "You can still save" in html


def test_the_fragment_reads_the_childs_age_and_is_empty_for_clean_text(teacher: Any) -> None:
    client = signed_in(teacher)
    older = client.post(
        "/language/check/", {"field": "t", "t": "sexually active", "child_age": "15"}
    )
    assert "sexually active" not in older.content.decode()
    clean = client.post("/language/check/", {"field": "t", "t": "Adults are exploiting her."})
    assert "Check your wording" not in clean.content.decode()
    long = client.post("/language/check/", {"text": "a" * (MAX_CHARS + 1)})
    assert "too long to check" in long.content.decode()


def test_the_referral_form_and_decision_form_carry_the_checker(
    teacher: Any, manager: Any, police_officer: Any
) -> None:
    form = signed_in(teacher).get("/referrals/new/").content.decode()
    assert 'hx-post="/language/check/"' in form and "from:#id_narrative" in form
    assert 'id="id_narrative"' in form
    from sightline.reviews.tests.factories import refer

    ref = refer(police_officer).referral.reference
    page = signed_in(manager).get(f"/referrals/{ref}/").content.decode()
    assert "from:#id_reason" in page and 'id="id_reason"' in page
    assert '"child_age": "15"' in page or '"child_age": "14"' in page


def test_a_flag_never_blocks_saving_a_referral(teacher: Any) -> None:
    from sightline.referrals.models import Referral

    data = {
        "narrative": "She is making her own choices with her boyfriend (27).",
        "urgency": "routine", "child_aware": "unknown", "family_aware": "unknown",
        "submit": "1",
    }  # fmt: skip
    page = signed_in(teacher).get("/referrals/new/").content.decode()
    # The bundle's management forms and one child row, as the page renders them.
    import re

    for name, value in re.findall(
        r'name="([^"]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d+)"', page
    ):
        data[name] = value
    prefix = re.search(r'name="([^"]*)given_name"', page).group(1)  # type: ignore[union-attr]
    data |= {f"{prefix}given_name": "Ysolde", f"{prefix}family_name": "Pemry",
             f"{prefix}approximate_age": "14"}  # fmt: skip
    response = signed_in(teacher).post("/referrals/new/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Referral.objects.filter(narrative__startswith="She is making").exists()


@pytest.fixture
def world(agencies: dict[str, Any], police_officer: Any, manager: Any) -> dict[str, Any]:
    sg = lead(agencies)
    return {
        **review_with_history(referrer=police_officer, decider=manager, lead_user=sg),
        "lead": sg,
    }


def test_the_language_page_shows_rates_and_frequent_phrases(world: dict[str, Any]) -> None:
    response = signed_in(world["lead"]).get("/language/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-sl-chart="language-chart"' in html and "Most frequent phrases" in html
    assert "“making their own choices”" in html
    assert AuditEvent.objects.filter(object_type="language_report").count() == 1


def test_a_team_manager_sees_only_their_own_agency(world: dict[str, Any], manager: Any) -> None:
    html = signed_in(manager).get("/language/").content.decode()
    assert "All agencies" not in html
    # The police officer's narrative was flagged in the police agency, not the manager's.
    assert "“making their own choices”" not in html


def test_the_workspace_and_exports_audit_each_child(world: dict[str, Any]) -> None:
    client = signed_in(world["lead"])
    review = world["review"]
    page = client.get(f"/reviews/{review.pk}/")
    assert page.status_code == 200 and "Rapid review by" in page.content.decode()
    rows = AuditEvent.objects.filter(object_type="review_chronology", child_id=world["child_id"])
    assert rows.count() == 1
    exported = client.get(f"/reviews/{review.pk}/chronology.csv")
    table = list(csv.reader(io.StringIO(exported.content.decode())))
    assert table[0][0] == "Date" and [r[5] for r in table[1:]] == [
        "Referral", "CSE screening", "Decision"
    ]  # fmt: skip
    pdf = client.get(f"/reviews/{review.pk}/chronology.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert rows.filter(action="record.export").count() == 2


def test_formula_cells_are_escaped_in_the_csv(world: dict[str, Any]) -> None:
    client = signed_in(world["lead"])
    review = world["review"]
    key = client.get(f"/reviews/{review.pk}/").context["entries"][0].key
    client.post(f"/reviews/{review.pk}/significance/",
                {"entry_key": key, "significance": "=HYPERLINK(\"x\")"})  # fmt: skip
    table = list(
        csv.reader(io.StringIO(client.get(f"/reviews/{review.pk}/chronology.csv").content.decode()))
    )
    assert table[1][-1] == '\'=HYPERLINK("x")'


def test_a_reviewers_access_ends_when_the_review_closes(
    world: dict[str, Any], agencies: dict[str, Any]
) -> None:
    rv = reviewer(agencies)
    review = world["review"]
    url = f"/reviews/{review.pk}/"
    assert signed_in(rv).get(url).status_code == 404
    services.reviewer_grant(acting_user=world["lead"], review=review, user=rv, days=7)
    assert signed_in(rv).get(url).status_code == 200
    closed = signed_in(world["lead"]).post(f"/reviews/{review.pk}/close/")
    assert closed.status_code == 302
    assert signed_in(rv).get(url).status_code == 404


def test_the_tracker_lists_overdue_first_with_a_chart_and_csv(
    world: dict[str, Any], manager: Any
) -> None:
    for days, text in ((10, "=cmd|' /C calc'!A0"), (-5, "Audit the front door.")):
        services.recommendation_add(
            acting_user=world["lead"], review=world["review"], text=text,
            owner_agency=manager.agency, owner_person=manager,
            due_on=timezone.localdate() + dt.timedelta(days=days), required_evidence="Report.",
        )  # fmt: skip
    client = signed_in(world["lead"])
    page = client.get("/reviews/recommendations/")
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [r["overdue"] for r in rows] == [True, False]
    assert 'data-sl-chart="tracker-chart"' in page.content.decode()
    table = list(
        csv.reader(io.StringIO(client.get("/reviews/recommendations/export.csv").content.decode()))
    )
    assert table[1][2] == "Audit the front door." and table[2][2].startswith("'=cmd")


def test_accepting_ones_own_evidence_on_the_page_is_refused(
    world: dict[str, Any], manager: Any
) -> None:
    rec = services.recommendation_add(
        acting_user=world["lead"], review=world["review"], text="Audit.",
        owner_agency=manager.agency, owner_person=manager,
        due_on=timezone.localdate(), required_evidence="Report.",
    )  # fmt: skip
    client = signed_in(world["lead"])
    url = f"/reviews/recommendations/{rec.pk}/update/"
    ok = client.post(url, {"status": "evidence_submitted", "evidence": "Report attached."})
    assert ok.status_code == 302
    refused = client.post(url, {"status": "accepted"})
    assert refused.status_code == 403
    assert "other than the person who submitted it" in refused.content.decode()
    rec.refresh_from_db()
    assert rec.status == "evidence_submitted"

"""Starting a case review from the page: the children by reference, the period and the
agencies make the review the API would make; a reference no child has, a period that runs
backwards or a rapid review without its incident time is an error on the page and stores
nothing; only those who run reviews may start one."""

from __future__ import annotations

from typing import Any

import pytest

from sightline.accounts.tests.clients import signed_in
from sightline.referrals.tests.factories import submit
from sightline.reviews.models import Review
from sightline.reviews.tests.factories import lead, reviewer

pytestmark = pytest.mark.django_db

START = "/reviews/new/"


def _form(child_refs: str, **changes: Any) -> dict[str, Any]:
    return {
        "kind": "learning_review",
        "title": "Learning review of two referrals",
        "children": child_refs,
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        **changes,
    }


def test_a_lead_starts_a_review_of_the_children_named(
    agencies: dict[str, Any], police_officer: Any
) -> None:
    first = submit(police_officer).referral.children.get().child
    second = submit(police_officer).referral.children.get().child
    client = signed_in(lead(agencies))
    assert "Start the review" in client.get(START).content.decode()
    typed = f"{first.reference.lower()},\n {second.reference}  {first.reference}"
    response = client.post(START, _form(typed, agencies=[str(agencies["police"].pk)]))
    review = Review.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reviews/{review.pk}/"
    assert {rc.child_id for rc in review.children.all()} == {first.pk, second.pk}
    assert list(review.agencies.all()) == [agencies["police"]]
    assert str(review.period_end) == "2026-06-30" and review.kind == "learning_review"


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"children": "CH-2099-0000001"}, "No child with the reference CH-2099-0000001"),
        ({"children": " , "}, "at least one child"),
        ({"period_end": "2025-12-31"}, "must end on or after"),
        ({"kind": "rapid_review"}, "needs the time the serious incident was known"),
        ({"title": "  "}, "references, not names"),
        ({"period_start": "01/01/2026x"}, "Enter a valid date"),
    ],
)
def test_a_bad_start_is_an_error_on_the_page_and_stores_nothing(
    agencies: dict[str, Any], police_officer: Any, changes: dict[str, str], says: str
) -> None:
    child = submit(police_officer).referral.children.get().child
    response = signed_in(lead(agencies)).post(START, _form(child.reference, **changes))
    assert response.status_code == 422
    body = response.content.decode()
    assert "govuk-error-summary" in body and says in body
    assert "<title>Error: Start a case review" in body  # the summary in the page, not the title
    assert not Review.objects.exists()


def test_a_reviewer_cannot_start_a_review(agencies: dict[str, Any], police_officer: Any) -> None:
    child = submit(police_officer).referral.children.get().child
    client = signed_in(reviewer(agencies))
    assert client.get(START).status_code == 404
    assert client.post(START, _form(child.reference)).status_code == 404
    assert "Start a case review" not in client.get("/reviews/").content.decode()
    assert not Review.objects.exists()

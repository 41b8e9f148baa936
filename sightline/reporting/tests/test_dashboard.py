"""The partnership dashboard: figures counted in the user's scope in a constant number of
queries, every cell's list holding exactly the records it counts, filters, CSV, bad input."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sightline.accounts.tests.clients import signed_in, token_client
from sightline.accounts.tests.factories import UserFactory
from sightline.audit.models import AuditEvent
from sightline.referrals.tests.factories import submit
from sightline.reporting.dashboard import dashboard, dashboard_figure
from sightline.reporting.dashboard_records import figure_records
from sightline.reporting.dashboard_types import dashboard_filters

pytestmark = pytest.mark.django_db


def _period() -> Any:
    today = timezone.localdate()
    return dashboard_filters(start=(today - dt.timedelta(days=60)).isoformat())


def _referrals_total(user: Any) -> int:
    figure = dashboard_figure(user=user, filters=_period(), key="referrals")
    return sum(sum(s.values) for s in figure.series)


def test_the_query_count_does_not_grow_with_the_records(
    teacher: Any, safeguarding_lead: Any
) -> None:
    submit(teacher)
    with CaptureQueriesContext(connection) as few:
        dashboard(user=safeguarding_lead, filters=_period())
    for _ in range(4):
        submit(teacher)
    with CaptureQueriesContext(connection) as more:
        figures = dashboard(user=safeguarding_lead, filters=_period())
    assert len(more.captured_queries) == len(few.captured_queries)
    assert len(few.captured_queries) <= 12  # one or two per figure
    assert _referrals_total(safeguarding_lead) == 5
    assert [f.key for f in figures] == [
        "screening", "new_high", "referrals", "missing", "alerts", "poc_disruptions", "clocks",
    ]  # fmt: skip


def test_figures_count_only_what_the_user_may_see(
    teacher: Any, safeguarding_lead: Any, agencies: dict[str, Any]
) -> None:
    chair = UserFactory(username="mace-chair", agency=agencies["police"], role="mace_chair")
    submit(teacher)
    submit(chair)
    assert _referrals_total(safeguarding_lead) == 2
    assert _referrals_total(chair) == 1  # the MACE chair's referral scope is their own


def test_the_agency_filter_narrows_and_an_unknown_agency_is_refused(
    teacher: Any, police_officer: Any, safeguarding_lead: Any
) -> None:
    submit(teacher)
    submit(police_officer)
    client = signed_in(safeguarding_lead)
    page = client.get("/reports/dashboard/?agency=" + teacher.agency.code)
    assert page.status_code == 200
    referrals = next(t for t in page.context["tables"] if t["figure"].key == "referrals")
    assert [r["label"] for r in referrals["rows"]] == [teacher.agency.name]
    assert client.get("/reports/dashboard/?agency=nope").status_code == 422
    assert client.get("/reports/dashboard/?from=2020-01-01&to=2025-01-01").status_code == 422
    assert client.get("/reports/dashboard/?from=2025-02-01&to=2025-01-01").status_code == 422
    assert client.get("/reports/dashboard/?from=yesterday").status_code == 422
    assert client.get("/reports/dashboard/?team=not-a-uuid").status_code == 422


def test_a_cell_lists_its_records_and_the_csv_holds_the_table(
    teacher: Any, safeguarding_lead: Any
) -> None:
    reference = submit(teacher).referral.reference
    client = signed_in(safeguarding_lead)
    code = teacher.agency.code
    listed = client.get(f"/reports/dashboard/referrals/records/?series=undecided&column={code}")
    assert listed.status_code == 200
    assert listed.context["count"] == 1
    assert [r.reference for r in listed.context["records"]] == [reference]
    assert client.get("/reports/dashboard/referrals/records/?series=x&column=y").status_code == 404
    assert client.get("/reports/dashboard/nothing/records/?series=x&column=y").status_code == 404
    exported = client.get("/reports/dashboard/referrals.csv")
    assert exported.status_code == 200
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert rows[0][-1] == "Not decided"
    assert rows[1][0] == teacher.agency.name and rows[1][-1] == "1"
    audited = AuditEvent.objects.filter(actor=safeguarding_lead, object_type="performance")
    assert {e.action for e in audited} == {"record.list", "record.export"}


def test_the_api_answers_the_figures_and_refuses_a_long_period(
    teacher: Any, safeguarding_lead: Any
) -> None:
    submit(teacher)
    api = token_client(safeguarding_lead)
    body = api.get("/api/v1/dashboard").json()
    referrals = next(f for f in body["figures"] if f["key"] == "referrals")
    assert sum(sum(s["values"]) for s in referrals["series"]) == 1
    assert api.get("/api/v1/dashboard?from=2020-01-01&to=2025-01-01").status_code == 422
    assert token_client(teacher).get("/api/v1/dashboard").status_code == 403


@pytest.mark.django_db
def test_on_the_demo_borough_every_cell_lists_what_it_counts(
    tmp_path: Path, safeguarding_lead: Any
) -> None:
    call_command(
        "demo_borough", children=40, years=2, seed=7, truth=tmp_path / "t.json",
        with_history=True, stdout=io.StringIO(),
    )  # fmt: skip
    today = timezone.localdate()
    filters = dashboard_filters(start=(today - dt.timedelta(days=3 * 365)).isoformat())
    figures = dashboard(user=safeguarding_lead, filters=filters)
    checked = set()
    for figure in figures:
        for series in figure.series:
            for (column, _), value in zip(figure.columns, series.values, strict=True):
                if value:
                    _, count, records = figure_records(
                        user=safeguarding_lead, filters=filters, key=figure.key,
                        series=series.key, column=column,
                    )  # fmt: skip
                    assert count == value == len(records), (figure.key, series.key, column)
                    checked.add(figure.key)
    assert {"screening", "new_high", "referrals", "alerts", "clocks"} <= checked, checked

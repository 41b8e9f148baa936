"""Returns, the dashboard, coverage and administration in the browser, on the demo borough:
the census page reports a seeded bad record by child and rule, the Annex A page downloads a
workbook headed exactly as the column map, the dashboard draws every chart beside its table
and a figure opens the records it counts, and the coverage and administration pages render.
Each page is screenshotted into docs/screenshots/."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from sightline.accounts.services import api_token_issue
from sightline.casework.models import Assessment
from sightline.referrals.models import ReferralChild
from sightline.reporting.returns import annex_a
from sightline.reporting.returns.census import la_child_id

pytestmark = pytest.mark.e2e

SLOW_MS = 90_000
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
CHARTS = "() => window.Chart && document.querySelectorAll('canvas[data-sl-dash-chart]').length"
DRAWN = (
    "() => Array.from(document.querySelectorAll('canvas[data-sl-dash-chart]'))"
    ".every(c => Boolean(Chart.getChart(c)))"
)


def _tab(browsing: Any, username: str) -> Any:
    """A signed-in tab that waits longer than the default: the demo borough's pages are the
    largest the journeys open, on a machine that may be busy."""
    tab = browsing.tab()
    tab.page.set_default_timeout(SLOW_MS)
    tab.page.set_default_navigation_timeout(SLOW_MS)
    tab.sign_in(username)
    return tab


def _shot(tab: Any, name: str) -> None:
    tab.page.screenshot(path=str(SHOTS / name), full_page=True)


def _seed_bad_record() -> str:
    """An assessment dated before its 2025-26 referral (DfE rule 1103); its child's ID."""
    link = (
        ReferralChild.objects.filter(
            referral__received_at__date__gte=dt.date(2025, 5, 1),
            referral__received_at__date__lte=dt.date(2026, 3, 1),
            child__isnull=False,
            referral__decision__outcome="assessment",  # an open episode: no closure to follow
        )
        .select_related("referral", "child")
        .order_by("referral__received_at")
        .first()
    )
    assert link is not None and link.child is not None
    received = link.referral.received_at.date()
    Assessment.objects.create(
        child=link.child, referral=link.referral, recorded_by=link.referral.referred_by,
        agency=link.referral.source_agency, started_on=received - dt.timedelta(days=9),
        authorised_on=received + dt.timedelta(days=20), factors=["11A"],
    )  # fmt: skip
    return la_child_id(link.child.reference)


def test_returns_dashboard_coverage_and_administration(
    browsing: Any, safeguarding_lead: Any, no_access: Any, tmp_path: Path
) -> None:
    call_command(
        "demo_borough", children=40, years=2, seed=7, truth=tmp_path / "t.json",
        with_history=True, stdout=io.StringIO(),
    )  # fmt: skip
    bad_child = _seed_bad_record()
    lead = _tab(browsing, safeguarding_lead.username)
    page = lead.page

    # The census: nothing written while an error remains; the failure names child and rule.
    lead.open("/reports/returns/")
    lead.submit(page.get_by_role("button", name="Download the census"), status=422)
    failures = page.locator("table.govuk-table").first
    row = failures.locator("tr", has_text=bad_child).filter(has_text="1103")
    assert row.count() == 1, failures.inner_text()[:500]
    _shot(lead, "returns-census-errors.png")

    # Annex A: the page's workbook has every list, each headed exactly as the column map.
    lead.open("/reports/returns/")
    page.get_by_label("From").fill("2025-04-01")
    page.get_by_label("To").fill("2026-03-31")
    _shot(lead, "returns-annex-a.png")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download Annex A").click()
    saved = tmp_path / "annex_a.xlsx"
    download.value.save_as(saved)
    book = load_workbook(saved)
    expected = _columns()
    assert book.sheetnames == [k.replace("_", " ").title() for k in annex_a.LISTS]
    for key in annex_a.LISTS:
        sheet = book[key.replace("_", " ").title()]
        assert [c.value for c in sheet[1]] == expected[key], key
    assert sum(book[n].max_row - 1 for n in book.sheetnames) > 0

    # The dashboard: every chart drawn; a figure opens the records it counts.
    start = (timezone.localdate() - dt.timedelta(days=365)).replace(day=1).isoformat()
    lead.open(f"/reports/dashboard/?from={start}")
    page.wait_for_function(CHARTS)
    page.wait_for_function(DRAWN)
    assert page.locator("canvas[data-sl-dash-chart]").count() == 7
    _shot(lead, "dashboard.png")
    page.emulate_media(media="print")
    assert not page.locator("form.sl-dash-filters").is_visible()  # the print layout
    _shot(lead, "dashboard-print.png")
    page.emulate_media(media="screen")
    cell = page.locator("#table-referrals tbody a.govuk-link").first
    figure = int(cell.inner_text())
    with page.expect_navigation():
        cell.click()
    assert page.locator("main tbody tr").count() == figure
    _shot(lead, "dashboard-records.png")

    # Workforce coverage.
    lead.open("/workforce/")
    _shot(lead, "workforce-coverage.png")

    # Administration (the system administrator: users and configuration, no case content).
    api_token_issue(acting_user=no_access, user=safeguarding_lead, name="returns-robot")
    admin = _tab(browsing, no_access.username)
    for path, name in (
        ("/admin-console/users/", "admin-users.png"),
        ("/admin-console/agencies/", "admin-agencies.png"),
        ("/admin-console/tokens/", "admin-tokens.png"),
        ("/admin-console/clocks/", "admin-clock-policies.png"),
        ("/admin-console/settings/", "admin-settings.png"),
        ("/admin-console/retention/", "admin-retention.png"),
    ):
        admin.open(path)
        _shot(admin, name)
    browsing.assert_clean()


def _columns() -> dict[str, list[str]]:
    out: dict[str, list[tuple[int, str]]] = {}
    with annex_a.COLUMNS_FILE.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            out.setdefault(row["list"], []).append((int(row["position"]), row["column_header"]))
    return {k: [h for _, h in sorted(v)] for k, v in out.items()}

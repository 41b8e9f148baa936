"""The performance dashboard in the browser: the chart is drawn by the vendored Chart.js from
the figures embedded in the page, under the Content-Security-Policy, beside its table."""

from __future__ import annotations

from typing import Any

import pytest

from sightline.escalation.tests.factories import decided, received

pytestmark = pytest.mark.e2e

CHART = "() => Chart.getChart(document.querySelector('canvas[data-sl-chart]'))"


def test_decisions_chart_draws_the_embedded_figures_beside_its_table(
    browsing: Any, police_officer: Any, front_door: Any, manager: Any
) -> None:
    decided(received(police_officer), front_door, "early_help")
    received(police_officer)  # not yet decided

    tab = browsing.tab("team-manager")
    tab.open("/escalation/performance/")
    page = tab.page
    page.wait_for_function(f"() => window.Chart && Boolean(({CHART})())")
    drawn = page.evaluate(
        f"() => {{ const c = ({CHART})(); "
        "return {labels: c.data.labels, values: c.data.datasets[0].data, width: c.width}; }"
    )
    assert len(drawn["labels"]) == 12
    assert drawn["values"][-1] == 100  # this month: one decision, made in time
    assert drawn["values"][0] is None  # no decisions then: no bar
    assert drawn["width"] > 0

    # The table alternative holds the same figure, and the caption links to it.
    table = page.locator("#performance-by-month")
    assert "100% (1/1)" in table.locator("tbody tr").last.inner_text()
    page.get_by_role("link", name="table by month").click()
    assert page.url.endswith("#performance-by-month")
    browsing.assert_clean()  # no console errors, so no CSP violations either

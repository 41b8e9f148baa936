"""The audited reads: what they return, the row each writes, and nothing recorded for an agency
out of scope (ADR 0010)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from sightline.audit.models import AuditEvent
from sightline.core.dates import add_months
from sightline.core.errors import NotFound
from sightline.workforce import reads
from sightline.workforce.tests.factories import StaffMemberFactory, completed

pytestmark = pytest.mark.django_db


def test_coverage_read_records_the_listing_with_the_agency_asked_for(
    health_lead: Any, health: Any
) -> None:
    agency, result = reads.coverage_read(user=health_lead, code=health.code)
    assert agency == health
    assert [a.agency for a in result.agencies] == [health]
    row = AuditEvent.objects.get(object_type="workforce_coverage")
    assert (row.actor, row.action, row.details) == (
        health_lead,
        "record.list",
        {"agency": health.code},
    )


def test_coverage_read_of_an_agency_out_of_scope_is_not_found_and_records_nothing(
    health_lead: Any, education: Any
) -> None:
    # rows written before this test (an earlier test's committed rows are never deleted: the
    # trail is append-only) are not this read's
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    with pytest.raises(NotFound):
        reads.coverage_read(user=health_lead, code=education.code)
    with pytest.raises(NotFound):
        reads.due_export_read(user=health_lead, code=education.code, today=timezone.localdate())
    assert not AuditEvent.objects.filter(
        seq__gt=before, object_type__in=["workforce_coverage", "workforce_due"]
    ).exists()


def test_due_export_read_returns_the_rows_and_records_their_count(
    health_lead: Any, health: Any
) -> None:
    today = timezone.localdate()
    s: Any = StaffMemberFactory(agency=health)
    completed(s, "cse-face-to-face", add_months(today, -23))
    rows = reads.due_export_read(user=health_lead, code="", today=today)
    assert rows[0] == reads.DUE_EXPORT_HEADER
    assert [r[1] for r in rows[1:]] == [s.staff_id]
    row = AuditEvent.objects.get(object_type="workforce_due")
    assert (row.action, row.details) == ("record.export", {"agency": "all", "rows": 1})

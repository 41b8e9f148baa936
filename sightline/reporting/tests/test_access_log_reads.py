"""The access log's audited reads (ADR 0010): each returns the log and writes its one row; an
unknown child, or a reader without the information-governance role, is NotFound and records
nothing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from sightline.audit.models import AuditEvent
from sightline.core.errors import NotFound
from sightline.referrals.tests.factories import submit
from sightline.reporting.access_log import (
    access_log_export_read,
    access_log_page_read,
    access_log_slice_read,
)

pytestmark = pytest.mark.django_db


def _child_id(user: Any) -> Any:
    return submit(user).referral.children.get().child_id


def _log_rows() -> Any:
    return AuditEvent.objects.filter(object_type="access_log")


def test_each_read_of_the_log_writes_its_own_row(police_officer: Any, auditor: Any) -> None:
    child_id = _child_id(police_officer)
    child, page = access_log_page_read(user=auditor, child_id=child_id, page="1")
    assert child.pk == child_id and page.number == 1 and len(page.object_list) >= 1
    _, count, rows = access_log_slice_read(user=auditor, child_id=child_id, offset=0, limit=1)
    assert len(rows) == 1 and count >= 2  # the intake's rows and the page's own view
    _, exported = access_log_export_read(user=auditor, child_id=child_id)
    recorded = list(_log_rows().order_by("seq").values_list("action", "child_id", "details"))
    assert recorded == [
        ("record.view", child_id, {"page": 1}),
        ("record.view", child_id, {"offset": 0, "limit": 1}),
        ("record.export", child_id, {"rows": len(exported), "format": "csv"}),
    ]


def test_an_unknown_child_or_a_reader_without_the_role_is_not_found_and_records_nothing(
    police_officer: Any, auditor: Any
) -> None:
    child_id = _child_id(police_officer)
    with pytest.raises(NotFound):
        access_log_page_read(user=auditor, child_id=uuid.uuid4(), page="1")
    with pytest.raises(NotFound):
        access_log_export_read(user=police_officer, child_id=child_id)
    with pytest.raises(NotFound):
        access_log_slice_read(user=police_officer, child_id=child_id, offset=0, limit=10)
    assert not _log_rows().exists()

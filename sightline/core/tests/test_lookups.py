"""`field__any` (ADR 0910): the rows `field__in` selects, as one array parameter on
PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sightline.core.models import OutboxMessage


def _message(n: int) -> OutboxMessage:
    return OutboxMessage.objects.create(
        kind="test", subject=f"s{n}", body="b", dedupe_key=f"lookup-{n}"
    )


def test_any_selects_what_in_selects(db: Any) -> None:
    made = [_message(n) for n in range(6)]
    wanted = [made[0].pk, made[3].pk, made[3].pk, uuid.uuid4(), made[5].pk]
    with CaptureQueriesContext(connection) as queries:
        got = set(OutboxMessage.objects.filter(pk__any=wanted).values_list("pk", flat=True))
    assert got == set(OutboxMessage.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    assert got == {made[0].pk, made[3].pk, made[5].pk}
    sql = queries.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql  # one array parameter, each value once
        assert sql.count(made[3].pk.hex) + sql.count(str(made[3].pk)) == 1
    else:
        assert " IN (" in sql
    assert not OutboxMessage.objects.filter(pk__any=[]).exists()
    assert OutboxMessage.objects.filter(dedupe_key__any=["lookup-1", "lookup-2"]).count() == 2


def test_any_on_a_foreign_key_takes_ids(db: Any) -> None:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    types = list(ContentType.objects.order_by("pk").values_list("pk", flat=True)[:3])
    expected = set(
        Permission.objects.filter(content_type_id__in=types).values_list("pk", flat=True)
    )
    assert expected  # the auth app's permissions exist for its first types
    got = Permission.objects.filter(content_type_id__any=types).values_list("pk", flat=True)
    assert set(got) == expected
    via_relation = Permission.objects.filter(content_type__any=types).values_list("pk", flat=True)
    assert set(via_relation) == expected

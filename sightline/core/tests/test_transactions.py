"""without_savepoint: a workflow's body run in its caller's transaction, with no savepoint
of its own; refused outside a transaction and for a function not decorated with atomic."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from sightline.core.transactions import TransactionRequiredError, without_savepoint


@transaction.atomic
def _step(value: int) -> int:
    connection.cursor().execute("SELECT 1")
    return value + 1


@pytest.mark.django_db
def test_a_workflow_body_runs_in_the_callers_transaction_without_a_savepoint() -> None:
    with transaction.atomic():
        with CaptureQueriesContext(connection) as nested:
            assert _step(1) == 2
        with CaptureQueriesContext(connection) as body:
            assert without_savepoint(_step)(1) == 2
    assert [q["sql"] for q in body] == ["SELECT 1"]
    assert any("SAVEPOINT" in q["sql"] for q in nested)


def test_without_savepoint_refuses_outside_a_transaction_or_an_undecorated_function() -> None:
    with pytest.raises(TransactionRequiredError):
        without_savepoint(_step)(1)

    def plain(value: int) -> int:
        return value

    with pytest.raises(TypeError):
        without_savepoint(plain)

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sightline.core.models import AlertThreshold
from sightline.core.rows import first_of

pytestmark = pytest.mark.django_db


def test_first_of_answers_the_row_of_a_unique_key_without_ordering_it() -> None:
    AlertThreshold.objects.create(key="shared-adult", value=3)
    with CaptureQueriesContext(connection) as queries:
        found = first_of(AlertThreshold.objects.filter(key="shared-adult"))
        value = first_of(AlertThreshold.objects.filter(key="shared-adult").values_list("value"))
    assert found is not None and found.value == 3
    assert value == (3,)
    assert len(queries) == 2
    assert not any("ORDER BY" in q["sql"] for q in queries.captured_queries)


def test_first_of_answers_none_when_no_row_matches() -> None:
    assert first_of(AlertThreshold.objects.filter(key="none-such")) is None

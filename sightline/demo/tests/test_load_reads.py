"""The borough loader reads the partnership's configuration once, not once per child of each
referral (at 100,000 referrals one statement per child was 127 s of a 322 s load)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sightline.core.models import PartnershipSetting
from sightline.demo import services
from sightline.demo.generator import generate_borough
from sightline.demo.services import borough_load
from sightline.referrals.models import ReferralChild

pytestmark = pytest.mark.django_db


def test_the_screening_age_is_read_once_and_applied_to_every_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    PartnershipSetting.objects.update_or_create(pk=1, defaults={"screening_min_age": 10})
    reads: list[int] = []
    real = services.screening_min_age  # type: ignore[attr-defined]

    def counted() -> int:
        reads.append(real())
        return reads[-1]

    monkeypatch.setattr(services, "screening_min_age", counted)
    borough = generate_borough(children=40, years=1, seed=5, networks=1)
    with CaptureQueriesContext(connection) as queries:
        borough_load(borough=borough, truth_path=tmp_path / "truth.json", open_count=0)
    assert reads == [10]
    setting_reads = [q for q in queries if "core_partnershipsetting" in q["sql"]]
    assert len(setting_reads) <= 1
    links = list(ReferralChild.objects.values_list("age_on_day", "screening_required"))
    assert len(links) > 40
    assert all(required == (age is None or age >= 10) for age, required in links)

"""An alert on record whose date moves is stored with its new date by intake's path
(`mentions_on_referral`, the picture in memory written in one statement per table) as by the
reference path (`alerts_apply`, each alert saved whole). A place's 90-day window moves on as
new concerns arrive: its alert holds on the latest window and is dated when that window first
held. Intake wrote the alert's certainty, children and evidence but not `possible_at`, so the
alert kept the date of the window it was first raised on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db import transaction

from sightline.demo.generator import generate_borough
from sightline.demo.services import borough_load
from sightline.intel import rules
from sightline.intel.models import Alert, Mention
from sightline.intel.services.bulk import intel_index_one_by_one
from sightline.intel.services.indexing import mentions_on_referral
from sightline.referrals.models import Referral

pytestmark = pytest.mark.django_db


def _dates() -> dict[tuple[str, str, tuple[str, ...]], object]:
    """Each alert by its trigger, entity reference and referrals, to its date."""
    return {
        (a.trigger, a.entity_ref, tuple(a.referral_ids)): a.possible_at for a in Alert.objects.all()
    }


def test_intake_stores_the_date_an_alert_moves_to(tmp_path: Path) -> None:
    borough = generate_borough(children=120, years=2, seed=9, networks=2)
    borough_load(borough=borough, truth_path=tmp_path / "truth.json")
    ordered = list(Referral.objects.order_by("received_at", "reference"))
    with transaction.atomic():
        intel_index_one_by_one(referrals=ordered)
        expected = _dates()
        transaction.set_rollback(True)
    for referral in ordered:
        mentions_on_referral(referral=referral, acting_user=None, notify=False)
    got = _dates()
    assert len(expected) >= 2
    # the case: a place's alert dated more than 90 days after the place was first named, so
    # it moved on from the window it was first raised on
    first_named = {m.entity_id: m.occurred_at for m in Mention.objects.order_by("-occurred_at")}
    assert any(
        a.possible_at - first_named[a.entity_id] > dt.timedelta(days=rules.HOTSPOT_DAYS)
        for a in Alert.objects.filter(entity_type="place")
    )
    assert got == expected

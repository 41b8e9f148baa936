"""The agenda cites a partner event by its reference (a mention from an event has no
referral: its reasons listed "None", and the places theme would have failed sorting a
missing reference beside the referrals' ones)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sightline.events.kinds import event_parse
from sightline.events.tests.helpers import missing
from sightline.meetings import services
from sightline.meetings.choices import Section
from sightline.workflows import event_receive

pytestmark = pytest.mark.django_db


def test_agenda_reasons_cite_the_event_that_named_the_adult_and_place(
    meeting: Any, alerted: Any, chairs: Any, police_officer: Any
) -> None:
    body = missing(
        "AG-1", started=dt.timedelta(days=3), returned=dt.timedelta(days=2),
        persons_named=[{"name": "Carl Venn", "phone": "07700 900456", "role": "found_with"}],
        places_named=[{"name": "Golden Grill", "kind": "takeaway", "postcode": "NB3 2BB"}],
    )  # fmt: skip
    received = event_receive(
        acting_user=police_officer, agency=police_officer.agency, data=event_parse(body)
    )
    items = services.agenda_build(acting_user=chairs[0], meeting=meeting)
    refs = [
        ref
        for item in items
        if item.section in (Section.OFFENDERS, Section.THEMES)
        for reason in item.reasons
        for ref in reason["refs"]
    ]
    assert None not in refs and "None" not in refs
    adult = next(i for i in items if i.section == Section.OFFENDERS)
    assert received.event.reference in [r for reason in adult.reasons for r in reason["refs"]]
    places = next(i for i in items if i.subject_ref == "THEME-PLACES")
    assert received.event.reference in places.reasons[0]["refs"]

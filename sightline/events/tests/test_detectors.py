"""Each detector: a case that fires and one that does not."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from sightline.events import detectors as d
from sightline.events.choices import Detector

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


def hap(kind: str, days_ago: float, *, agency: str = "police", code: str = "", **kw: Any) -> Any:
    source = kw.pop("source", "event")
    return d.Happening(
        uuid.uuid4(), "EV-1", source, kind, code, agency, NOW - dt.timedelta(days=days_ago), **kw
    )


def picture(*happenings: Any, dob: dt.date = dt.date(2011, 1, 1), level: str = "",
            screened: dt.datetime | None = None) -> d.Picture:  # fmt: skip
    return d.Picture(uuid.uuid4(), "CH-1", dob, sorted(happenings, key=lambda h: h.at), level,
                     screened)  # fmt: skip


def fired(p: d.Picture, new: Any) -> set[str]:
    return {f.detector for f in d.detect(p, new)}


def test_third_missing_episode_in_90_days_fires_and_asks_for_a_screening() -> None:
    new = hap("missing_episode", 0)
    found = d.detect(picture(hap("missing_episode", 80), hap("missing_episode", 40), new), new)
    repeat = [f for f in found if f.detector == Detector.REPEAT_MISSING]
    assert repeat and repeat[0].asks == "cse_screening"


def test_two_missing_episodes_or_a_third_after_90_days_do_not_fire() -> None:
    new = hap("missing_episode", 0)
    p = picture(hap("missing_episode", 120), hap("missing_episode", 40), new)
    assert Detector.REPEAT_MISSING not in fired(p, new)


def test_repeat_missing_with_a_current_screening_asks_for_nothing() -> None:
    new = hap("missing_episode", 0)
    p = picture(hap("missing_episode", 10), hap("missing_episode", 5), new, level="low",
                screened=NOW - dt.timedelta(days=20))  # fmt: skip
    assert [f.asks for f in d.detect(p, new) if f.detector == Detector.REPEAT_MISSING] == [""]


def test_missing_child_screened_medium_goes_to_the_worker_at_once() -> None:
    new = hap("missing_episode", 0)
    assert Detector.MISSING_SCREENED_CHILD in fired(picture(new, level="medium"), new)
    assert Detector.MISSING_SCREENED_CHILD not in fired(picture(new, level="low"), new)


def test_arrest_while_indicators_open_is_victim_treated_as_offender() -> None:
    new = hap("police_incident", 0, code="arrested", fields={"offence": "criminal damage"})
    referral = hap("referral", 30, source="referral", categories=frozenset({"sexual_exploitation"}))
    assert Detector.VICTIM_AS_OFFENDER in fired(picture(referral, new), new)
    assert Detector.VICTIM_AS_OFFENDER not in fired(picture(new), new)


def test_under_13_sexual_health_attendance_fires_at_once() -> None:
    new = hap("health_attendance", 0, agency="health", code="sexual_health")
    assert Detector.UNDER13_SEXUAL_HEALTH in fired(picture(new, dob=dt.date(2014, 1, 1)), new)
    ed = hap("health_attendance", 0, agency="health", code="emergency_department")
    assert fired(picture(ed, dob=dt.date(2014, 1, 1)), ed) == set()


def test_under_16_sexual_health_without_a_referral_fires_and_with_one_does_not() -> None:
    new = hap("health_attendance", 0, agency="health", code="sexual_health",
              fields={"reasons": ["emergency_contraception"]})  # fmt: skip
    dob = dt.date(2011, 1, 1)  # 15
    assert Detector.UNDER16_SEXUAL_HEALTH in fired(picture(new, dob=dob), new)
    referral = hap("referral", 10, agency="school", source="referral")
    assert Detector.UNDER16_SEXUAL_HEALTH not in fired(picture(referral, new, dob=dob), new)
    assert Detector.UNDER16_SEXUAL_HEALTH not in fired(picture(new, dob=dt.date(2009, 1, 1)), new)


def test_two_agencies_in_a_week_accumulate_unless_a_referral_is_open_above_advice() -> None:
    new = hap("education", 0, agency="school", code="absence")
    p = picture(hap("health_attendance", 3, agency="health"), new)
    assert Detector.ACCUMULATING_CONCERNS in fired(p, new)
    open_ = hap("referral", 20, agency="csc", source="referral", outcome="assessment")
    p = picture(open_, hap("health_attendance", 3, agency="health"), new)
    assert Detector.ACCUMULATING_CONCERNS not in fired(p, new)


def test_five_in_90_days_accumulate_and_four_from_one_agency_do_not() -> None:
    new = hap("education", 0, agency="school", code="absence")
    four = [hap("education", n * 20, agency="school") for n in range(1, 4)]
    assert Detector.ACCUMULATING_CONCERNS not in fired(picture(*four, new), new)
    five = [*four, hap("education", 70, agency="school")]
    assert Detector.ACCUMULATING_CONCERNS in fired(picture(*five, new), new)


@pytest.mark.django_db
def test_thresholds_are_the_partnerships_settings(settings: Any) -> None:
    settings.SIGHTLINE_EVENT_DETECTORS = {"repeat_missing_episodes": 2}
    new = hap("missing_episode", 0)
    assert Detector.REPEAT_MISSING in fired(picture(hap("missing_episode", 10), new), new)

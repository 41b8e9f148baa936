"""Each detector (P1 to P22) with a case that fires and one that does not, over histories
built by hand (the rules are pure functions of a child's history)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from sightline.events.detectors import Happening, Picture
from sightline.reviews.detectors import DETECTORS, hits_for, live_codes
from sightline.reviews.detectors.history import (
    ClockFact,
    EventFact,
    History,
    Naming,
    Ref,
    Screen,
    Step,
)

NOW = timezone.now()
CHILD = uuid.uuid4()


def ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def child(**kw: Any) -> History:
    h = History(CHILD, "CH-2026-0000001", dt.date(2011, 3, 1))
    for k, v in kw.items():
        setattr(h, k, v)
    return h


def ref(days: float, *, cats: tuple[str, ...] = ("sexual_exploitation",), persons: int = 1,
        outcome: str = "", decided: float | None = None, agency: str = "school",
        kind: str = "education", reference: str = "") -> Ref:  # fmt: skip
    return Ref(
        uuid.uuid4(), reference or f"SL-{days}", agency, kind, ago(days), frozenset(cats),
        persons, outcome, ago(decided) if decided is not None else None, uuid.uuid4(),
    )  # fmt: skip


def codes(h: History, code: str) -> list[str]:
    return [x.pattern for x in DETECTORS[code].run(h)]


def test_the_registry_has_the_22_patterns_each_described() -> None:
    assert list(DETECTORS) == [f"P{i}" for i in range(1, 23)]
    for d in DETECTORS.values():
        assert d.name and d.description and d.action and d.cannot_see
        assert d.live_on or d.raised_by, d.code


def test_parameters_come_from_the_partnerships_settings() -> None:
    h = child(referrals=[ref(200, outcome="no_further_action", decided=199), ref(10)])
    assert codes(h, "P1") == ["P1"]
    with override_settings(SIGHTLINE_DETECTORS={"P1": {"months": 3}}):
        assert DETECTORS["P1"].params()["months"] == 3
        assert codes(h, "P1") == []


def test_p1_rereferral_after_nfa() -> None:
    assert codes(child(referrals=[ref(100, outcome="no_further_action", decided=99),
                                  ref(10)]), "P1") == ["P1"]  # fmt: skip
    assert codes(child(referrals=[ref(100, outcome="assessment", decided=99), ref(10)]), "P1") == []


def test_p2_disclosure_without_strategy_discussion() -> None:
    assert codes(child(referrals=[ref(10)]), "P2") == ["P2"]
    held = [Step("strategy_discussion", "SL-10", "csc", ago(9.9), "section_47")]
    assert codes(child(referrals=[ref(10)], steps=held), "P2") == []
    assert codes(child(referrals=[ref(10, persons=0)]), "P2") == []


def test_p3_disclosure_closed_before_strategy_discussion() -> None:
    closed = ref(10, outcome="no_further_action", decided=9)
    assert codes(child(referrals=[closed]), "P3") == ["P3"]
    held = [Step("strategy_discussion", closed.reference, "csc", ago(9.5), "no_further_action")]
    assert codes(child(referrals=[closed], steps=held), "P3") == []


def _naming(
    cid: uuid.UUID, entity: uuid.UUID, agency: str, days: float, kind: str = "person"
) -> Naming:
    return Naming(kind, entity, cid, f"CH-{cid.hex[:4]}", f"SL-{agency}", agency, ago(days))


def _two_households(
    user: Any, *, categories: list[str], person: bool = True, **extra: Any
) -> list[Any]:
    from sightline.referrals.inputs import ChildInput, PersonInput, PlaceInput
    from sightline.referrals.tests.factories import submit

    out = []
    for given, postcode in (("Ysolde", "NB1 2AA"), ("Wrenna", "NB7 9ZZ")):
        result = submit(
            user,
            children=[ChildInput(given_name=given, family_name=f"Q{given}", sex="female",
                                 date_of_birth=dt.date(2011, 2, 2), postcode=postcode)],
            persons_named=[PersonInput(name="Tobias Quarrel", phone="07700 900777")]
            if person else [],
            places_named=[PlaceInput(name="Lantern Grill", kind="takeaway", postcode="NB4 4AA")],
            vehicles=[], concern_categories=categories, **extra,
        )  # fmt: skip
        out.append(result.children[0].referral_child.child_id)
    return out


@pytest.mark.django_db
def test_p4_same_adult_across_two_households(referrer: Any) -> None:
    from sightline.reviews.detectors import histories_for

    first, second = _two_households(referrer, categories=["sexual_exploitation"])
    h = histories_for([first, second])
    assert [x.pattern for x in DETECTORS["P4"].run(h[first])] == ["P4"]
    assert [x.pattern for x in DETECTORS["P4"].run(h[second])] == ["P4"]


@pytest.mark.django_db
def test_p4_not_for_one_child(referrer: Any) -> None:
    from sightline.referrals.tests.factories import submit
    from sightline.reviews.detectors import histories_for

    child_id = submit(referrer).children[0].referral_child.child_id
    assert DETECTORS["P4"].run(histories_for([child_id])[child_id]) == []


@pytest.mark.django_db
def test_p5_same_place_in_exploitation_concerns(referrer: Any) -> None:
    from sightline.reviews.detectors import histories_for

    first, _ = _two_households(referrer, categories=["sexual_exploitation"], person=False)
    assert [x.pattern for x in DETECTORS["P5"].run(histories_for([first])[first])] == ["P5"]


@pytest.mark.django_db
def test_p5_not_for_a_place_in_other_concerns(referrer: Any) -> None:
    from sightline.reviews.detectors import histories_for

    # a neglect concern whose narrative carries no exploitation indicators (issue 12 §3a: one
    # that does is an exploitation concern whatever the category)
    first, _ = _two_households(
        referrer,
        categories=["neglect"],
        person=False,
        narrative="The home is cold and there is little food; school reports she is often hungry.",
    )
    assert DETECTORS["P5"].run(histories_for([first])[first]) == []


@pytest.mark.django_db
def test_a_gated_part_is_read_only_for_children_whose_gate_is_not_empty(referrer: Any) -> None:
    """A live check at intake reads the screenings only for a child with a language flag (P9,
    the one rule reading them there, never hits without one), and the persons named only when
    a rule asks for them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sightline.referrals.inputs import ChildInput, PersonInput
    from sightline.referrals.tests.factories import submit
    from sightline.reviews.detectors import histories_for

    def child_of(narrative: str, given: str) -> uuid.UUID:
        result = submit(referrer, narrative=narrative, persons_named=[PersonInput(name="Ed Roe")],
                        children=[ChildInput(given_name=given, family_name="Quill", sex="female",
                                             date_of_birth=dt.date(2011, 2, 2))])  # fmt: skip
        return result.children[0].referral_child.child_id

    plain = child_of("She has been missing from home overnight twice this month.", "Ada")
    flagged = child_of("She is making her own choices with her boyfriend (27).", "Bea")
    intake: dict[str, Any] = {"parts": {"screenings", "flags"}, "gated": {"screenings": "flags"}}
    with CaptureQueriesContext(connection) as unflagged:
        alone = histories_for([plain], **intake)[plain]
    assert not any("screening_screening" in q["sql"] for q in unflagged.captured_queries)
    assert alone.flags == [] and [r.persons for r in alone.referrals] == [0]
    with CaptureQueriesContext(connection) as both:
        read = histories_for([plain, flagged], **intake)
    assert any("screening_screening" in q["sql"] for q in both.captured_queries)
    assert read[flagged].flags and not read[plain].flags
    assert [r.persons for r in histories_for([plain])[plain].referrals] == [1]
    assert histories_for([plain])[plain].child_ref == alone.child_ref
    with pytest.raises(ValueError, match="gate"):
        histories_for([plain], parts={"screenings"}, gated={"screenings": "flags"})


@pytest.fixture
def referrer() -> Any:
    from sightline.accounts.roles import Role
    from sightline.accounts.tests.factories import AgencyFactory, UserFactory

    return UserFactory(username="p4-referrer", agency=AgencyFactory(kind="education"),
                       role=Role.REFERRER)  # fmt: skip


def _picture(events: list[Happening]) -> Picture:
    return Picture(CHILD, "CH-2026-0000001", dt.date(2011, 3, 1), events)


def _event(kind: str, code: str, days: float, agency: str = "police", **fields: Any) -> Happening:
    return Happening(uuid.uuid4(), f"EV-{kind[:3]}-{days}", "event", kind, code, agency, ago(days),
                     fields)  # fmt: skip


def test_p6_third_missing_episode_in_90_days() -> None:
    three = [_event("missing_episode", "missing", d) for d in (60, 30, 2)]
    assert "P6" in codes(child(picture=_picture(three)), "P6")
    assert codes(child(picture=_picture(three[1:])), "P6") == []


def test_p6_return_interview_not_done_in_72_hours() -> None:
    episode = {"event__reference": "EV-1", "event__agency__code": "police",
               "started_at": ago(10), "returned_at": ago(9), "missing_from": "home",
               "is_found_with_adults": False, "interview_due_at": ago(6)}  # fmt: skip
    assert codes(child(episodes=[{**episode, "interview_status": "due"}]), "P6") == ["P6"]
    assert codes(child(episodes=[{**episode, "interview_status": "completed"}]), "P6") == []


def test_p7_found_with_adults_none_linked() -> None:
    episode = {"event__reference": "EV-7", "event__agency__code": "police",
               "started_at": ago(20), "returned_at": ago(19), "missing_from": "home",
               "is_found_with_adults": True, "interview_due_at": None,
               "interview_status": "completed"}  # fmt: skip
    assert codes(child(episodes=[episode]), "P7") == ["P7"]
    adult = uuid.uuid4()
    linked = child(
        episodes=[episode],
        namings=[Naming("person", adult, CHILD, "CH", "EV-7", "police", ago(19))],
        shared=[_naming(uuid.uuid4(), adult, "school", 40)],
    )
    assert codes(linked, "P7") == []


def test_p8_arrested_while_indicators_open() -> None:
    arrest = _event("police_incident", "arrested", 3, offence="criminal damage")
    screened = Picture(CHILD, "CH", dt.date(2011, 3, 1), [arrest], "medium", ago(20))
    assert codes(child(picture=screened), "P8") == ["P8"]
    assert codes(child(picture=_picture([arrest])), "P8") == []


def test_p9_victim_blaming_language_with_indicators() -> None:
    flag = [("SL-5", "boyfriend", "school", ago(5))]
    assert codes(child(referrals=[ref(5, reference="SL-5")], flags=flag), "P9") == ["P9"]
    assert codes(child(referrals=[ref(5, cats=("neglect",), reference="SL-5")], flags=flag),
                 "P9") == []  # fmt: skip


def test_p10_under16_sexual_health_with_no_referral() -> None:
    visit = _event("health_attendance", "sexual_health", 40, "health", reasons=["pregnancy"])
    assert codes(child(picture=_picture([visit])), "P10") == ["P10"]
    referral = Happening(uuid.uuid4(), "SL-1", "referral", "referral", "", "health", ago(41))
    assert codes(child(picture=_picture([visit, referral])), "P10") == []


def test_p11_concerns_accumulating_across_agencies() -> None:
    two = [_event("police_incident", "concern_for_welfare", 3),
           _event("education", "exclusion", 2, "school")]  # fmt: skip
    assert codes(child(picture=_picture(two)), "P11") == ["P11"]
    assert codes(child(picture=_picture(two[:1])), "P11") == []


def test_p12_closed_while_screened_and_no_challenge() -> None:
    closed = ref(30, outcome="no_further_action", decided=29, cats=("neglect",))
    screened = [Screen(closed.reference, "csc", "high", ago(29.5), None)]
    assert codes(child(referrals=[closed], screenings=screened), "P12") == ["P12"]
    challenged = [(closed.reference, ago(28))]
    assert codes(child(referrals=[closed], screenings=screened, challenges=challenged),
                 "P12") == []  # fmt: skip


def test_p13_statutory_clock_breached() -> None:
    late = ClockFact("decision", "SL-1", "csc", ago(10), ago(9), ago(5), "met")
    on_time = ClockFact("decision", "SL-1", "csc", ago(10), ago(9), ago(9.5), "met")
    assert codes(child(clocks=[late]), "P13") == ["P13"]
    assert codes(child(clocks=[on_time]), "P13") == []


def test_p14_section47_without_conference() -> None:
    s47 = Step("strategy_discussion", "SL-1", "csc", ago(60), "section_47")
    assert codes(child(steps=[s47]), "P14") == ["P14"]
    held = Step("conference_held", "SL-1", "csc", ago(50), "plan")
    assert codes(child(steps=[s47, held]), "P14") == []


def test_p15_missing_from_care_screened_no_mace() -> None:
    episode = {"event__reference": "EV-C", "event__agency__code": "police",
               "started_at": ago(60), "returned_at": ago(59), "missing_from": "care",
               "is_found_with_adults": False}  # fmt: skip
    screened = [Screen("SL-1", "csc", "high", ago(58), None)]
    assert codes(child(episodes=[episode], screenings=screened), "P15") == ["P15"]
    proposed = [ago(50).date()]
    assert codes(child(episodes=[episode], screenings=screened, mace_on=proposed), "P15") == []


def test_p16_education_signals_without_referral() -> None:
    excluded = EventFact(uuid.uuid4(), "EV-E", "education", "exclusion", "school", ago(60), {})
    screened = [Screen("SL-1", "csc", "medium", ago(80), None)]
    assert codes(child(events=[excluded], screenings=screened), "P16") == ["P16"]
    assert codes(child(events=[excluded], screenings=screened,
                       referrals=[ref(50, cats=("education",))]), "P16") == []  # fmt: skip


def test_p17_closed_while_screened_high() -> None:
    closed = ref(10, outcome="information_and_advice", decided=9, cats=("neglect",))
    high = [Screen(closed.reference, "csc", "high", ago(9.5), ago(9.5).date() + dt.timedelta(92))]
    assert "P17" in codes(child(referrals=[closed], screenings=high), "P17")
    low = [Screen(closed.reference, "csc", "low", ago(9.5), None)]
    assert codes(child(referrals=[closed], screenings=low), "P17") == []


def test_p17_a_stale_screening_does_not_make_a_later_closure_a_hit() -> None:
    """A high screening two years old, past its review date, no longer speaks for the child:
    a neglect referral closed now is not "closed while screened high"."""
    old = [Screen("SL-OLD", "csc", "high", ago(700), None)]
    closed = ref(10, outcome="no_further_action", decided=9, cats=("neglect",))
    assert codes(child(referrals=[closed], screenings=old), "P17") == []


def test_p17_an_episode_closed_in_casework_while_screened_high() -> None:
    opened = ref(40, outcome="assessment", decided=39)
    high = [Screen(opened.reference, "csc", "high", ago(39.5), None)]
    closure = [(opened.reference, ago(5).date(), "csc")]
    hits = DETECTORS["P17"].run(child(referrals=[opened], screenings=high, closures=closure))
    assert [(x.pattern, x.first_visible_on) for x in hits] == [("P17", ago(5).date())]
    assert hits[0].evidence[0].type == "episode_closure"


def test_p17_a_closure_on_a_screening_nobody_reviewed() -> None:
    high = [Screen("SL-120", "csc", "high", ago(119), None)]  # review due 92 days later
    in_casework = ref(120, outcome="assessment", decided=118, reference="SL-120")
    # Open and unreviewed: nothing has been closed on it (not P17).
    assert codes(child(referrals=[in_casework], screenings=high), "P17") == []
    # The episode closed after the review date, with no new screening: P17.
    closed = [("SL-120", ago(5).date(), "csc")]
    hits = DETECTORS["P17"].run(child(referrals=[in_casework], screenings=high, closures=closed))
    assert [x.first_visible_on for x in hits] == [ago(5).date()]
    assert "not reviewed since" in hits[0].summary
    # Re-screened low before closing: the closure rests on a current screening.
    again = [*high, Screen("SL-120", "csc", "low", ago(10), None)]
    assert codes(child(referrals=[in_casework], screenings=again, closures=closed), "P17") == []
    # The screened referral itself left undecided past the review date, then closed: P17.
    late = ref(120, outcome="no_further_action", decided=5, reference="SL-120")
    assert codes(child(referrals=[late], screenings=high), "P17") == ["P17"]


def test_p18_family_report_closed_with_no_action() -> None:
    report = ref(20, outcome="no_further_action", decided=19, agency="public", kind="other",
                 cats=("missing",))  # fmt: skip
    assert codes(child(referrals=[report]), "P18") == ["P18"]
    school = ref(20, outcome="no_further_action", decided=19, cats=("missing",))
    assert codes(child(referrals=[school]), "P18") == []


def test_p19_peers_of_a_victim_not_screened() -> None:
    sister = uuid.uuid4()
    base = {"screenings": [Screen("SL-1", "csc", "high", ago(60), None)],
            "peers": [(sister, "CH-SIS", "SL-1", ago(61))]}  # fmt: skip
    assert codes(child(**base, peer_screened={sister: []}), "P19") == ["P19"]
    assert codes(child(**base, peer_screened={sister: [ago(50)]}), "P19") == []


def test_p20_sixteen_year_old_never_screened() -> None:
    older = History(CHILD, "CH", dt.date(NOW.year - 17, 1, 1))
    older.referrals = [ref(60)]
    assert codes(older, "P20") == ["P20"]
    older.screenings = [Screen("SL", "csc", "low", ago(55), None)]
    assert codes(older, "P20") == []


def test_p21_years_of_unmet_need_before_exploitation() -> None:
    need = [ref(d, cats=("neglect",), outcome="no_further_action", decided=d - 1)
            for d in (1200, 900, 600)]  # fmt: skip
    assert codes(child(referrals=[*need, ref(10)]), "P21") == ["P21"]
    helped = [*need[:2], ref(600, cats=("neglect",), outcome="assessment", decided=599)]
    assert codes(child(referrals=[*helped, ref(10)]), "P21") == []


def test_p22_recommendation_overdue() -> None:
    rec = {"reference": "RC-1", "review__reference": "RV-1", "status": "open",
           "owner_agency__code": "health", "owner_person_id": 1}  # fmt: skip
    past = timezone.localdate() - dt.timedelta(days=3)
    assert codes(child(recommendations=[{**rec, "due_on": past}]), "P22") == ["P22"]
    assert codes(child(recommendations=[{**rec, "due_on": past, "status": "accepted"}]),
                 "P22") == []  # fmt: skip


def test_a_period_ending_before_a_hit_was_visible_does_not_list_it() -> None:
    h = child(referrals=[ref(100, outcome="no_further_action", decided=99), ref(10)])
    seen = ago(10).date()
    assert [x.first_visible_on for x in hits_for([h], codes=["P1"])] == [seen]
    assert hits_for([h], end=seen - dt.timedelta(days=1), codes=["P1"]) == []
    assert hits_for([h], start=seen + dt.timedelta(days=1), codes=["P1"]) == []


def test_the_same_hit_has_the_same_key_and_other_evidence_another() -> None:
    h = child(referrals=[ref(100, outcome="no_further_action", decided=99, reference="SL-A"),
                         ref(10, reference="SL-B")])  # fmt: skip
    assert DETECTORS["P1"].run(h)[0].key == DETECTORS["P1"].run(h)[0].key
    h2 = child(referrals=[*h.referrals[:1], ref(5, reference="SL-C")])
    assert DETECTORS["P1"].run(h)[0].key != DETECTORS["P1"].run(h2)[0].key


@pytest.mark.parametrize("trigger", ["intake", "decide", "screen", "event", "sweep"])
def test_live_triggers_never_raise_what_another_app_raises(trigger: str) -> None:
    for code in live_codes(trigger):
        assert not DETECTORS[code].raised_by


# Which History fields each part of histories_for fills (the referrals and the child's own
# fields are always read).
_PART_FIELDS = {
    "screenings": {"screenings"},
    "escalation": {"steps", "clocks", "challenges"},
    "events": {"events", "episodes"},
    "namings": {"namings", "shared"},
    "peers": {"peers", "peer_screened"},
    "flags": {"flags"},
    "reviews": {"recommendations", "mace_on"},
    "picture": {"picture"},
}
_ALWAYS = {"child_id", "child_ref", "date_of_birth", "referrals", "age_on", "ref"}


class _Recording(History):
    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("_"):
            object.__getattribute__(self, "_read").add(name)
        return object.__getattribute__(self, name)


def test_detectors_that_declare_needs_read_nothing_else() -> None:
    """A live check reads only the declared parts (ADR 0713): a rule that reads a field of an
    undeclared part would see it empty at intake."""
    declared = [d for d in DETECTORS.values() if d.needs is not None]
    assert {d.code for d in declared} >= {"P1", "P9", "P21"}
    flag = [("SL-5", "boyfriend", "school", ago(5))]
    referrals = [
        ref(400, cats=("neglect",), outcome="no_further_action", decided=399),
        ref(300, cats=("neglect",), outcome="no_further_action", decided=299),
        ref(200, cats=("domestic_abuse",), outcome="no_further_action", decided=199),
        ref(30, outcome="no_further_action", decided=29),
        ref(5, reference="SL-5"),
    ]
    for d in declared:
        h = _Recording(CHILD, "CH-2026-0000001", dt.date(2011, 3, 1))
        h.referrals = referrals
        h.flags = flag
        h.screenings = [Screen("SL-5", "school", "high", ago(4), None)]
        object.__setattr__(h, "_read", set())
        d.run(h)
        assert d.needs is not None
        allowed = _ALWAYS.union(*(_PART_FIELDS[p] for p in d.needs))
        read = object.__getattribute__(h, "_read")
        assert read <= allowed, (d.code, read - allowed)

"""The CIN census: a small dataset's XML validates against the 2025-26 schema, and every
mirrored DfE rule reports a bad record with the child's reference and the rule number."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from django.core.management import CommandError, call_command
from lxml import etree

from sightline.accounts.tests.clients import token_client
from sightline.audit.models import AuditEvent
from sightline.casework.models import (
    Assessment,
    Conference,
    Plan,
    Section47Enquiry,
    StrategyDiscussion,
)
from sightline.core.errors import Invalid
from sightline.people.models import Child
from sightline.referrals.models import Referral, ReferralChild
from sightline.referrals.tests.factories import submit
from sightline.reporting.returns import cin_census
from sightline.reporting.returns.census import (
    AssessmentRow,
    ChildRow,
    EnquiryRow,
    Episode,
    PlanRow,
    check,
    collection_year,
    la_child_id,
)

FIXTURES = Path(__file__).parent / "fixtures" / "statutory"
SCHEMA = xmlschema.XMLSchema(FIXTURES / "CIN_schema_2025-26.xsd")
YEAR = collection_year("2025-26")
D = dt.date


def test_the_sample_validates_against_the_copied_schema() -> None:
    SCHEMA.validate(FIXTURES / "cin_sample_minimal.xml")


def _referred(user: Any, on: dt.date, reference: str) -> tuple[Referral, Child]:
    referral = submit(user).referral
    Referral.objects.filter(pk=referral.pk).update(
        received_at=dt.datetime.combine(on, dt.time(10), tzinfo=dt.UTC)
    )
    link = referral.children.get()
    child = link.child or Child.objects.create(
        reference=reference, given_name="Synthetic", family_name="Child", sex="female",
        date_of_birth=D(2011, 5, 2),
    )  # fmt: skip
    link.child = child
    link.save(update_fields=["child"])
    return referral, child


@pytest.mark.django_db
def test_a_small_dataset_validates_with_its_statutory_steps(teacher: Any, tmp_path: Path) -> None:
    referral, child = _referred(teacher, D(2025, 6, 10), "CH20250000001")
    _referred(teacher, D(2025, 9, 1), "CH20250000002")  # referral only, no steps
    common = {"child": child, "referral": referral, "recorded_by": teacher,
              "agency": teacher.agency}  # fmt: skip
    Assessment.objects.create(
        **common, started_on=D(2025, 6, 11), authorised_on=D(2025, 7, 20), factors=["11A", "10A"]
    )
    strategy = StrategyDiscussion.objects.create(
        **common,
        held_at=dt.datetime(2025, 6, 12, 9, tzinfo=dt.UTC),
        police_present=True,
        csc_present=True,
        health_present=True,
    )
    enquiry = Section47Enquiry.objects.create(
        **common,
        strategy_discussion=strategy,
        started_on=D(2025, 6, 12),
        outcome="substantiated_conference",
    )
    Conference.objects.create(**common, kind="initial", enquiry=enquiry, held_on=D(2025, 7, 1))
    Plan.objects.create(**common, kind="cp", category="SAB", started_on=D(2025, 7, 1))
    out = tmp_path / "census.xml"
    call_command("cin_census", "--year", "2025-26", "--la", "999", "--output", str(out))
    SCHEMA.validate(out)
    text = out.read_text()
    assert text.count("<CINdetails>") == 2  # the same child referred twice: two episodes
    assert "<AssessmentFactors>11A</AssessmentFactors>" in text
    assert "<CPPstartDate>2025-07-01</CPPstartDate>" in text
    assert "Synthetic" not in text  # no names in the return


@pytest.mark.django_db
def test_an_unsupported_year_is_refused(tmp_path: Path) -> None:
    with pytest.raises(Invalid):
        cin_census("2019-20")
    with pytest.raises(CommandError, match="not supported"):
        call_command("cin_census", "--year", "2030-31", "--output", str(tmp_path / "x.xml"))


@pytest.mark.django_db
def test_strict_writes_nothing_while_an_error_remains(teacher: Any, tmp_path: Path) -> None:
    referral, child = _referred(teacher, D(2025, 6, 10), "CH20250000003")
    Assessment.objects.create(
        child=child, referral=referral, recorded_by=teacher, agency=teacher.agency,
        started_on=D(2025, 6, 1), authorised_on=D(2025, 6, 20), factors=["3B"],
    )  # fmt: skip
    out = tmp_path / "census.xml"
    with pytest.raises(CommandError, match="nothing written"):
        call_command("cin_census", "--year", "2025-26", "--output", str(out), "--strict")
    assert not out.exists()
    result = cin_census("2025-26")
    assert {(f.child, f.rule) for f in result.errors} >= {(la_child_id(child.reference), "1103")}


def _rules(**episode: Any) -> set[str]:
    ep = Episode(referral_date=D(2025, 6, 10), source="6", **episode)
    return {f.rule for f in check([ChildRow("C1", D(2011, 1, 1), "F", False, [ep])], YEAR)}


A_OK = AssessmentRow(D(2025, 6, 11), D(2025, 7, 1), D(2025, 7, 1), ["11A"])
CP = PlanRow("cp", D(2025, 7, 1), None, "SAB")


@pytest.mark.parametrize(
    ("rule", "episode"),
    [
        ("1103", {"assessments": [AssessmentRow(D(2025, 6, 1), D(2025, 7, 1), None, ["1A"])]}),
        ("1104", {"initial_conferences": [D(2025, 6, 2)]}),
        ("1105", {"plans": [PlanRow("cin", D(2025, 6, 1), None, "")]}),
        ("2889", {"enquiries": [EnquiryRow(D(2025, 6, 1), None, True)]}),
        ("8615", {"enquiries": [EnquiryRow(D(2025, 7, 3), D(2025, 7, 1), False)],
                  "initial_conferences": [D(2025, 7, 1)]}),
        ("8925", {"plans": [PlanRow("cin", D(2025, 7, 1), D(2025, 6, 30), "")]}),
        ("2883", {"plans": [CP]}),
        ("2885", {"plans": [CP], "initial_conferences": [D(2025, 6, 30)]}),
        ("4001", {"plans": [CP, PlanRow("cin", D(2025, 6, 20), None, "")],
                  "initial_conferences": [D(2025, 7, 1)]}),
        ("8831", {"nfa": True, "closure_date": D(2025, 6, 10), "assessments": [A_OK]}),
        ("8565", {"closure_date": D(2025, 6, 10), "assessments": [A_OK]}),
        ("8670Q", {"assessments": [AssessmentRow(D(2025, 6, 11), None, None, [])]}),
        ("8675Q", {"enquiries": [EnquiryRow(D(2025, 6, 11), None, False)]}),
        ("8870Q", {"initial_conferences": [D(2025, 7, 5)]}),  # a Saturday
        ("8897Q", {"assessments": [AssessmentRow(D(2025, 6, 11), D(2025, 7, 1), None, [])]}),
        ("8869", {"assessments": [
            AssessmentRow(D(2025, 6, 11), D(2025, 7, 1), None, ["21", "1A"])
        ]}),
    ],
)  # fmt: skip
def test_each_mirrored_rule_reports_a_bad_record(rule: str, episode: dict[str, Any]) -> None:
    assert rule in _rules(**episode)


def test_a_clean_episode_reports_nothing() -> None:
    assert _rules(assessments=[A_OK], plans=[CP], initial_conferences=[D(2025, 7, 1)]) == set()


def test_duplicate_child_ids_are_reported() -> None:
    ep = Episode(referral_date=D(2025, 6, 10), source="6")
    rows = [ChildRow("C1", None, "U", False, [ep]), ChildRow("C1", None, "U", False, [ep])]
    failures = check(rows, YEAR)
    assert [(f.child, f.rule) for f in failures] == [("C1", "8510")]


@pytest.mark.django_db
def test_the_api_answers_422_with_the_failures_and_audits_a_written_census(
    teacher: Any, safeguarding_lead: Any
) -> None:
    referral, child = _referred(teacher, D(2025, 6, 10), "CH20250000004")
    client = token_client(safeguarding_lead)
    assert client.get("/api/v1/reports/cin-census?year=2031-32").status_code == 422
    good = client.get("/api/v1/reports/cin-census?year=2025-26")
    assert good.status_code == 200 and good["Content-Type"] == "application/xml"
    SCHEMA.validate(etree.fromstring(good.content))
    rows = AuditEvent.objects.filter(action="record.export", object_type="cin_census")
    assert rows.count() == 1
    Assessment.objects.create(
        child=child, referral=referral, recorded_by=teacher, agency=teacher.agency,
        started_on=D(2025, 6, 1), authorised_on=D(2025, 6, 20), factors=["3B"],
    )  # fmt: skip
    bad = client.get("/api/v1/reports/cin-census?year=2025-26")
    assert bad.status_code == 422
    failures = bad.json()["detail"]["failures"]
    assert {"child": la_child_id(child.reference), "rule": "1103"}.items() <= failures[0].items()
    assert rows.count() == 1  # nothing written, nothing exported


@pytest.mark.django_db
def test_the_demo_boroughs_census_validates(tmp_path: Path) -> None:
    call_command(
        "demo_borough", children=40, years=2, seed=7, truth=tmp_path / "t.json",
        stdout=io.StringIO(),
    )  # fmt: skip
    result = cin_census("2025-26")
    assert result.children > 0 and result.xml is not None
    assert [f.as_dict() for f in result.errors] == []  # zero rule errors
    SCHEMA.validate(etree.fromstring(result.xml))

    # A bad record seeded into the borough is reported by child and rule, and --strict
    # (as every download is) then writes nothing.
    link = (
        ReferralChild.objects.filter(referral__received_at__date__gte=D(2025, 5, 1),
                                     referral__received_at__date__lte=D(2026, 3, 1),
                                     child__isnull=False,
                                     referral__decision__outcome="assessment")
        .select_related("referral", "child").order_by("referral__received_at").first()
    )  # fmt: skip
    assert link is not None and link.child is not None
    received = link.referral.received_at.date()
    Assessment.objects.create(
        child=link.child, referral=link.referral, recorded_by=link.referral.referred_by,
        agency=link.referral.source_agency, started_on=received - dt.timedelta(days=9),
        authorised_on=received + dt.timedelta(days=20), factors=["11A"],
    )  # fmt: skip
    strict = cin_census("2025-26", strict=True)
    assert strict.xml is None
    assert [(f.child, f.rule) for f in strict.errors] == [
        (la_child_id(link.child.reference), "1103")
    ]

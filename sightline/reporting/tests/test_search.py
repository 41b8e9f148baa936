from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sightline.accounts.tests.clients import signed_in, token_client
from sightline.accounts.tests.factories import UserFactory
from sightline.audit.choices import Action
from sightline.audit.models import AuditEvent
from sightline.core.errors import Invalid, NotPermitted
from sightline.intel.resolution import CAPPED_KEYS, search_keys
from sightline.people.models import Child, ChildAccess
from sightline.referrals.inputs import ChildInput, PersonInput, PlaceInput
from sightline.referrals.tests.factories import submit
from sightline.reporting.search import parse, resolve_types, search, search_record, validate
from sightline.reporting.search_intel import _person_features

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 1)


def _child(given: str, family: str, born: dt.date, postcode: str = "NB4 7QX") -> ChildInput:
    return ChildInput(
        given_name=given, family_name=family, date_of_birth=born, sex="female", postcode=postcode
    )


@pytest.fixture
def world(police_officer: Any, teacher: Any) -> dict[str, Any]:
    """Rebecca Smythe (police referral) and Kayden Marlow (school referral)."""
    jess = submit(
        police_officer,
        children=[_child("Rebecca", "Smythe", dt.date(2012, 4, 3))],
        persons_named=[PersonInput(name="Dean Farrow", nickname="Deano", phone="07700 900123",
                                   vehicle_registration="NB19 XYZ")],
    )  # fmt: skip
    kayden = submit(
        teacher,
        children=[_child("Kayden", "Marlow", dt.date(2013, 9, 20), postcode="NB3 1AA")],
        persons_named=[],
        places_named=[PlaceInput(name="Quillby Grill", kind="takeaway", postcode="NB3 2BB")],
    )
    return {
        "jess": jess.children[0].referral_child.child,
        "jess_ref": jess.referral.reference,
        "kayden": kayden.children[0].referral_child.child,
    }


def _titles(result: Any, kind: str) -> list[str]:
    return [h.title for h in result.of_type(kind)]


def _run(user: Any, text: str, types: list[str] | None = None) -> Any:
    return search(user=user, text=text, purpose="case_work", types=types or ["child"], today=TODAY)


# ---- reading the query --------------------------------------------------------------------


def test_parse_recognises_each_kind_of_identifier() -> None:
    assert parse("ch-2026-0000012").reference == "CH-2026-0000012"
    assert parse("07700 900123").phone == "+447700900123"
    assert parse("nb3 1aa").postcode == "NB31AA"
    assert parse("NB19 XYZ").plate == "NB19XYZ"
    assert (parse("…XYZ").plate, parse("…XYZ").plate_anchor) == ("XYZ", "end")
    named = parse("Becky Smith 03/04/2012")
    assert named.words == ("becky", "smith") and named.date_of_birth == dt.date(2012, 4, 3)
    assert parse("Smith aged 14").age == 14
    # A name and an age is not a dateless registration.
    assert parse("Jo 14").words == ("jo",) and parse("Jo 14").age == 14 and not parse("Jo 14").plate


@pytest.mark.parametrize(
    ("query", "purpose", "message"),
    [
        ("", "case_work", "Enter a name"),
        ("   ", "case_work", "Enter a name"),
        ("x" * 201, "case_work", "200 characters or fewer"),
        ("x" * 10_000, "case_work", "200 characters or fewer"),
        ("Becky Smith", None, "Choose why you are searching"),
        ("Becky Smith", "curiosity", "Choose why you are searching"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    query: str, purpose: str | None, message: str
) -> None:
    with pytest.raises(Invalid, match=message):
        validate(query=query, purpose=purpose)


def test_types_are_those_the_role_may_search(manager: Any, school_lead: Any) -> None:
    assert resolve_types(user=manager, requested=None) == [
        "child", "person", "place", "vehicle", "phone",
    ]  # fmt: skip
    assert resolve_types(user=school_lead, requested=None) == ["child"]
    with pytest.raises(NotPermitted):
        resolve_types(user=school_lead, requested=["person"])
    with pytest.raises(Invalid):
        resolve_types(user=manager, requested=["weapon"])


# ---- children -----------------------------------------------------------------------------


def test_child_found_by_short_form_and_spelling_variant(
    world: dict[str, Any], manager: Any
) -> None:
    assert _titles(_run(manager, "Becky Smith"), "child") == ["Rebecca Smythe"]
    hit = _run(manager, "Becky Smith").of_type("child")[0]
    assert "short form or spelling variant of the given name" in hit.reasons
    assert _titles(_run(manager, "Kaiden Marlow"), "child") == ["Kayden Marlow"]


def test_child_found_with_names_the_other_way_round(world: dict[str, Any], manager: Any) -> None:
    hit = _run(manager, "Smythe Rebecca").of_type("child")[0]
    assert hit.title == "Rebecca Smythe" and "given and family names swapped" in hit.reasons


def test_child_found_by_date_of_birth_age_reference_and_postcode(
    world: dict[str, Any], manager: Any
) -> None:
    assert _titles(_run(manager, "03/04/2012"), "child") == ["Rebecca Smythe"]
    assert _titles(_run(manager, "2012-03-04"), "child") == ["Rebecca Smythe"]  # day/month
    assert _titles(_run(manager, "aged 12"), "child") == ["Kayden Marlow"]
    assert _titles(_run(manager, "Marlow 12"), "child") == ["Kayden Marlow"]
    assert _titles(_run(manager, world["kayden"].reference), "child") == ["Kayden Marlow"]
    assert _titles(_run(manager, world["jess_ref"]), "child") == ["Rebecca Smythe"]
    assert _titles(_run(manager, "NB3 1AA"), "child") == ["Kayden Marlow"]


def test_a_name_with_the_wrong_date_of_birth_ranks_lower(
    world: dict[str, Any], manager: Any
) -> None:
    right = _run(manager, "Rebecca Smythe 03/04/2012").of_type("child")[0]
    wrong = _run(manager, "Rebecca Smythe 01/01/2001").of_type("child")
    assert "same date of birth" in right.reasons
    assert not wrong or wrong[0].score < right.score


def test_out_of_scope_child_is_not_listed(world: dict[str, Any], school_lead: Any) -> None:
    """The education lead sees the school's referral (Kayden), not the police's (Rebecca)."""
    assert _titles(_run(school_lead, "Kayden Marlow"), "child") == ["Kayden Marlow"]
    assert _titles(_run(school_lead, "Rebecca Smythe"), "child") == []
    assert _titles(_run(school_lead, "NB4 7QX"), "child") == []


def test_restricted_child_is_listed_only_for_named_users(
    world: dict[str, Any], manager: Any, front_door: Any
) -> None:
    Child.objects.filter(pk=world["jess"].pk).update(is_restricted=True)
    ChildAccess.objects.create(child=world["jess"], user=front_door)
    assert _titles(_run(manager, "Rebecca Smythe"), "child") == []
    assert _titles(_run(front_door, "Rebecca Smythe"), "child") == ["Rebecca Smythe"]


def _shape(sql: str) -> str:
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)


def test_a_search_matching_only_out_of_scope_records_runs_the_same_queries(
    world: dict[str, Any], school_lead: Any
) -> None:
    """Scope is a condition of each statement, not an early return: an out-of-scope match
    and no match at all run the same statements, in the same number."""
    runs = {}
    for text in ("Rebecca Smythe", "Rebekah Zzyzx"):
        with CaptureQueriesContext(connection) as ctx:
            assert _run(school_lead, text).count == 0
        runs[text] = [_shape(q["sql"]) for q in ctx.captured_queries]
    assert runs["Rebecca Smythe"] == runs["Rebekah Zzyzx"]
    assert len(runs["Rebecca Smythe"]) >= 1


# ---- intelligence -------------------------------------------------------------------------


ALL = ["child", "person", "place", "vehicle", "phone"]


def test_person_found_by_name_variant_nickname_and_phone(
    world: dict[str, Any], manager: Any
) -> None:
    assert "Dean Farrow" in _titles(_run(manager, "Dean Farrow", ALL), "person")[0]
    assert _titles(_run(manager, "Deano", ALL), "person")
    assert _titles(_run(manager, "+44 7700 900123", ALL), "person")
    assert _titles(_run(manager, "07700900123", ALL), "phone") == ["07700 900123"]


def test_a_person_search_reads_keys_and_profiles_in_one_statement(
    world: dict[str, Any], manager: Any
) -> None:
    """Each key lookup keeps its own limit and the scope condition, and the profiles come
    with the keys: one statement on either database (each limited lookup a subquery of one
    UNION ALL), however many weak keys the name gives."""
    keys = search_keys(_person_features(parse("Dean Farrow"), TODAY))
    weak = [k for k in keys if k.startswith(CAPPED_KEYS)]
    assert weak and len(weak) < len(keys), keys
    with CaptureQueriesContext(connection) as ctx:
        hits = _run(manager, "Dean Farrow", ["person"]).of_type("person")
    assert [h.title for h in hits] == ["Dean Farrow"]
    assert hits[0].detail == "“Deano”"
    assert len(ctx.captured_queries) == 1
    assert ctx.captured_queries[0]["sql"].count("UNION ALL") == len(weak)


def test_vehicle_and_place_found_by_registration_postcode_and_name(
    world: dict[str, Any], manager: Any
) -> None:
    assert _titles(_run(manager, "nb19xyz", ALL), "vehicle") == ["NB19 XYZ"]
    assert _titles(_run(manager, "NB19…", ALL), "vehicle") == ["NB19 XYZ"]
    assert _titles(_run(manager, "NB3 2BB", ALL), "place") == ["Quillby Grill"]
    assert _titles(_run(manager, "quillby", ALL), "place") == ["Quillby Grill"]


def test_intelligence_named_only_on_hidden_referrals_is_not_listed(
    world: dict[str, Any], manager: Any
) -> None:
    Child.objects.filter(pk=world["jess"].pk).update(is_restricted=True)
    assert _titles(_run(manager, "Dean Farrow", ALL), "person") == []
    assert _titles(_run(manager, "NB19 XYZ", ALL), "vehicle") == []


# ---- the audit row ------------------------------------------------------------------------


def test_search_writes_one_audit_row_with_purpose_types_and_count_only(
    world: dict[str, Any], manager: Any
) -> None:
    before = AuditEvent.objects.count()
    result = search_record(user=manager, query="Becky Smith", purpose="review", types=None)
    rows = list(AuditEvent.objects.order_by("seq")[before:])
    assert len(rows) == 1
    row = rows[0]
    assert (row.action, row.object_type) == (Action.SEARCH, "search")
    assert row.details == {"purpose": "review", "types": ALL, "count": result.count}
    text = str(row.details) + row.reason + row.object_ref
    assert "becky" not in text.lower() and "smith" not in text.lower()
    assert row.child_id is None


def test_refused_search_writes_no_audit_row(manager: Any) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(Invalid):
        search_record(user=manager, query="Jess", purpose=None, types=None)
    assert AuditEvent.objects.count() == before


# ---- page and API -------------------------------------------------------------------------


def test_page_asks_for_a_purpose_before_showing_results(
    world: dict[str, Any], manager: Any
) -> None:
    client = signed_in(manager)
    blank = client.get("/search/")
    assert blank.status_code == 200 and b"Why are you searching?" in blank.content
    no_purpose = client.get("/search/", {"q": "Rebecca Smythe"})
    assert no_purpose.status_code == 422
    assert b"Choose why you are searching" in no_purpose.content
    assert b"Rebecca Smythe</a>" not in no_purpose.content
    found = client.get("/search/", {"q": "Becky Smith", "purpose": "case_work", "types": "child"})
    assert found.status_code == 200 and b"Rebecca Smythe</a>" in found.content


@pytest.mark.parametrize("query", ["", "y" * 201, "y" * 10_000])
def test_page_and_api_refuse_bad_terms_with_422(manager: Any, query: str) -> None:
    page = signed_in(manager).get("/search/", {"q": query, "purpose": "case_work"})
    assert page.status_code == 422 and b"There is a problem" in page.content
    api = token_client(manager).get("/api/v1/search", {"q": query, "purpose": "case_work"})
    assert api.status_code == 422 and isinstance(api.json()["detail"], str)


def test_api_search_lists_results_and_needs_a_purpose(world: dict[str, Any], manager: Any) -> None:
    client = token_client(manager)
    refused = client.get("/api/v1/search", {"q": "Becky Smith"})
    assert refused.status_code == 422 and "Choose why" in refused.json()["detail"]
    body = client.get(
        "/api/v1/search", {"q": "Becky Smith", "purpose": "mace_preparation", "types": "child"}
    ).json()
    assert body["count"] == 1 and body["results"][0]["title"] == "Rebecca Smythe"
    assert body["results"][0]["url"] == f"/children/{world['jess'].pk}/"


def test_api_search_is_refused_to_roles_without_it(agencies: dict[str, Any]) -> None:
    auditor = UserFactory(username="ig-2", agency=agencies["other"], role="auditor")
    response = token_client(auditor).get("/api/v1/search", {"q": "x", "purpose": "review"})
    assert response.status_code == 403
    assert signed_in(auditor).get("/search/").status_code == 404


def test_a_merged_persons_old_reference_finds_the_person_it_was_merged_into(
    manager: Any, world: dict[str, Any]
) -> None:
    """ADR 0205: an old reference keeps finding its person after a merge."""
    from sightline.intel.models import PersonChange, PersonOfConcern

    dean = PersonOfConcern.objects.get(is_active=True)
    old = PersonOfConcern.objects.create(reference="POC-2026-0000099", is_active=False)
    PersonChange.objects.create(kind="merge", from_person=old.pk, into_person=dean.pk)
    hits = _run(manager, "POC-2026-0000099", ALL).of_type("person")
    assert [h.reference for h in hits] == [dean.reference]
    assert hits[0].reasons == ("merged from POC-2026-0000099",)
    assert _run(manager, "POC-2026-0000098", ALL).of_type("person") == []

"""Property-based fuzzing of the whole JSON API with schemathesis, in process.

Every operation in `/api/v1/openapi.json` gets at least 100 generated requests, sent through
the project's WSGI application (`config.wsgi.application`) as two roles: a front-door
practitioner and a referrer in another agency. Each response must not be a server error, its
status code must be documented for the operation, and its body must match the documented
schema. Path parameters are swapped for the ids of seeded records in part of the examples,
so handlers past the 404 are reached too. Failures are collected over all operations and
reported together.

A second run sends negative data (schemathesis's negative generation mode: wrong types,
missing required fields, values outside their bounds, malformed paths and queries) to every
operation as the front-door practitioner: no answer may be a server error, and every answer
must be JSON with a status the document lists for the operation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from sightline.accounts.roles import Role
from sightline.accounts.services import api_token_issue
from sightline.api.api import api

MAX_EXAMPLES = 100
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

NEGATIVE_EXAMPLES = 50
NEGATIVE_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# Real ids for the path parameters, filled in by the `seeded` fixture for the running test.
_REAL: dict[str, list[str]] = {}


def _load_schema() -> Any:
    raw = api.get_openapi_schema(path_prefix="/api/v1")
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = application
    return schema


SCHEMA = _load_schema()


@SCHEMA.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    """Now and then, replace each path parameter we hold real values for by one of them."""
    if not path_parameters:
        return st.just(path_parameters)
    choices: dict[str, Any] = {}
    for name, value in path_parameters.items():
        real = _REAL.get(name, [])
        choices[name] = st.sampled_from([value, *real]) if real else st.just(value)
    return st.fixed_dictionaries(choices)


@pytest.fixture
def wsgi_in_test_transaction() -> Iterator[None]:
    """Keep Django from closing the test's connection at the end of each request (as
    django.test.Client does), so that requests run inside the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _seed(users: dict[str, Any]) -> dict[str, list[str]]:
    from sightline.escalation import services as escalation_services
    from sightline.intel.models import Alert, LinkDecision, Mention, PersonOfConcern, Place
    from sightline.referrals.inputs import ChildInput, PersonInput, PlaceInput
    from sightline.referrals.tests.factories import referral_input
    from sightline.workflows import decision_record, referral_intake

    long_ago = dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=20)
    references: list[str] = []
    child_ids: list[str] = []
    for n, (given_name, family) in enumerate(
        [("Ayla", "Pendrick"), ("Mirren", "Caskey"), ("Tovah", "Blenkin")]
    ):
        result = referral_intake(
            acting_user=users["referrer"],
            data=referral_input(
                received_at=long_ago,
                children=[
                    ChildInput(
                        given_name=given_name,
                        family_name=family,
                        date_of_birth=dt.date(2011, 3, 1) + dt.timedelta(days=70 * n),
                        sex="female",
                        postcode="NB4 7QX",
                    )
                ],
                persons_named=[
                    PersonInput(name="Voss Haldane", nickname="V", phone="07700 900321")
                ],
                places_named=[PlaceInput(name="Lantern Grill", kind="takeaway")],
            ),
        )
        escalation_services.clocks_on_referral_received(
            referral=result.referral, acting_user=users["referrer"]
        )
        references.append(result.referral.reference)
        child_ids.extend(str(c.referral_child.child_id) for c in result.children)
    # A young child's referral can be decided without a screening: a challengeable decision.
    young = referral_intake(
        acting_user=users["referrer"],
        data=referral_input(
            children=[
                ChildInput(
                    given_name="Kestra",
                    family_name="Ollerby",
                    date_of_birth=dt.date(2020, 6, 2),
                    postcode="NB4 7QX",
                )
            ],
            persons_named=[],
            places_named=[],
        ),
    )
    decision_record(
        acting_user=users["front_door"],
        referral=young.referral,
        outcome="no_further_action",
        reason="Synthetic reason.",
    )
    references.append(young.referral.reference)
    escalation_services.sweep(at=dt.datetime.now(tz=dt.UTC))

    from sightline.escalation.models import Escalation
    from sightline.intel.services import mention_confirm

    linked = Mention.objects.order_by("created_at").first()
    assert linked is not None
    mention_confirm(
        acting_user=users["front_door"],
        mention=linked,
        entity_id=linked.entity_id,
        reason="Synthetic confirmation.",
    )
    mentions = list(Mention.objects.values_list("pk", flat=True)[:5])
    return {
        "reference": references,
        "child_id": child_ids,
        "escalation_id": [str(pk) for pk in Escalation.objects.values_list("pk", flat=True)[:5]],
        "alert_id": [str(pk) for pk in Alert.objects.values_list("pk", flat=True)[:5]],
        "person_id": [str(pk) for pk in PersonOfConcern.objects.values_list("pk", flat=True)[:5]],
        "node_id": [
            *(str(pk) for pk in PersonOfConcern.objects.values_list("pk", flat=True)[:2]),
            *(str(pk) for pk in Place.objects.values_list("pk", flat=True)[:2]),
            *child_ids[:2],
        ],
        "node_type": ["person", "place", "vehicle", "phone", "child"],
        "mention_id": [str(pk) for pk in mentions],
        "decision_id": [str(pk) for pk in LinkDecision.objects.values_list("pk", flat=True)[:5]],
    }


@pytest.fixture
def seeded(agencies: dict[str, Any], wsgi_in_test_transaction: None) -> Iterator[dict[str, Any]]:
    from sightline.accounts.tests.factories import UserFactory

    users = {
        "front_door": UserFactory(
            username="fuzz-front-door", agency=agencies["csc"], role=Role.FRONT_DOOR_PRACTITIONER
        ),
        "referrer": UserFactory(
            username="fuzz-referrer", agency=agencies["police"], role=Role.REFERRER
        ),
    }
    _REAL.clear()
    _REAL.update(_seed(users))
    # Every kind of path parameter has real values to pick from.
    assert all(_REAL.values()), {k: len(v) for k, v in _REAL.items()}
    try:
        yield users
    finally:
        _REAL.clear()


def _fuzz_operation(
    operation: Any,
    token: str,
    *,
    mode: GenerationMode = GenerationMode.POSITIVE,
    max_examples: int = MAX_EXAMPLES,
    checks: list[Any] = CHECKS,
) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        case.validate_response(response, checks=checks)
        if mode is GenerationMode.NEGATIVE:
            # Every answer is JSON, whatever was sent.
            assert "detail" in response.json() or response.status_code < 400, response.text

    run()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["front_door", "referrer"])
def test_every_operation_answers_within_its_documented_schema(
    role: str, seeded: dict[str, Any]
) -> None:
    _token, secret = api_token_issue(acting_user=None, user=seeded[role])
    failures: list[str] = []
    operations = 0
    for result in SCHEMA.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            _fuzz_operation(operation, secret)
        except (Exception, BaseExceptionGroup) as exc:  # report every operation's failures
            failures.append(f"{operation.label}: {exc}")
    assert operations >= 20
    assert not failures, "\n\n".join(failures)


@pytest.mark.django_db
def test_every_operation_answers_negative_data_with_documented_json(
    seeded: dict[str, Any],
) -> None:
    _token, secret = api_token_issue(acting_user=None, user=seeded["front_door"])
    failures: list[str] = []
    operations = 0
    for result in SCHEMA.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            _fuzz_operation(
                operation,
                secret,
                mode=GenerationMode.NEGATIVE,
                max_examples=NEGATIVE_EXAMPLES,
                checks=NEGATIVE_CHECKS,
            )
        except (Exception, BaseExceptionGroup) as exc:  # report every operation's failures
            failures.append(f"{operation.label}: {exc}")
    assert operations >= 20
    assert not failures, "\n\n".join(failures)

"""Regression tests for faults the API fuzzing found in the OpenAPI document itself."""

from __future__ import annotations

import importlib
import sys
from collections import defaultdict
from typing import Any

from ninja import Schema

from sightline.api.api import api

API_MODULES = [
    "sightline.api.referrals",
    "sightline.referrals.api",
    "sightline.screening.api",
    "sightline.reporting.access_log_api",
    "sightline.escalation.api",
    "sightline.intel.api",
    "sightline.intel.api_schemas",
    "sightline.core.api",
]


def test_schemas_sharing_a_component_name_have_the_same_shape() -> None:
    """The OpenAPI components are keyed by class name: two different schemas with one name
    (intel's and referrals' DecisionOut did) document one of them wrongly."""
    by_name: dict[str, list[Any]] = defaultdict(list)
    # Every module the API has loaded (the routers import their schemas), not a list to keep.
    loaded = {n for n in sys.modules if n.startswith("sightline.") and ".tests" not in n}
    for name in sorted(set(API_MODULES) | loaded):
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Schema)
                and value is not Schema
                and value.__module__ == name
            ):
                by_name[value.__name__].append(value)
    clashes = {
        name: [c.__module__ for c in classes]
        for name, classes in by_name.items()
        if len({str(c.model_json_schema()) for c in classes}) > 1
    }
    assert clashes == {}


def test_referral_decision_is_documented_with_the_referral_decision_shape() -> None:
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    components = schema["components"]["schemas"]
    decision_ref = components["ReferralOut"]["properties"]["decision"]["anyOf"][0]["$ref"]
    decision = components[decision_ref.rsplit("/", 1)[1]]
    assert set(decision["properties"]) == {
        "outcome",
        "reason",
        "decided_at",
        "decided_by",
        "signed_off_by",
        "language_flags",  # the decision's stored flags, shown to the manager (issue 15)
    }

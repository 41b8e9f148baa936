"""Every error the API answers is JSON `{"detail": ...}` and documented in its OpenAPI
document: an oversized body 413, a body that is not JSON 415, an unknown path 404, a method
the path lacks 405, a server error 500 (ADR 0007)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from sightline.accounts.tests.clients import token_client
from sightline.api.api import api
from sightline.referrals.models import Referral

pytestmark = pytest.mark.django_db

BODY = {
    "narrative": "Seen with older men near the station.",
    "children": [{"given_name": "Wren", "family_name": "Altby"}],
}


def _assert_json_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response["Content-Type"].split(";")[0] == "application/json"
    answer = response.json()
    assert answer["detail"]
    return answer


def test_a_body_over_the_upload_limit_answers_413_as_json(
    police_officer: Any, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    big = json.dumps({**BODY, "narrative": "x" * 20_000})
    response = token_client(police_officer).post(
        "/api/v1/referrals", data=big, content_type="application/json"
    )
    _assert_json_error(response, 413)
    assert not Referral.objects.exists()


def test_a_ten_megabyte_body_answers_413_as_json(police_officer: Any) -> None:
    response = token_client(police_officer).post(
        "/api/v1/referrals", data=b"{" + b" " * 10_000_000 + b"}", content_type="application/json"
    )
    _assert_json_error(response, 413)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_a_json_body_sent_as_another_media_type_answers_415(
    police_officer: Any, content_type: str
) -> None:
    response = token_client(police_officer).post(
        "/api/v1/referrals", data=json.dumps(BODY), content_type=content_type
    )
    answer = _assert_json_error(response, 415)
    assert "application/json" in answer["detail"]
    assert not Referral.objects.exists()


def test_json_with_a_charset_is_accepted(police_officer: Any) -> None:
    response = token_client(police_officer).post(
        "/api/v1/referrals", data=json.dumps(BODY), content_type="application/json; charset=utf-8"
    )
    assert response.status_code == 201


def test_a_body_that_is_not_json_answers_400_as_json(police_officer: Any) -> None:
    response = token_client(police_officer).post(
        "/api/v1/referrals", data="{not json", content_type="application/json"
    )
    _assert_json_error(response, 400)


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/v2/referrals", "/api/"])
def test_an_unknown_api_path_answers_404_as_json(front_door: Any, path: str) -> None:
    _assert_json_error(token_client(front_door).get(path), 404)


def test_an_unknown_api_path_answers_404_as_json_without_a_token() -> None:
    _assert_json_error(Client().get("/api/v1/no-such-thing"), 404)


def test_a_method_the_path_lacks_answers_405_as_json_with_allow(front_door: Any) -> None:
    response = token_client(front_door).delete("/api/v1/referrals")
    answer = _assert_json_error(response, 405)
    assert "POST" in response["Allow"]
    assert "POST" in answer["detail"]


def test_a_server_error_answers_500_as_json(front_door: Any, monkeypatch: Any) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr("sightline.api.auth.token_authenticate", broken)
    client = token_client(front_door)
    client.raise_request_exception = False
    answer = _assert_json_error(client.get("/api/v1/screening/indicators"), 500)
    assert "a bug" not in json.dumps(answer)


def test_pages_still_answer_html_errors() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


COMMON = {
    "401": "every operation takes a bearer token",
    "403": "its user may not be allowed",
    "429": "its token may be past its rate limit",
    "503": "the database may be unreachable",
}


def test_the_openapi_document_lists_the_common_error_answers() -> None:
    schema = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1")))
    operations = [
        (method, path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    assert len(operations) >= 20
    for method, path, operation in operations:
        codes = set(operation["responses"])
        assert set(COMMON) <= codes, (method, path)
        if "requestBody" in operation:
            assert {"400", "413", "415", "422"} <= codes, (method, path)
        if "{" in path:
            assert {"404", "422"} <= codes, (method, path)
        if method == "post":
            assert "409" in codes, (method, path)
        for code in ("429", "503"):
            assert "Retry-After" in operation["responses"][code]["headers"]
        for code, answer in operation["responses"].items():
            if code.startswith(("4", "5")):
                ref = answer["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Detail", (method, path, code)


def test_the_served_openapi_document_is_the_one_with_the_error_answers(front_door: Any) -> None:
    response = token_client(front_door).get("/api/v1/openapi.json")
    assert response.status_code == 200
    post = response.json()["paths"]["/api/v1/referrals"]["post"]["responses"]
    assert {"201", "400", "401", "403", "409", "413", "415", "422", "429", "503"} <= set(post)

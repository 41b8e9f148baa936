"""The canary test: children with distinctive names and dates of birth go through the whole
front door (API and pages: refer, screen, decide, view, list, network, access log, errors) while
every log record and every URL requested or redirected to is captured. Neither the names nor
the dates of birth, in any usual format, may appear in any of them, in the audit trail's
free-text fields, or in an API error answer."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from sightline.accounts.tests.clients import signed_in, token_client
from sightline.audit.models import AuditEvent
from sightline.escalation.services import sweep
from sightline.people.models import Child

pytestmark = pytest.mark.django_db

API_CHILD = {"given_name": "Zqxcanaryone", "family_name": "Vwkcanarytwo", "dob": "2012-03-04"}
WEB_CHILD = {"given_name": "Zqxcanarythree", "family_name": "Vwkcanaryfour", "dob": "2013-05-06"}


def _date_forms(iso: str) -> list[str]:
    year, month, day = iso.split("-")
    months = ["January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December"]  # fmt: skip
    name = months[int(month) - 1]
    d, m = int(day), int(month)
    return [
        iso,
        f"{day}/{month}/{year}",
        f"{d}/{m}/{year}",
        f"{day}-{month}-{year}",
        f"{d} {name} {year}",
        f"{day} {name} {year}",
        f"{d} {name[:3]} {year}",
    ]


CANARIES = [
    form
    for child in (API_CHILD, WEB_CHILD)
    for form in (child["given_name"], child["family_name"], *_date_forms(child["dob"]))
]


def leaks(text: str) -> list[str]:
    lowered = text.lower()
    return [c for c in CANARIES if c.lower() in lowered]


class _Capture(logging.Handler):
    """Keeps the message, its arguments, any traceback and every extra attribute of each
    record. The one exception is the `request` extra (django.request): its repr carries the
    query string the user typed, so only its path is kept; the test puts the canary in query
    strings on purpose, and the app itself never makes such an address (see `urls`)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.texts: list[str] = []
        self._seen: set[int] = set()
        self._formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")

    def emit(self, record: logging.LogRecord) -> None:
        if id(record) in self._seen:  # the same record reaches us through several loggers
            return
        self._seen.add(id(record))
        extras = {
            k: repr(v) for k, v in record.__dict__.items() if k not in {"msg", "args", "request"}
        }
        request = record.__dict__.get("request")
        path = getattr(request, "path", "")
        self.texts.append(f"{self._formatter.format(record)} {record.args!r} {path} {extras}")


@pytest.fixture
def captured_logs() -> Iterator[_Capture]:
    """A DEBUG handler on the root logger and on every logger that does not propagate."""
    handler = _Capture()
    names = ["", "django", "django.request", "django.server", "django.security", "sightline"]
    names += [
        name
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    saved: list[tuple[logging.Logger, int]] = []
    for name in dict.fromkeys(names):
        logger = logging.getLogger(name)
        saved.append((logger, logger.level))
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
    yield handler
    for logger, level in saved:
        logger.removeHandler(handler)
        logger.setLevel(level)


class Browser:
    """Wraps a test client and keeps every URL requested or redirected to."""

    def __init__(self, client: Client, urls: list[str]) -> None:
        self.client = client
        self.urls = urls

    def _record(self, url: str, response: Any) -> Any:
        self.urls.append(url)
        self.urls.extend(u for u, _status in getattr(response, "redirect_chain", []))
        if response.has_header("Location"):
            self.urls.append(response["Location"])
        return response

    def get(self, url: str, **kw: Any) -> Any:
        return self._record(url, self.client.get(url, **kw))

    def post(self, url: str, data: Any = None, **kw: Any) -> Any:
        return self._record(url, self.client.post(url, data, **kw))

    def post_json(self, url: str, body: Any) -> Any:
        data = body if isinstance(body, str) else json.dumps(body)
        return self._record(url, self.client.post(url, data, content_type="application/json"))


def _api_payload(child: dict[str, str], **child_overrides: Any) -> dict[str, Any]:
    return {
        "narrative": "Seen getting into cars with older men near the takeaway after school.",
        "children": [
            {
                "given_name": child["given_name"],
                "family_name": child["family_name"],
                "date_of_birth": child["dob"],
                "sex": "female",
                "postcode": "NB3 1AA",
                **child_overrides,
            }
        ],
        "persons_named": [{"name": "Carl Venn", "phone": "07700 900456"}],
        "urgency": "urgent",
    }


def _web_form(child: dict[str, str], **overrides: str) -> dict[str, str]:
    year, month, day = child["dob"].split("-")
    data = {
        "narrative": "Collected from school by an adult man in a grey van twice this week.",
        "concern_categories": "sexual_exploitation",
        "urgency": "urgent",
        "child_aware": "no",
        "family_aware": "unknown",
        "child-0-given_name": child["given_name"],
        "child-0-family_name": child["family_name"],
        "child-0-date_of_birth_0": str(int(day)),
        "child-0-date_of_birth_1": str(int(month)),
        "child-0-date_of_birth_2": year,
        "child-0-sex": "female",
        "child-0-postcode": "NB2 5LT",
        "place-0-kind": "other",
        "submit": "1",
    }
    for prefix, maximum in (("child", 20), ("person", 50), ("place", 50)):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "1",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "1" if prefix == "child" else "0",
                f"{prefix}-MAX_NUM_FORMS": str(maximum),
            }
        )
    data.update(overrides)
    return data


SCREEN_MARKS = {"status_B1": "present", "basis_B1": "evidence", "status_C2": "possible"}


def test_canary_children_never_reach_logs_or_urls(
    captured_logs: _Capture,
    police_officer: Any,
    teacher: Any,
    manager: Any,
    auditor: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    urls: list[str] = []
    api_referrer = Browser(token_client(police_officer), urls)
    api_manager = Browser(token_client(manager), urls)
    web_teacher = Browser(signed_in(teacher), urls)
    web_manager = Browser(signed_in(manager), urls)
    web_auditor = Browser(signed_in(auditor), urls)
    bodies: list[str] = []  # answers that must not echo the canary (errors, API refusals)

    # Refused first, with the canary in the bad input: API 422s and a web form 422.
    for bad in (
        _api_payload(API_CHILD, date_of_birth=f"{API_CHILD['given_name']}-03-04"),
        _api_payload(API_CHILD, date_of_birth="2999-03-04"),
        _api_payload(API_CHILD, given_name=API_CHILD["given_name"] * 20),
        _api_payload(API_CHILD, sex=API_CHILD["family_name"]),
        _api_payload(API_CHILD, postcode="ZZZ"),
    ):
        refused = api_referrer.post_json("/api/v1/referrals", bad)
        assert refused.status_code == 422, refused.content
        bodies.append(refused.content.decode())
    broken_json = json.dumps(_api_payload(API_CHILD))[:-5]
    refused = api_referrer.post_json("/api/v1/referrals", broken_json)
    assert 400 <= refused.status_code < 500
    bodies.append(refused.content.decode())
    refused = web_teacher.post("/referrals/new/", _web_form(WEB_CHILD, **{"child-0-postcode": "Z"}))
    assert refused.status_code == 422
    assert Child.objects.count() == 0

    # Referred through the API and through the form.
    created = api_referrer.post_json("/api/v1/referrals", _api_payload(API_CHILD))
    assert created.status_code == 201, created.content
    api_ref = created.json()["reference"]
    # The referrer may not open child records, so its answer names the referral-child; the
    # manager below opens the child by the record's own id.
    api_child = str(Child.objects.get(given_name=API_CHILD["given_name"]).pk)
    sent = web_teacher.post("/referrals/new/", _web_form(WEB_CHILD), follow=True)
    assert sent.status_code == 200 and sent.redirect_chain
    web_ref = sent.redirect_chain[-1][0].rstrip("/").rsplit("/", 1)[-1]
    web_child = str(Child.objects.get(given_name=WEB_CHILD["given_name"]).pk)
    assert api_ref != web_ref

    # Screened, decided (after a refused decision) and read, by API and by page.
    screened = api_manager.post_json(
        f"/api/v1/referrals/{api_ref}/screening",
        {"indicators": [{"code": "B1", "status": "present", "basis": "evidence"}]},
    )
    assert screened.status_code == 200, screened.content
    decided = api_manager.post_json(
        f"/api/v1/referrals/{api_ref}/decision",
        {"outcome": "strategy_discussion", "reason": "Indicators present; police to attend."},
    )
    assert decided.status_code == 200, decided.content
    screen_url = f"/referrals/{web_ref}/children/{web_child}/screening/"
    assert web_manager.get(screen_url).status_code == 200
    assert web_manager.post(screen_url, SCREEN_MARKS, follow=True).status_code == 200
    decision_url = f"/referrals/{web_ref}/decision/"
    assert web_manager.post(decision_url, {"outcome": "early_help"}).status_code == 422
    decided_page = web_manager.post(
        decision_url, {"outcome": "specialist_cse_team", "reason": "Refer to the CSE team."}
    )
    assert decided_page.status_code in {302, 409}
    for url in (
        "/referrals/",
        f"/referrals/{web_ref}/",
        f"/referrals/{api_ref}/",
        f"/children/{web_child}/",
        f"/children/{api_child}/",
        f"/escalation/referrals/{api_ref}/",
        "/escalation/",
        "/intel/",
        f"/intel/network/child/{api_child}/",
        f"/intel/network/child/{api_child}.json",
    ):
        assert web_manager.get(url).status_code == 200, url
    for url in (
        f"/api/v1/referrals/{api_ref}",
        f"/api/v1/referrals/{web_ref}/clocks",
        f"/api/v1/networks/child/{web_child}",
        "/api/v1/alerts",
    ):
        assert api_manager.get(url).status_code == 200, url
    assert web_teacher.get(f"/referrals/{web_ref}/").status_code == 200
    assert web_teacher.get("/referrals/mine/").status_code == 200
    assert web_auditor.get(f"/audit/children/{api_child}/").status_code == 200
    assert web_auditor.get(f"/audit/children/{api_child}/export.csv").status_code == 200
    assert (
        Browser(token_client(auditor), urls).get(f"/api/v1/children/{web_child}/access-log")
    ).status_code == 200
    sweep()

    # Error pages with the canary in the request: 404s and a 500.
    for url in (
        f"/referrals/SL-2026-999999/?name={API_CHILD['given_name']}&dob={API_CHILD['dob']}",
        f"/children/00000000-0000-0000-0000-000000000000/?q={WEB_CHILD['family_name']}",
        f"/api/v1/referrals/SL-2026-999999?name={API_CHILD['given_name']}",
    ):
        client = api_manager if url.startswith("/api/") else web_manager
        missing = client.client.get(url)  # typed by the user: not an address the app made
        assert missing.status_code == 404
        bodies.append(missing.content.decode())
    wrong_place = web_teacher.post(
        "/access/break-glass/",
        {"reference": "SL-2026-999999", "reason": f"Looking for {WEB_CHILD['given_name']}"},
    )
    assert wrong_place.status_code in {404, 422}

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("simulated fault in intake")

    monkeypatch.setattr("sightline.site.frontdoor.views.referral_intake", broken)
    web_teacher.client.raise_request_exception = False
    failed = web_teacher.post("/referrals/new/", _web_form(WEB_CHILD, **{"child-0-sex": "male"}))
    assert failed.status_code == 500
    bodies.append(failed.content.decode())

    # The handler is wired: the 404s and the 500 were logged by django.request.
    logged = "\n".join(captured_logs.texts)
    assert "Not Found" in logged and "simulated fault in intake" in logged
    assert leaks(logged) == [], "\n".join(
        t[:600] + str(leaks(t)) for t in captured_logs.texts if leaks(t)
    )
    assert len(urls) > 30
    assert leaks(" ".join(urls)) == [], [u for u in urls if leaks(u)]
    assert [leaks(b) for b in bodies] == [[] for _ in bodies]
    audit_text = " ".join(
        f"{e.object_ref} {e.reason} {json.dumps(e.details)}" for e in AuditEvent.objects.all()
    )
    assert leaks(audit_text) == []
    assert Child.objects.filter(given_name__startswith="Zqxcanary").count() == 2

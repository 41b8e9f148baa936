"""Browser journeys: Playwright's sync API driving Debian's chromium against pytest-django's
live_server (a transactional database, emptied after each test).

Every tab records the browser console (errors, uncaught exceptions, CSP violations) and the
headers of every page it loads; `browsing.assert_clean()` fails the test on any console error
or on any page not sent with `Cache-Control: no-store`.

A missing chromium or Playwright fails the run with a clear message: CI allows no skips.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

# Playwright's sync API runs an asyncio event loop in the test thread, and Django refuses ORM
# calls from a thread with a running loop. The tests create and check rows from this thread
# while the browser is open, so say that this is intended before any database access.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("SIGHTLINE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# The password UserFactory gives every persona (sightline/accounts/tests/factories.py).
PASSWORD = "correct horse battery staple"
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless chromium for the whole run; each test opens its own contexts."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser journeys need Debian's chromium at {CHROMIUM}, which is missing. "
            "Install it (apt-get install chromium) or point SIGHTLINE_CHROMIUM at a chromium "
            "binary. These tests are never skipped.",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - the dev dependency group installs it
        pytest.fail(f"The browser journeys need Playwright for Python: {exc}", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@dataclass
class PageLoad:
    url: str
    status: int
    cache_control: str | None


@dataclass
class Tab:
    """One signed-in (or anonymous) person's browser tab, with what it has seen."""

    page: Any
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    loads: list[PageLoad] = field(default_factory=list)
    allowed_errors: list[re.Pattern[str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", self._on_console)
        self.page.on("pageerror", self._on_page_error)
        self.page.on("response", self._on_response)

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            self.console_errors.append(f"{self.page.url}: console error: {message.text}")

    def _on_page_error(self, error: Any) -> None:
        self.console_errors.append(f"{self.page.url}: uncaught exception: {error}")

    def _on_response(self, response: Any) -> None:
        request = response.request
        if request.resource_type == "document" and request.frame == self.page.main_frame:
            self.loads.append(
                PageLoad(response.url, response.status, response.headers.get("cache-control"))
            )

    def path(self) -> str:
        return self.page.url.removeprefix(self.base_url)

    def open(self, path: str, *, status: int = 200) -> Any:
        response = self.page.goto(self.base_url + path)
        assert response is not None, f"no response for {path}"
        assert response.status == status, f"GET {path} answered {response.status}"
        self._expect_status_error(response)
        return response

    def submit(self, button: Any, *, status: int = 200) -> Any:
        """Click a button that submits a form, wait for the page it leads to, check its status
        (the status of the last page after any redirects)."""
        with self.page.expect_navigation() as navigation:
            button.click()
        response = navigation.value
        assert response is not None, "the form submission loaded no page"
        assert response.status == status, f"{response.url} answered {response.status}"
        self._expect_status_error(response)
        return response

    def write(self, box: Any, text: str) -> None:
        """Fill a text box that has language flags and wait until its check is shown.

        The flags appear half a second after typing stops and can push what is below them down
        the page; a click aimed before they appear could land on the wrong thing."""
        name = box.get_attribute("name")

        def checks_this_text(response: Any) -> bool:
            if not response.url.endswith("/language/check/"):
                return False
            sent = parse_qs(response.request.post_data or "")
            return sent.get(name) == [text]

        with self.page.expect_response(checks_this_text):
            box.fill(text)
        self.page.wait_for_function(
            "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
        )

    def _expect_status_error(self, response: Any) -> None:
        """Chromium logs every 4xx/5xx page as a console error; one the test asked for is not
        a problem."""
        if response.status >= 400:
            self.allowed_errors.append(
                re.compile(
                    re.escape(f"{response.url}: console error: Failed to load resource: ")
                    + rf"the server responded with a status of {response.status}\b"
                )
            )

    def sign_in(self, username: str, password: str = PASSWORD) -> None:
        self.open("/accounts/sign-in/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.submit(self.page.get_by_role("button", name="Sign in", exact=True))
        assert "/accounts/sign-in/" not in self.page.url, (
            f"{username} could not sign in: {self.page.locator('main').inner_text()[:300]}"
        )

    def problems(self) -> list[str]:
        found = [
            error
            for error in self.console_errors
            if not any(p.search(error) for p in self.allowed_errors)
        ]
        found += [
            f"{load.url} answered {load.status} with Cache-Control {load.cache_control!r}"
            for load in self.loads
            if "no-store" not in (load.cache_control or "")
        ]
        return found


@dataclass
class Browsing:
    """Opens tabs, each in its own browser context (its own cookies), against live_server."""

    browser: Any
    base_url: str
    contexts: list[Any] = field(default_factory=list)
    tabs: list[Tab] = field(default_factory=list)

    def tab(self, username: str | None = None) -> Tab:
        context = self.browser.new_context(
            locale="en-GB", timezone_id="Europe/London", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        tab = Tab(context.new_page(), self.base_url)
        self.tabs.append(tab)
        if username is not None:
            tab.sign_in(username)
        return tab

    def assert_clean(self) -> None:
        """No console errors and `Cache-Control: no-store` on every page any tab loaded."""
        assert any(tab.loads for tab in self.tabs), "no page was loaded"
        problems = [problem for tab in self.tabs for problem in tab.problems()]
        assert not problems, "Problems seen in the browser:\n" + "\n".join(problems)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def browsing(browser: Any, live_server: Any) -> Iterator[Browsing]:
    session = Browsing(browser, live_server.url)
    yield session
    session.close()


@pytest.fixture
def adult_named_for_three_children(police_officer: Any, teacher: Any, front_door: Any) -> None:
    """Three referrals, from the police, a school and the police again, each naming "Carl
    Venn" (about 35) for a different child: one person of concern, with an alert."""
    import datetime as dt

    from sightline.referrals.inputs import ChildInput, PersonInput, ReferralInput
    from sightline.workflows import referral_intake

    for n, (user, family) in enumerate(
        [(police_officer, "Marsh"), (teacher, "Lowe"), (police_officer, "Quinn")]
    ):
        referral_intake(
            acting_user=user,
            data=ReferralInput(
                narrative="Seen getting into a car with an older man after school.",
                children=[
                    ChildInput(
                        given_name="Test",
                        family_name=family,
                        date_of_birth=dt.date(2011, 3, 1) + dt.timedelta(days=40 * n),
                        address=f"{n} Test Street",
                        postcode="NB3 1AA",
                    )
                ],
                received_at=dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=10 - n),
                concern_categories=["sexual_exploitation"],
                persons_named=[PersonInput(name="Carl Venn", approximate_age=35)],
            ),
        )

"""Full-page screenshots of the front door, taken from a running Sightline demo.

This script starts nothing: run a demo server first, with the same environment, e.g.

    export DATABASE_URL=sqlite:////tmp/sightline-demo.sqlite3
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py demo_borough --children 300 --years 2 --seed 2026
    .venv/bin/python manage.py runserver 127.0.0.1:8000 --noreload &
    .venv/bin/python scripts/screenshots.py --base-url http://127.0.0.1:8000

The demo users' passwords come from `manage.py demo_users --json`, run with this process's
environment (so DATABASE_URL and the installation's secret key match the server's).

It walks one referral through the front door and writes docs/screenshots/front-door-*.png:
the sign-in page, the queue, the referral form (empty, with errors and with two children), the
CSE screening page with its highlighted suggestions, the refusal to close a high-risk referral
without a manager's sign-off, the decided referral, and what the referrer sees. The walk makes a new
referral in the demo database each time it runs.

Console errors and pages without `Cache-Control: no-store` are listed at the end, and make the
script exit with status 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path(os.environ.get("SIGHTLINE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROLES = {
    "practitioner": "front_door_practitioner",
    "referrer": "referrer",
}
NARRATIVE = (
    "Ellie told her form tutor that a man she calls Deano picks her up from the school gate in "
    "a silver car. She went missing overnight twice this month, the second time after being "
    "seen getting into a silver car outside the Golden Grill. She has a new phone and new "
    "clothes she will not explain, and has stopped seeing her friends."
)
# Both suggested by the narrative above and high-weight: together they give a High screening.
PRESENT = ("B1", "C2")


def _manage(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed arguments, this interpreter
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=False,
    )


def demo_users() -> dict[str, tuple[str, str]]:
    done = _manage("demo_users", "--json")
    if done.returncode != 0:
        sys.exit(f"manage.py demo_users --json failed:\n{done.stderr}")
    # A list of {"username", "role", "agency", "password"}, one per role.
    users = {u["role"]: (u["username"], u["password"]) for u in json.loads(done.stdout)}
    missing = [role for role in ROLES.values() if role not in users]
    if missing:
        sys.exit(f"No demo user for {', '.join(missing)}: run manage.py demo_borough first.")
    return users


class Walk:
    def __init__(self, browser: Any, base_url: str, out: Path) -> None:
        self.browser = browser
        self.base_url = base_url.rstrip("/")
        self.out = out
        self.problems: list[str] = []
        self.saved: list[Path] = []

    @contextmanager
    def person(self, username: str | None = None, password: str = "") -> Iterator[Any]:
        context = self.browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="en-GB", timezone_id="Europe/London"
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.on(
            "console",
            lambda m: m.type == "error" and self.problems.append(f"{page.url}: {m.text}"),
        )
        page.on("pageerror", lambda e: self.problems.append(f"{page.url}: uncaught {e}"))
        page.on("response", lambda r: self._check_headers(page, r))
        try:
            if username:
                self.go(page, "/accounts/sign-in/")
                page.get_by_label("Username").fill(username)
                page.get_by_label("Password").fill(password)
                self.click(page, page.get_by_role("button", name="Sign in", exact=True))
                if "/accounts/sign-in/" in page.url:
                    sys.exit(f"{username} could not sign in at {self.base_url}.")
            yield page
        finally:
            context.close()

    def _check_headers(self, page: Any, response: Any) -> None:
        request = response.request
        if request.resource_type != "document" or request.frame != page.main_frame:
            return
        if "no-store" not in (response.headers.get("cache-control") or ""):
            self.problems.append(f"{response.url}: Cache-Control is not no-store")

    def go(self, page: Any, path: str) -> None:
        response = page.goto(self.base_url + path)
        if response is None or response.status >= 400:
            sys.exit(f"GET {path} failed: {response and response.status}")

    def click(self, page: Any, target: Any, expect: int = 200) -> None:
        with page.expect_navigation() as navigation:
            target.click()
        status = navigation.value.status if navigation.value else None
        if status != expect:
            sys.exit(f"{page.url} answered {status}, not {expect}")

    def shot(self, page: Any, name: str) -> None:
        path = self.out / f"front-door-{name}.png"
        page.mouse.move(0, 0)  # no hover highlight left where the last click was
        page.screenshot(path=str(path), full_page=True)
        self.saved.append(path)
        print(f"  {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def run(base_url: str, out: Path) -> int:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        sys.exit(f"chromium is missing at {CHROMIUM}; set SIGHTLINE_CHROMIUM.")
    users = demo_users()
    practitioner = users[ROLES["practitioner"]]
    referrer = users[ROLES["referrer"]]
    out.mkdir(parents=True, exist_ok=True)
    born = dt.datetime.now(tz=dt.UTC).date() - dt.timedelta(days=int(14.5 * 365))
    print(f"Screenshots of {base_url}:")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        walk = Walk(browser, base_url, out)

        with walk.person() as page:
            walk.go(page, "/accounts/sign-in/")
            walk.shot(page, "sign-in")

        with walk.person(*practitioner) as page:
            walk.go(page, "/referrals/")
            walk.shot(page, "queue")

        with walk.person(*referrer) as page:
            walk.go(page, "/referrals/new/")
            walk.shot(page, "referral-form")
            walk.click(page, page.get_by_role("button", name="Send referral"), expect=422)
            walk.problems = [p for p in walk.problems if "status of 422" not in p]
            walk.shot(page, "referral-form-errors")
            page.fill("#id_child-0-given_name", "Ellie")
            page.fill("#id_child-0-family_name", "Marston")
            page.fill("#id_child-0-date_of_birth_0", str(born.day))
            page.fill("#id_child-0-date_of_birth_1", str(born.month))
            page.fill("#id_child-0-date_of_birth_2", str(born.year))
            page.select_option("#id_child-0-sex", "female")
            page.fill("#id_child-0-school", "Northbrook Academy")
            page.fill("#id_narrative", NARRATIVE)
            walk.click(page, page.get_by_role("button", name="Add another child"))
            page.fill("#id_child-1-given_name", "Maisie")
            page.fill("#id_child-1-family_name", "Marston")
            page.fill("#id_child-1-approximate_age", "8")
            page.select_option("#id_child-1-sex", "female")
            page.get_by_label("Sexual exploitation", exact=True).check()
            page.get_by_label("Missing from home, care or education", exact=True).check()
            walk.shot(page, "referral-form-two-children")
            page.fill("#id_person-0-name", "Dean")
            page.fill("#id_person-0-nickname", "Deano")
            page.fill("#id_person-0-vehicle_registration", "NB19")
            page.fill("#id_place-0-name", "Golden Grill")
            page.select_option("#id_place-0-kind", "takeaway")
            walk.click(page, page.get_by_role("button", name="Send referral"))
            detail = page.url.removeprefix(walk.base_url)
            reference = page.get_by_role("heading", level=1).inner_text().strip()
            print(f"  (made referral {reference})")

        with walk.person(*practitioner) as page:
            walk.go(page, detail)
            walk.click(page, page.get_by_role("link", name="Screen for CSE").first)
            for code in PRESENT:
                page.check(f"#status_{code}_present")
                page.select_option(f"#basis_{code}", "evidence")
            page.fill("#note_B1", "Two missing episodes this month, reported by the school.")
            walk.shot(page, "screening")
            walk.click(page, page.get_by_role("button", name="Save screening"))
            page.get_by_label("No further action", exact=True).check()
            page.get_by_label("Reason for the decision").fill("The school is managing it.")
            walk.click(page, page.get_by_role("button", name="Record decision"), expect=409)
            walk.problems = [p for p in walk.problems if "status of 409" not in p]
            walk.shot(page, "decision-sign-off-needed")
            page.get_by_label("Strategy discussion", exact=True).check()
            page.get_by_label("Reason for the decision").fill(
                "High risk of sexual exploitation: two missing episodes and an unknown adult "
                "driving her. Strategy discussion with police and school today."
            )
            walk.click(page, page.get_by_role("button", name="Record decision"))
            walk.shot(page, "referral-decided")

        with walk.person(*referrer) as page:
            walk.go(page, "/referrals/mine/")
            walk.shot(page, "referrer-my-referrals")
            walk.go(page, detail)
            walk.shot(page, "referrer-referral")

        browser.close()

    if walk.problems:
        print("Problems seen in the browser:")
        for problem in walk.problems:
            print(f"  {problem}")
        return 1
    print(f"{len(walk.saved)} screenshots, no console errors.")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    sys.exit(run(args.base_url, args.out))


if __name__ == "__main__":
    main()

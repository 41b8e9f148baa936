"""Screenshots of the administration console, from a running Sightline with the local
settings. It seeds a few synthetic agencies, teams and users (Faker en_GB) first, through
the services, into the server's database; run it against a fresh database, e.g.

    export DATABASE_URL=sqlite:////tmp/sightline-admin.sqlite3
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py runserver 127.0.0.1:8011 --noreload &
    .venv/bin/python scripts/admin_screenshots.py --base-url http://127.0.0.1:8011

It writes docs/screenshots/admin-*.png: the users list, a user's edit page (and the same page
refusing a police role at a school), the clock policies and ladders, and retention."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
PASSWORD = "synthetic admin passphrase 2026"  # noqa: S105 - a throwaway demo database
SEED = f"""
import datetime as dt
from faker import Faker
from sightline.accounts.models import Agency, User
from sightline.accounts.services import agency_create, team_create, user_create, api_token_issue
from sightline.escalation.services import policies
fake = Faker("en_GB"); Faker.seed(2026)
if not User.objects.filter(username="admin-demo").exists():
    a = {{k: agency_create(acting_user=None, name=n, code=c, kind=k) for k, n, c in [
        ("csc", "Northbrook Children's Services", "nb-csc"),
        ("police", "Northbrook Police", "nb-police"),
        ("education", "Fenwick Academy", "fenwick-academy"),
        ("health", "Northbrook Health Trust", "nb-health"),
        ("other", "Partnership Support", "nb-support")]}}
    mash = team_create(acting_user=None, agency=a["csc"], name="MASH")
    cse = team_create(acting_user=None, agency=a["csc"], name="CSE specialist team")
    user_create(acting_user=None, username="admin-demo", password="{PASSWORD}",
                agency=a["other"], role="system_admin", given_name="Sam", family_name="Admin")
    for i, (kind, role, team) in enumerate([("csc", "front_door_practitioner", mash),
            ("csc", "team_manager", mash), ("csc", "cse_specialist", cse),
            ("police", "police_analyst", None), ("education", "education_lead", None),
            ("education", "referrer", None), ("health", "health_lead", None),
            ("police", "mace_chair", None)]):
        u = user_create(acting_user=None, username=f"{{role.split('_')[0]}}-{{i}}",
                        password="{PASSWORD}", agency=a[kind], role=role, team=team,
                        given_name=fake.first_name(), family_name=fake.last_name(),
                        job_title=role.replace("_", " ").title())
        if kind == "education" and role == "referrer":
            api_token_issue(acting_user=None, user=u, name="school MIS")
    admin = User.objects.get(username="admin-demo")
    policies.clock_policy_set(acting_user=admin, key="decision", amount=1, unit="working_days")
    policies.ladder_rung_set(acting_user=admin, agency=a["csc"], rung=2, role="team_manager",
                             hours=12)
    policies.closure_day_add(acting_user=admin, day=dt.date(2026, 12, 24),
                             description="Partnership closure: Christmas Eve")
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", required=True)
    args = parser.parse_args()
    subprocess.run(  # noqa: S603 - fixed arguments, this interpreter
        [sys.executable, "manage.py", "shell", "-c", SEED], cwd=ROOT, check=True
    )
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{args.base_url}/accounts/sign-in/")
        page.get_by_label("Username").fill("admin-demo")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in", exact=True).click()
        shots = {
            "admin-users": "/admin-console/users/",
            "admin-user-edit": "/admin-console/users/education-4/",
            "admin-clock-policies": "/admin-console/clocks/",
            "admin-retention": "/admin-console/retention/",
        }
        for name, path in shots.items():
            page.goto(f"{args.base_url}{path}")
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
        page.goto(f"{args.base_url}/admin-console/users/referrer-5/")
        page.select_option("#id_role", "police_analyst")
        page.get_by_role("button", name="Save changes").click()
        page.screenshot(path=str(OUT / "admin-role-refused.png"), full_page=True)
        browser.close()


if __name__ == "__main__":
    main()

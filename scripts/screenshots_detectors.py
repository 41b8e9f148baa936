"""Screenshots of the missed-opportunity detectors, taken from a running Sightline demo
(started as scripts/screenshots.py describes, same environment):

    .venv/bin/python scripts/screenshots_detectors.py --base-url http://127.0.0.1:8000

It first makes one live alert in the demo database (a disclosure naming an adult, screened
and closed with no further action before any strategy discussion: P3, through the workflows),
then signs in as the demo front-door practitioner to open it (docs/screenshots/
detector-alert.png) and as the demo case reviewer to run every detector over the last two
years for the planted networks' first children (docs/screenshots/detector-report.png).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from screenshots import CHROMIUM, CHROMIUM_ARGS, Walk, _manage, demo_users  # noqa: E402

SETUP = """
import datetime as dt
from django.utils import timezone
from sightline.accounts.models import User
from sightline.demo.users import demo_username
from sightline.referrals.inputs import ChildInput, PersonInput, ReferralInput
from sightline.reviews.models import MissedOpportunity
from sightline.workflows import decision_record, referral_intake, referral_screen
fd = User.objects.get(username=demo_username("front_door_practitioner"))
result = referral_intake(acting_user=fd, data=ReferralInput(
    narrative="Mara told the school nurse that a man called Rafe gives her lifts and vodka "
    "and that she stayed at his flat on Saturday.",
    children=[ChildInput(given_name="Mara", family_name="Quillon", sex="female",
                         date_of_birth=dt.date(2011, 8, 2), postcode="NB6 2QT")],
    persons_named=[PersonInput(name="Rafe Tolland", phone="07700 900321")],
    concern_categories=["sexual_exploitation"]))
referral_screen(acting_user=fd, referral=result.referral,
                referral_child=result.children[0].referral_child, marks=[])
decision_record(acting_user=fd, referral=result.referral, outcome="no_further_action",
                reason="Advice given to the school nurse.")
mo = MissedOpportunity.objects.filter(pattern="P3").latest("raised_at")
print("MO", mo.pk)
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--children", default="", help="child references for the run")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    done = _manage("shell", "-c", SETUP)
    if done.returncode != 0:
        sys.exit(done.stderr)
    mo_id = done.stdout.strip().split()[-1]
    users = demo_users()
    out = ROOT / "docs" / "screenshots"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        walk = Walk(browser, args.base_url, out)
        with walk.person(*users["front_door_practitioner"]) as page:
            walk.go(page, f"/reviews/missed-opportunities/{mo_id}/")
            page.screenshot(path=str(out / "detector-alert.png"), full_page=True)
        with walk.person(*users["reviewer"]) as page:
            walk.go(page, "/reviews/detectors/")
            today = os.environ.get("SHOT_TODAY", "")
            page.get_by_label("From (YYYY-MM-DD)").fill(os.environ.get("SHOT_FROM", "2024-12-01"))
            page.get_by_label("To (YYYY-MM-DD)").fill(today or "2026-12-01")
            page.get_by_label("Children", exact=False).fill(args.children.replace(",", "\n"))
            walk.click(page, page.get_by_role("button", name="Run the detectors"))
            page.screenshot(path=str(out / "detector-report.png"), full_page=True)
        browser.close()
    if walk.problems:
        print("\n".join(walk.problems))
        sys.exit(1)


if __name__ == "__main__":
    main()

"""The casework issue's journey replayed in chromium with its wording, "family will supervise"
and "she is making her own choices": the language checker flags both as the practitioner
types (and again on the form re-rendered after a refusal), tells her on the page her proposal
leads to, and the team manager sees the flagged phrases in the sign-off queue and on the
decision. Closing the disclosure screened high raises a missed-opportunity alert (P17) the
manager opens; the training page counts them. A referrer's challenge is checked as she writes
it and its page shows the stored flags. Screenshots go to docs/screenshots/language*.png and
detector-alert.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from sightline.accounts.models import Team
from sightline.referrals.models import Decision
from sightline.referrals.tests.factories import submit
from sightline.reviews.models import LanguageFlag, MissedOpportunity
from sightline.workflows import decision_record, referral_screen

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DISCLOSURE = (
    "She told her tutor that a man called Daz and his friends made her have sex with them. "
    "She was frightened and asked the tutor not to tell anyone."
)
WORDING = "Family will supervise. She is making her own choices."
CHALLENGE = "Saying she is making her own choices ignores that the men are adults and she is 14."
PHRASES = ("“Family will supervise”", "“making her own choices”")


def test_flags_at_writing_and_at_sign_off(
    browsing: Any, front_door: Any, manager: Any, teacher: Any, agencies: dict[str, Any]
) -> None:
    team = Team.objects.create(agency=agencies["csc"], name="Front door team")
    for user in (front_door, manager):
        user.team = team
        user.save()
    referral = submit(teacher, narrative=DISCLOSURE, urgency="urgent").referral
    referral_screen(
        acting_user=front_door, referral=referral, referral_child=referral.children.get(),
        marks=[{"code": "A1", "status": "present", "basis": "evidence"}],
    )  # fmt: skip
    detail = f"/referrals/{referral.reference}/"
    child_id = referral.children.get().child_id

    # Writing: the flags appear as she types, with what to write instead; nothing is blocked.
    practitioner = browsing.tab("fd-worker")
    page = practitioner.page
    practitioner.open(detail)
    page.get_by_label("No further action", exact=True).check()
    reason = page.get_by_label("Reason for the decision")
    practitioner.write(reason, WORDING)
    box = page.locator("#language-flags-reason .sl-language-flags__box")
    assert box.is_visible()
    for phrase in PHRASES:
        assert phrase in box.inner_text()
    assert "Instead:" in box.inner_text()
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "language-at-writing.png"), full_page=True)
    # The decision is refused (no strategy discussion yet); the re-rendered form keeps the
    # wording and shows its flags again.
    practitioner.submit(page.get_by_role("button", name="Record decision"), status=409)
    box = page.locator("#language-flags-reason .sl-language-flags__box")
    box.wait_for()
    assert all(phrase in box.inner_text() for phrase in PHRASES)

    # The strategy discussion is recorded; then the no-further-action goes for sign-off.
    practitioner.open(f"/casework/children/{child_id}/")
    page.fill("#held_at", f"{timezone.localtime():%Y-%m-%dT%H:%M}")
    for check in ("#police_present", "#csc_present", "#health_present"):
        page.check(check)
    page.select_option("#sd_outcome", "no_further_action")
    practitioner.write(  # checked as typed since this box has the partial too
        page.locator("#outcome_reason"),
        "Police to interview; no section 47 threshold on what is known.",
    )
    practitioner.submit(page.get_by_role("button", name="Record strategy discussion"))
    practitioner.open(detail)
    page.get_by_label("No further action", exact=True).check()
    practitioner.write(page.get_by_label("Reason for the decision"), WORDING)
    page.check("#confirm_nfa")
    practitioner.submit(page.get_by_role("button", name="Send for sign-off"))
    main = page.locator("main").inner_text()
    assert "Sent to a team manager for sign-off" in main
    assert "Check your wording" in main and "“Family will supervise”" in main
    assert LanguageFlag.objects.filter(content_type="sign_off.reasoning").count() == 2

    # Sign-off: the manager sees the practitioner's flagged phrases beside the proposal.
    boss = browsing.tab("team-manager")
    page = boss.page
    boss.open("/casework/sign-offs/")
    row = page.locator("tbody tr", has_text=referral.reference)
    flags = row.locator("[data-language-flags]")
    assert flags.get_attribute("data-language-flags") == "2"
    for phrase in PHRASES:
        assert phrase in flags.inner_text()
    page.screenshot(path=str(SHOTS / "language-at-sign-off.png"), full_page=True)
    boss.submit(row.get_by_role("button", name="Approve"))
    decision = Decision.objects.get(referral=referral)
    assert (decision.decided_by, decision.signed_off_by) == (front_door, manager)
    summary = page.locator(".govuk-summary-list", has_text="Reason").first.inner_text()
    assert all(phrase in summary for phrase in PHRASES)

    # The closure of a disclosure screened high is a missed opportunity, raised live (P17).
    alert = MissedOpportunity.objects.get(pattern="P17")
    boss.open(f"/reviews/missed-opportunities/{alert.pk}/")
    main = page.locator("main").inner_text()
    assert "P17" in main and referral.reference in main
    page.screenshot(path=str(SHOTS / "detector-alert.png"), full_page=True)

    # The training page counts them, its chart drawn by the one shared chart script.
    boss.open("/language/")
    assert "Language in records" in page.locator("main").inner_text()
    assert page.locator("canvas[data-sl-chart]").evaluate("c => c.width > 0")
    assert "“making their own choices”" in page.locator("main").inner_text()
    page.screenshot(path=str(SHOTS / "language.png"), full_page=True)
    browsing.assert_clean()


def test_a_challenge_is_checked_as_the_referrer_writes_it_and_shown_with_its_flags(
    browsing: Any, front_door: Any, manager: Any, teacher: Any
) -> None:
    referral = submit(teacher, narrative=DISCLOSURE).referral
    referral_screen(acting_user=front_door, referral=referral,
                    referral_child=referral.children.get(), marks=[])  # fmt: skip
    decision_record(acting_user=manager, referral=referral, outcome="no_further_action",
                    reason="Police are investigating the adults.")  # fmt: skip
    referrer = browsing.tab("teacher")
    page = referrer.page
    referrer.open(f"/escalation/referrals/{referral.reference}/challenge/")
    box = page.get_by_label("Why do you disagree", exact=False)
    referrer.write(box, CHALLENGE)
    flags = page.locator("#language-flags-reason .sl-language-flags__box")
    assert "“making her own choices”" in flags.inner_text() and "Instead:" in flags.inner_text()
    page.screenshot(path=str(SHOTS / "language-challenge-writing.png"), full_page=True)
    referrer.submit(page.get_by_role("button", name="Send the challenge"))
    main = page.locator("main").inner_text()
    assert "Check your wording" in main and "“making her own choices”" in main
    stored = page.locator("[data-language-flags]")
    assert stored.get_attribute("data-language-flags") == "1"
    page.screenshot(path=str(SHOTS / "language-challenge-stored.png"), full_page=True)
    assert LanguageFlag.objects.filter(content_type="challenge.reason").count() == 1

    # Not resolved: she escalates it, and the reason is checked as she writes it too.
    reason = page.locator("textarea[name='reason']")
    referrer.write(reason, "Nobody has answered; she is not just making her own choices.")
    flags = page.locator(".sl-language-flags__box").last
    assert "“making her own choices”" in flags.inner_text()
    page.screenshot(path=str(SHOTS / "language-challenge-escalating.png"), full_page=True)
    referrer.submit(page.get_by_role("button", name="Escalate to the next stage"))
    main = page.locator("main").inner_text()
    assert "Stage 2" in main and "Check your wording" in main
    assert LanguageFlag.objects.filter(content_type="challenge.escalation").count() == 1
    browsing.assert_clean()

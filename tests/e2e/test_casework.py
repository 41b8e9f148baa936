"""The journey the issue describes, replayed in chromium, ending differently: the NFA on a
disclosure is refused until a strategy discussion is recorded; the practitioner's proposal is
an item in the managers' sign-off queue; a challenge answered "decision to be changed" leads
to a new decision the referrer sees. Screenshots go to docs/screenshots/casework-*.png."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from sightline.accounts.models import Team
from sightline.escalation import services as escalation
from sightline.referrals.models import Decision, Referral
from sightline.referrals.tests.factories import submit
from sightline.workflows import challenge_answer, referral_screen

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
DISCLOSURE = (
    "She told her tutor that a man called Daz and his friends made her have sex with them. "
    "She was frightened and asked the tutor not to tell anyone."
)


def test_disclosure_sign_off_and_a_challenge_that_changes_the_decision(
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

    # The decision page shows the level, the override indicator and the narrative.
    practitioner = browsing.tab("fd-worker")
    page = practitioner.page
    practitioner.open(detail)
    basis = page.locator(".govuk-inset-text", has_text="What the decision rests on")
    assert "A1" in basis.inner_text() and "Daz" in basis.inner_text()
    page.screenshot(path=str(SHOTS / "casework-decision-page.png"), full_page=True)
    page.get_by_label("No further action", exact=True).check()
    practitioner.write(page.get_by_label("Reason for the decision"), "Family will supervise.")
    practitioner.submit(page.get_by_role("button", name="Record decision"), status=409)
    assert (
        "until a strategy discussion has been recorded"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert not Decision.objects.exists()

    # The strategy discussion is recorded on the child's casework page.
    practitioner.open(f"/casework/children/{child_id}/")
    page.fill("#held_at", f"{timezone.localtime():%Y-%m-%dT%H:%M}")
    for box in ("#police_present", "#csc_present", "#health_present"):
        page.check(box)
    page.select_option("#sd_outcome", "no_further_action")
    practitioner.write(  # the box is language-checked as typed: wait for its check
        page.locator("#outcome_reason"),
        "Police to interview; no section 47 threshold on what is known.",
    )
    practitioner.submit(page.get_by_role("button", name="Record strategy discussion"))
    assert "Strategy discussion recorded." in page.locator("main").inner_text()

    # Now the NFA needs a manager: the proposal goes to the queue, confirmed.
    practitioner.open(detail)
    page.get_by_label("No further action", exact=True).check()
    practitioner.write(page.get_by_label("Reason for the decision"), "Family will supervise.")
    page.check("#confirm_nfa")
    practitioner.submit(page.get_by_role("button", name="Send for sign-off"))
    assert "Sent to a team manager for sign-off" in page.locator("main").inner_text()

    # The manager's queue holds the proposal with its reasoning.
    boss = browsing.tab("team-manager")
    page = boss.page
    boss.open("/casework/sign-offs/")
    row = page.locator("tbody tr", has_text=referral.reference)
    assert "Family will supervise." in row.inner_text()
    page.screenshot(path=str(SHOTS / "casework-sign-off-queue.png"), full_page=True)
    boss.submit(row.get_by_role("button", name="Approve"))
    decision = Decision.objects.get(referral=referral)
    assert (decision.decided_by, decision.signed_off_by) == (front_door, manager)

    # The referrer challenges; the answer "decision to be changed" reopens the referral.
    challenge = escalation.challenge_raise(
        acting_user=teacher, referral=Referral.objects.get(pk=referral.pk),
        reason="She disclosed rape by several adults; family supervision cannot protect her.",
    )  # fmt: skip
    challenge_answer(
        acting_user=front_door, challenge=challenge, outcome="decision_changed",
        notes="Agreed: the risk from the adults is not managed by supervision at home.",
    )  # fmt: skip
    boss.open(detail)
    page.get_by_label("Referral to the specialist CSE team", exact=True).check()
    page.get_by_label("Reason for the decision").fill("Specialist CSE team to work with her.")
    boss.submit(page.get_by_role("button", name="Record decision"))
    assert "Decision recorded" in page.locator("main").inner_text()

    # The referrer sees the new decision, and the earlier one marked superseded.
    referrer = browsing.tab("teacher")
    page = referrer.page
    referrer.open(detail)
    main = page.locator("main").inner_text()
    assert "Referral to the specialist CSE team" in main
    assert "Earlier decisions" in main and "Superseded" in main
    assert "not managed by supervision at home" in main

    # The manager allocates the child from the team's queue to a worker, with a reason.
    boss.open(f"/casework/children/{child_id}/")
    page = boss.page
    page.get_by_text("Allocate or reallocate").click()
    page.select_option("#team", label="Front door team")
    page.select_option("#worker", value="fd-worker")
    boss.write(page.locator("#alloc_reason"), "Knows the family from the strategy discussion.")
    boss.submit(page.get_by_role("button", name="Allocate"))
    assert "Allocation recorded." in page.locator("main").inner_text()
    boss.open("/casework/caseloads/")
    assert "Front door team" in boss.page.locator("main").inner_text()
    boss.page.screenshot(path=str(SHOTS / "casework-caseloads.png"), full_page=True)
    browsing.assert_clean()

"""Two people deciding the same possible match: child_match_confirm and child_match_reject lock
the referral child and the candidate and read the candidate again under the lock, so the
second decision, made from a page loaded before the first, is refused and changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sightline.audit.models import AuditEvent
from sightline.referrals import services
from sightline.referrals.choices import CandidateStatus, MatchStatus
from sightline.referrals.inputs import ChildInput
from sightline.referrals.models import ChildMatchCandidate, ReferralChild
from sightline.referrals.tests.factories import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate_id(police_officer: Any) -> Any:
    """A second referral naming 'Elie Marston' gets a provisional child and one candidate."""
    submit(police_officer)
    result = submit(
        police_officer,
        children=[ChildInput("Elie", "Marston", dt.date(2011, 5, 14), sex="female")],
    )
    (intake,) = result.children
    (candidate,) = intake.candidates
    return candidate.pk


def two_pages(candidate_id: Any) -> tuple[ChildMatchCandidate, ChildMatchCandidate]:
    """The candidate as two practitioners each loaded it, before either decided."""
    return (
        ChildMatchCandidate.objects.get(pk=candidate_id),
        ChildMatchCandidate.objects.get(pk=candidate_id),
    )


def test_a_reject_after_someone_else_confirmed_is_refused(
    candidate_id: Any, front_door: Any, manager: Any
) -> None:
    first, second = two_pages(candidate_id)
    link = services.child_match_confirm(acting_user=front_door, candidate=first)
    with pytest.raises(services.DecisionInvalid, match=r"already been dealt with.*confirmed"):
        services.child_match_reject(acting_user=manager, candidate=second)
    assert ChildMatchCandidate.objects.get(pk=candidate_id).status == CandidateStatus.CONFIRMED
    link.refresh_from_db()
    assert link.match_status == MatchStatus.MATCHED
    assert not AuditEvent.objects.filter(action="record.unlink", actor=manager).exists()


def test_a_confirm_after_someone_else_rejected_is_refused(
    candidate_id: Any, front_door: Any, manager: Any
) -> None:
    first, second = two_pages(candidate_id)
    services.child_match_reject(acting_user=front_door, candidate=first)
    provisional = ReferralChild.objects.get(pk=second.referral_child_id).child
    with pytest.raises(services.DecisionInvalid, match=r"already been dealt with.*rejected"):
        services.child_match_confirm(acting_user=manager, candidate=second)
    link = ReferralChild.objects.get(pk=second.referral_child_id)
    assert link.child == provisional, "the referral was not re-linked"
    assert link.match_status == MatchStatus.CONFIRMED_NEW
    assert ChildMatchCandidate.objects.get(pk=candidate_id).status == CandidateStatus.REJECTED
    assert not AuditEvent.objects.filter(action="record.link", actor=manager).exists()


def test_two_confirms_of_the_same_match_record_one_link(
    candidate_id: Any, front_door: Any, manager: Any
) -> None:
    first, second = two_pages(candidate_id)
    services.child_match_confirm(acting_user=front_door, candidate=first)
    with pytest.raises(services.DecisionInvalid, match="already been dealt with"):
        services.child_match_confirm(acting_user=manager, candidate=second)
    decided = AuditEvent.objects.filter(action="record.link", actor__in=[front_door, manager])
    assert decided.count() == 1

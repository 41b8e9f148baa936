"""Co-mentioned context in online resolution (ADR 0201): what else a referral names, already
joined to a candidate through another referral, raises that candidate; it never joins two
persons and never outweighs a person the mention's own details match."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sightline.intel.choices import EntityType, LinkStatus
from sightline.intel.models import MatchCandidate, Mention, PersonOfConcern
from sightline.intel.services import IndexResult
from sightline.referrals.inputs import ChildInput, PersonInput, ReferralInput
from sightline.referrals.models import ReferralChild
from sightline.workflows import referral_intake

pytestmark = pytest.mark.django_db

RUBY = ChildInput(
    given_name="Ruby",
    family_name="Okafor",
    date_of_birth=dt.date(2011, 3, 4),
    address="4 Test Street",
    postcode="NB3 1AA",
)


def _child(n: int) -> ChildInput:
    return ChildInput(
        given_name="Jade",
        family_name=f"Marsh{'e' * n}",
        date_of_birth=dt.date(2010, 1, 1) + dt.timedelta(days=n * 50),
        address=f"{n} Other Road",
        postcode="NB5 2BB",
    )


def _refer(
    user: Any, child: ChildInput, *persons: dict[str, Any], exploitation: bool = True
) -> IndexResult:
    return referral_intake(
        acting_user=user,
        data=ReferralInput(
            narrative="Concerns about older adults." if exploitation else "Attendance has dropped.",
            children=[child],
            received_at=dt.datetime.now(tz=dt.UTC),
            concern_categories=["sexual_exploitation"] if exploitation else ["education"],
            persons_named=[PersonInput(**p) for p in persons],
        ),
    ).intel


def _person(result: IndexResult) -> Mention:
    return next(m for m in result.mentions if m.entity_type == EntityType.PERSON)


def _child_id(result: IndexResult) -> Any:
    return ReferralChild.objects.get(referral=result.referral).child_id


def test_initial_and_surname_shared_by_two_links_to_the_one_already_linked_to_the_child(
    police_officer: Any,
) -> None:
    brett = _person(_refer(police_officer, RUBY, {"name": "Brett Taylor"}))
    beverley = _person(_refer(police_officer, _child(1), {"name": "Beverley Taylor"}))
    again = _refer(police_officer, RUBY, {"name": "B. Taylor"})
    mention = _person(again)
    assert _child_id(again) == ReferralChild.objects.get(referral=brett.referral).child_id
    assert mention.entity_id == brett.entity_id
    assert mention.link_status == LinkStatus.PROBABLE
    assert "already linked to a child on this record" in mention.reasons
    # Beverley stays a separate person, offered as a candidate without the child's support
    assert PersonOfConcern.objects.filter(pk=beverley.entity_id, is_active=True).exists()
    offered = MatchCandidate.objects.get(mention=mention, entity_id=beverley.entity_id)
    assert "already linked to a child on this record" not in offered.reasons
    # the same weak name about a child linked to nobody links to no one
    stranger = _person(_refer(police_officer, _child(2), {"name": "B. Taylor"}))
    assert stranger.link_status == LinkStatus.ORIGIN


def test_context_joins_no_two_persons_and_yields_to_a_full_name_match(
    police_officer: Any,
) -> None:
    # a second Murray on record, so the surname alone says little
    _refer(police_officer, _child(3), {"name": "Sandra Murray"})
    initial = _person(_refer(police_officer, RUBY, {"name": "K. Murray"}))
    # not an exploitation concern, so "Kyle Murray" does not link to the only K. Murray on
    # record below the probable threshold (ADR 0213): two persons on record
    full = _person(_refer(police_officer, _child(1), {"name": "Kyle Murray"}, exploitation=False))
    assert full.entity_id != initial.entity_id
    mention = _person(_refer(police_officer, RUBY, {"name": "Kyle Murray"}))
    # "K. Murray" is raised by the child, but the full name decides; nobody is merged
    assert mention.entity_id == full.entity_id
    raised = MatchCandidate.objects.get(mention=mention, entity_id=initial.entity_id)
    assert "already linked to a child on this record" in raised.reasons
    assert raised.score < mention.score
    assert Mention.objects.get(pk=initial.pk).entity_id == initial.entity_id
    assert PersonOfConcern.objects.filter(pk=initial.entity_id, is_active=True).exists()

"""A child whose record goes takes their partner events and what MACE meetings held about
them; the events' intelligence mentions go too."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from sightline.accounts.tests.factories import UserFactory
from sightline.events.models import Event
from sightline.events.services.purge import events_purge
from sightline.intel.models import Mention
from sightline.intel.purge import source_intel_purge
from sightline.meetings.models import ChildProposal
from sightline.meetings.services.purge import meetings_children_purge
from sightline.people.models import Child

pytestmark = pytest.mark.django_db


def _child() -> Any:
    return Child.objects.create(
        reference="CH-2026-9000001",
        given_name="Testqx",
        family_name="Purgeqx",
        date_of_birth=dt.date(2011, 1, 1),
    )


def test_events_and_meeting_records_of_a_deleted_child_go_and_nothing_else() -> None:
    child = _child()
    other = Child.objects.create(
        reference="CH-2026-9000002", given_name="Keepqx", family_name="Staysqx"
    )
    proposer: Any = UserFactory(username="proposer")
    ChildProposal.objects.create(child=child, proposed_by=proposer, reason="Repeat missing.")
    ChildProposal.objects.create(child=other, proposed_by=proposer, reason="Another child.")
    with transaction.atomic():
        gone = events_purge(child_ids=[child.pk])
        assert source_intel_purge(source_ids=gone) == 0
        meetings_children_purge(child_ids=[child.pk])
    assert list(ChildProposal.objects.values_list("child_id", flat=True)) == [other.pk]
    assert not Event.objects.filter(child=child).exists()
    assert Mention.objects.filter(source_id__in=gone).count() == 0

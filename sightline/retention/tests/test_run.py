"""The retention run against a clock moved forward: records go exactly on the day the
schedule says, never under a hold, with a tombstone and an audit row each, and the audit
chain still verifies afterwards."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from sightline.audit.models import AuditEvent
from sightline.audit.sealing import audit_seal
from sightline.audit.verify import verify_chain
from sightline.escalation.models import Clock
from sightline.intel.models import Mention, PersonOfConcern
from sightline.people.models import Child
from sightline.referrals.inputs import ChildInput, PersonInput, ReferralInput
from sightline.referrals.models import Referral, ReferralChild
from sightline.retention import services
from sightline.retention.models import Tombstone
from sightline.screening.models import Screening
from sightline.workflows import decision_record, referral_intake, referral_screen, retention_run

pytestmark = pytest.mark.django_db

RECEIVED = dt.datetime(2026, 1, 12, 10, 0, tzinfo=dt.UTC)
BORN = dt.date(2012, 3, 4)  # 25 on 4 March 2037, later than 6 years after the decision


def _child(given: str, family: str, born: dt.date) -> ChildInput:
    return ChildInput(given_name=given, family_name=family, date_of_birth=born, sex="female")


def _intake(user: Any, *children: ChildInput) -> Any:
    with freeze_time(RECEIVED):
        result = referral_intake(
            acting_user=user,
            data=ReferralInput(
                narrative="Seen getting into a car with an older adult after school.",
                children=list(children),
                concern_categories=["sexual_exploitation"],
                persons_named=[PersonInput(name="Orrin Vantley", nickname="Vee")],
            ),
        )
    return result


def _screen_and_decide(front_door: Any, result: Any) -> None:
    with freeze_time(RECEIVED + dt.timedelta(hours=2)):
        for item in result.children:
            referral_screen(
                acting_user=front_door,
                referral=Referral.objects.get(pk=result.referral.pk),
                referral_child=item.referral_child,
                marks=[],
            )
        decision_record(
            acting_user=front_door,
            referral=Referral.objects.get(pk=result.referral.pk),
            outcome="early_help",
            reason="Synthetic reason for the decision.",
        )


def _run(day: dt.date, *, dry_run: bool = False) -> Any:
    with freeze_time(dt.datetime.combine(day, dt.time(3), tzinfo=dt.UTC)):
        return retention_run(acting_user=None, dry_run=dry_run, today=day)


def test_a_child_goes_on_the_day_the_schedule_says_with_its_referral(
    teacher: Any, front_door: Any
) -> None:
    result = _intake(teacher, _child("Tamsin", "Orlow", BORN))
    _screen_and_decide(front_door, result)
    child = result.children[0].referral_child.child
    assert Clock.objects.filter(referral=result.referral).exists()

    day_before = _run(dt.date(2037, 3, 3))
    assert [d.reference for d in day_before.due] == []
    assert Child.objects.filter(pk=child.pk).exists()

    dry = _run(dt.date(2037, 3, 4), dry_run=True)
    assert [(d.reference, d.due_on, d.rule) for d in dry.due] == [
        (child.reference, dt.date(2037, 3, 4), "child")
    ]
    assert Child.objects.filter(pk=child.pk).exists()

    done = _run(dt.date(2037, 3, 4))
    assert done.deleted == {"child": 1, "referral": 1}
    assert not Child.objects.filter(pk=child.pk).exists()
    assert not Referral.objects.filter(pk=result.referral.pk).exists()
    assert not Screening.objects.exists()
    assert not Clock.objects.filter(referral_id=result.referral.pk).exists()
    assert not Mention.objects.filter(referral_id=result.referral.pk).exists()
    stones = {(t.record_type, t.reference, t.rule, t.due_on) for t in Tombstone.objects.all()}
    assert stones == {
        ("child", child.reference, "child", dt.date(2037, 3, 4)),
        ("referral", result.referral.reference, "child", dt.date(2037, 3, 4)),
    }
    deletions = AuditEvent.objects.filter(action="retention.delete")
    assert sorted(deletions.values_list("object_ref", flat=True)) == sorted(
        [child.reference, result.referral.reference]
    )
    # The audit rows about the child are all still there, and the chain verifies.
    assert AuditEvent.objects.filter(child_id=child.pk, action="record.create").exists()
    audit_seal()
    assert verify_chain().ok
    out = io.StringIO()
    call_command("audit_verify", stdout=out)  # the operator's check: raises on a broken chain
    assert out.getvalue().startswith("Audit chain intact")


def test_the_later_of_age_and_years_after_the_last_decision_wins(
    teacher: Any, front_door: Any
) -> None:
    """Born 2002: 25 in 2027, but the decision in January 2026 keeps it until January 2032."""
    result = _intake(teacher, _child("Nell", "Brisk", dt.date(2002, 6, 7)))
    _screen_and_decide(front_door, result)
    assert _run(dt.date(2032, 1, 11)).deleted == {}
    assert _run(dt.date(2032, 1, 12)).deleted == {"child": 1, "referral": 1}


def test_a_legal_hold_stops_deletion_until_it_is_released(
    teacher: Any, front_door: Any, no_access: Any
) -> None:
    result = _intake(teacher, _child("Tamsin", "Orlow", BORN))
    _screen_and_decide(front_door, result)
    child = result.children[0].referral_child.child
    hold = services.hold_place(
        acting_user=no_access, child_reference=child.reference, kind="litigation",
        matter="Synthetic civil claim",
    )  # fmt: skip
    for day in (dt.date(2037, 3, 4), dt.date(2045, 1, 1)):
        run = _run(day)
        assert run.deleted == {} and run.due == []
        assert Child.objects.filter(pk=child.pk).exists()
    services.hold_release(acting_user=no_access, hold_id=hold.pk, reason="Claim settled")
    assert _run(dt.date(2045, 1, 1)).deleted == {"child": 1, "referral": 1}
    audit_seal()
    assert verify_chain().ok


def test_a_shared_referral_stays_for_the_child_still_kept(teacher: Any, front_door: Any) -> None:
    result = _intake(
        teacher, _child("Tamsin", "Orlow", BORN), _child("Ada", "Orlow", dt.date(2020, 1, 1))
    )
    _screen_and_decide(front_door, result)
    older = result.children[0].referral_child.child
    younger = result.children[1].referral_child.child
    assert _run(dt.date(2037, 3, 4)).deleted == {"child": 1}
    assert not Child.objects.filter(pk=older.pk).exists()
    assert Referral.objects.filter(pk=result.referral.pk).exists()
    assert list(ReferralChild.objects.values_list("child_id", flat=True)) == [younger.pk]
    assert Screening.objects.filter(referral_child__child=younger).exists()


def test_a_person_of_concern_linked_to_no_child_goes_after_the_set_time(
    teacher: Any, front_door: Any
) -> None:
    result = _intake(teacher, _child("Tamsin", "Orlow", BORN))
    _screen_and_decide(front_door, result)
    person = PersonOfConcern.objects.get()
    assert _run(dt.date(2037, 3, 4)).deleted == {"child": 1, "referral": 1}
    # Now named with no child held; unchanged since 2026, so due at once on the next run.
    second = _run(dt.date(2037, 3, 5))
    assert second.deleted == {"person_of_concern": 1}
    assert not PersonOfConcern.objects.filter(pk=person.pk).exists()
    assert Tombstone.objects.filter(record_type="person_of_concern", reference=person.reference)


def test_a_child_in_a_case_review_is_held(
    teacher: Any, front_door: Any, safeguarding_lead: Any
) -> None:
    from sightline.reviews import services as reviews

    result = _intake(teacher, _child("Tamsin", "Orlow", BORN))
    _screen_and_decide(front_door, result)
    child = result.children[0].referral_child.child
    reviews.review_create(
        acting_user=safeguarding_lead, kind="learning_review", title="Learning review",
        child_ids=[child.pk], period_start=dt.date(2025, 1, 1), period_end=dt.date(2026, 6, 1),
    )  # fmt: skip
    assert _run(dt.date(2040, 1, 1)).deleted == {}
    assert Child.objects.filter(pk=child.pk).exists()


def test_the_command_lists_what_would_go_and_why_without_deleting(
    teacher: Any, front_door: Any, capsys: Any
) -> None:
    result = _intake(teacher, _child("Tamsin", "Orlow", BORN))
    _screen_and_decide(front_door, result)
    child = result.children[0].referral_child.child
    with freeze_time(dt.datetime(2037, 3, 4, 3, tzinfo=dt.UTC)):
        call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert child.reference in out and "past age 25" in out and "would delete 1" in out
    assert Child.objects.filter(pk=child.pk).exists()
    with freeze_time(dt.datetime(2037, 3, 4, 3, tzinfo=dt.UTC)):
        call_command("retention")
    assert not Child.objects.filter(pk=child.pk).exists()
    assert "deleted" in capsys.readouterr().out


def test_the_run_deletes_in_batches(teacher: Any, front_door: Any) -> None:
    for n, family in enumerate(("Arden", "Quellow", "Brisby")):
        born = dt.date(2011, 1 + n, 10 + n)
        _screen_and_decide(front_door, _intake(teacher, _child(f"Kit{n}", family, born)))
    with freeze_time(dt.datetime(2037, 3, 4, 3, tzinfo=dt.UTC)):
        run = retention_run(acting_user=None, dry_run=False, batch_size=2)
    assert run.batches == 2 and run.deleted == {"child": 3, "referral": 3}
    assert not Child.objects.exists()

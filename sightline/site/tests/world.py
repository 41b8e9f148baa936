"""A small synthetic world of referrals, alerts, an escalation and a challenge, built through
the services, for the audit, header and canary tests; and clients signed in as a persona."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from sightline.escalation import services as escalation_services
from sightline.escalation.models import Escalation
from sightline.intel.models import Alert, Mention
from sightline.referrals.inputs import ChildInput, PersonInput, PlaceInput, ReferralInput
from sightline.reviews.tests.factories import review_world
from sightline.workflows import decision_record, referral_intake

GIVEN, FAMILY = "Zqxauditone", "Qwvtestchild"
CARL = PersonInput(name="Carl Venn", nickname="Big C", approximate_age=35, phone="07700 900456")
GRILL = PlaceInput(name="Golden Grill", kind="takeaway", postcode="NB3 2BB")


def refer(user: Any, given: str, family: str, dob: dt.date, **kw: Any) -> Any:
    return referral_intake(
        acting_user=user,
        data=ReferralInput(
            narrative="Seen getting into cars with older men near the takeaway after school.",
            children=[
                ChildInput(
                    given_name=given,
                    family_name=family,
                    date_of_birth=dob,
                    sex="female",
                    postcode="NB3 1AA",
                )
            ],
            concern_categories=["sexual_exploitation"],
            **kw,
        ),
    )


def build_world(*, police_officer: Any, teacher: Any, manager: Any) -> dict[str, Any]:
    """Two referrals naming the same adult (so an alert fires), one referral received days
    ago (so its clock is overdue and the sweep raises an escalation), and one decided referral
    whose referrer challenges the decision."""
    first = refer(
        police_officer, GIVEN, FAMILY, dt.date(2011, 6, 7), persons_named=[CARL],
        places_named=[GRILL],
    )  # fmt: skip
    refer(teacher, "Jadeqx", "Marshqx", dt.date(2012, 1, 9), persons_named=[CARL])
    old = refer(
        police_officer,
        "Oldqx",
        "Caseqx",
        dt.date(2010, 2, 2),
        received_at=timezone.now() - dt.timedelta(days=6),
    )
    escalation_services.clocks_on_referral_received(
        referral=old.referral, acting_user=police_officer
    )
    escalation_services.sweep(at=timezone.now())
    young = refer(teacher, "Tiaqx", "Quenbyqx", dt.date(2019, 4, 2))
    escalation_services.clocks_on_referral_received(referral=young.referral, acting_user=teacher)
    decision = decision_record(
        acting_user=manager, referral=young.referral, outcome="no_further_action", reason="NFA."
    )
    escalation_services.clocks_on_decision(
        referral=young.referral, decision=decision, acting_user=manager
    )
    challenge = escalation_services.challenge_raise(
        acting_user=teacher, referral=young.referral, reason="We disagree with no action."
    )
    referral = first.referral
    alert = Alert.objects.filter(kind="person_multiple_children").first()
    assert alert is not None
    escalation = Escalation.objects.first()
    assert escalation is not None
    mention = Mention.objects.filter(referral=referral, entity_type="person").first()
    assert mention is not None
    return {
        "ref": referral.reference,
        "referral_id": referral.pk,
        "child_id": referral.children.get().child_id,
        "alert": alert.pk,
        "person": alert.entity_id,
        "mention": mention.pk,
        "escalation": escalation.pk,
        "escalation_referral": escalation.referral_id,
        "challenge": challenge.pk,
        "young_ref": young.referral.reference,
        "young_referral": young.referral.pk,
        **review_world(manager=manager, child_id=referral.children.get().child_id),
    }

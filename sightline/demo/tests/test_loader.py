"""Loading a synthetic borough into the database (demo.services via demo_borough)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models
from django.http import HttpRequest
from django.test import Client

from sightline.accounts.models import Agency, User
from sightline.accounts.roles import Role
from sightline.audit.models import AuditEvent
from sightline.audit.verify import verify_chain
from sightline.demo.users import demo_password, demo_username
from sightline.people.models import Child
from sightline.referrals.choices import Status
from sightline.referrals.models import Decision, Referral, ReferralChild
from sightline.screening.models import Screening

pytestmark = pytest.mark.django_db

CHILDREN = 60


def load(truth: Path, *extra: str) -> str:
    out = io.StringIO()
    call_command(
        "demo_borough",
        *extra,
        children=CHILDREN,
        years=1,
        seed=5,
        truth=truth,
        stdout=out,
    )
    return out.getvalue()


@pytest.fixture
def truth(tmp_path: Path) -> Path:
    path = tmp_path / "truth.json"
    load(path)
    return path


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Agency, User, Child, Referral, ReferralChild, Screening, Decision, AuditEvent)
    }


def test_loader_fills_the_borough(truth: Path) -> None:
    assert Child.objects.count() == CHILDREN
    assert Referral.objects.count() > 0
    assert ReferralChild.objects.count() >= Referral.objects.count()
    assert Decision.objects.count() > 0
    assert Referral.objects.filter(status=Status.DECIDED).count() == Decision.objects.count()
    waiting = Referral.objects.exclude(status=Status.DECIDED)
    assert waiting.exists(), "the front door has live work"
    assert all(r.reference.startswith("SL-") for r in Referral.objects.all())


def test_loaded_referrals_follow_the_screening_rule(truth: Path) -> None:
    for link in ReferralChild.objects.exclude(age_on_day=None):
        assert link.age_on_day is not None
        assert link.screening_required is (link.age_on_day >= 10)
    for referral in Referral.objects.filter(status=Status.AWAITING_DECISION):
        for link in referral.children.filter(screening_required=True):
            assert link.screenings.filter(is_current=True).exists()


def test_loader_makes_one_demo_user_per_role_with_a_working_password(truth: Path) -> None:
    for role in Role:
        user = User.objects.get(username=demo_username(role.value))
        assert user.role == role.value
        assert user.agency is not None
        # django-axes needs the request it would lock out, even in tests.
        assert Client().login(
            request=HttpRequest(), username=user.username, password=demo_password(user.username)
        )
    assert User.objects.filter(username__startswith="demo-").count() == len(Role)


def test_demo_front_door_user_can_sign_in_and_see_the_queue(truth: Path) -> None:
    username = demo_username(Role.FRONT_DOOR_PRACTITIONER)
    client = Client()
    response = client.post(
        "/accounts/sign-in/", {"username": username, "password": demo_password(username)}
    )
    assert response.status_code == 302
    queue = client.get("/referrals/")
    assert queue.status_code == 200
    assert "SL-" in queue.content.decode()


def test_ground_truth_is_written_to_the_given_path_and_not_into_the_database(
    truth: Path,
) -> None:
    data = json.loads(truth.read_text(encoding="utf-8"))
    assert data["seed"] == 5
    assert data["counts"]["children"] == CHILDREN
    secrets = {n["key"] for n in data["networks"]}
    secrets |= {a["adult_key"] for n in data["networks"] for a in n["adults"]}
    secrets |= {k for n in data["networks"] for a in n["adults"] for k in a["mention_keys"]}
    secrets |= set(data["ordinary_person_mentions"])
    assert secrets, "the truth names networks and mentions"
    stored = _all_text_in_the_database()
    leaked = {s for s in secrets if s in stored}
    assert leaked == set()


def _all_text_in_the_database() -> str:
    tables = set(connection.introspection.table_names())
    parts: list[str] = []
    for model in apps.get_models():
        if model._meta.db_table not in tables:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if fields:
            parts.extend(str(row) for row in model._default_manager.values_list(*fields))
    return "\n".join(parts)


def test_loading_again_with_if_empty_changes_nothing(truth: Path, tmp_path: Path) -> None:
    before = counts()
    again = tmp_path / "again.json"
    output = load(again, "--if-empty")
    assert "already holds referrals" in output
    assert counts() == before
    assert not again.exists()


def test_audit_chain_still_verifies_after_the_import(truth: Path) -> None:
    report = verify_chain()
    assert report.ok, report.problem
    event = AuditEvent.objects.get(action="data.import", object_type="demo_borough")
    assert event.details["seed"] == 5
    assert event.details["children"] == CHILDREN


def test_with_history_indexes_and_starts_clocks_once(tmp_path: Path) -> None:
    from sightline.escalation.models import Clock
    from sightline.intel.models import Mention

    truth = tmp_path / "truth.json"
    out = load(truth, "--with-history", "--if-empty")
    assert "Indexed" in out
    assert Mention.objects.exists()
    assert Clock.objects.filter(kind="decision").count() == Referral.objects.count()
    _the_demo_reviewer_has_a_review()
    _the_demo_chair_has_a_meeting_with_an_agenda()
    before = counts() | {"Clock": Clock.objects.count(), "Mention": Mention.objects.count()}
    again = load(truth, "--with-history", "--if-empty")
    assert "reusing them" in again
    assert "Indexed" not in again
    after = counts() | {"Clock": Clock.objects.count(), "Mention": Mention.objects.count()}
    assert after == before


def _the_demo_reviewer_has_a_review() -> None:
    """The history's first person alert gives the demo a case review (`demo.review_seed`):
    its children, started by the partnership's lead, open to the demo reviewer."""
    from sightline.intel.models import Alert
    from sightline.reviews.models import Review
    from sightline.reviews.selectors.reviews import review_list

    review = Review.objects.get()
    alert = Alert.objects.filter(entity_type="person").order_by("possible_at", "reference")[0]
    assert {str(c) for c in review.children.values_list("child_id", flat=True)} == set(
        alert.child_ids
    )
    assert review.created_by.username == demo_username(Role.SAFEGUARDING_LEAD)
    reviewer = User.objects.get(username=demo_username(Role.REVIEWER))
    assert list(review_list(user=reviewer)) == [review]


def _the_demo_chair_has_a_meeting_with_an_agenda() -> None:
    """The demo plans the next MACE meeting (`demo.mace_seed`): co-chaired by the MACE chair
    and the partnership's lead, in two weeks, its agenda built from the borough's records,
    seen by the invited police analyst and not by the referrer."""
    from sightline.audit.models import AuditEvent
    from sightline.meetings.models import Meeting
    from sightline.meetings.selectors import meeting_list

    meeting = Meeting.objects.get()
    chairs = {u.username for u in meeting.chairs.all()}
    assert chairs == {demo_username(Role.MACE_CHAIR), demo_username(Role.SAFEGUARDING_LEAD)}
    assert meeting.items.filter(section="victims").exists()
    assert AuditEvent.objects.filter(object_type="mace_agenda", object_id=meeting.pk).exists()
    analyst = User.objects.get(username=demo_username(Role.POLICE_ANALYST))
    assert list(meeting_list(user=analyst)) == [meeting]
    referrer = User.objects.get(username=demo_username(Role.REFERRER))
    assert not meeting_list(user=referrer).exists()

"""The role by action matrix (docs/permissions.md), walked end to end.

Every role in `Role` (one user each, in an agency that fits the role) is sent to every object
endpoint: every web page that takes a record's id or reference and every operation in the
API's OpenAPI document, each against one seeded record of its kind. The expected answer comes
from one table written below (`ENDPOINTS`: the capability each action needs and the record
scope it reads through), turned into `ALLOWED`, a dict of role -> allowed endpoints.

- an allowed read answers 200; an allowed write is never refused as "not found" or
  "unauthenticated" (state rules may still say 409, 422 or 403);
- anything not allowed answers 404 (the record is not confirmed to exist), or 403 where the
  code documents a capability refusal for a record the user can already see, or for a
  collection; never a 2xx or a redirect;
- the API answers 401 to every operation without a token.

Every request runs in a savepoint that is rolled back, so each sees the same seeded world.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sightline.accounts.roles import BREAK_GLASS_ROLES, ROLE_CAPABILITIES, Cap, Role
from sightline.accounts.tests.clients import signed_in as _signed_in
from sightline.api.api import api

pytestmark = pytest.mark.django_db

R = Role
LOGIN_URL = "/accounts/sign-in/"

# --- The seeded world -----------------------------------------------------------------------

# The agency each role's user belongs to. The referrer is a teacher (education), so the
# education lead's agency scope covers referral A; referrals B and C come from a health
# referrer, so the health lead's covers those.
AGENCY_OF: dict[str, str] = {
    R.REFERRER: "education",
    R.FRONT_DOOR_PRACTITIONER: "csc",
    R.TEAM_MANAGER: "csc",
    R.HEAD_OF_SERVICE: "csc",
    R.SAFEGUARDING_LEAD: "csc",
    R.CSE_SPECIALIST: "csc",
    R.POLICE_ANALYST: "police",
    R.HEALTH_LEAD: "health",
    R.EDUCATION_LEAD: "education",
    R.MACE_CHAIR: "police",
    R.REVIEWER: "other",
    R.AUDITOR: "other",
    R.SYSTEM_ADMIN: "other",
}

# Who made each seeded referral: (role of the maker, or "" for a user outside the matrix;
# the maker's agency). A: by the referrer, screened, decided and challenged. B: by a nurse,
# screened, undecided and escalated. C: by the nurse, with a possible match to A's child.
REFERRAL_ORIGIN: dict[str, tuple[str, str]] = {
    "A": (R.REFERRER, "education"),
    "B": ("", "health"),
    "C": ("", "health"),
}


@dataclass
class World:
    users: dict[str, Any]
    tokens: dict[str, str]
    refs: dict[str, str]  # referral key -> reference
    child: dict[str, uuid.UUID]  # referral key -> its child's id
    ids: dict[str, Any] = field(default_factory=dict)


def _child(given: str, family: str, born: dt.date, address: str, postcode: str) -> Any:
    from sightline.referrals.inputs import ChildInput

    return ChildInput(
        given_name=given,
        family_name=family,
        date_of_birth=born,
        sex="female",
        address=address,
        postcode=postcode,
    )


def _referral(child: Any) -> Any:
    """Synthetic: the adult, place and vehicle are named on every seeded referral, so the
    intel app links them across households and raises alerts."""
    from sightline.referrals.inputs import PersonInput, PlaceInput, ReferralInput

    return ReferralInput(
        narrative="Seen getting into a car with an older adult after school; has a new phone.",
        children=[child],
        concern_categories=["sexual_exploitation"],
        persons_named=[PersonInput(name="Orrin Vantley", nickname="Vee", phone="07700 900456")],
        places_named=[PlaceInput(name="Quillby Grill", kind="takeaway", postcode="NB4 2AB")],
        vehicles=["NB19 QXZ"],
        urgency="urgent",
    )


def seed() -> World:
    from sightline.accounts.services import api_token_issue
    from sightline.accounts.tests.factories import AgencyFactory, UserFactory
    from sightline.escalation import services as escalation
    from sightline.escalation.models import Escalation, InboxItem
    from sightline.intel.models import Alert, Mention
    from sightline.intel.services import mention_confirm
    from sightline.referrals.models import ChildMatchCandidate, Referral
    from sightline.workflows import decision_record, referral_intake, referral_screen

    agencies = {k: AgencyFactory(kind=k) for k in ("csc", "police", "education", "health", "other")}
    users: dict[str, Any] = {
        role.value: UserFactory(
            username=f"m-{role.value}", agency=agencies[AGENCY_OF[role]], role=role
        )
        for role in Role
    }
    nurse = UserFactory(username="m-nurse", agency=agencies["health"], role=R.REFERRER)
    fd = users[R.FRONT_DOOR_PRACTITIONER]
    a = referral_intake(
        acting_user=users[R.REFERRER],
        data=_referral(_child("Tamsin", "Orlow", dt.date(2012, 3, 4), "1 Fen Row", "NB4 7QX")),
    )
    b = referral_intake(
        acting_user=nurse,
        data=_referral(_child("Nell", "Brisk", dt.date(2011, 6, 7), "9 Mill Lane", "NB3 1AA")),
    )
    c = referral_intake(
        acting_user=nurse,
        data=_referral(_child("Tamsin", "Orlow", dt.date(2012, 3, 5), "1 Fen Row", "NB4 7QX")),
    )
    for result in (a, b):
        referral_screen(
            acting_user=fd,
            referral=result.referral,
            referral_child=result.children[0].referral_child,
            marks=[],
        )
    decision_record(
        acting_user=fd,
        referral=Referral.objects.get(pk=a.referral.pk),
        outcome="early_help",
        reason="Synthetic reason for the decision.",
    )
    challenge = escalation.challenge_raise(
        acting_user=users[R.REFERRER],
        referral=Referral.objects.get(pk=a.referral.pk),
        reason="Synthetic reason: the risk is higher than the decision allows for.",
    )
    escalation.sweep(at=dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=10))
    person_c = Mention.objects.get(referral=c.referral, entity_type="person")
    decision = mention_confirm(acting_user=fd, mention=person_c, entity_id=person_c.entity_id)
    mention_b = Mention.objects.get(referral=b.referral, entity_type="person")
    world = World(
        users=users,
        tokens={
            role: api_token_issue(acting_user=None, user=user)[1] for role, user in users.items()
        },
        refs={"A": a.referral.reference, "B": b.referral.reference, "C": c.referral.reference},
        child={k: r.children[0].referral_child.child_id for k, r in (("A", a), ("B", b), ("C", c))},
    )
    from sightline.reviews import services as reviews

    lead = users[R.SAFEGUARDING_LEAD]
    review = reviews.review_create(
        acting_user=lead, kind="learning_review", title="Learning review",
        child_ids=[world.child["A"]],
        period_start=dt.date(2020, 1, 1), period_end=dt.date(2030, 1, 1),
    )  # fmt: skip
    reviews.reviewer_grant(acting_user=lead, review=review, user=users[R.REVIEWER], days=30)
    recommendation = reviews.recommendation_add(
        acting_user=lead, review=review, text="Audit decisions.",
        owner_agency=users[R.TEAM_MANAGER].agency,
        owner_person=users[R.TEAM_MANAGER], due_on=dt.date(2030, 1, 1), required_evidence="Audit.",
    )  # fmt: skip
    from sightline.events.kinds import event_parse
    from sightline.workflows import event_receive

    episode = event_receive(
        acting_user=users[R.POLICE_ANALYST],
        agency=users[R.POLICE_ANALYST].agency,
        data=event_parse(
            {
                "kind": "missing_episode",
                "source_id": "MX-1",
                "occurred_at": (dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=2)).isoformat(),
                "started_at": (dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=2)).isoformat(),
                "returned_at": (dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=1)).isoformat(),
                "risk_grade": "medium",
                "child": {"id": str(world.child["A"])},
            }
        ),
        child=a.children[0].referral_child.child,
    ).event
    world.ids = {
        "event": episode.pk,
        "event_child": episode.child_id,
        **_casework_seed(b.referral, b.children[0].referral_child.child, fd),
        "review": review.pk,
        "recommendation": recommendation.pk,
        "challenge": challenge.pk,
        "escalation": Escalation.objects.get(referral=b.referral, clock__kind="decision").pk,
        "inbox": InboxItem.objects.get(user=users[R.REFERRER], referral=a.referral).pk,
        "candidate": ChildMatchCandidate.objects.get(referral_child__referral=c.referral).pk,
        "alert": Alert.objects.filter(entity_type="person").order_by("created_at")[0].pk,
        "person": mention_b.entity_id,
        "place": Mention.objects.get(referral=b.referral, entity_type="place").entity_id,
        "vehicle": Mention.objects.get(referral=b.referral, entity_type="vehicle").entity_id,
        "mention": mention_b.pk,
        "link_decision": decision.pk,
    }
    # An education absence on child B from the education lead: seen by that lead and children's
    # social care, not by the police analyst (who sees child A's police episode).
    world.ids["education_child"] = event_receive(
        acting_user=users[R.EDUCATION_LEAD], agency=users[R.EDUCATION_LEAD].agency,
        data=event_parse({
            "kind": "education", "source_id": "ED-1", "education_type": "absence",
            "attendance_percent": 91.0, "child": {"id": str(world.child["B"])},
            "occurred_at": (dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=30)).isoformat(),
        }),
        child=b.children[0].referral_child.child,
    ).event.child_id  # fmt: skip
    from sightline.reviews.models import DetectorRun, MissedOpportunity

    world.ids["mo"] = MissedOpportunity.objects.create(
        reference="MO-2026-0000901", pattern="P3", key="matrix-mo", child_id=world.child["B"],
        first_visible_on=dt.date(2026, 1, 5), summary="Synthetic hit.", action="Act.",
        trigger="decide", raised_at=dt.datetime.now(tz=dt.UTC),
    ).pk  # fmt: skip
    from sightline.events.models import EventAlert

    world.ids["event_alert"] = EventAlert.objects.create(
        reference="EA-2026-0000901", detector="repeat_missing", key="matrix-ea",
        child_id=world.child["A"], raised_at=dt.datetime.now(tz=dt.UTC), summary="Synthetic hit.",
    ).pk  # fmt: skip
    world.ids["detector_run"] = DetectorRun.objects.create(
        requested_by=users[R.REVIEWER], start_on=dt.date(2026, 1, 1), end_on=dt.date(2026, 6, 30),
        status="done",
    ).pk  # fmt: skip
    from sightline.meetings.tests.world import build_meeting

    world.ids |= build_meeting(
        chairs=[users[r] for r in MEETING_CHAIRS],
        invited=[users[r] for r in MEETING_INVITED],
        action_owner=users[R.HEALTH_LEAD],
        disruption_owner=users[R.POLICE_ANALYST],
        person_id=world.ids["person"],
        child_id=world.child["B"],
    )
    return world


def _casework_seed(referral: Any, child: Any, fd: Any) -> dict[str, Any]:
    """A proposal awaiting sign-off and one record of each casework step, on referral B."""
    from sightline.casework.models import (
        Assessment,
        Plan,
        Section47Enquiry,
        SignOff,
        StrategyDiscussion,
    )

    now = dt.datetime.now(tz=dt.UTC)
    owner = {"child": child, "referral": referral, "recorded_by": fd, "agency": fd.agency}
    sign_off = SignOff.objects.create(
        referral=referral, outcome="early_help", reasoning=REASON, proposed_by=fd,
        proposed_at=now,
    )  # fmt: skip
    discussion = StrategyDiscussion.objects.create(
        held_at=now, police_present=True, csc_present=True, health_present=True, **owner
    )
    enquiry = Section47Enquiry.objects.create(
        strategy_discussion=discussion, started_on=now.date(), **owner
    )
    assessment = Assessment.objects.create(started_on=now.date(), **owner)
    plan = Plan.objects.create(kind="cin", started_on=now.date(), **owner)
    return {
        "sign_off": sign_off.pk,
        "discussion": discussion.pk,
        "enquiry": enquiry.pk,
        "assessment": assessment.pk,
        "plan": plan.pk,
        "team": fd.team.pk if fd.team else uuid.uuid4(),
    }


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """Seeded once for the module inside a transaction that is rolled back at the end; each
    test runs in a savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


# --- The matrix: what each action needs -----------------------------------------------------


def caps(role: str) -> frozenset[str]:
    return ROLE_CAPABILITIES[role]


def sees(role: str, key: str) -> bool:
    """Record scope (docs/permissions.md): the front door, managers, the safeguarding lead
    and CSE specialists see the partnership's referrals; health and education leads their
    agency's and their own; anyone else who may refer, their own; nobody else any."""
    maker, agency = REFERRAL_ORIGIN[key]
    if Cap.REFERRAL_QUEUE in caps(role):
        return True
    if role in (R.HEALTH_LEAD, R.EDUCATION_LEAD):
        return agency == AGENCY_OF[role] or maker == role
    if Cap.REFERRAL_VIEW in caps(role):
        return maker == role
    return False


def made(role: str, key: str) -> bool:
    return REFERRAL_ORIGIN[key][0] == role


def has(*needed: str) -> Callable[[str], bool]:
    return lambda role: set(needed) <= caps(role)


def never(role: str) -> bool:
    return False


@dataclass(frozen=True)
class Endpoint:
    """One action: a page (URL name) or an API operation (OpenAPI path), its method, who may
    do it, and the refusal everyone else gets."""

    surface: str  # "page" or "api"
    method: str
    route: str
    allows: Callable[[str], bool]
    url: Callable[[World], str]
    body: Callable[[World], dict[str, Any]] | None = None
    refusal_403: Callable[[str], bool] = never  # the code documents 403 for this role
    variant: str = ""

    @property
    def key(self) -> str:
        suffix = f" [{self.variant}]" if self.variant else ""
        return f"{self.surface} {self.method} {self.route}{suffix}"


REASON = "Synthetic reason recorded for this test."

# The seeded MACE meeting: co-chaired by the MACE chair (police) and the safeguarding lead
# (local authority), with the health lead invited; the health lead owns its action.
MEETING_CHAIRS = (R.MACE_CHAIR, R.SAFEGUARDING_LEAD)
MEETING_INVITED = (R.HEALTH_LEAD,)


def sees_meeting(role: str) -> bool:
    """A meeting's scope: its chairs, the people invited to it, and the MACE chair role."""
    return Cap.MEETING_VIEW in caps(role) and (
        role == R.MACE_CHAIR or role in MEETING_CHAIRS + MEETING_INVITED
    )


def chairs_meeting(role: str) -> bool:
    return Cap.MEETING_MANAGE in caps(role) and sees_meeting(role)


def _member_not_chair(role: str) -> bool:
    return sees_meeting(role) and not chairs_meeting(role)


def page(
    method: str,
    name: str,
    allows: Callable[[str], bool],
    args: Callable[[World], list[Any]] = lambda w: [],
    *,
    body: dict[str, Any] | None = None,
    refusal_403: Callable[[str], bool] = never,
    variant: str = "",
) -> Endpoint:
    return Endpoint(
        "page",
        method,
        name,
        allows,
        lambda w: reverse(name, args=args(w)),
        (lambda w: body) if body is not None else None,
        refusal_403,
        variant,
    )


def op(
    method: str,
    path: str,
    allows: Callable[[str], bool],
    params: Callable[[World], dict[str, Any]] = lambda w: {},
    *,
    body: Callable[[World], dict[str, Any]] | None = None,
    refusal_403: Callable[[str], bool] = never,
    variant: str = "",
) -> Endpoint:
    return Endpoint(
        "api",
        method,
        path,
        allows,
        lambda w: path.format(**{k: str(v) for k, v in params(w).items()}),
        body,
        refusal_403,
        variant,
    )


def sees_event(role: str) -> bool:
    return role in {
        R.FRONT_DOOR_PRACTITIONER, R.TEAM_MANAGER, R.HEAD_OF_SERVICE, R.SAFEGUARDING_LEAD,
        R.CSE_SPECIALIST, R.POLICE_ANALYST,
    }  # fmt: skip


def sees_education_event(role: str) -> bool:
    return role in {
        R.FRONT_DOOR_PRACTITIONER, R.TEAM_MANAGER, R.HEAD_OF_SERVICE, R.SAFEGUARDING_LEAD,
        R.CSE_SPECIALIST, R.EDUCATION_LEAD,
    }  # fmt: skip


def _challenge_visible(role: str) -> bool:
    return Cap.CHALLENGE_RAISE in caps(role) and (
        made(role, "A") or (Cap.CHALLENGE_RESPOND in caps(role) and sees(role, "A"))
    )


def _sees_mo(role: str) -> bool:
    """A missed-opportunity alert is seen by those who see alerts and its child's record."""
    return has(Cap.ALERT_VIEW, Cap.CHILD_VIEW)(role) and sees(role, "B")


def _ref(key: str) -> Callable[[World], list[Any]]:
    return lambda w: [w.refs[key]]


def _id(name: str, *more: Any) -> Callable[[World], list[Any]]:
    return lambda w: [w.ids[name], *more]


def _in_days(days: int) -> str:
    from django.utils import timezone

    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def _meeting_id(w: World) -> dict[str, Any]:
    return {"meeting_id": w.ids["meeting"]}


API = "/api/v1"


def _person_id(w: World) -> dict[str, Any]:
    return {"person_id": w.ids["person"]}


ENDPOINTS: list[Endpoint] = [
    # Web pages that take a record's id or reference.
    page(
        "GET", "referrals:detail", lambda r: has(Cap.REFERRAL_VIEW)(r) and sees(r, "A"), _ref("A")
    ),
    page(
        "POST",
        "referrals:decide",
        lambda r: has(Cap.REFERRAL_DECIDE)(r) and sees(r, "B"),
        _ref("B"),
        body={"outcome": "early_help", "reason": REASON},
    ),
    *(
        page(
            method,
            "referrals:screen",
            lambda r: has(Cap.REFERRAL_SCREEN)(r) and sees(r, "B"),
            lambda w: [w.refs["B"], w.child["B"]],
            body={} if method == "POST" else None,
        )
        for method in ("GET", "POST")
    ),
    page(
        "POST",
        "referrals:match",
        lambda r: has(Cap.CHILD_MATCH)(r) and sees(r, "C"),
        _id("candidate", "reject"),
        body={"reason": REASON},
    ),
    page(
        "GET",
        "children:detail",
        lambda r: has(Cap.CHILD_VIEW)(r) and sees(r, "A"),
        lambda w: [w.child["A"]],
    ),
    page(
        "POST",
        "children:mace_propose",
        lambda r: has(Cap.CHILD_VIEW)(r) and sees(r, "A") and has(Cap.MEETING_PROPOSE)(r),
        lambda w: [w.child["A"]],
        body={"reason": REASON},
    ),
    op(
        "POST",
        f"{API}/children/{{child_id}}/mace-proposals",
        lambda r: has(Cap.CHILD_VIEW)(r) and sees(r, "A") and has(Cap.MEETING_PROPOSE)(r),
        lambda w: {"child_id": w.child["A"]},
        body=lambda w: {"reason": REASON},
        refusal_403=lambda r: has(Cap.CHILD_VIEW)(r) and sees(r, "A"),
    ),
    *(
        page(
            "GET",
            "children:chronology_export",
            lambda r: has(Cap.CHILD_VIEW)(r) and sees(r, "A"),
            lambda w, fmt=fmt: [w.child["A"], fmt],  # type: ignore[misc]
            variant=fmt,
        )
        for fmt in ("csv", "pdf")
    ),
    page("GET", "audit:access_log_start", has(Cap.AUDIT_VIEW), lambda w: []),
    page("GET", "audit:child_access_log", has(Cap.AUDIT_VIEW), lambda w: [w.child["A"]]),
    page("GET", "audit:child_access_log_export", has(Cap.AUDIT_VIEW), lambda w: [w.child["A"]]),
    page(
        "POST",
        "escalation:inbox_read",
        lambda r: has(Cap.REFERRAL_VIEW)(r) and r == R.REFERRER,  # one's own message only
        _id("inbox"),
        body={},
    ),
    page(
        "GET",
        "escalation:detail",
        lambda r: has(Cap.ESCALATION_VIEW)(r) and sees(r, "B"),
        _id("escalation"),
    ),
    page(
        "POST",
        "escalation:act",
        lambda r: has(Cap.ESCALATION_VIEW)(r) and sees(r, "B"),
        _id("escalation", "acknowledge"),
        body={"reason": REASON},
        variant="acknowledge",
    ),
    page(
        "POST",
        "escalation:act",
        lambda r: has(Cap.ESCALATION_RESOLVE)(r) and sees(r, "B"),
        _id("escalation", "resolve"),
        body={"reason": REASON},
        refusal_403=lambda r: has(Cap.ESCALATION_VIEW)(r) and sees(r, "B"),
        variant="resolve",
    ),
    page("GET", "escalation:challenge", _challenge_visible, _id("challenge")),
    page(
        "POST",
        "escalation:challenge_respond",
        lambda r: has(Cap.CHALLENGE_RESPOND)(r) and _challenge_visible(r),
        _id("challenge"),
        body={"outcome": "decision_upheld", "notes": REASON},
    ),
    page(
        "POST",
        "escalation:challenge_escalate",
        _challenge_visible,
        _id("challenge"),
        body={"reason": REASON},
    ),
    page(
        "GET",
        "escalation:referral",
        lambda r: has(Cap.ESCALATION_VIEW)(r) and sees(r, "B"),
        _ref("B"),
    ),
    *(
        page(
            method,
            "escalation:challenge_new",
            lambda r: has(Cap.CHALLENGE_RAISE)(r) and made(r, "A") and sees(r, "A"),
            _ref("A"),
            body={"reason": REASON} if method == "POST" else None,
        )
        for method in ("GET", "POST")
    ),
    *(
        page(
            method,
            "escalation:review",
            lambda r: has(Cap.REFERRAL_SIGN_OFF)(r) and sees(r, "B"),
            _ref("B"),
            body={"reason": REASON} if method == "POST" else None,
        )
        for method in ("GET", "POST")
    ),
    # Intelligence is partnership-wide for the roles that hold its capabilities.
    page("GET", "intel:alert", has(Cap.ALERT_VIEW), _id("alert")),
    page(
        "POST",
        "intel:alert_status",
        has(Cap.ALERT_ACTION),
        _id("alert"),
        body={"status": "reviewed", "reason": REASON},
    ),
    page("GET", "intel:person", has(Cap.INTEL_VIEW), _id("person")),
    *(
        page(
            method,
            "intel:person_split",
            has(Cap.INTEL_LINK),
            _id("person"),
            body={"reason": REASON} if method == "POST" else None,  # no mention chosen: 422
        )
        for method in ("GET", "POST")
    ),
    page("GET", "intel:place", has(Cap.INTEL_VIEW), _id("place")),
    page("GET", "intel:vehicle", has(Cap.INTEL_VIEW), _id("vehicle")),
    page(
        "POST",
        "intel:mention_decide",
        has(Cap.INTEL_LINK),
        _id("mention", "confirm"),
        body={"entity_id": "", "reason": REASON},  # entity_id filled in by _body
    ),
    *(
        page(
            "GET",
            name,
            has(Cap.NETWORK_VIEW, Cap.INTEL_VIEW),
            lambda w: ["person", w.ids["person"]],
            variant="person",
        )
        for name in ("intel:network", "intel:network_json")
    ),
    *(
        page(
            "GET",
            name,
            lambda r: has(Cap.NETWORK_VIEW, Cap.CHILD_VIEW)(r) and sees(r, "A"),
            lambda w: ["child", w.child["A"]],
            variant="child",
        )
        for name in ("intel:network", "intel:network_json")
    ),
    # Collection pages: capability only (refused as 404, like every page).
    page("GET", "referrals:queue", has(Cap.REFERRAL_QUEUE)),
    page("GET", "referrals:new", has(Cap.REFERRAL_SUBMIT)),
    page("GET", "referrals:mine", has(Cap.REFERRAL_SUBMIT)),
    page("GET", "access:break_glass", has(Cap.BREAK_GLASS)),
    page("GET", "escalation:overview", has(Cap.ESCALATION_VIEW)),
    page("GET", "escalation:inbox", has(Cap.REFERRAL_VIEW)),
    page("GET", "escalation:list", has(Cap.ESCALATION_VIEW)),
    page("GET", "escalation:performance", has(Cap.PERFORMANCE_VIEW)),
    page("GET", "escalation:challenges", has(Cap.CHALLENGE_RAISE)),
    page("GET", "intel:alerts", has(Cap.ALERT_VIEW)),
    page("GET", "intel:groups", has(Cap.NETWORK_VIEW)),
    page("GET", "intel:hotspots", has(Cap.INTEL_VIEW)),
    # MACE meetings: the meeting's scope (chairs, invited people, the MACE chair role).
    page("GET", "meetings:list", has(Cap.MEETING_VIEW)),
    page("GET", "meetings:new", has(Cap.MEETING_MANAGE)),
    page("POST", "meetings:new", has(Cap.MEETING_MANAGE), body={}),
    *(
        page("GET", name, sees_meeting, _id("meeting"))
        for name in ("meetings:detail", "meetings:pack", "meetings:pack_pdf")
    ),
    page("POST", "meetings:pack_issue", sees_meeting, _id("meeting"), body={}),
    page(
        "POST",
        "meetings:item_remove",
        chairs_meeting,
        lambda w: [w.ids["meeting"], w.ids["item"]],
        body={"reason": REASON},
    ),
    page("GET", "meetings:register", has(Cap.DISRUPTION_VIEW)),
    page("GET", "meetings:measures", has(Cap.DISRUPTION_VIEW)),
    page("GET", "meetings:disruption", has(Cap.DISRUPTION_VIEW), _id("disruption")),
    # Recording a meeting on its pages: chairs; an action's page for its owner and members.
    *(
        page(m, "meetings:attendance", chairs_meeting, _id("meeting"), body={})
        for m in ("GET", "POST")
    ),
    page("POST", "meetings:hold", chairs_meeting, _id("meeting"), body={}),
    page("POST", "meetings:approve", chairs_meeting, _id("meeting"), body={}),
    *(
        page(
            m,
            "meetings:discussion",
            chairs_meeting,
            lambda w: [w.ids["meeting"], w.ids["item"]],
            body={"summary": REASON},
        )
        for m in ("GET", "POST")
    ),
    *(
        page(m, "meetings:action_new", chairs_meeting, _id("meeting"), body={})
        for m in ("GET", "POST")
    ),
    page("GET", "meetings:action", sees_meeting, _id("action")),
    page("GET", "meetings:actions", has(Cap.MEETING_VIEW)),
    page(
        "POST",
        "meetings:action",
        lambda r: r == R.HEALTH_LEAD or chairs_meeting(r),
        _id("action"),
        body={"status": "open", "update": REASON},
    ),
    page("GET", "search:search", has(Cap.SEARCH)),
    # Every API operation.
    op(
        "POST",
        f"{API}/referrals",
        has(Cap.REFERRAL_SUBMIT),
        body=lambda w: {
            "narrative": "Synthetic concern sent by a partner system.",
            "children": [{"given_name": "Ysolde", "family_name": "Pemry", "approximate_age": 8}],
        },
        refusal_403=lambda r: True,
    ),
    op(
        "GET",
        f"{API}/referrals/{{reference}}",
        lambda r: has(Cap.REFERRAL_VIEW)(r) and sees(r, "A"),
        lambda w: {"reference": w.refs["A"]},
    ),
    op(
        "POST",
        f"{API}/referrals/{{reference}}/screening",
        lambda r: has(Cap.REFERRAL_SCREEN)(r) and sees(r, "B"),
        lambda w: {"reference": w.refs["B"]},
        body=lambda w: {"indicators": []},
        refusal_403=lambda r: sees(r, "B"),
    ),
    op(
        "POST",
        f"{API}/referrals/{{reference}}/decision",
        lambda r: has(Cap.REFERRAL_DECIDE)(r) and sees(r, "B"),
        lambda w: {"reference": w.refs["B"]},
        body=lambda w: {"outcome": "early_help", "reason": REASON},
        refusal_403=lambda r: sees(r, "B"),
    ),
    # The indicator catalogue is reference data, not case content: any signed-in token.
    op("GET", f"{API}/screening/indicators", lambda r: True),
    op(
        "GET",
        f"{API}/children/{{child_id}}/access-log",
        has(Cap.AUDIT_VIEW),
        lambda w: {"child_id": w.child["A"]},
    ),
    op(
        "GET",
        f"{API}/children/{{child_id}}",
        lambda r: has(Cap.CHILD_VIEW)(r) and sees(r, "A"),
        lambda w: {"child_id": w.child["A"]},
    ),
    op(
        "GET",
        f"{API}/children/{{child_id}}/chronology",
        lambda r: has(Cap.CHILD_VIEW)(r) and sees(r, "A"),
        lambda w: {"child_id": w.child["A"]},
    ),
    # Search needs a purpose and terms; a role without it is refused as a collection (403).
    Endpoint(
        "api",
        "GET",
        f"{API}/search",
        has(Cap.SEARCH),
        lambda w: f"{API}/search?q=Tamsin+Orlow&purpose=case_work",
        refusal_403=lambda r: True,
    ),
    op(
        "POST",
        f"{API}/break-glass",
        has(Cap.BREAK_GLASS),
        body=lambda w: {"reference": w.refs["B"], "reason": REASON},
        refusal_403=lambda r: True,
    ),
    op("GET", f"{API}/escalations", has(Cap.ESCALATION_VIEW), refusal_403=lambda r: True),
    op(
        "POST",
        f"{API}/escalations/{{escalation_id}}/resolve",
        lambda r: has(Cap.ESCALATION_RESOLVE)(r) and sees(r, "B"),
        lambda w: {"escalation_id": w.ids["escalation"]},
        body=lambda w: {"reason": REASON},
        refusal_403=lambda r: has(Cap.ESCALATION_VIEW)(r) and sees(r, "B"),
    ),
    op(
        "POST",
        f"{API}/referrals/{{reference}}/challenge",
        lambda r: has(Cap.CHALLENGE_RAISE)(r) and made(r, "A"),
        lambda w: {"reference": w.refs["A"]},
        body=lambda w: {"reason": REASON},
        refusal_403=lambda r: Cap.CHALLENGE_RAISE not in caps(r),
    ),
    op(
        "GET",
        f"{API}/referrals/{{reference}}/clocks",
        lambda r: sees(r, "A") and (Cap.ESCALATION_VIEW in caps(r) or made(r, "A")),
        lambda w: {"reference": w.refs["A"]},
    ),
    # Workforce and training coverage (no child data; collections, so 403 in the API).
    page("GET", "workforce:coverage", has(Cap.WORKFORCE_VIEW)),
    page("GET", "workforce:due_export", has(Cap.WORKFORCE_VIEW)),
    *(
        page(method, name, has(Cap.WORKFORCE_MANAGE))
        for method in ("GET", "POST")
        for name in ("workforce:import", "workforce:headcount")
    ),
    op("GET", f"{API}/workforce/coverage", has(Cap.WORKFORCE_VIEW), refusal_403=lambda r: True),
    op("POST", f"{API}/workforce/imports", has(Cap.WORKFORCE_MANAGE), refusal_403=lambda r: True),
    # Partner events: the police episode on child A is seen by children's social care's
    # front door, managers, safeguarding lead and CSE specialists, and by the police analyst.
    page(
        "GET",
        "events:child",
        lambda r: has(Cap.EVENT_VIEW)(r) and sees_event(r),
        _id("event_child"),
    ),
    page("GET", "events:missing", has(Cap.MISSING_VIEW)),
    *(page(method, "events:import", has(Cap.EVENT_IMPORT)) for method in ("GET", "POST")),
    *(
        page(
            method,
            "events:interview",
            lambda r: has(Cap.RETURN_INTERVIEW_RECORD)(r) and sees_event(r),
            _id("event"),
        )
        for method in ("GET", "POST")
    ),
    op(
        "POST",
        f"{API}/events",
        has(Cap.EVENT_SUBMIT),
        body=lambda w: {
            "kind": "police_incident",
            "source_id": "PX-1",
            "occurred_at": "2026-01-05T10:00:00+00:00",
            "incident_type": "concern_for_welfare",
            "child": {"given_name": "Tamsin", "family_name": "Orlow"},
        },
        refusal_403=lambda r: True,
    ),
    op(
        "PATCH",
        f"{API}/events/{{event_id}}",
        lambda r: has(Cap.EVENT_SUBMIT)(r) and sees_event(r),
        lambda w: {"event_id": w.ids["event"]},
        body=lambda w: {"found_where": "a park"},
    ),
    op(
        "GET",
        f"{API}/children/{{child_id}}/events",
        lambda r: has(Cap.EVENT_VIEW)(r) and sees_event(r),
        lambda w: {"child_id": w.ids["event_child"]},
    ),
    op("POST", f"{API}/imports", has(Cap.EVENT_IMPORT), refusal_403=lambda r: True),
    # Child B's education absence: the education lead sees it, the police analyst does not.
    page(
        "GET",
        "events:child",
        lambda r: has(Cap.EVENT_VIEW)(r) and sees_education_event(r),
        _id("education_child"),
        variant="education",
    ),
    op(
        "GET",
        f"{API}/children/{{child_id}}/events",
        lambda r: has(Cap.EVENT_VIEW)(r) and sees_education_event(r),
        lambda w: {"child_id": w.ids["education_child"]},
        variant="education",
    ),
    # A return-interview step through POST /events (kind return_interview) on child A's episode.
    op(
        "POST",
        f"{API}/events",
        lambda r: has(Cap.RETURN_INTERVIEW_RECORD)(r) and sees_event(r),
        body=lambda w: {
            "kind": "return_interview",
            "episode_id": str(w.ids["event"]),
            "status": "offered",
            "at": dt.datetime.now(tz=dt.UTC).isoformat(),
        },
        refusal_403=lambda r: True,
        variant="return_interview",
    ),
    # A partner-event detector's alert: acted on by those who act on alerts and see it.
    page(
        "POST",
        "events:alert_status",
        has(Cap.MISSING_VIEW, Cap.ALERT_ACTION),
        _id("event_alert"),
        body={"status": "reviewed"},
    ),
    op(
        "POST",
        f"{API}/events/alerts/{{alert_id}}/status",
        has(Cap.MISSING_VIEW, Cap.ALERT_ACTION),
        lambda w: {"alert_id": w.ids["event_alert"]},
        body=lambda w: {"status": "reviewed"},
        refusal_403=has(Cap.MISSING_VIEW),
    ),
    op(
        "GET",
        f"{API}/missing/return-interviews",
        has(Cap.MISSING_VIEW),
        refusal_403=lambda r: True,
    ),
    op("GET", f"{API}/alerts", has(Cap.ALERT_VIEW), refusal_403=lambda r: True),
    op(
        "POST",
        f"{API}/alerts/{{alert_id}}/status",
        has(Cap.ALERT_ACTION),
        lambda w: {"alert_id": w.ids["alert"]},
        body=lambda w: {"status": "reviewed", "reason": REASON},
        refusal_403=has(Cap.ALERT_VIEW),
    ),
    op(
        "GET",
        f"{API}/persons/{{person_id}}/network",
        has(Cap.INTEL_VIEW, Cap.NETWORK_VIEW),
        lambda w: {"person_id": w.ids["person"]},
    ),
    op("GET", f"{API}/persons/{{person_id}}", has(Cap.INTEL_VIEW), _person_id),
    op(
        "POST",
        f"{API}/persons/{{person_id}}/split",
        has(Cap.INTEL_LINK),
        _person_id,
        # a mention that is not the person's: allowed roles get 422 and nothing is stored
        body=lambda w: {"mention_ids": [str(w.ids["alert"])], "reason": REASON},
        refusal_403=has(Cap.INTEL_VIEW),
    ),
    op(
        "GET",
        f"{API}/networks/{{node_type}}/{{node_id}}",
        has(Cap.INTEL_VIEW, Cap.NETWORK_VIEW),
        lambda w: {"node_type": "person", "node_id": w.ids["person"]},
        variant="person",
    ),
    op(
        "GET",
        f"{API}/networks/{{node_type}}/{{node_id}}",
        lambda r: has(Cap.CHILD_VIEW, Cap.NETWORK_VIEW)(r) and sees(r, "A"),
        lambda w: {"node_type": "child", "node_id": w.child["A"]},
        variant="child",
    ),
    op("GET", f"{API}/hotspots", has(Cap.INTEL_VIEW), refusal_403=lambda r: True),
    op(
        "GET",
        f"{API}/mentions/{{mention_id}}/candidates",
        has(Cap.INTEL_LINK),
        lambda w: {"mention_id": w.ids["mention"]},
    ),
    op(
        "GET",
        f"{API}/mentions/{{mention_id}}/explanation",
        has(Cap.INTEL_LINK),
        lambda w: {"mention_id": w.ids["mention"]},
    ),
    *(
        op(
            "POST",
            f"{API}/mentions/{{mention_id}}/{verb}",
            has(Cap.INTEL_LINK),
            lambda w: {"mention_id": w.ids["mention"]},
            body=lambda w: {"entity_id": str(w.ids["person"]), "reason": REASON},
        )
        for verb in ("confirm", "reject")
    ),
    op(
        "POST",
        f"{API}/link-decisions/{{decision_id}}/undo",
        has(Cap.INTEL_LINK),
        lambda w: {"decision_id": w.ids["link_decision"]},
        body=lambda w: {"reason": REASON},
    ),
    # MACE meetings and the disruption register.
    op(
        "POST",
        f"{API}/meetings",
        has(Cap.MEETING_MANAGE),
        body=lambda w: {
            "held_on": _in_days(30),
            "chairs": [w.users[r].username for r in MEETING_CHAIRS],
            "invited_agencies": ["health-agency"],
        },
        refusal_403=lambda r: True,
    ),
    *(
        op("GET", f"{API}/meetings/{{meeting_id}}{tail}", sees_meeting, _meeting_id)
        for tail in ("", "/agenda", "/pack.pdf")
    ),
    op("POST", f"{API}/meetings/{{meeting_id}}/pack", sees_meeting, _meeting_id),
    *(
        op(
            "POST",
            f"{API}/meetings/{{meeting_id}}{tail}",
            chairs_meeting,
            _meeting_id,
            body=body,
            refusal_403=_member_not_chair,
        )
        for tail, body in (
            (
                "/actions",
                lambda w: {
                    "description": "Synthetic action.",
                    "owner_agency": "health-agency",
                    "owner": w.users[R.HEALTH_LEAD].username,
                    "due_on": _in_days(30),
                },
            ),
            ("/agenda", None),
            (
                "/agenda/items",
                lambda w: {
                    "section": "themes",
                    "subject_type": "theme",
                    "reference": "THEME-LOCAL",
                    "reason": REASON,
                },
            ),
            (
                "/attendance",
                lambda w: {"entries": [{"agency": "police-agency", "status": "present"}]},
            ),
            ("/status", lambda w: {"status": "held"}),
        )
    ),
    *(
        op(
            "POST",
            f"{API}/meetings/{{meeting_id}}/{path}",
            chairs_meeting,
            lambda w: {"meeting_id": w.ids["meeting"], "item_id": w.ids["item"]},
            body=body,
            refusal_403=_member_not_chair,
        )
        for path, body in (
            ("agenda/items/{item_id}/remove", lambda w: {"reason": REASON}),
            ("items/{item_id}/discussion", lambda w: {"summary": REASON, "risk_view": "high"}),
        )
    ),
    op(
        "PATCH",
        f"{API}/actions/{{action_id}}",
        lambda r: r == R.HEALTH_LEAD or chairs_meeting(r),  # its owner or a chair
        lambda w: {"action_id": w.ids["action"]},
        body=lambda w: {"update": REASON},
    ),
    op("GET", f"{API}/disruption/tactics", has(Cap.DISRUPTION_VIEW), refusal_403=lambda r: True),
    op(
        "POST",
        f"{API}/mentions/{{mention_id}}/grade",
        has(Cap.DISRUPTION_MANAGE, Cap.INTEL_VIEW),
        lambda w: {"mention_id": w.ids["mention"]},
        body=lambda w: {"source": "2", "information": "B", "handling": "P"},
        refusal_403=lambda r: True,
    ),
    op(
        "POST",
        f"{API}/disruptions",
        has(Cap.DISRUPTION_MANAGE),
        body=lambda w: {
            "target": {"type": "place", "id": str(w.ids["place"])},
            "tactic": "hotel_notice",
            "owner_agency": "police-agency",
            "owner": w.users[R.POLICE_ANALYST].username,
        },
        refusal_403=lambda r: True,
    ),
    *(
        op(
            method,
            f"{API}/disruptions/{{disruption_id}}{tail}",
            has(Cap.DISRUPTION_MANAGE),
            lambda w: {"disruption_id": w.ids["disruption"]},
            body=body,
            refusal_403=lambda r: has(Cap.DISRUPTION_VIEW)(r) and not has(Cap.DISRUPTION_MANAGE)(r),
        )
        for method, tail, body in (
            ("PATCH", "", lambda w: {"status": "in_force"}),
            (
                "POST",
                "/breaches",
                lambda w: {"occurred_on": _in_days(0), "what": REASON},
            ),
        )
    ),
    op(
        "GET",
        f"{API}/persons/{{person_id}}/disruptions",
        has(Cap.DISRUPTION_VIEW),
        lambda w: {"person_id": w.ids["person"]},
    ),
]


def _owns_recommendation(role: str) -> bool:
    """Review leads see every recommendation; other trackers their own agency's (the seeded
    one is owned by the front door's team manager, in the council)."""
    return Cap.RECOMMENDATION_VIEW in caps(role) and (
        Cap.REVIEW_MANAGE in caps(role) or AGENCY_OF[role] == "csc"
    )


# Statutory returns (reporting.returns): partnership-wide downloads for report.statutory; the
# seeded world's referrals fall outside 2025-26, so the census is written with no children.
CENSUS = "?year=2025-26"
ENDPOINTS += [
    page("GET", "reports:returns", has(Cap.REPORT_STATUTORY)),
    Endpoint(
        "page", "GET", "reports:cin_census", has(Cap.REPORT_STATUTORY),
        lambda w: reverse("reports:cin_census") + CENSUS, None, never, "",
    ),
    Endpoint(
        "api", "GET", f"{API}/reports/cin-census", has(Cap.REPORT_STATUTORY),
        lambda w: f"{API}/reports/cin-census{CENSUS}", None, lambda r: True, "",
    ),
    Endpoint(
        "api", "GET", f"{API}/reports/annex-a", has(Cap.REPORT_STATUTORY),
        lambda w: f"{API}/reports/annex-a?from=2025-04-01&to=2026-03-31", None,
        lambda r: True, "",
    ),
]  # fmt: skip

# The partnership dashboard (reporting.dashboard) for dashboard.view, counted in the user's
# scope; the Annex A page's download for report.statutory (issue 16).
ENDPOINTS += [
    page("GET", "reports:dashboard", has(Cap.DASHBOARD_VIEW)),
    page("GET", "reports:dashboard_csv", has(Cap.DASHBOARD_VIEW), lambda w: ["clocks"]),
    Endpoint(
        "page", "GET", "reports:dashboard_records", has(Cap.DASHBOARD_VIEW),
        lambda w: reverse("reports:dashboard_records", args=["clocks"])
        + "?series=due&column=decision",
    ),
    Endpoint(
        "api", "GET", f"{API}/dashboard", has(Cap.DASHBOARD_VIEW),
        lambda w: f"{API}/dashboard", None, lambda r: True, "",
    ),
    Endpoint(
        "page", "GET", "reports:annex_a", has(Cap.REPORT_STATUTORY),
        lambda w: reverse("reports:annex_a") + "?from=2025-04-01&to=2026-03-31",
    ),
]  # fmt: skip

# Reviews: the seeded review's reviewer holds a grant, so every review.view role sees it.
ENDPOINTS += [
    page("GET", "language:report", has(Cap.LANGUAGE_REPORT)),
    page("POST", "language:check", has(Cap.LANGUAGE_CHECK), body={"text": "streetwise"}),
    page("GET", "reviews:list", has(Cap.REVIEW_VIEW)),
    page("GET", "reviews:start", has(Cap.REVIEW_MANAGE)),
    page("POST", "reviews:start", has(Cap.REVIEW_MANAGE), body={}),
    *(
        page("GET", name, has(Cap.REVIEW_VIEW), _id("review"))
        for name in ("reviews:detail", "reviews:chronology_csv", "reviews:chronology_pdf")
    ),
    page(
        "POST", "reviews:significance", has(Cap.REVIEW_VIEW), _id("review"),
        body={"entry_key": "referral:x", "significance": REASON},
    ),
    page("POST", "reviews:finding_add", has(Cap.REVIEW_VIEW), _id("review"), body={"text": REASON}),
    page(
        "POST", "reviews:grant", has(Cap.REVIEW_MANAGE), _id("review"),
        body={"username": "m-reviewer", "days": "5"},
    ),
    page("POST", "reviews:close", has(Cap.REVIEW_MANAGE), _id("review"), body={}),
    page("POST", "reviews:dates", has(Cap.REVIEW_MANAGE), _id("review"), body={}),
    page(
        "POST", "reviews:recommendation_add", has(Cap.REVIEW_MANAGE), _id("review"),
        body={"text": REASON},
    ),
    # The records a review cites, read through it (referral A's child is the review's); a
    # referral or child outside the review is not found for anyone (reviews/tests/test_reader).
    page("GET", "reviews:referral_read", has(Cap.REVIEW_VIEW),
         lambda w: [w.ids["review"], w.refs["A"]]),
    page("GET", "reviews:child_read", has(Cap.REVIEW_VIEW),
         lambda w: [w.ids["review"], w.child["A"]]),
    page("GET", "reviews:tracker", has(Cap.RECOMMENDATION_VIEW)),
    page("GET", "reviews:tracker_csv", has(Cap.RECOMMENDATION_VIEW)),
    page("GET", "reviews:recommendation", _owns_recommendation, _id("recommendation")),
    page(
        "POST", "reviews:recommendation_update", _owns_recommendation, _id("recommendation"),
        body={"note": REASON},
    ),
    op(
        "POST", f"{API}/language/check", has(Cap.LANGUAGE_CHECK),
        body=lambda w: {"text": "She is streetwise."}, refusal_403=lambda r: True,
    ),
    op(
        "POST", f"{API}/reviews", has(Cap.REVIEW_MANAGE),
        body=lambda w: {"kind": "learning_review", "title": "Learning review",
                        "children": [str(w.child["A"])], "period_start": "2025-01-01",
                        "period_end": "2025-12-31"},
        refusal_403=lambda r: True,
    ),
    *(
        op("GET", path, has(Cap.REVIEW_VIEW), lambda w: {"review_id": w.ids["review"]})
        for path in (f"{API}/reviews/{{review_id}}", f"{API}/reviews/{{review_id}}/chronology")
    ),
    op(
        "POST", f"{API}/reviews/{{review_id}}/recommendations", has(Cap.REVIEW_MANAGE),
        lambda w: {"review_id": w.ids["review"]}, body=lambda w: {"text": REASON},
        refusal_403=has(Cap.REVIEW_VIEW),
    ),
    op(
        "POST", f"{API}/reviews/{{review_id}}/dates", has(Cap.REVIEW_MANAGE),
        lambda w: {"review_id": w.ids["review"]}, body=lambda w: {},
        refusal_403=has(Cap.REVIEW_VIEW),
    ),
    op(
        "PATCH", f"{API}/recommendations/{{recommendation_id}}", _owns_recommendation,
        lambda w: {"recommendation_id": w.ids["recommendation"]}, body=lambda w: {"note": REASON},
    ),
    op("GET", f"{API}/recommendations", has(Cap.RECOMMENDATION_VIEW), refusal_403=lambda r: True),
    # Missed-opportunity detectors: the rules, retrospective runs (the requester's own: the
    # seeded run is the reviewer's) and the alerts about child B.
    page("GET", "reviews:detectors", has(Cap.DETECTOR_VIEW)),
    page(
        "POST", "reviews:detector_run_new", has(Cap.DETECTOR_RUN),
        body={"start": "2026-01-01", "end": "2026-06-30", "children": ""},
    ),
    page("GET", "reviews:detector_run", lambda r: r == R.REVIEWER, _id("detector_run")),
    page("GET", "reviews:missed_opportunities", has(Cap.ALERT_VIEW)),
    page("GET", "reviews:missed_opportunity", _sees_mo, _id("mo")),
    page(
        "POST", "reviews:missed_opportunity_acknowledge",
        lambda r: _sees_mo(r) and has(Cap.ALERT_ACTION)(r), _id("mo"), body={"note": REASON},
    ),
    op("GET", f"{API}/detectors", has(Cap.DETECTOR_VIEW), refusal_403=lambda r: True),
    op(
        "POST", f"{API}/detectors/run", has(Cap.DETECTOR_RUN), refusal_403=lambda r: True,
        body=lambda w: {"from": "2026-01-01", "to": "2026-06-30", "children": [str(w.child["A"])]},
    ),
    op(
        "GET", f"{API}/detectors/runs/{{run_id}}", lambda r: r == R.REVIEWER,
        lambda w: {"run_id": w.ids["detector_run"]},
    ),
    op(
        "POST", f"{API}/missed-opportunities/{{mo_id}}/acknowledge",
        lambda r: _sees_mo(r) and has(Cap.ALERT_ACTION)(r), lambda w: {"mo_id": w.ids["mo"]},
        body=lambda w: {"note": REASON},
        refusal_403=lambda r: _sees_mo(r) and not has(Cap.ALERT_ACTION)(r),
    ),
]  # fmt: skip


def _token_of_referrer(w: World) -> list[Any]:
    from sightline.accounts.models import ApiToken

    token = ApiToken.objects.filter(user=w.users[R.REFERRER]).order_by("created_at").first()
    assert token is not None
    return [token.pk]


def _child_ref(w: World, key: str) -> str:
    from sightline.people.models import Child

    return str(Child.objects.get(pk=w.child[key]).reference)


def _hold(w: World) -> list[Any]:
    """A legal hold on referral C's child, made once for the module's world."""
    from sightline.people.models import Child
    from sightline.retention.models import LegalHold

    child = Child.objects.get(pk=w.child["C"])
    hold, _ = LegalHold.objects.get_or_create(
        child=child,
        defaults={
            "child_reference": child.reference,
            "kind": "inquiry",
            "matter": "Synthetic inquiry",
            "placed_by": w.users[R.SYSTEM_ADMIN],
        },
    )
    return [hold.pk]


# Administration (no case content): the system administrator only; collections answer 403
# in the API to every other role, pages 404.
ADMIN_ENDPOINTS: list[Endpoint] = [
    *(
        page("GET", f"admin_console:{name}", has(Cap.USER_MANAGE))
        for name in ("home", "users", "user_new", "agencies", "tokens")
    ),
    page("GET", "admin_console:user_edit", has(Cap.USER_MANAGE), lambda w: ["m-referrer"]),
    *(
        page("POST", f"admin_console:{name}", has(Cap.USER_MANAGE), lambda w: ["m-referrer"],
             body={"reason": REASON})
        for name in ("user_deactivate", "user_two_factor_reset")
    ),
    page("POST", "admin_console:token_revoke", has(Cap.USER_MANAGE), _token_of_referrer, body={}),
    page("GET", "admin_console:clocks", has(Cap.USER_MANAGE)),
    page("POST", "admin_console:clocks", has(Cap.USER_MANAGE),
         body={"form": "policy", "key": "decision", "amount": "2", "unit": "working_days"}),
    page("GET", "admin_console:settings", has(Cap.USER_MANAGE)),
    page("GET", "admin_console:retention", has(Cap.USER_MANAGE)),
    page("POST", "admin_console:hold_release", has(Cap.USER_MANAGE), _hold,
         body={"reason": REASON}),
    op("GET", f"{API}/admin/users", has(Cap.USER_MANAGE), refusal_403=lambda r: True),
    op(
        "POST", f"{API}/admin/users", has(Cap.USER_MANAGE), refusal_403=lambda r: True,
        body=lambda w: {"username": "m-new-user", "password": "a long synthetic passphrase 42",
                        "agency": w.users[R.REFERRER].agency.code, "role": "referrer"},
    ),
    op(
        "PATCH", f"{API}/admin/users/{{username}}", has(Cap.USER_MANAGE),
        lambda w: {"username": "m-referrer"}, body=lambda w: {"job_title": "Teacher"},
        refusal_403=lambda r: True,
    ),
    op(
        "POST", f"{API}/admin/users/{{username}}/deactivate", has(Cap.USER_MANAGE),
        lambda w: {"username": "m-referrer"}, body=lambda w: {"reason": REASON},
        refusal_403=lambda r: True,
    ),
    op("GET", f"{API}/admin/tokens", has(Cap.USER_MANAGE), refusal_403=lambda r: True),
    op(
        "POST", f"{API}/admin/tokens", has(Cap.USER_MANAGE), refusal_403=lambda r: True,
        body=lambda w: {"username": "m-referrer", "name": "partner"},
    ),
    op(
        "DELETE", f"{API}/admin/tokens/{{token_id}}", has(Cap.USER_MANAGE),
        lambda w: {"token_id": _token_of_referrer(w)[0]}, refusal_403=lambda r: True,
    ),
    op("GET", f"{API}/retention/due", has(Cap.USER_MANAGE), refusal_403=lambda r: True),
    op(
        "POST", f"{API}/retention/holds", has(Cap.USER_MANAGE), refusal_403=lambda r: True,
        body=lambda w: {"child_reference": _child_ref(w, "B"), "kind": "inquiry", "matter": REASON},
    ),
]  # fmt: skip
ENDPOINTS += ADMIN_ENDPOINTS
ADMIN_KEYS = {e.key for e in ADMIN_ENDPOINTS}


# Casework: the sign-off queue and its answers (a proposal on B by the front-door
# practitioner), caseloads, overrides, a child's casework page and the steps' API.
def _sees_b_casework(role: str) -> bool:
    return Cap.CASEWORK_VIEW in caps(role) and sees(role, "B")


def _records_b(role: str) -> bool:
    return Cap.CASEWORK_RECORD in caps(role) and sees(role, "B")


def _views_not_records_b(role: str) -> bool:
    return _sees_b_casework(role) and not _records_b(role)


def _const(body: dict[str, Any]) -> Callable[[World], dict[str, Any]]:
    return lambda w: body


def _record_id(key: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"record_id": w.ids[key]}


ENDPOINTS += [
    page("GET", "casework:sign_offs", has(Cap.REFERRAL_SIGN_OFF)),
    *(
        page(
            "POST", name, lambda r: has(Cap.REFERRAL_SIGN_OFF)(r) and sees(r, "B"),
            _id("sign_off"), body={"reason": REASON},
        )
        for name in ("casework:approve", "casework:return")
    ),
    page("GET", "casework:caseloads", has(Cap.CASELOAD_VIEW)),
    page("GET", "casework:overrides", has(Cap.OVERRIDE_VIEW)),
    page(
        "GET", "casework:child", _sees_b_casework, lambda w: [w.child["B"]],
    ),
    page(
        "POST", "casework:step_new", _records_b, lambda w: [w.child["B"], "note"],
        body={"kind": "visit", "text": REASON},
    ),
    op(
        "GET", f"{API}/sign-offs",
        lambda r: has(Cap.REFERRAL_SIGN_OFF)(r) or has(Cap.REFERRAL_DECIDE)(r),
        refusal_403=lambda r: True,
    ),
    *(
        op(
            "POST", f"{API}/sign-offs/{{sign_off_id}}/{verb}",
            lambda r: has(Cap.REFERRAL_SIGN_OFF)(r) and sees(r, "B"),
            lambda w: {"sign_off_id": w.ids["sign_off"]},
            body=lambda w: {"reason": REASON},
            refusal_403=lambda r: r == R.FRONT_DOOR_PRACTITIONER,  # the proposer: sees it
        )
        for verb in ("approve", "return")
    ),
    op(
        "POST", f"{API}/challenges/{{challenge_id}}/respond",
        lambda r: has(Cap.CHALLENGE_RESPOND)(r) and _challenge_visible(r),
        lambda w: {"challenge_id": w.ids["challenge"]},
        body=lambda w: {"stage_outcome": "upheld", "reason": REASON},
        refusal_403=lambda r: _challenge_visible(r) and not has(Cap.CHALLENGE_RESPOND)(r),
    ),
    *(
        op(
            "POST", f"{API}/children/{{child_id}}/{kind}", _records_b,
            lambda w: {"child_id": w.child["B"]}, body=_const(body),
            refusal_403=_views_not_records_b,
        )
        for kind, body in (
            ("strategy-discussions", {"held_at": "2020-01-01T10:00:00Z", "police_present": True,
                                      "csc_present": True, "health_present": True}),
            ("section-47-enquiries", {"strategy_discussion": str(uuid.uuid4()),
                                      "started_on": "2020-01-01"}),
            ("assessments", {"started_on": "2020-01-01"}),
            ("conferences", {"kind": "initial", "held_on": "2020-01-01", "outcome": "no_plan"}),
            ("plans", {"kind": "cin", "started_on": "2020-01-01"}),
            ("closures", {"closed_on": "2020-01-01", "reason": "RC8"}),
            ("notes", {"kind": "visit", "text": REASON}),
        )
    ),
    *(
        op(
            "PATCH", f"{API}/{path}/{{record_id}}", _records_b,
            _record_id(key), body=_const(body),
            refusal_403=_views_not_records_b,
        )
        for path, key, body in (
            ("strategy-discussions", "discussion",
             {"outcome": "section_47", "outcome_reason": REASON}),
            ("section-47-enquiries", "enquiry",
             {"outcome": "not_substantiated", "completed_on": "2020-01-01"}),
            ("assessments", "assessment", {"factors": ["11A"]}),
            ("plans", "plan", {"ended_on": "2020-01-01", "end_reason": REASON}),
        )
    ),
    op(
        "POST", f"{API}/children/{{child_id}}/allocation",
        lambda r: Cap.CASEWORK_ALLOCATE in caps(r) and sees(r, "B"),
        lambda w: {"child_id": w.child["B"]},
        body=lambda w: {"team": str(w.ids["team"]), "reason": REASON},
        refusal_403=lambda r: _sees_b_casework(r) and Cap.CASEWORK_ALLOCATE not in caps(r),
    ),
    op("GET", f"{API}/caseloads", has(Cap.CASELOAD_VIEW), refusal_403=lambda r: True),
]  # fmt: skip

# The matrix itself: role -> the (surface, method, route) actions it may take.
ALLOWED: dict[str, set[str]] = {
    role.value: {e.key for e in ENDPOINTS if e.allows(role.value)} for role in Role
}


# --- Walking it -----------------------------------------------------------------------------


def _body(endpoint: Endpoint, world: World) -> dict[str, Any] | None:
    if endpoint.body is None:
        return None
    data = dict(endpoint.body(world))
    if "entity_id" in data and not data["entity_id"]:
        data["entity_id"] = str(world.ids["person"])
    return data


def _send(client: Client, endpoint: Endpoint, world: World, token: str | None = None) -> Any:
    """One request, in a savepoint rolled back afterwards (every request sees the seed)."""
    url = endpoint.url(world)
    data = _body(endpoint, world)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with transaction.atomic():
        if endpoint.method == "GET":
            response = client.get(url, headers=headers)
        elif endpoint.method == "DELETE":
            response = client.delete(url, headers=headers)
        elif endpoint.method == "PATCH":
            response = client.patch(
                url, data=data or {}, content_type="application/json", headers=headers
            )
        elif endpoint.surface == "api":
            response = client.post(
                url, data=data or {}, content_type="application/json", headers=headers
            )
        else:
            response = client.post(url, data=data or {})
        transaction.set_rollback(True)
    return response


def _verdict(endpoint: Endpoint, role: str, status: int) -> str | None:
    """Why this answer is wrong for this role, or None."""
    if role in ALLOWED and endpoint.key in ALLOWED[role]:
        if endpoint.method == "GET" and status != 200:
            return f"allowed read answered {status}, expected 200"
        if status in (401, 404):
            return f"allowed write answered {status}"
        return None
    if 200 <= status < 400:
        return f"UNAUTHORISED {status}"
    expected = 403 if endpoint.refusal_403(role) else 404
    if status != expected:
        return f"refused with {status}, expected {expected}"
    return None


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_role_gets_exactly_what_the_matrix_allows(world: World, role: str) -> None:
    user = world.users[role]
    client = _signed_in(user)
    api_client = Client()
    wrong = []
    for endpoint in ENDPOINTS:
        if endpoint.surface == "api":
            response = _send(api_client, endpoint, world, token=world.tokens[role])
        else:
            response = _send(client, endpoint, world)
        problem = _verdict(endpoint, role, response.status_code)
        if problem:
            wrong.append(f"{endpoint.key}: {problem}")
    assert wrong == [], f"{role}:\n" + "\n".join(wrong)


def test_every_api_operation_answers_401_without_a_token(world: World) -> None:
    client = Client()
    answers = {e.key: _send(client, e, world).status_code for e in ENDPOINTS if e.surface == "api"}
    assert answers and set(answers.values()) == {401}, answers


def test_every_page_sends_a_signed_out_visitor_to_sign_in(world: World) -> None:
    client = Client()
    wrong = {}
    for endpoint in ENDPOINTS:
        if endpoint.surface != "page":
            continue
        response = _send(client, endpoint, world)
        if response.status_code != 302 or not response["Location"].startswith(LOGIN_URL):
            wrong[endpoint.key] = response.status_code
    assert wrong == {}


def test_the_matrix_is_not_vacuous() -> None:
    """Each endpoint is allowed to someone and refused to someone (else the table is wrong),
    and the roles with no case content are allowed no case endpoint."""
    for endpoint in ENDPOINTS:
        holders = {role for role, keys in ALLOWED.items() if endpoint.key in keys}
        assert holders, endpoint.key
        if endpoint.route != f"{API}/screening/indicators":
            assert holders != set(Role.values), endpoint.key
    # The administrator's own endpoints (users, tokens, configuration, retention) hold no
    # case content; beyond them it is allowed only the indicator catalogue.
    assert ALLOWED[R.SYSTEM_ADMIN] - ADMIN_KEYS == {f"api GET {API}/screening/indicators"}
    assert ALLOWED[R.AUDITOR] == {
        "page GET audit:access_log_start",
        "page GET audit:child_access_log",
        "page GET audit:child_access_log_export",
        f"api GET {API}/children/{{child_id}}/access-log",
        f"api GET {API}/screening/indicators",
    }


# --- The matrix covers every endpoint there is ----------------------------------------------


def _patterns(patterns: list[Any], prefix: str = "", ns: str = "") -> Iterator[tuple[str, Any]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _patterns(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            yield f"{ns}{p.name}", p


def test_every_page_with_a_permission_is_in_the_matrix() -> None:
    """A new page that needs a capability must be added to ENDPOINTS (and the doc)."""
    listed = {e.route for e in ENDPOINTS if e.surface == "page"}
    needed = {
        name
        for name, p in _patterns(get_resolver().url_patterns)
        if getattr(p.callback, "sightline_permission", "public") not in ("public", "authenticated")
    }
    assert needed - listed == set()
    assert listed - needed == set()


def test_every_openapi_operation_is_in_the_matrix() -> None:
    schema = api.get_openapi_schema()
    operations = {
        f"api {method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops
    }
    listed = {f"{e.surface} {e.method} {e.route}" for e in ENDPOINTS if e.surface == "api"}
    assert operations == listed


def test_docs_matrix_matches_role_capabilities() -> None:
    """docs/permissions.md's table has one row per capability and one column per role, with
    a tick exactly where ROLE_CAPABILITIES grants it."""
    doc = (Path(__file__).resolve().parents[3] / "docs" / "permissions.md").read_text()
    header = next(line for line in doc.splitlines() if line.startswith("| capability |"))
    columns = [c.strip().strip("`") for c in header.strip("|").split("|")][2:]
    assert columns == list(Role.values)
    caps_in_code = {v for k, v in vars(Cap).items() if k.isupper()}
    rows = {}
    for line in doc.splitlines():
        m = re.match(r"^\| `([a-z_.]+)` \|", line)
        if m and m.group(1) in caps_in_code:
            cells = [c.strip() for c in line.strip("|").split("|")][2:]
            rows[m.group(1)] = {role for role, cell in zip(columns, cells, strict=True) if cell}
    assert set(rows) == caps_in_code
    for cap, holders in rows.items():
        assert holders == {r for r in Role.values if cap in ROLE_CAPABILITIES[r]}, cap


# --- Break-glass ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", sorted(r.value for r in BREAK_GLASS_ROLES if Cap.REFERRAL_QUEUE not in caps(r.value))
)
def test_break_glass_opens_that_referral_and_no_other(world: World, role: str) -> None:
    """Every break-glass role outside the front door can read the referral it opened (the
    reviewer used to end on a 404: it lacked referral.view), and still gets 404 on the
    referrals it holds no grant for."""
    client = _signed_in(world.users[role])
    unseen = [world.refs[k] for k in sorted(REFERRAL_ORIGIN) if not sees(role, k)]
    assert unseen, role
    target = unseen[0]
    assert client.get(reverse("referrals:detail", args=[target])).status_code == 404
    opened = client.post(
        reverse("access:break_glass"), {"reference": target, "reason": "Case review of this child"}
    )
    assert opened.status_code == 302
    assert opened["Location"] == reverse("referrals:detail", args=[target])
    assert client.get(opened["Location"]).status_code == 200
    for other in unseen[1:]:
        assert client.get(reverse("referrals:detail", args=[other])).status_code == 404


def test_reviewer_break_glass_through_the_api(world: World) -> None:
    client = Client()
    headers = {"Authorization": f"Bearer {world.tokens[R.REVIEWER]}"}
    detail = f"{API}/referrals/{world.refs['B']}"
    assert client.get(detail, headers=headers).status_code == 404
    opened = client.post(
        f"{API}/break-glass",
        {"reference": world.refs["B"], "reason": "Case review of this child"},
        content_type="application/json",
        headers=headers,
    )
    assert opened.status_code == 201
    assert client.get(detail, headers=headers).status_code == 200
    assert client.get(f"{API}/referrals/{world.refs['C']}", headers=headers).status_code == 404

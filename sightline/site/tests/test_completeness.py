"""Audit completeness: every page and API operation that shows a child's data writes exactly one
access row (view, list, search or export) naming the actor and the child or referral, and a read
whose audit row cannot be written is never served.

The tables below are checked against the URL resolver and the ninja router, so a new endpoint
that reads records fails here until it is added to a table (or exempted with a reason)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import DatabaseError
from django.urls import URLPattern, URLResolver, get_resolver

from sightline.accounts.tests.clients import signed_in, token_client
from sightline.accounts.tests.factories import UserFactory
from sightline.api.api import api as ninja_api
from sightline.audit.choices import Action
from sightline.audit.models import AuditEvent
from sightline.audit.services import AuditUnavailableError
from sightline.site.tests.world import FAMILY, GIVEN, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def mace_chair(agencies: dict[str, Any]) -> Any:
    return UserFactory(username="mace-chair", agency=agencies["police"], role="mace_chair")


@pytest.fixture
def world(
    police_officer: Any,
    teacher: Any,
    manager: Any,
    safeguarding_lead: Any,
    mace_chair: Any,
    agencies: dict[str, Any],
) -> dict[str, Any]:
    from sightline.meetings.tests.world import build_meeting

    found = build_world(police_officer=police_officer, teacher=teacher, manager=manager)
    found |= _detector_rows(found, safeguarding_lead)
    la_chair = UserFactory(username="mace-la", agency=agencies["csc"], role="safeguarding_lead")
    return found | build_meeting(
        chairs=[mace_chair, la_chair],
        invited=[manager],
        action_owner=manager,
        disruption_owner=mace_chair,
        person_id=found["person"],
        child_id=found["child_id"],
    )


def _detector_rows(found: dict[str, Any], lead: Any) -> dict[str, Any]:
    import datetime as dt

    from sightline.reviews.models import DetectorRun, MissedOpportunity

    mo = MissedOpportunity.objects.create(
        reference="MO-2026-0000801", pattern="P3", key="completeness-mo",
        child_id=found["child_id"], first_visible_on=dt.date(2026, 1, 5), summary="Synthetic.",
        action="Act.", trigger="decide", raised_at=dt.datetime.now(tz=dt.UTC),
    )  # fmt: skip
    run = DetectorRun.objects.create(
        requested_by=lead, start_on=dt.date(2026, 1, 1), end_on=dt.date(2026, 6, 30),
        status="done",
    )  # fmt: skip
    return {"mo": mo.pk, "detector_run": run.pk}


@dataclass(frozen=True)
class Read:
    route: str  # the resolver's route, or "api:<METHOD> <path>"
    url: str  # formatted with the world
    persona: str
    action: str
    object_type: str
    child: str | None = None  # world key of the child the row must name
    referral: str | None = None  # world key of the referral the row must name


PAGES = [
    Read(
        "events/children/<uuid:child_id>/", "/events/children/{child_id}/", "manager",
        Action.VIEW, "child_events", child="child_id",
    ),
    Read("events/missing/", "/events/missing/", "manager", Action.LIST, "missing_children"),
    Read("referrals/", "/referrals/", "manager", Action.LIST, "referral_queue"),
    Read("referrals/mine/", "/referrals/mine/", "police_officer", Action.LIST, "my_referrals"),
    Read(
        "referrals/<str:reference>/", "/referrals/{ref}/", "manager", Action.VIEW, "referral",
        referral="referral_id",
    ),
    Read(
        "referrals/<str:reference>/children/<uuid:child_id>/screening/",
        "/referrals/{ref}/children/{child_id}/screening/", "manager", Action.VIEW,
        "screening_form", child="child_id", referral="referral_id",
    ),
    Read(
        "children/<uuid:child_id>/", "/children/{child_id}/", "manager", Action.VIEW, "child",
        child="child_id",
    ),
    Read(
        "children/<uuid:child_id>/chronology.<str:fmt>", "/children/{child_id}/chronology.csv",
        "manager", Action.EXPORT, "chronology", child="child_id",
    ),
    Read("search/", "/search/?q=" + GIVEN + "&purpose=case_work", "manager", Action.SEARCH,
         "search"),
    Read(
        "audit/children/<uuid:child_id>/", "/audit/children/{child_id}/", "auditor",
        Action.VIEW, "access_log", child="child_id",
    ),
    Read(
        "audit/children/<uuid:child_id>/export.csv", "/audit/children/{child_id}/export.csv",
        "auditor", Action.EXPORT, "access_log", child="child_id",
    ),
    Read("escalation/", "/escalation/", "manager", Action.LIST, "overdue_work"),
    Read("escalation/inbox/", "/escalation/inbox/", "manager", Action.LIST, "inbox"),
    Read("escalation/escalations/", "/escalation/escalations/", "manager", Action.LIST,
         "escalations"),
    Read(
        "escalation/escalations/<uuid:escalation_id>/", "/escalation/escalations/{escalation}/",
        "manager", Action.VIEW, "escalation", referral="escalation_referral",
    ),
    Read("escalation/performance/", "/escalation/performance/", "manager", Action.LIST,
         "performance"),
    Read("escalation/challenges/", "/escalation/challenges/", "teacher", Action.LIST,
         "challenges"),
    Read(
        "escalation/challenges/<uuid:challenge_id>/", "/escalation/challenges/{challenge}/",
        "teacher", Action.VIEW, "challenge", referral="young_referral",
    ),
    Read(
        "escalation/referrals/<str:reference>/", "/escalation/referrals/{ref}/", "manager",
        Action.VIEW, "referral_clocks", referral="referral_id",
    ),
    Read(
        "escalation/referrals/<str:reference>/challenge/",
        "/escalation/referrals/{young_ref}/challenge/", "teacher", Action.VIEW,
        "challenge_form", referral="young_referral",
    ),
    Read(
        "escalation/referrals/<str:reference>/review/", "/escalation/referrals/{ref}/review/",
        "manager", Action.VIEW, "rereferral_history", referral="referral_id",
    ),
    Read("intel/", "/intel/", "manager", Action.LIST, "intel_alert"),
    Read("reviews/detectors/", "/reviews/detectors/", "manager", Action.LIST, "detector_run"),
    Read(
        "reviews/detectors/runs/<uuid:run_id>/", "/reviews/detectors/runs/{detector_run}/",
        "safeguarding_lead", Action.VIEW, "detector_run",
    ),
    Read("reviews/missed-opportunities/", "/reviews/missed-opportunities/", "manager",
         Action.LIST, "missed_opportunity"),
    Read(
        "reviews/missed-opportunities/<uuid:mo_id>/", "/reviews/missed-opportunities/{mo}/",
        "manager", Action.VIEW, "missed_opportunity", child="child_id",
    ),
    Read("intel/alerts/<uuid:alert_id>/", "/intel/alerts/{alert}/", "manager", Action.VIEW,
         "intel_alert"),
    Read("intel/persons/<uuid:entity_id>/", "/intel/persons/{person}/", "manager", Action.VIEW,
         "intel_person"),
    Read("intel/persons/<uuid:entity_id>/split/", "/intel/persons/{person}/split/", "manager",
         Action.VIEW, "intel_person"),
    Read(
        "intel/network/<str:node_type>/<uuid:node_id>/", "/intel/network/child/{child_id}/",
        "manager", Action.VIEW, "intel_network_page", child="child_id",
    ),
    Read(
        "intel/network/<str:node_type>/<uuid:node_id>.json",
        "/intel/network/child/{child_id}.json", "manager", Action.VIEW, "intel_network",
        child="child_id",
    ),
    Read("intel/groups/", "/intel/groups/", "manager", Action.LIST, "intel_groups"),
    Read("intel/hotspots/", "/intel/hotspots/", "manager", Action.SEARCH, "intel_hotspots"),
    Read("language/", "/language/", "manager", Action.LIST, "language_report"),
    Read("reviews/", "/reviews/", "safeguarding_lead", Action.LIST, "reviews"),
    Read(
        "reviews/<uuid:review_id>/", "/reviews/{review}/", "safeguarding_lead", Action.VIEW,
        "review_chronology", child="child_id",
    ),
    Read(
        "reviews/<uuid:review_id>/referrals/<str:reference>/", "/reviews/{review}/referrals/{ref}/",
        "safeguarding_lead", Action.VIEW, "referral", child="child_id", referral="referral_id",
    ),
    Read(
        "reviews/<uuid:review_id>/children/<uuid:child_id>/",
        "/reviews/{review}/children/{child_id}/", "safeguarding_lead", Action.VIEW, "child",
        child="child_id",
    ),
    Read(
        "reviews/<uuid:review_id>/chronology.csv", "/reviews/{review}/chronology.csv",
        "safeguarding_lead", Action.EXPORT, "review_chronology", child="child_id",
    ),
    Read(
        "reviews/<uuid:review_id>/chronology.pdf", "/reviews/{review}/chronology.pdf",
        "safeguarding_lead", Action.EXPORT, "review_chronology", child="child_id",
    ),
    Read("reports/returns/cin-census.xml", "/reports/returns/cin-census.xml?year=2025-26",
         "safeguarding_lead", Action.EXPORT, "cin_census"),
    Read("reports/returns/annex-a.xlsx",
         "/reports/returns/annex-a.xlsx?from=2025-04-01&to=2026-03-31", "safeguarding_lead",
         Action.EXPORT, "annex_a"),
    Read("reports/dashboard/", "/reports/dashboard/", "manager", Action.LIST, "performance"),
    Read("reports/dashboard/<slug:key>.csv", "/reports/dashboard/referrals.csv", "manager",
         Action.EXPORT, "performance"),
    Read("reports/dashboard/<slug:key>/records/",
         "/reports/dashboard/clocks/records/?series=due&column=decision", "manager",
         Action.LIST, "performance"),
    Read("casework/sign-offs/", "/casework/sign-offs/", "manager", Action.LIST, "sign_offs"),
    Read("casework/caseloads/", "/casework/caseloads/", "manager", Action.LIST, "caseloads"),
    Read("casework/overrides/", "/casework/overrides/", "safeguarding_lead", Action.LIST,
         "closure_overrides"),
    Read(
        "casework/children/<uuid:child_id>/", "/casework/children/{child_id}/", "manager",
        Action.VIEW, "child_casework", child="child_id",
    ),
    Read("reviews/recommendations/", "/reviews/recommendations/", "manager", Action.LIST,
         "recommendations"),
    Read("reviews/recommendations/export.csv", "/reviews/recommendations/export.csv", "manager",
         Action.EXPORT, "recommendations"),
    Read(
        "reviews/recommendations/<uuid:recommendation_id>/",
        "/reviews/recommendations/{recommendation}/", "manager", Action.VIEW, "recommendation",
    ),
    Read("meetings/", "/meetings/", "manager", Action.LIST, "mace_meeting"),
    Read("meetings/<uuid:meeting_id>/", "/meetings/{meeting}/", "manager", Action.VIEW,
         "mace_meeting"),
    Read("meetings/<uuid:meeting_id>/pack/", "/meetings/{meeting}/pack/", "manager",
         Action.VIEW, "mace_pack"),
    Read("meetings/<uuid:meeting_id>/pack.pdf", "/meetings/{meeting}/pack.pdf", "manager",
         Action.EXPORT, "mace_pack"),
    Read("meetings/disruption/", "/meetings/disruption/", "mace_chair", Action.LIST,
         "mace_disruptions"),
    Read("meetings/disruption/measures/", "/meetings/disruption/measures/", "mace_chair",
         Action.LIST, "mace_measures"),
    Read("meetings/disruption/<uuid:disruption_id>/", "/meetings/disruption/{disruption}/",
         "mace_chair", Action.VIEW, "mace_disruption"),
    Read("meetings/<uuid:meeting_id>/attendance/", "/meetings/{meeting}/attendance/",
         "mace_chair", Action.VIEW, "mace_meeting"),
    Read("meetings/<uuid:meeting_id>/items/<uuid:item_id>/discussion/",
         "/meetings/{meeting}/items/{item}/discussion/", "mace_chair", Action.VIEW,
         "mace_meeting"),
    Read("meetings/<uuid:meeting_id>/actions/new/", "/meetings/{meeting}/actions/new/",
         "mace_chair", Action.VIEW, "mace_meeting"),
    Read("meetings/actions/<uuid:action_id>/", "/meetings/actions/{action}/", "manager",
         Action.VIEW, "mace_action"),
    Read("meetings/actions/", "/meetings/actions/", "manager", Action.LIST, "mace_action"),
]  # fmt: skip

API_READS = [
    Read(
        "api:GET /api/v1/missing/return-interviews",
        "/api/v1/missing/return-interviews?status=overdue", "manager", Action.LIST,
        "missing_children",
    ),
    Read(
        "api:GET /api/v1/children/{child_id}/events", "/api/v1/children/{child_id}/events",
        "manager", Action.VIEW, "child_events", child="child_id",
    ),
    Read(
        "api:GET /api/v1/referrals/{reference}", "/api/v1/referrals/{ref}", "manager",
        Action.VIEW, "referral", referral="referral_id",
    ),
    Read(
        "api:GET /api/v1/children/{child_id}/access-log",
        "/api/v1/children/{child_id}/access-log", "auditor", Action.VIEW, "access_log",
        child="child_id",
    ),
    Read(
        "api:GET /api/v1/children/{child_id}", "/api/v1/children/{child_id}", "manager",
        Action.VIEW, "child", child="child_id",
    ),
    Read(
        "api:GET /api/v1/children/{child_id}/chronology",
        "/api/v1/children/{child_id}/chronology?format=pdf", "manager", Action.EXPORT,
        "chronology", child="child_id",
    ),
    Read("api:GET /api/v1/search", "/api/v1/search?q=" + GIVEN + "+" + FAMILY
         + "&purpose=review", "manager", Action.SEARCH, "search"),
    Read(
        "api:GET /api/v1/referrals/{reference}/clocks", "/api/v1/referrals/{ref}/clocks",
        "manager", Action.VIEW, "referral_clocks", referral="referral_id",
    ),
    Read("api:GET /api/v1/reports/cin-census", "/api/v1/reports/cin-census?year=2025-26",
         "safeguarding_lead", Action.EXPORT, "cin_census"),
    Read("api:GET /api/v1/reports/annex-a", "/api/v1/reports/annex-a?from=2025-04-01&to=2026-03-31",
         "safeguarding_lead", Action.EXPORT, "annex_a"),
    Read("api:GET /api/v1/dashboard", "/api/v1/dashboard", "manager", Action.LIST,
         "performance"),
    Read("api:GET /api/v1/escalations", "/api/v1/escalations", "manager", Action.LIST,
         "escalations"),
    Read("api:GET /api/v1/alerts", "/api/v1/alerts", "manager", Action.LIST, "intel_alert"),
    Read(
        "api:GET /api/v1/detectors/runs/{run_id}", "/api/v1/detectors/runs/{detector_run}",
        "safeguarding_lead", Action.VIEW, "detector_run",
    ),
    Read(
        "api:GET /api/v1/persons/{person_id}/network", "/api/v1/persons/{person}/network",
        "manager", Action.VIEW, "intel_network",
    ),
    Read("api:GET /api/v1/persons/{person_id}", "/api/v1/persons/{person}", "manager",
         Action.VIEW, "intel_person"),
    Read(
        "api:GET /api/v1/networks/{node_type}/{node_id}", "/api/v1/networks/child/{child_id}",
        "manager", Action.VIEW, "intel_network", child="child_id",
    ),
    Read("api:GET /api/v1/hotspots", "/api/v1/hotspots", "manager", Action.SEARCH,
         "intel_hotspots"),
    Read("api:GET /api/v1/meetings/{meeting_id}", "/api/v1/meetings/{meeting}", "manager",
         Action.VIEW, "mace_meeting"),
    Read("api:GET /api/v1/meetings/{meeting_id}/agenda", "/api/v1/meetings/{meeting}/agenda",
         "manager", Action.VIEW, "mace_agenda"),
    Read("api:GET /api/v1/meetings/{meeting_id}/pack.pdf",
         "/api/v1/meetings/{meeting}/pack.pdf", "manager", Action.EXPORT, "mace_pack"),
    Read("api:GET /api/v1/persons/{person_id}/disruptions",
         "/api/v1/persons/{person}/disruptions", "mace_chair", Action.VIEW, "mace_disruptions"),
    Read(
        "api:GET /api/v1/reviews/{review_id}", "/api/v1/reviews/{review}", "safeguarding_lead",
        Action.VIEW, "review", child="child_id",
    ),
    Read(
        "api:GET /api/v1/reviews/{review_id}/chronology", "/api/v1/reviews/{review}/chronology",
        "safeguarding_lead", Action.VIEW, "review_chronology", child="child_id",
    ),
    Read("api:GET /api/v1/recommendations", "/api/v1/recommendations", "manager", Action.LIST,
         "recommendations"),
    Read("api:GET /api/v1/sign-offs", "/api/v1/sign-offs", "manager", Action.LIST, "sign_offs"),
    Read("api:GET /api/v1/caseloads", "/api/v1/caseloads", "manager", Action.LIST, "caseloads"),
    Read(
        "api:GET /api/v1/mentions/{mention_id}/candidates",
        "/api/v1/mentions/{mention}/candidates", "manager", Action.SEARCH, "intel_mention",
        referral="referral_id",
    ),
    Read(
        "api:GET /api/v1/mentions/{mention_id}/explanation",
        "/api/v1/mentions/{mention}/explanation", "manager", Action.VIEW, "intel_mention",
        referral="referral_id",
    ),
]  # fmt: skip

# Endpoints that show no child's data, or that change a record (their service writes the
# audit row for the change; the services' own tests cover it).
NOT_READS = {
    "": "home redirects to the user's list",
    "accounts/sign-in/": "sign-in form",
    "accounts/sign-out/": "sign-out (audited as auth.sign_out)",
    "accounts/two-factor/": "the user's own authenticator",
    "health/": "monitors: the database and the audit sealer's lag, counts only",
    "workforce/": "training coverage: staff counts, no child data; the read is audited",
    "workforce/due.csv": "staff due for a refresher: no child data; the export is audited",
    "workforce/import/": "upload form for HR files: no child data",
    "workforce/headcount/": "headcount entry: no child data",
    "api:GET /api/v1/workforce/coverage": "training coverage figures: no child data",
    "api:POST /api/v1/workforce/imports": "HR file import: no child data",
    "events/import/": "upload form; the import is audited (data.import) by events_store_many",
    "events/episodes/<uuid:event_id>/interview/": "form; the step is audited by "
    "return_interview_record",
    "api:POST /api/v1/events": "an arrival: audited (record.create) by event_store",
    "api:PATCH /api/v1/events/{event_id}": "later facts: audited by episode_facts_update",
    "api:POST /api/v1/imports": "CSV import: audited (data.import) by events_store_many",
    "events/alerts/<uuid:alert_id>/status/": "POST only; event_alert_status_set",
    "api:POST /api/v1/events/alerts/{alert_id}/status": "audited by event_alert_status_set",
    "referrals/new/": "blank referral form; submission audited by referral_submit",
    "referrals/<str:reference>/decision/": "POST only; audited by referral_decide",
    "referrals/matches/<uuid:candidate_id>/<str:verdict>/": "POST only; child_match_*",
    "access/break-glass/": "reason form; audited by break_glass_open",
    "escalation/inbox/<uuid:item_id>/read/": "POST: marks the user's own message read",
    "escalation/escalations/<uuid:escalation_id>/<str:verb>/": "POST only; audited service",
    "escalation/challenges/<uuid:challenge_id>/respond/": "POST only; challenge_respond",
    "escalation/challenges/<uuid:challenge_id>/escalate/": "POST only; challenge_escalate",
    "intel/alerts/<uuid:alert_id>/status/": "POST only; alert_status_set",
    "intel/mentions/<uuid:mention_id>/<str:verdict>/": "POST only; mention_confirm/reject",
    "api:POST /api/v1/persons/{person_id}/split": "audited (record.change) by person_split",
    "intel/places/<uuid:entity_id>/": "same view as persons (place, no child named)",
    "intel/vehicles/<uuid:entity_id>/": "same view as persons (vehicle, no child named)",
    "api:GET /api/v1/screening/indicators": "the indicator catalogue, no case data",
    "api:POST /api/v1/referrals": "audited by referral_submit",
    "api:POST /api/v1/referrals/{reference}/screening": "audited by referral_screen",
    "api:POST /api/v1/referrals/{reference}/decision": "audited by referral_decide",
    "api:POST /api/v1/break-glass": "audited by break_glass_open",
    "api:POST /api/v1/escalations/{escalation_id}/resolve": "audited service",
    "api:POST /api/v1/referrals/{reference}/challenge": "audited by challenge_raise",
    "api:POST /api/v1/alerts/{alert_id}/status": "audited by alert_status_set",
    "api:POST /api/v1/mentions/{mention_id}/confirm": "audited by mention_confirm",
    "api:POST /api/v1/mentions/{mention_id}/reject": "audited by mention_reject",
    "api:POST /api/v1/link-decisions/{decision_id}/undo": "audited by decision_undo",
    "language/check/": "POST: checks the user's own words as they type; nothing read or stored",
    "reports/returns/": "the statutory returns page: a year to choose; no child's data shown",
    "reviews/<uuid:review_id>/significance/": "POST only; audited by chronology_note_set",
    "reviews/<uuid:review_id>/reviewers/": "POST only; audited by reviewer_grant",
    "reviews/<uuid:review_id>/close/": "POST only; audited by review_close",
    "reviews/<uuid:review_id>/dates/": "POST only; audited by review_dates_record",
    "reviews/new/": "the start form (shows no record); the POST is audited by review_create",
    "meetings/new/": "the planning form (shows no record); the POST is audited by "
    "meeting_create and agenda_build",
    "audit/": "finds a child's id by reference and redirects; the log's page records the view",
    "children/<uuid:child_id>/mace-proposal/": "POST only; audited by child_propose",
    "reviews/<uuid:review_id>/findings/": "POST only; audited by finding_add",
    "reviews/<uuid:review_id>/recommendations/": "POST only; audited by recommendation_add",
    "reviews/recommendations/<uuid:recommendation_id>/update/": "POST only; audited service",
    "api:POST /api/v1/language/check": "checks the caller's own text; nothing read or stored",
    "api:GET /api/v1/detectors": "the detectors' rules and parameters, no case data",
    "api:POST /api/v1/detectors/run": "audited by detector_run_request (the run's row)",
    "api:POST /api/v1/missed-opportunities/{mo_id}/acknowledge": "audited by the acknowledge",
    "reviews/detectors/run/": "POST only; audited by detector_run_request",
    "reviews/missed-opportunities/<uuid:mo_id>/acknowledge/": "POST only; audited service",
    "api:POST /api/v1/reviews": "audited by review_create",
    "api:POST /api/v1/reviews/{review_id}/dates": "audited by review_dates_record",
    "api:POST /api/v1/children/{child_id}/mace-proposals": "audited by child_propose",
    "api:POST /api/v1/reviews/{review_id}/recommendations": "audited by recommendation_add",
    "api:PATCH /api/v1/recommendations/{recommendation_id}": "audited by recommendation_update",
    "meetings/<uuid:meeting_id>/pack/issue/": "POST only; audited by pack_generate",
    "meetings/<uuid:meeting_id>/items/<uuid:item_id>/remove/": "POST; agenda_item_remove",
    "meetings/<uuid:meeting_id>/hold/": "POST only; audited by meeting_hold",
    "meetings/<uuid:meeting_id>/minutes/approve/": "POST only; audited by minutes_approve",
    "api:POST /api/v1/meetings": "audited by meeting_create",
    "api:POST /api/v1/meetings/{meeting_id}/pack": "audited by pack_generate (export)",
    "api:POST /api/v1/meetings/{meeting_id}/actions": "audited by action_create",
    "api:PATCH /api/v1/actions/{action_id}": "audited by action_update",
    "api:GET /api/v1/disruption/tactics": "the tactic catalogue, no case data",
    "api:POST /api/v1/disruptions": "audited by disruption_create",
    "api:POST /api/v1/mentions/{mention_id}/grade": "audited by intel_grade_record",
    "api:PATCH /api/v1/disruptions/{disruption_id}": "audited by disruption_update",
    "api:POST /api/v1/disruptions/{disruption_id}/breaches": "audited by breach_record",
    "api:POST /api/v1/meetings/{meeting_id}/agenda": "audited by agenda_build",
    "api:POST /api/v1/meetings/{meeting_id}/agenda/items": "audited by agenda_item_add",
    "api:POST /api/v1/meetings/{meeting_id}/agenda/items/{item_id}/remove": "agenda_item_remove",
    "api:POST /api/v1/meetings/{meeting_id}/attendance": "audited by attendance_record",
    "api:POST /api/v1/meetings/{meeting_id}/status": "meeting_hold / minutes_approve",
    "api:POST /api/v1/meetings/{meeting_id}/items/{item_id}/discussion": "discussion_record",
    # Administration (user.manage): no child's data; children appear by reference only, on
    # holds and the retention lists (whose listing is audited as retention_due).
    **{
        f"admin-console/{route}": "administration: no child's data"
        for route in (
            "",
            "users/",
            "users/new/",
            "users/<str:username>/",
            "users/<str:username>/deactivate/",
            "users/<str:username>/two-factor-reset/",
            "agencies/",
            "tokens/",
            "tokens/<uuid:token_id>/revoke/",
            "clocks/",
            "settings/",
            "retention/",
            "retention/holds/<uuid:hold_id>/release/",
        )
    },
    **{
        f"api:{route}": "administration: no child's data"
        for route in (
            "GET /api/v1/admin/users",
            "POST /api/v1/admin/users",
            "PATCH /api/v1/admin/users/{username}",
            "POST /api/v1/admin/users/{username}/deactivate",
            "GET /api/v1/admin/tokens",
            "POST /api/v1/admin/tokens",
            "DELETE /api/v1/admin/tokens/{token_id}",
            "GET /api/v1/retention/due",
            "POST /api/v1/retention/holds",
        )
    },
    "casework/sign-offs/<uuid:sign_off_id>/approve/": "POST only; audited by sign_off_approve",
    "casework/sign-offs/<uuid:sign_off_id>/return/": "POST only; audited by sign_off_return",
    "casework/children/<uuid:child_id>/<str:step>/": "POST only; each step's service audits it",
    "api:POST /api/v1/sign-offs/{sign_off_id}/approve": "audited by sign_off_approve",
    "api:POST /api/v1/sign-offs/{sign_off_id}/return": "audited by sign_off_return",
    "api:POST /api/v1/challenges/{challenge_id}/respond": "audited by challenge_respond",
    **{
        f"api:POST /api/v1/children/{{child_id}}/{kind}": "audited by the step's service"
        for kind in (
            "strategy-discussions",
            "section-47-enquiries",
            "assessments",
            "conferences",
            "plans",
            "closures",
            "notes",
            "allocation",
        )
    },
    **{
        f"api:PATCH /api/v1/{kind}/{{record_id}}": "audited by the step's service"
        for kind in ("strategy-discussions", "section-47-enquiries", "assessments", "plans")
    },
}


def _page_routes() -> set[str]:
    routes: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                routes.add(prefix + str(p.pattern))

    walk(get_resolver().url_patterns, "")
    return {r for r in routes if not r.startswith("api/v1/")}


def _api_routes() -> set[str]:
    routes: set[str] = set()
    for prefix, router in ninja_api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    full = "/api/v1/" + "/".join(
                        part.strip("/") for part in (prefix, path) if part.strip("/")
                    )
                    routes.add(f"api:{method} {full}")
    return routes


def test_every_endpoint_is_either_an_audited_read_or_named_as_not_a_read() -> None:
    covered = {r.route for r in PAGES + API_READS} | set(NOT_READS)
    endpoints = _page_routes() | _api_routes()
    assert endpoints - covered == set(), "new endpoint: add it to PAGES, API_READS or NOT_READS"
    assert covered - endpoints == set(), "a listed endpoint no longer exists"


def _persona(request: pytest.FixtureRequest, name: str) -> Any:
    return request.getfixturevalue(name)


def _check_one_row(read: Read, world: dict[str, Any], user: Any, fetch: Callable[[], Any]) -> None:
    before = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    response = fetch()
    assert response.status_code == 200, (read.url, response.status_code)
    rows = list(AuditEvent.objects.filter(seq__gt=before))
    assert len(rows) == 1, [(r.action, r.object_type) for r in rows]
    row = rows[0]
    assert (row.action, row.object_type) == (str(read.action), read.object_type)
    assert row.actor_id == user.pk and row.actor_username == user.username
    assert row.actor_role == user.role
    expected_child = world[read.child] if read.child else None
    expected_referral = world[read.referral] if read.referral else None
    if read.child or read.referral:
        assert row.child_id == expected_child
        assert row.referral_id == expected_referral
    if read.action == Action.SEARCH:
        # What was searched and how many, never who: no name or date of birth in the row.
        text = str(row.details) + row.reason + row.object_ref
        assert GIVEN not in text and FAMILY not in text and "2011-06-07" not in text


@pytest.mark.parametrize("read", PAGES, ids=[r.route for r in PAGES])
def test_page_read_writes_exactly_one_access_row(
    read: Read, world: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    user = _persona(request, read.persona)
    client = signed_in(user)
    _check_one_row(read, world, user, lambda: client.get(read.url.format(**world)))


@pytest.mark.parametrize("read", API_READS, ids=[r.route for r in API_READS])
def test_api_read_writes_exactly_one_access_row(
    read: Read, world: dict[str, Any], request: pytest.FixtureRequest
) -> None:
    user = _persona(request, read.persona)
    client = token_client(user)
    _check_one_row(read, world, user, lambda: client.get(read.url.format(**world)))


def test_hotspot_search_records_the_terms_and_the_count(
    world: dict[str, Any], manager: Any
) -> None:
    response = signed_in(manager).get("/intel/hotspots/?days=30")
    assert response.status_code == 200
    row = AuditEvent.objects.order_by("-seq").first()
    assert row is not None and row.action == Action.SEARCH
    assert set(row.details) == {"days", "count"}
    assert row.details["days"] == 30 and isinstance(row.details["count"], int)


def test_access_log_shows_every_read_of_the_child(
    world: dict[str, Any], manager: Any, auditor: Any
) -> None:
    signed_in(manager).get(f"/children/{world['child_id']}/")
    signed_in(manager).get(f"/referrals/{world['ref']}/")
    body = token_client(auditor).get(f"/api/v1/children/{world['child_id']}/access-log").json()
    seen = [(e["actor_username"], e["object_type"]) for e in body["events"]]
    assert (manager.username, "child") in seen and (manager.username, "referral") in seen


def test_out_of_scope_read_is_404_and_writes_no_access_row(
    world: dict[str, Any], agencies: dict[str, Any]
) -> None:
    outsider = UserFactory(username="other-referrer", agency=agencies["health"], role="referrer")
    before = AuditEvent.objects.filter(action=Action.VIEW).count()
    response = signed_in(outsider).get(f"/referrals/{world['ref']}/")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action=Action.VIEW).count() == before


def _audit_fails(monkeypatch: pytest.MonkeyPatch, error: Exception) -> None:
    def boom(*args: Any, **kwargs: Any) -> str:
        raise error

    # Every caller imports audit_record by name; the hash step inside it is shared.
    monkeypatch.setattr("sightline.audit.services.content_hash", boom)


UNAUDITABLE = [
    ("manager", "/referrals/{ref}/", False),
    ("manager", "/children/{child_id}/", False),
    ("manager", "/referrals/{ref}/children/{child_id}/screening/", False),
    ("auditor", "/audit/children/{child_id}/export.csv", False),
    ("manager", "/intel/network/child/{child_id}.json", False),
    ("manager", "/children/{child_id}/chronology.pdf", False),
    ("manager", "/search/?q=" + GIVEN + "&purpose=case_work", False),
    ("manager", "/api/v1/children/{child_id}/chronology?format=csv", True),
    ("manager", "/api/v1/referrals/{ref}", True),
    ("auditor", "/api/v1/children/{child_id}/access-log", True),
]


@pytest.mark.parametrize(("persona", "path", "is_api"), UNAUDITABLE)
def test_read_is_refused_with_503_when_its_audit_row_cannot_be_written(
    persona: str,
    path: str,
    is_api: bool,
    world: dict[str, Any],
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    user = _persona(request, persona)
    client = token_client(user) if is_api else signed_in(user)
    reference = world["ref"]
    _audit_fails(monkeypatch, AuditUnavailableError("audit store unavailable"))
    before = AuditEvent.objects.count()
    response = client.get(path.format(**world))
    assert response.status_code == 503
    body = response.content.decode()
    assert "could not be recorded" in body
    assert GIVEN not in body and FAMILY not in body and reference not in body
    assert str(world["child_id"]) not in body
    assert AuditEvent.objects.count() == before


def test_database_failure_while_auditing_serves_the_error_page_not_the_record(
    world: dict[str, Any], manager: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed_in(manager)
    client.raise_request_exception = False
    _audit_fails(monkeypatch, DatabaseError("disk full"))
    response = client.get(f"/referrals/{world['ref']}/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "problem with the service" in body
    assert GIVEN not in body and world["ref"] not in body


@pytest.mark.django_db(transaction=True)
def test_audit_record_outside_a_transaction_is_refused(manager: Any) -> None:
    from sightline.audit.services import audit_record

    with pytest.raises(AuditUnavailableError):
        audit_record(actor=manager, action=Action.VIEW, object_type="child", child_id=uuid.uuid4())
    assert not AuditEvent.objects.filter(actor=manager).exists()

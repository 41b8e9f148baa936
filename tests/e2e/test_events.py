"""Partner events in chromium: the police import a file of missing episodes with a bad row
(the row report), the front door opens the missing-children page (open episodes, return
interviews due and overdue, repeat missing, the monthly measures as a chart) and one child's
events with its missing-episodes panel. Screenshots go to docs/screenshots/: import-report.png,
missing-children.png, child-events.png and child-event-alert.png (a detector's alert
acknowledged from the child's page)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from sightline.accounts.roles import Role
from sightline.accounts.tests.factories import AgencyFactory, UserFactory
from sightline.events.kinds import event_parse
from sightline.events.models import Event, EventAlert, MissingEpisode
from sightline.events.tests.helpers import missing
from sightline.workflows import event_receive, return_interview_step

pytestmark = pytest.mark.e2e

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
MAYA = {
    "given_name": "Maya",
    "family_name": "Testridge",
    "date_of_birth": "2011-09-14",
    "sex": "female",
    "postcode": "NB4 7QX",
}
JODIE = {
    "given_name": "Jodie",
    "family_name": "Samplewell",
    "date_of_birth": "2010-02-03",
    "sex": "female",
    "postcode": "NB2 1AA",
}
HEADER = (
    "source_id,occurred_at,child_given_name,child_family_name,child_date_of_birth,"
    "child_sex,child_postcode,started_at,risk_grade,returned_at,found_where,found_with,adults"
)


def _at(days: float) -> str:
    return f"{timezone.localtime() - dt.timedelta(days=days):%Y-%m-%d %H:%M}"


def _history(officer: Any, health_lead: Any, school_lead: Any, front_door: Any) -> Event:
    """Maya: four episodes in 90 days (one open), found with an adult in a flat, a
    sexual-health attendance and falling attendance. Jodie: one episode, interview held."""
    send = officer
    first = None
    for n, (start, back) in enumerate([(80, 79), (45, 44.5), (4.2, 3.8), (0.3, None)]):
        extra: dict[str, Any] = {}
        if n == 1:
            extra = {
                "found_where": "Flat 3, Sample Court",
                "found_with": "an adult male",
                # an officer's wording the language checker flags (shown beside the summary)
                "summary": "Officers say she is making her own choices.",
                "persons_named": [
                    {"name": "Testo Carman", "role": "found_with", "approximate_age": 34}
                ],
                "places_named": [{"name": "Flat 3, Sample Court", "kind": "home_address"}],
            }
        body = missing(
            f"MAYA-{n}",
            started=dt.timedelta(days=start),
            returned=dt.timedelta(days=back) if back is not None else None,
            child=MAYA,
            **extra,
        )
        result = event_receive(acting_user=send, agency=send.agency, data=event_parse(body))
        first = first or result.event
    jodie = event_receive(
        acting_user=send,
        agency=send.agency,
        data=event_parse(
            missing(
                "JODIE-1",
                started=dt.timedelta(hours=40),
                returned=dt.timedelta(hours=30),
                child=JODIE,
            )
        ),
    )
    event_receive(
        acting_user=health_lead,
        agency=health_lead.agency,
        data=event_parse(
            {
                "kind": "health_attendance",
                "source_id": "SH-1",
                "occurred_at": _iso(30),
                "child": MAYA,
                "attendance_type": "sexual_health",
                "reasons": ["sti_test"],
            }
        ),
    )
    for n, percent in enumerate([88.5, 74.0]):
        event_receive(
            acting_user=school_lead,
            agency=school_lead.agency,
            data=event_parse(
                {
                    "kind": "education",
                    "source_id": f"ATT-{n}",
                    "occurred_at": _iso(70 - 40 * n),
                    "child": MAYA,
                    "education_type": "absence",
                    "attendance_percent": percent,
                    "summary": f"Attendance {percent:.0f}% this term.",
                }
            ),
        )
    held = MissingEpisode.objects.get(event=jodie.event)
    return_interview_step(
        acting_user=front_door,
        episode=held,
        status="completed",
        at=timezone.now() - dt.timedelta(hours=2),
        interviewer="RHI worker",
        child_said="Stayed at a friend's house.",
    )
    assert first is not None
    return first


def _tab(browsing: Any, username: str) -> Any:
    """A signed-in tab with a minute's patience: the shared machine can be very busy."""
    tab = browsing.tab()
    tab.page.set_default_timeout(60_000)
    tab.page.set_default_navigation_timeout(60_000)
    tab.sign_in(username)
    return tab


def _iso(days: float) -> str:
    return (timezone.now() - dt.timedelta(days=days)).isoformat()


def test_import_report_missing_children_and_a_childs_events(browsing: Any) -> None:
    police = AgencyFactory(kind="police", code="police")
    health = AgencyFactory(kind="health", code="health")
    school = AgencyFactory(kind="education", code="school")
    csc = AgencyFactory(kind="csc", code="csc")
    officer = UserFactory(username="e2e-police", agency=police, role=Role.POLICE_ANALYST)
    health_lead = UserFactory(username="e2e-health", agency=health, role=Role.HEALTH_LEAD)
    school_lead = UserFactory(username="e2e-school", agency=school, role=Role.EDUCATION_LEAD)
    front_door = UserFactory(username="e2e-fd", agency=csc, role=Role.FRONT_DOOR_PRACTITIONER)
    maya = _history(officer, health_lead, school_lead, front_door).child

    # The police analyst uploads a file with one bad row: nothing is stored, every bad row and
    # column is named; with "store the good rows" the others are stored.
    lines = [
        HEADER,
        f"IMP-1,{_at(10)},Kerry,Importson,2012-05-06,female,NB3 2BB,{_at(10)},medium,{_at(9.5)},"
        "Sample Park,,",
        f"IMP-2,{_at(8)},Lola,Fileworth,2011-01-07,female,NB5 3CC,02/03/2026,medium,,,,",
        f"IMP-3,{_at(6)},Tia,Rowland,2010-11-21,female,NB6 4DD,{_at(6)},extreme,,,,",
        f"IMP-4,{_at(5)},Nia,Columbine,2012-08-30,female,NB7 5EE,{_at(5)},high,{_at(4)},"
        'a car park,two adults,=HYPERLINK("http://x.invalid")|found_with',
    ]
    path = Path(tempfile.mkdtemp()) / "police-missing.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    tab = _tab(browsing, "e2e-police")
    page = tab.page
    tab.open("/events/import/")
    page.get_by_label("Missing episode").check()
    page.set_input_files("input[name=file]", str(path))
    tab.submit(page.get_by_role("button", name="Upload and check"), status=422)
    report = page.locator("#row-report").inner_text()
    assert "started_at" in report and "risk_grade" in report
    assert not Event.objects.filter(source_id__startswith="IMP-").exists()
    page.get_by_label("Missing episode").check()
    page.set_input_files("input[name=file]", str(path))
    page.check("input[name=accept_valid]")
    tab.submit(page.get_by_role("button", name="Upload and check"))
    assert "Import stored" in page.locator("main").inner_text()
    assert Event.objects.filter(source_id__startswith="IMP-").count() == 2
    page.screenshot(path=str(SHOTS / "import-report.png"), full_page=True)
    path.unlink()

    # The front door: the missing-children page and Maya's events.
    worker = _tab(browsing, "e2e-fd")
    page = worker.page
    worker.open("/events/missing/")
    main = page.locator("main").inner_text()
    assert maya.reference in main and "children missing 3+ times in 90 days" in main
    page.wait_for_selector("canvas[data-sl-chart]")
    page.wait_for_timeout(500)  # the chart's animation
    page.screenshot(path=str(SHOTS / "missing-children.png"), full_page=True)
    worker.open(f"/events/children/{maya.pk}/")
    main = page.locator("main").inner_text()
    assert "Missing episode" in main and "Testo Carman" not in page.url
    assert "74" in main  # the falling attendance
    stored = page.locator("[data-language-flags]").first
    assert "making her own choices" in stored.inner_text()
    page.screenshot(path=str(SHOTS / "child-events.png"), full_page=True)

    # The repeat-missing alert acknowledged from Maya's page; its tag then says Reviewed.
    alert = EventAlert.objects.filter(child=maya, detector="repeat_missing").first()
    assert alert is not None and alert.status == "new"
    page.get_by_text(f"Acknowledge or close {alert.reference}").click()
    page.select_option(f"#status-{alert.pk}", "reviewed")
    # The reason is checked as it is typed; the flag does not stop the save.
    worker.write(page.locator(f"#reason-{alert.pk}"), "Seen. She is making her own choices.")
    box = page.locator(f"#language-flags-reason-{alert.pk} .sl-language-flags__box")
    box.wait_for()
    assert "making her own choices" in box.inner_text()
    page.screenshot(path=str(SHOTS / "child-event-alert-reason.png"), full_page=True)
    worker.submit(page.locator(f"form[action='/events/alerts/{alert.pk}/status/'] button"))
    assert f"Alert {alert.reference} updated." in page.locator("main").inner_text()
    alert.refresh_from_db()
    assert alert.status == "reviewed"
    assert "making her own choices" in page.locator("main").inner_text()  # kept and shown
    page.screenshot(path=str(SHOTS / "child-event-alert.png"), full_page=True)
    browsing.assert_clean()

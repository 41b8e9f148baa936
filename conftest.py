"""Named personas shared by every app's tests, and the rule that CI fails on any skip."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from sightline.accounts.roles import Role

_skipped: list[str] = []

# The slow tests: both schemathesis runs, the Splink batch linkage, the whole-borough tests and
# the browser journeys. `make test` runs everything; `make test-fast` leaves these out.
SLOW_PATHS = (
    "tests/fuzz/test_openapi_fuzz.py",
    "tests/e2e/",
    "sightline/intel/tests/test_batch.py",
    "sightline/demo/tests/test_loader.py",
    "sightline/demo/tests/test_quality.py",
    "sightline/demo/tests/test_generator.py",
    "sightline/meetings/tests/test_demo_borough.py",
    "sightline/intel/tests/test_batch_febrl.py",
    "sightline/intel/tests/test_batch_spark.py",
)


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    for item in items:
        if any(part in item.nodeid for part in SLOW_PATHS):
            item.add_marker(pytest.mark.slow)


def pytest_runtest_logreport(report: Any) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    if _skipped and os.environ.get("SIGHTLINE_FAIL_ON_SKIP") == "1":
        print(f"\n{len(_skipped)} test(s) skipped; CI allows none: {_skipped[:5]}")
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Rate-limit counters live in the process's cache: each test starts with none, so that
    tests signing in from the one test address do not add up across a worker's run."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def agencies(db: Any) -> dict[str, Any]:
    from sightline.accounts.tests.factories import AgencyFactory

    return {
        kind: AgencyFactory(kind=kind) for kind in ("csc", "police", "education", "health", "other")
    }


def _user(agencies: dict[str, Any], kind: str, role: str, name: str) -> Any:
    from sightline.accounts.tests.factories import UserFactory

    return UserFactory(username=name, agency=agencies[kind], role=role)


@pytest.fixture
def front_door(agencies: dict[str, Any]) -> Any:
    """A MASH social worker at the front door."""
    return _user(agencies, "csc", Role.FRONT_DOOR_PRACTITIONER, "fd-worker")


@pytest.fixture
def manager(agencies: dict[str, Any]) -> Any:
    return _user(agencies, "csc", Role.TEAM_MANAGER, "team-manager")


@pytest.fixture
def police_officer(agencies: dict[str, Any]) -> Any:
    """A police officer in another agency who refers."""
    return _user(agencies, "police", Role.REFERRER, "police-officer")


@pytest.fixture
def school_lead(agencies: dict[str, Any]) -> Any:
    return _user(agencies, "education", Role.EDUCATION_LEAD, "school-dsl")


@pytest.fixture
def teacher(agencies: dict[str, Any]) -> Any:
    return _user(agencies, "education", Role.REFERRER, "teacher")


@pytest.fixture
def no_access(agencies: dict[str, Any]) -> Any:
    """A system administrator: users and configuration, no case content."""
    return _user(agencies, "other", Role.SYSTEM_ADMIN, "sysadmin")


@pytest.fixture
def auditor(agencies: dict[str, Any]) -> Any:
    return _user(agencies, "csc", Role.AUDITOR, "ig-auditor")


@pytest.fixture
def safeguarding_lead(agencies: dict[str, Any]) -> Any:
    """The partnership's safeguarding lead, who runs case reviews."""
    return _user(agencies, "csc", Role.SAFEGUARDING_LEAD, "sg-partnership-lead")


# One agency of a kind, and its safeguarding lead, for tests that need a few agencies rather
# than the whole `agencies` set (an app's conftest may override an agency, e.g. with the code
# its fixtures send; the leads then belong to that agency).
def _agency(kind: str) -> Any:
    from sightline.accounts.tests.factories import AgencyFactory

    return AgencyFactory(kind=kind)


@pytest.fixture
def csc(db: Any) -> Any:
    return _agency("csc")


@pytest.fixture
def health(db: Any) -> Any:
    return _agency("health")


@pytest.fixture
def education(db: Any) -> Any:
    return _agency("education")


@pytest.fixture
def health_lead(health: Any) -> Any:
    from sightline.accounts.tests.factories import UserFactory

    return UserFactory(username="health-lead", agency=health, role=Role.HEALTH_LEAD)


@pytest.fixture
def education_lead(education: Any) -> Any:
    from sightline.accounts.tests.factories import UserFactory

    return UserFactory(username="education-lead", agency=education, role=Role.EDUCATION_LEAD)


@pytest.fixture(autouse=True)
def _course_catalogue(request: Any) -> None:
    """The training course catalogue is seeded by a migration; a transactional test's flush
    empties it for the tests after it. Tests that use it get it back (as a restored or flushed
    database does in use: the workforce import loads it on first use too)."""
    if not any(part in request.node.nodeid for part in ("workforce", "training_quality", "demo/")):
        return
    if "db" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("db")
    from sightline.workforce.models import Course
    from sightline.workforce.services import course_sync

    if not Course.objects.exists():
        course_sync(actor_username="test-setup")


@pytest.fixture
def pg_session() -> Iterator[Any]:
    """A second PostgreSQL session on the test database, as another request or intake in flight
    would hold (PostgreSQL tests only); closed after the test."""
    import psycopg
    from django.db import connection

    s = connection.settings_dict
    with psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname=s["NAME"],
    ) as session:
        yield session

"""The audited reads of the detectors and the language figures (ADR 0010): retrospective runs
(the list, one run with its hits), the missed-opportunity alerts (the list, one alert) and the
language training report. Each applies the user's scope, raises NotFound for a record missing
or out of scope (recording nothing), and writes its row inside `transaction.atomic()`."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from sightline.accounts.models import Agency, Team
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.errors import NotFound
from sightline.reviews.models import DetectorRun, MissedOpportunity
from sightline.reviews.selectors.detectors import (
    detector_run_get,
    detector_runs,
    missed_opportunity_get,
    missed_opportunity_list,
    run_hits,
)
from sightline.reviews.selectors.language import LanguageReport, language_report

NO_RUN = "No run with that id that you can see."
NO_ALERT = "No alert with that id that you can see."


def _run(user: Any, run_id: Any) -> DetectorRun:
    run = detector_run_get(user=user, run_id=run_id)
    if run is None:
        raise NotFound(NO_RUN)
    return run


def detector_runs_read(*, user: Any, limit: int = 20) -> list[DetectorRun]:
    """The user's latest retrospective runs, the listing recorded."""
    with transaction.atomic():
        runs = list(detector_runs(user=user)[:limit])
        audit_record(
            actor=user, action=Action.LIST, object_type="detector_run",
            details={"count": len(runs)},
        )  # fmt: skip
    return runs


def detector_run_read(*, user: Any, run_id: Any) -> DetectorRun:
    """One run, its status and progress (the API shows its hits), its view recorded."""
    with transaction.atomic():
        run = _run(user, run_id)
        audit_record(
            actor=user, action=Action.VIEW, object_type="detector_run", object_id=run.pk,
            details={"hits": run.hit_count, "status": run.status},
        )  # fmt: skip
    return run


def detector_run_hits_read(
    *, user: Any, run_id: Any
) -> tuple[DetectorRun, list[dict[str, Any]], int]:
    """One run with the hits the user may see and how many were withheld (children
    restricted from them), its view recorded."""
    with transaction.atomic():
        run = _run(user, run_id)
        hits, withheld = run_hits(user=user, run=run)
        audit_record(
            actor=user, action=Action.VIEW, object_type="detector_run", object_id=run.pk,
            details={"hits": len(hits), "withheld": withheld},
        )  # fmt: skip
    return run, hits, withheld


def missed_opportunity_list_read(*, user: Any, limit: int) -> list[MissedOpportunity]:
    """The newest missed-opportunity alerts about children the user may see, the listing
    recorded."""
    with transaction.atomic():
        rows = list(missed_opportunity_list(user=user)[:limit])
        audit_record(
            actor=user, action=Action.LIST, object_type="missed_opportunity",
            details={"count": len(rows)},
        )  # fmt: skip
    return rows


def missed_opportunity_read(*, user: Any, mo_id: Any) -> MissedOpportunity:
    """One missed-opportunity alert, its view recorded against its child."""
    mo = missed_opportunity_get(user=user, mo_id=mo_id)
    if mo is None:
        raise NotFound(NO_ALERT)
    with transaction.atomic():
        audit_record(
            actor=user, action=Action.VIEW, object_type="missed_opportunity", object_id=mo.pk,
            object_ref=mo.reference, child_id=mo.child_id,
        )  # fmt: skip
    return mo


def language_report_read(*, user: Any, agency: Agency | None, team: Team | None) -> LanguageReport:
    """The language training figures for an agency and team (None: all the user may see),
    the listing recorded."""
    with transaction.atomic():
        result = language_report(user=user, agency=agency, team=team)
        audit_record(
            actor=user,
            action=Action.LIST,
            object_type="language_report",
            details={
                "agency": agency.code if agency else "all",
                "team": str(team.pk) if team else "",
            },
        )
    return result

"""Writes to the workforce: CSV imports, headcount entry, the course catalogue. Each takes
the acting user (None for a management command), runs in one transaction and writes its
audit row there. A file with any bad row stores nothing unless `accept_valid` is given."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from sightline.accounts.models import Agency, User
from sightline.audit.choices import Action
from sightline.audit.services import audit_record
from sightline.core.dates import add_months
from sightline.core.errors import Invalid, NotPermitted
from sightline.workforce import rules
from sightline.workforce.choices import ImportKind
from sightline.workforce.courses import course_definitions
from sightline.workforce.csvio import RowError
from sightline.workforce.imports import Parsed, rows_parse
from sightline.workforce.models import (
    Course,
    HeadcountSnapshot,
    StaffMember,
    TrainingRecord,
    WorkforceImport,
)


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    errors: list[RowError] = field(default_factory=list)
    stored: bool = False
    import_id: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "stored": self.stored,
            "errors": [e.as_dict() for e in self.errors],
        }


class ImportRejected(Invalid):
    """A file with bad rows (and no `accept_valid`): nothing was stored. `report` names each
    bad row and column; the API answers 422 with it."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        bad = report.rejected
        message = (
            f"Nothing was stored: {bad} of {report.rows} rows have errors."
            if report.rows
            else "Nothing was stored: the file cannot be imported."
        )
        super().__init__({"message": message, **report.as_dict()})

    def __str__(self) -> str:
        return str(self.detail["message"])


def _authorise(acting_user: Any, agency: Agency) -> None:
    if acting_user is not None and not rules.may_manage_workforce(acting_user, agency):
        raise NotPermitted("You can manage only your own agency's workforce data.")


def _store_staff(agency: Agency, parsed: Parsed, report: ImportReport) -> None:
    rows = [r for _, r in parsed.valid]
    existing = {
        s.staff_id: s
        for s in StaffMember.objects.filter(
            agency=agency, staff_id__in=[r["staff_id"] for r in rows]
        )
    }
    usernames = {r["username"] for r in rows if r["username"]}
    users = dict(
        User.objects.filter(agency=agency, username__in=usernames).values_list("username", "pk")
    )
    for r in rows:
        values = {k: r[k] for k in ("name", "team", "role_group", "is_active")}
        if r["username"]:
            values["user_id"] = users.get(r["username"])
        staff = existing.get(r["staff_id"])
        if staff is None:
            StaffMember.objects.create(agency=agency, staff_id=r["staff_id"], **values)
            report.created += 1
        elif any(getattr(staff, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(staff, k, v)
            staff.save()
            report.updated += 1
        else:
            report.unchanged += 1


def _store_training(agency: Agency, parsed: Parsed, report: ImportReport) -> None:
    rows = [r for _, r in parsed.valid]
    existing = {
        (t.staff_member_id, t.course_id, t.completed_on): t
        for t in TrainingRecord.objects.filter(staff_member__in={r["staff"].pk for r in rows}).only(
            "staff_member_id", "course_id", "completed_on", "provider"
        )
    }
    new: dict[tuple[Any, Any, dt.date], TrainingRecord] = {}
    for r in rows:
        key = (r["staff"].pk, r["course"].pk, r["completed_on"])
        record = existing.get(key)
        if record is None and key not in new:
            new[key] = TrainingRecord(
                staff_member=r["staff"],
                course=r["course"],
                completed_on=r["completed_on"],
                expires_on=add_months(r["completed_on"], r["course"].valid_months),
                provider=r["provider"],
            )
        elif record is not None and r["provider"] and record.provider != r["provider"]:
            record.provider = r["provider"]
            record.save(update_fields=["provider", "updated_at"])
            report.updated += 1
        else:
            report.unchanged += 1
    TrainingRecord.objects.bulk_create(new.values(), batch_size=1000)
    report.created += len(new)


def _store_headcount(agency: Agency, parsed: Parsed, report: ImportReport, user: Any) -> None:
    for _, r in parsed.valid:
        _headcount_put(agency=agency, user=user, report=report, **r)


def _headcount_put(
    *,
    agency: Agency,
    user: Any,
    report: ImportReport,
    as_on: dt.date,
    team: str,
    role_group: str,
    headcount: int,
) -> HeadcountSnapshot:
    row = HeadcountSnapshot.objects.filter(
        agency=agency, as_on=as_on, team__iexact=team, role_group=role_group
    ).first()
    if row is None:
        report.created += 1
        return HeadcountSnapshot.objects.create(
            agency=agency,
            as_on=as_on,
            team=team,
            role_group=role_group,
            headcount=headcount,
            entered_by=user,
        )
    if row.headcount == headcount:
        report.unchanged += 1
        return row
    row.headcount, row.entered_by = headcount, user
    row.save(update_fields=["headcount", "entered_by", "updated_at"])
    report.updated += 1
    return row


def workforce_import(
    *,
    acting_user: User | None,
    agency: Agency,
    kind: str,
    data: bytes,
    filename: str = "",
    accept_valid: bool = False,
    channel: str = "web",
    actor_username: str = "",
) -> ImportReport:
    """Import one HR system's CSV for `agency`. Re-importing the same file changes nothing
    (staff by staff id; training by staff id + course + completed_on; headcount by day, team
    and role group). Raises ImportRejected (422) if any row is bad and `accept_valid` is off."""
    _authorise(acting_user, agency)
    if not Course.objects.exists():
        # The catalogue is seeded by a migration; a database emptied since (a restore, a
        # flushed test database) loads it on first use, as the screening catalogue does.
        course_sync(acting_user=acting_user, actor_username=actor_username)
    parsed = rows_parse(kind=kind, agency=agency, data=data)
    report = ImportReport(
        kind=kind, rows=parsed.rows, rejected=parsed.rejected_rows, errors=parsed.errors
    )
    if parsed.errors and (not accept_valid or not parsed.valid):
        raise ImportRejected(report)
    with transaction.atomic():
        if kind == ImportKind.STAFF:
            _store_staff(agency, parsed, report)
        elif kind == ImportKind.TRAINING:
            _store_training(agency, parsed, report)
        else:
            _store_headcount(agency, parsed, report, acting_user)
        run = WorkforceImport.objects.create(
            agency=agency,
            kind=kind,
            filename=filename[:200],
            sha256=hashlib.sha256(data).hexdigest(),
            rows=report.rows,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            rejected=report.rejected,
            imported_by=acting_user,
            channel=channel,
        )
        report.stored, report.import_id = True, run.pk
        audit_record(
            actor=acting_user,
            actor_username=actor_username,
            action=Action.IMPORT,
            object_type="workforce_import",
            object_id=run.pk,
            details={"agency": agency.code, **report.as_dict(), "errors": len(report.errors)},
        )
    return report


def headcount_record(
    *,
    acting_user: User,
    agency: Agency,
    as_on: dt.date,
    team: str,
    role_group: str,
    headcount: int,
) -> HeadcountSnapshot:
    """An agency lead enters one current figure (a snapshot row for that day)."""
    _authorise(acting_user, agency)
    report = ImportReport(kind=ImportKind.HEADCOUNT)
    with transaction.atomic():
        row = _headcount_put(
            agency=agency,
            user=acting_user,
            report=report,
            as_on=as_on,
            team=" ".join(team.split()),
            role_group=role_group,
            headcount=headcount,
        )
        audit_record(
            actor=acting_user,
            action=Action.CREATE if report.created else Action.CHANGE,
            object_type="workforce_headcount",
            object_id=row.pk,
            details={"agency": agency.code, "as_on": as_on, "team": row.team,
                     "role_group": role_group, "headcount": headcount},
        )  # fmt: skip
    return row


def course_sync(*, acting_user: User | None = None, actor_username: str = "") -> dict[str, int]:
    """Bring the course table in step with data/courses.yaml; where a course's validity
    changed, recompute every one of its records' expiry."""
    counts = {"created": 0, "changed": 0, "records": 0}
    with transaction.atomic():
        by_code: dict[str, Course] = {}
        for d in course_definitions():
            course = Course.objects.filter(code=d.code).first()
            refreshes = by_code.get(d.refreshes) if d.refreshes else None
            values = {"name": d.name, "measure": d.measure, "valid_months": d.valid_months,
                      "refreshes": refreshes}  # fmt: skip
            if course is None:
                course = Course.objects.create(code=d.code, **values)
                counts["created"] += 1
            elif any(getattr(course, k) != v for k, v in values.items()):
                months_changed = course.valid_months != d.valid_months
                for k, v in values.items():
                    setattr(course, k, v)
                course.save()
                counts["changed"] += 1
                if months_changed:
                    records = list(course.records.all())
                    for r in records:
                        r.expires_on = add_months(r.completed_on, d.valid_months)
                    TrainingRecord.objects.bulk_update(records, ["expires_on"], batch_size=1000)
                    counts["records"] += len(records)
            by_code[d.code] = course
        if counts["created"] or counts["changed"]:
            audit_record(
                actor=acting_user,
                actor_username=actor_username,
                action=Action.CHANGE,
                object_type="workforce_course",
                details=counts,
            )
    return counts

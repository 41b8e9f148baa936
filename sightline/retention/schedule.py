"""The retention schedule: parsed from YAML (the data file, or the newest saved version) and
checked before it is used or saved. A schedule whose audit rule would let audit rows go
before the records they describe is refused, whatever else it says."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sightline.core.errors import Invalid
from sightline.retention.models import ScheduleVersion

SCHEDULE_FILE = Path(__file__).resolve().parent / "data" / "schedule.yaml"
RULE_NAMES = ("child", "person_of_concern", "audit")
MAX_BATCH = 1000


class ScheduleInvalid(Invalid):
    """The schedule cannot be used: the message says which rule and why."""


@dataclass(frozen=True)
class Schedule:
    child_keep_until_age: int
    child_years_after_last_activity: int
    person_years_after_last_activity: int
    audit_years: int
    batch_size: int
    version: str  # a digest of the text, written on every tombstone
    text: str

    def labels(self) -> dict[str, dict[str, Any]]:
        return yaml.safe_load(self.text)["rules"]  # type: ignore[no-any-return]


def _whole(rules: dict[str, Any], rule: str, key: str, low: int, high: int) -> int:
    value = rules[rule].get(key) if isinstance(rules.get(rule), dict) else None
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ScheduleInvalid(
            f"Rule {rule!r}: {key} must be a whole number between {low} and {high}."
        )
    return value


def schedule_parse(text: str) -> Schedule:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScheduleInvalid(f"The schedule is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("rules"), dict):
        raise ScheduleInvalid("The schedule needs a 'rules' mapping.")
    rules: dict[str, Any] = data["rules"]
    missing = [name for name in RULE_NAMES if name not in rules]
    unknown = sorted(set(rules) - set(RULE_NAMES))
    if missing or unknown:
        raise ScheduleInvalid(
            f"The schedule's rules must be exactly {', '.join(RULE_NAMES)}"
            f" (missing: {missing or 'none'}; unknown: {unknown or 'none'})."
        )
    audit = rules["audit"] if isinstance(rules["audit"], dict) else {}
    if audit.get("delete") or "keep_until_age" in audit or "years_after_last_activity" in audit:
        raise ScheduleInvalid(
            "Rule 'audit': audit rows are never deleted by a retention run; give only 'years'."
        )
    age = _whole(rules, "child", "keep_until_age", 18, 120)
    child_years = _whole(rules, "child", "years_after_last_activity", 0, 100)
    person_years = _whole(rules, "person_of_concern", "years_after_last_activity", 0, 100)
    audit_years = _whole(rules, "audit", "years", 1, 1000)
    # An audit row about a child may be written on the day the child's record is made (a
    # child of 0) and on the day of its last activity; it must outlive both.
    longest = max(age, child_years, person_years)
    if audit_years <= longest:
        raise ScheduleInvalid(
            f"Rule 'audit': audit rows would be deleted before what they describe: they are "
            f"kept {audit_years} years, but a record they describe may be kept {longest} years. "
            f"Keep the audit trail longer than {longest} years."
        )
    batch = data.get("batch_size", 100)
    if not isinstance(batch, int) or isinstance(batch, bool) or not 1 <= batch <= MAX_BATCH:
        raise ScheduleInvalid(f"batch_size must be a whole number between 1 and {MAX_BATCH}.")
    return Schedule(
        child_keep_until_age=age,
        child_years_after_last_activity=child_years,
        person_years_after_last_activity=person_years,
        audit_years=audit_years,
        batch_size=batch,
        version=hashlib.sha256(text.encode()).hexdigest()[:16],
        text=text,
    )


def schedule_file_text() -> str:
    return SCHEDULE_FILE.read_text()


def schedule_current() -> Schedule:
    """The schedule in force: the newest saved version, else the data file."""
    saved = ScheduleVersion.objects.order_by("-saved_at", "-id").values_list("text", flat=True)
    text = saved.first()
    return schedule_parse(text if text is not None else schedule_file_text())

"""The course catalogue as data: `data/courses.yaml`, read and checked here. Pure (no models),
so the data migration can use it too."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from sightline.workforce.choices import Measure

COURSES_FILE = Path(__file__).resolve().parent / "data" / "courses.yaml"


@dataclass(frozen=True)
class CourseDef:
    code: str
    name: str
    measure: str
    valid_months: int
    refreshes: str | None


def course_definitions(path: Path = COURSES_FILE) -> list[CourseDef]:
    """The courses in file order; refreshed courses come before their refreshers. Raises
    ValueError on a malformed file (a bad catalogue must stop a deploy, not half-load)."""
    raw: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    rows = raw.get("courses") if isinstance(raw, dict) else None
    if not isinstance(rows, list) or not rows:
        raise ValueError(f"{path.name}: expected a non-empty 'courses' list")
    seen: set[str] = set()
    result: list[CourseDef] = []
    for row in rows:
        course = CourseDef(
            code=str(row["code"]),
            name=str(row["name"]),
            measure=str(row["measure"]),
            valid_months=int(row["valid_months"]),
            refreshes=str(row["refreshes"]) if row.get("refreshes") else None,
        )
        if course.measure not in Measure.values:
            raise ValueError(f"{course.code}: measure must be one of {Measure.values}")
        if course.valid_months < 1:
            raise ValueError(f"{course.code}: valid_months must be at least 1")
        if course.refreshes is not None and course.refreshes not in seen:
            raise ValueError(
                f"{course.code}: refreshes {course.refreshes}, listed later or unknown"
            )
        if course.code in seen:
            raise ValueError(f"{course.code}: listed twice")
        seen.add(course.code)
        result.append(course)
    return result

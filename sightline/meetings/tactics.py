"""The tactic catalogue (data/tactics.yaml), loaded once and checked as it loads."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from sightline.meetings.choices import TargetType

DATA = Path(__file__).resolve().parent / "data" / "tactics.yaml"


@dataclass(frozen=True)
class Tactic:
    code: str
    name: str
    basis: str
    targets: tuple[str, ...]
    breach_is_offence: bool
    records: tuple[str, ...]
    max_days: int | None = None

    def allows(self, target_type: str) -> bool:
        return target_type in self.targets


@cache
def tactics() -> dict[str, Tactic]:
    raw = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    found: dict[str, Tactic] = {}
    for row in raw["tactics"]:
        targets = tuple(row["targets"])
        unknown = set(targets) - set(TargetType.values)
        if unknown:
            raise ValueError(f"tactic {row['code']}: unknown target types {sorted(unknown)}")
        found[row["code"]] = Tactic(
            code=row["code"],
            name=row["name"],
            basis=" ".join(row["basis"].split()),
            targets=targets,
            breach_is_offence=bool(row.get("breach_is_offence", False)),
            records=tuple(row.get("records", [])),
            max_days=row.get("max_days"),
        )
    return found


def tactic_get(code: str) -> Tactic | None:
    return tactics().get(code)
